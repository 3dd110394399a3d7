//! `math.random` and `math.randomseed`: Lua 5.4's xoshiro256** generator with lmathlib.c's
//! seeding, float conversion and projection into intervals, so that a seeded sequence is
//! the one `lua5.4` produces, value for value.
//!
//! The four state words live in a table (at `[1..4]`, as integers) that both functions hold
//! as their upvalue, so the collector sees it and the two share it. Unseeded, the state
//! comes from the clock and an address, like lua5.4's `luai_makeseed`.

use crate::runtime::table::Table;
use crate::runtime::{GcRef, LuaError, Value, Vm};

use super::{arg_error, check_int, is_none, native_closure, native_upval, opt_int, set_field};

/// The generator's state.
pub type State = [u64; 4];

/// Installs `random` and `randomseed` into the `math` table, with a time-based seed.
pub fn register(vm: &mut Vm, math_table: GcRef<Table>) {
    let t = vm.heap.alloc(Table::with_capacity(4, 0));
    let mut s = [0; 4];
    let (n1, n2) = clock_seed();
    set_seed(&mut s, n1, n2);
    store(vm, t, &s);
    let up = [Value::Table(t)];
    let r = native_closure(vm, "math.random", random, &up);
    set_field(vm, math_table, "random", r);
    let rs = native_closure(vm, "math.randomseed", randomseed, &up);
    set_field(vm, math_table, "randomseed", rs);
}

/// One step of xoshiro256**: the next 64 random bits.
pub fn next_rand(s: &mut State) -> u64 {
    let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
    let t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s[3].rotate_left(45);
    result
}

/// `setseed`: the state from two integers, then 16 values discarded to spread the seed.
pub fn set_seed(s: &mut State, n1: u64, n2: u64) {
    *s = [n1, 0xff, n2, 0];
    for _ in 0..16 {
        next_rand(s);
    }
}

/// `I2d`: a float in [0, 1) from the top 53 bits.
pub fn to_float(x: u64) -> f64 {
    (x >> 11) as f64 * (0.5f64).powi(53)
}

