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
            ("math.deg", deg),
            ("math.rad", rad),
            // lua5.4 as Debian builds it (LUA_COMPAT_5_3, so LUA_COMPAT_MATHLIB) also has
            // these deprecated functions; programs written for 5.3 still call them.
            ("math.atan2", atan),
            ("math.cosh", cosh),
            ("math.sinh", sinh),
            ("math.tanh", tanh),
            ("math.pow", pow),
            ("math.frexp", frexp),
            ("math.ldexp", ldexp),
            ("math.log10", log10),
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

fn deg(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "deg", |x| x * (180.0 / std::f64::consts::PI))
}
fn rad(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "rad", |x| x * (std::f64::consts::PI / 180.0))
}
fn cosh(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "cosh", f64::cosh)
}
fn sinh(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "sinh", f64::sinh)
}
fn tanh(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "tanh", f64::tanh)
}
fn log10(vm: &mut Vm) -> Result<usize, LuaError> {
    float_fn(vm, "log10", f64::log10)
}

fn pow(vm: &mut Vm) -> Result<usize, LuaError> {
    let x = check_number(vm, 1, "pow")?;
    let y = check_number(vm, 2, "pow")?;
    vm.push(Value::Float(x.powf(y)));
    Ok(1)
}

/// `math.frexp(x)`: `m, e` with `x == m * 2^e` and `0.5 <= |m| < 1` (C's `frexp`: zero,
/// infinities and NaN come back unchanged with `e == 0`).
fn frexp(vm: &mut Vm) -> Result<usize, LuaError> {
    let x = check_number(vm, 1, "frexp")?;
    let (m, e) = if x == 0.0 || !x.is_finite() {
        (x, 0)
    } else {
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i64;
        if exp == 0 {
            // Subnormal: scale into the normal range first.
            let y = x * f64::from_bits(0x4350_0000_0000_0000); // 2^54
            let bits = y.to_bits();
            let exp = ((bits >> 52) & 0x7ff) as i64;
            let m = f64::from_bits((bits & !(0x7ff << 52)) | (0x3fe << 52));
            (m, exp - 1022 - 54)
        } else {
            let m = f64::from_bits((bits & !(0x7ff << 52)) | (0x3fe << 52));
            (m, exp - 1022)
        }
    };
    vm.push(Value::Float(m));
    vm.push(Value::Int(e));
    Ok(2)
}

/// `math.ldexp(m, e)`: `m * 2^e`; `e` is converted to a C `int` as lua5.4 does (wrapping).
fn ldexp(vm: &mut Vm) -> Result<usize, LuaError> {
    let m = check_number(vm, 1, "ldexp")?;
    let e = check_int(vm, 2, "ldexp")? as i32;
    // Scale in steps so that intermediate powers of two stay finite and non-zero.
    let mut r = m;
    let mut e = e;
    while e > 1000 {
        r *= f64::from_bits(0x7e70_0000_0000_0000); // 2^1000
        e -= 1000;
        if r.is_infinite() || r == 0.0 {
            break;
        }
    }
    while e < -1000 {
        r *= f64::from_bits(0x0170_0000_0000_0000); // 2^-1000
        e += 1000;
        if r == 0.0 || r.is_infinite() {
            break;
        }
    }
    if r.is_finite() && r != 0.0 {
        r *= 2f64.powi(e);
    }
    vm.push(Value::Float(r));
    Ok(1)
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
