//! The math library, including `random`/`randomseed` with lua5.4's xoshiro256** generator
//! (same seeding, same projection into intervals, so seeded sequences match lua5.4).

use super::{
    arg_error, check_any, check_int, check_num, check_number, is_none, native_closure,
    native_upval, new_lib, ops, set_field,
};
use crate::runtime::number::{self, Num};
use crate::runtime::table::Table;
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
    // The generator state: a table holding the four state words at [1..4], shared by
    // `random` and `randomseed` as their upvalue.
    let state = vm.heap.alloc(Table::new());
    let mut s = [0u64; 4];
    let (a, b) = default_seed();
    set_seed(&mut s, a, b);
    store_state(vm, state, &s);
    let r = native_closure(vm, "math.random", random, &[Value::Table(state)]);
    set_field(vm, t, "random", r);
    let rs = native_closure(vm, "math.randomseed", randomseed, &[Value::Table(state)]);
    set_field(vm, t, "randomseed", rs);
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

/// `math.max` / `math.min`: the winning argument itself (its subtype kept).
fn extreme(vm: &mut Vm, fname: &str, want_max: bool) -> Result<usize, LuaError> {
    let n = vm.arg_count();
    if n < 1 {
        return Err(arg_error(vm, 1, fname, "value expected"));
    }
    let mut best = check_num(vm, 1, fname)?;
    let mut best_ix = 0;
    for i in 2..=n {
        let x = check_num(vm, i, fname)?;
        let better = if want_max {
            number::num_lt(best, x)
        } else {
            number::num_lt(x, best)
        };
        if better {
            best = x;
            best_ix = i - 1;
        }
    }
    match vm.arg(best_ix) {
        v @ (Value::Int(_) | Value::Float(_)) => vm.push(v),
        _ => push_num(vm, best),
    }
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

// ----- xoshiro256** ----------------------------------------------------------------------

fn next_rand(s: &mut [u64; 4]) -> u64 {
    let (s0, s1, s2, s3) = (s[0], s[1], s[2] ^ s[0], s[3] ^ s[1]);
    let res = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 17);
    s[3] = s3.rotate_left(45);
    res
}

/// lua5.4's `setseed`: the state from two integers, then 16 values discarded.
fn set_seed(s: &mut [u64; 4], n1: u64, n2: u64) {
    *s = [n1, 0xff, n2, 0];
    for _ in 0..16 {
        next_rand(s);
    }
}

/// A seed varying between runs (lua5.4 mixes the time and an address).
fn default_seed() -> (u64, u64) {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let local = 0u8;
    (t, std::ptr::addr_of!(local) as u64)
}

/// `project` of lmathlib.c: a random integer in `[0, n]` from `ran`, drawing again while
/// the masked value is above `n`.
fn project(mut ran: u64, n: u64, s: &mut [u64; 4]) -> u64 {
    if n & n.wrapping_add(1) == 0 {
        return ran & n;
    }
    let mut lim = n;
    lim |= lim >> 1;
    lim |= lim >> 2;
    lim |= lim >> 4;
    lim |= lim >> 8;
    lim |= lim >> 16;
    lim |= lim >> 32;
    loop {
        ran &= lim;
        if ran <= n {
            return ran;
        }
        ran = next_rand(s);
    }
}

fn state_table(vm: &Vm) -> Option<crate::runtime::GcRef<Table>> {
    match native_upval(vm, 0) {
        Value::Table(t) => Some(t),
        _ => None,
    }
}

fn load_state(vm: &Vm, t: crate::runtime::GcRef<Table>) -> [u64; 4] {
    let tbl = vm.heap.get(t);
    let mut s = [0u64; 4];
    for (i, w) in s.iter_mut().enumerate() {
        if let Value::Int(x) = tbl.get_int(i as i64 + 1) {
            *w = x as u64;
        }
    }
    s
}

fn store_state(vm: &mut Vm, t: crate::runtime::GcRef<Table>, s: &[u64; 4]) {
    for (i, w) in s.iter().enumerate() {
        let grew = vm
            .heap
            .get_mut(t)
            .set_int(i as i64 + 1, Value::Int(*w as i64));
        vm.heap.note_growth(grew);
    }
}

fn random(vm: &mut Vm) -> Result<usize, LuaError> {
    let Some(t) = state_table(vm) else {
        return Err(vm.lib_error("random: missing generator state"));
    };
    let mut s = load_state(vm, t);
    let rv = next_rand(&mut s);
    let (low, up) = match vm.arg_count() {
        0 => {
            store_state(vm, t, &s);
            vm.push(Value::Float((rv >> 11) as f64 * (0.5f64).powi(53)));
            return Ok(1);
        }
        1 => {
            let up = check_int(vm, 1, "random")?;
            if up == 0 {
                store_state(vm, t, &s);
                vm.push(Value::Int(rv as i64));
                return Ok(1);
            }
            (1, up)
        }
        2 => (check_int(vm, 1, "random")?, check_int(vm, 2, "random")?),
        _ => return Err(vm.lib_error("wrong number of arguments")),
    };
    if low > up {
        return Err(arg_error(vm, 1, "random", "interval is empty"));
    }
    let r = project(rv, (up as u64).wrapping_sub(low as u64), &mut s);
    store_state(vm, t, &s);
    vm.push(Value::Int(r.wrapping_add(low as u64) as i64));
    Ok(1)
}

fn randomseed(vm: &mut Vm) -> Result<usize, LuaError> {
    let Some(t) = state_table(vm) else {
        return Err(vm.lib_error("randomseed: missing generator state"));
    };
    let (n1, n2) = if is_none(vm, 1) {
        default_seed()
    } else {
        let n1 = check_int(vm, 1, "randomseed")?;
        let n2 = super::opt_int(vm, 2, "randomseed", 0)?;
        (n1 as u64, n2 as u64)
    };
    let mut s = [0u64; 4];
    set_seed(&mut s, n1, n2);
    store_state(vm, t, &s);
    vm.push(Value::Int(n1 as i64));
    vm.push(Value::Int(n2 as i64));
    Ok(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_matches_lua54() {
        // lua5.4 -e 'math.randomseed(42); print(math.random(), math.random(100),
        //            math.random(-5,5), math.random(0))'
        let mut s = [0u64; 4];
        set_seed(&mut s, 42, 0);
        let f = (next_rand(&mut s) >> 11) as f64 * (0.5f64).powi(53);
        let mut txt = Vec::new();
        number::fmt_float(f, &mut txt);
        assert_eq!(txt, b"0.93081217803957");
        let r = next_rand(&mut s);
        assert_eq!(project(r, 99, &mut s) + 1, 50);
        let r = next_rand(&mut s);
        assert_eq!(project(r, 10, &mut s) as i64 - 5, 0);
        assert_eq!(next_rand(&mut s) as i64, -7059243630996204619);
    }
}