/// `project`: a random integer in `[0, n]` from `ran`, drawing new values while the
/// masked one (masked by the smallest `2^b - 1` not below `n`) is above `n`.
pub fn project(mut ran: u64, n: u64, s: &mut State) -> u64 {
    if n & n.wrapping_add(1) == 0 {
        return ran & n; // n + 1 is a power of two: no bias
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

/// A seed that differs between runs (the time and an address, as lua5.4).
fn clock_seed() -> (u64, u64) {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let local = 0u8;
    (t, std::ptr::addr_of!(local) as u64)
}

fn state_table(vm: &mut Vm) -> Result<GcRef<Table>, LuaError> {
    match native_upval(vm, 0) {
        Value::Table(t) => Ok(t),
        _ => Err(vm.lib_error("random generator state missing")),
    }
}

fn load(vm: &Vm, t: GcRef<Table>) -> State {
    let tb = vm.heap.get(t);
    std::array::from_fn(|i| match tb.get_int(i as i64 + 1) {
        Value::Int(x) => x as u64,
        _ => 0,
    })
}

fn store(vm: &mut Vm, t: GcRef<Table>, s: &State) {
    let mut grew = 0;
    for (i, &w) in s.iter().enumerate() {
        grew += vm
            .heap
            .get_mut(t)
            .set_int(i as i64 + 1, Value::Int(w as i64));
    }
    vm.heap.note_growth(grew);
}

/// `math.random([m [, n]])`. The generator advances before the arguments are checked, so
/// a call that raises still consumes a value, as in lua5.4.
fn random(vm: &mut Vm) -> Result<usize, LuaError> {
    let t = state_table(vm)?;
    let mut s = load(vm, t);
    let rv = next_rand(&mut s);
    store(vm, t, &s);
    let (low, up) = match vm.arg_count() {
        0 => {
            vm.push(Value::Float(to_float(rv)));
            return Ok(1);
        }
        1 => {
            let up = check_int(vm, 1, "random")?;
            if up == 0 {
                vm.push(Value::Int(rv as i64)); // a full random integer
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
    let p = project(rv, (up as u64).wrapping_sub(low as u64), &mut s);
    store(vm, t, &s);
    vm.push(Value::Int(p.wrapping_add(low as u64) as i64));
    Ok(1)
}

/// `math.randomseed([n1 [, n2]])`: reseeds (from the clock without arguments) and
/// returns the two seed integers.
fn randomseed(vm: &mut Vm) -> Result<usize, LuaError> {
    let t = state_table(vm)?;
    let (n1, n2) = if is_none(vm, 1) {
        clock_seed()
    } else {
        let n1 = check_int(vm, 1, "randomseed")?;
        let n2 = opt_int(vm, 2, "randomseed", 0)?;
        (n1 as u64, n2 as u64)
    };
    let mut s = [0; 4];
    set_seed(&mut s, n1, n2);
    store(vm, t, &s);
    vm.push(Value::Int(n1 as i64));
    vm.push(Value::Int(n2 as i64));
    Ok(2)
}

#[cfg(test)]
mod tests {
    use super::super::table::testutil::*;
    use super::*;

    /// A VM with `math.random`/`randomseed`; returns them.
    fn setup() -> (Vm, Value, Value) {
        let mut vm = Vm::new();
        let m = vm.heap.alloc(Table::new());
        register(&mut vm, m);
        let get = |vm: &mut Vm, name: &str| {
            let k = vm.heap.intern(name.as_bytes());
            vm.heap.get(m).get_str(k)
        };
        let r = get(&mut vm, "random");
        let rs = get(&mut vm, "randomseed");
        (vm, r, rs)
    }

    fn c(vm: &mut Vm, f: Value, args: &[Value]) -> String {
        let r = vm
            .call_value(f, args, crate::bytecode::MULTI)
            .map_err(|e| show(vm, e.value));
        shown(vm, &r)
    }

    // Expected values printed by lua5.4 (5.4.4).
    #[test]
    fn seeded_sequences_match_lua() {
        let (mut vm, r, rs) = setup();
        let i = Value::Int;
        assert_eq!(c(&mut vm, rs, &[i(42)]), "42\t0");
        assert_eq!(c(&mut vm, r, &[i(1), i(100)]), "50");
        assert_eq!(c(&mut vm, r, &[]), "0.54688311243421");

        c(&mut vm, rs, &[i(7), i(3)]);
        assert_eq!(c(&mut vm, r, &[i(0)]), "-9074996818531800909");
        assert_eq!(c(&mut vm, r, &[i(10)]), "8");
        assert_eq!(c(&mut vm, r, &[i(-5), i(5)]), "-5");
        assert_eq!(
            c(&mut vm, r, &[i(i64::MIN), i(i64::MAX)]),
            "427744688660130600"
        );

        c(&mut vm, rs, &[i(-1)]);
        let seq: Vec<String> = (0..8).map(|_| c(&mut vm, r, &[i(1_000_000)])).collect();
        assert_eq!(
            seq.join(" "),
            "197426 683080 646272 721092 724088 103593 104455 893150"
        );

        c(&mut vm, rs, &[i(123)]);
        let mut a = [0.0; 2];
        for x in a.iter_mut() {
            let v = vm.call_value(r, &[], 1).unwrap();
            let Value::Float(f) = v[0] else {
                panic!("not a float")
            };
            *x = f;
        }
        // lua5.4's `%.17g` of both (17 decimals is 17 significant digits in [0.1, 1)).
        let text: Vec<String> = a.iter().map(|x| format!("{x:.17}")).collect();
        assert_eq!(text, ["0.21405899041481313", "0.52918196330621881"]);

        c(&mut vm, rs, &[i(5)]);
        assert_eq!(c(&mut vm, r, &[i(3)]), "3");
        assert_eq!(c(&mut vm, r, &[i(1), i(6)]), "6");
        assert_eq!(c(&mut vm, r, &[i(0), i(0)]), "0");
        assert_eq!(c(&mut vm, r, &[Value::Float(3.0)]), "2");

        c(&mut vm, rs, &[i(0)]);
        assert_eq!(c(&mut vm, r, &[i(1 << 62)]), "4554719557422691266");
        assert_eq!(c(&mut vm, r, &[i(0), i((1 << 40) + 12345)]), "610130679864");
        assert_eq!(c(&mut vm, rs, &[i(42), i(7)]), "42\t7");
    }

    #[test]
    fn errors_and_state_advance() {
        let (mut vm, r, rs) = setup();
        let i = Value::Int;
        // A failing call still consumes a value: lua5.4 prints 34 here, 30 without it.
        c(&mut vm, rs, &[i(1)]);
        assert_eq!(
            c(&mut vm, r, &[i(2), i(1)]),
            "error: bad argument #1 to 'math.random' (interval is empty)"
        );
        assert_eq!(c(&mut vm, r, &[i(100)]), "34");
        c(&mut vm, rs, &[i(1)]);
        assert_eq!(c(&mut vm, r, &[i(100)]), "30");
        c(&mut vm, rs, &[i(1)]);
        assert_eq!(
            c(&mut vm, r, &[i(1), i(2), i(3)]),
            "error: wrong number of arguments"
        );
        assert_eq!(c(&mut vm, r, &[i(100)]), "34");
        assert_eq!(
            c(&mut vm, r, &[Value::Float(1.5)]),
            "error: bad argument #1 to 'math.random' (number has no integer representation)"
        );
        let x = s(&mut vm, "x");
        assert_eq!(
            c(&mut vm, r, &[x]),
            "error: bad argument #1 to 'math.random' (number expected, got string)"
        );
        assert_eq!(
            c(&mut vm, rs, &[x]),
            "error: bad argument #1 to 'math.randomseed' (number expected, got string)"
        );
        assert_eq!(
            c(&mut vm, rs, &[Value::Float(1.5)]),
            "error: bad argument #1 to 'math.randomseed' (number has no integer representation)"
        );
        assert_eq!(
            c(&mut vm, r, &[i(-3)]),
            "error: bad argument #1 to 'math.random' (interval is empty)"
        );
        // Unseeded and clock-seeded generators still produce values in range.
        c(&mut vm, rs, &[]);
        for _ in 0..100 {
            let v = vm.call_value(r, &[i(3), i(5)], 1).unwrap();
            assert!(matches!(v[0], Value::Int(3..=5)));
        }
    }
}
