//! The math library (`random`/`randomseed` live in `random.rs`).

use super::{arg_error, check_any, check_int, check_num, check_number, new_lib, ops, set_field};
use crate::runtime::number::{self, Num};
use crate::runtime::{LuaError, Value, Vm};

pub fn open(vm: &mut Vm) {
    let t = new_lib(
        vm,
        "math",
        &[
            ("math.floor", floor),
            ("math.ceil", ceil),
            ("math.abs", abs),
            ("math.max", max),
            ("math.min", min),
            ("math.sqrt", sqrt),
            ("math.sin", sin),
            ("math.cos", cos),
            ("math.tan", tan),
            ("math.asin", asin),
            ("math.acos", acos),
            ("math.atan", atan),
            ("math.exp", exp),
            ("math.log", log),
            ("math.tointeger", tointeger),
            ("math.type", type_),
            ("math.fmod", fmod),
            ("math.modf", modf),
            ("math.ult", ult),
        ],
    );
    set_field(vm, t, "huge", Value::Float(f64::INFINITY));
    set_field(vm, t, "pi", Value::Float(std::f64::consts::PI));
    set_field(vm, t, "maxinteger", Value::Int(i64::MAX));
    set_field(vm, t, "mininteger", Value::Int(i64::MIN));
    super::random::register(vm, t);
}

fn push_num(vm: &mut Vm, n: Num) {
    vm.push(match n {
        Num::Int(i) => Value::Int(i),
        Num::Float(f) => Value::Float(f),
    });
}

fn floor(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = check_num(vm, 1, "floor")?;
    push_num(vm, number::math_floor(n));
    Ok(1)
}

fn ceil(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = check_num(vm, 1, "ceil")?;
    push_num(vm, number::math_ceil(n));
    Ok(1)
}

fn abs(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = check_num(vm, 1, "abs")?;
    push_num(vm, number::math_abs(n));
    Ok(1)
}

/// `math.max` / `math.min`: the winning argument itself, as lua5.4's `math_max`: the
/// arguments are compared with Lua's `<` (so strings compare as strings, other types raise
/// the comparison error or go through `__lt`), with no number check.
fn extreme(vm: &mut Vm, fname: &str, want_max: bool) -> Result<usize, LuaError> {
    let n = vm.arg_count();
    if n < 1 {
        return Err(arg_error(vm, 1, fname, "value expected"));
    }
    let mut best = vm.arg(0);
    for i in 1..n {
        let x = vm.arg(i);
        let better = if want_max {
            ops::less_than(vm, best, x)?
        } else {
            ops::less_than(vm, x, best)?
        };
        if better {
            best = x;
        }
    }
    vm.push(best);
    Ok(1)
}

fn max(vm: &mut Vm) -> Result<usize, LuaError> {
    extreme(vm, "max", true)
}

fn min(vm: &mut Vm) -> Result<usize, LuaError> {
    extreme(vm, "min", false)
}

fn float_fn(vm: &mut Vm, fname: &str, f: fn(f64) -> f64) -> Result<usize, LuaError> {
    let x = check_number(vm, 1, fname)?;
    vm.push(Value::Float(f(x)));
    Ok(1)
}

fn sqrt(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "sqrt", f64::sqrt)
}
fn sin(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "sin", f64::sin)
}
fn cos(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "cos", f64::cos)
}
fn tan(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "tan", f64::tan)
}
fn asin(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "asin", f64::asin)
}
fn acos(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "acos", f64::acos)
}
fn exp(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "exp", f64::exp)
}

fn atan(vm: &mut Vm) -> Result<usize, LuaError> {
    let y = check_number(vm, 1, "atan")?;
    let x = super::opt_number(vm, 2, "atan", 1.0)?;
    vm.push(Value::Float(y.atan2(x)));
    Ok(1)
}

fn log(vm: &mut Vm) -> Result<usize, LuaError> {
    let x = check_number(vm, 1, "log")?;
    let r = if super::is_none_or_nil(vm, 2) {
        x.ln()
    } else {
        let b = check_number(vm, 2, "log")?;
        if b == 2.0 {
            x.log2()
        } else if b == 10.0 {
            x.log10()
        } else {
            x.ln() / b.ln()
        }
    };
    vm.push(Value::Float(r));
    Ok(1)
}

fn tointeger(vm: &mut Vm) -> Result<usize, LuaError> {
    let v = vm.arg(0);
    match ops::to_integer(vm, v) {
        Some(i) => vm.push(Value::Int(i)),
        None => {
            check_any(vm, 1, "tointeger")?;
            vm.push(Value::Nil);
        }
    }
    Ok(1)
}

fn type_(vm: &mut Vm) -> Result<usize, LuaError> {
    match vm.arg(0) {
        Value::Int(_) => super::push_str(vm, b"integer"),
        Value::Float(_) => super::push_str(vm, b"float"),
        _ => {
            check_any(vm, 1, "type")?;
            vm.push(Value::Nil);
        }
    }
    Ok(1)
}

fn fmod(vm: &mut Vm) -> Result<usize, LuaError> {
    let a = check_num(vm, 1, "fmod")?;
    let b = check_num(vm, 2, "fmod")?;
    match number::math_fmod(a, b) {
        Ok(r) => push_num(vm, r),
        Err(extra) => return Err(arg_error(vm, 2, "fmod", extra)),
    }
    Ok(1)
}

fn modf(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = check_num(vm, 1, "modf")?;
    let (ip, frac) = number::math_modf(n);
    push_num(vm, ip);
    push_num(vm, frac);
    Ok(2)
}

fn ult(vm: &mut Vm) -> Result<usize, LuaError> {
    let a = check_int(vm, 1, "ult")?;
    let b = check_int(vm, 2, "ult")?;
    vm.push(Value::Bool(number::math_ult(a, b)));
    Ok(1)
}
