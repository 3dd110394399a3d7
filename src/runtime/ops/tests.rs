//! Operator semantics against what lua5.4 prints.

use super::*;
use crate::runtime::vm::Vm;

fn s(vm: &mut Vm, x: &str) -> Value {
    vm.str_value(x.as_bytes())
}

fn text(vm: &mut Vm, v: Value) -> String {
    let mut out = Vec::new();
    tostring_bytes(vm, v, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn err_text(vm: &mut Vm, e: LuaError) -> String {
    text(vm, e.value)
}

fn ar(vm: &mut Vm, op: ArithOp, a: Value, b: Value) -> String {
    match arith(vm, op, a, b) {
        Ok(v) => text(vm, v),
        Err(e) => err_text(vm, e),
    }
}

#[test]
fn integer_and_float_arithmetic() {
    use ArithOp::*;
    let vm = &mut Vm::new();
    let (i, f) = (Value::Int, Value::Float);
    assert_eq!(ar(vm, Add, i(i64::MAX), i(1)), "-9223372036854775808");
    assert_eq!(ar(vm, Add, i(1), f(0.5)), "1.5");
    assert_eq!(ar(vm, Div, i(10), i(2)), "5.0");
    assert_eq!(ar(vm, Pow, i(2), i(2)), "4.0");
    assert_eq!(ar(vm, IDiv, i(7), i(2)), "3");
    assert_eq!(ar(vm, IDiv, i(-7), i(2)), "-4");
    assert_eq!(ar(vm, IDiv, f(7.0), i(2)), "3.0");
    assert_eq!(ar(vm, Mod, i(-7), i(3)), "2");
    assert_eq!(ar(vm, Mod, i(7), i(-3)), "-2");
    assert_eq!(ar(vm, Mod, f(5.5), i(2)), "1.5");
    assert_eq!(ar(vm, IDiv, i(i64::MIN), i(-1)), "-9223372036854775808");
    assert_eq!(ar(vm, Mod, i(i64::MIN), i(-1)), "0");
    assert_eq!(ar(vm, IDiv, i(1), i(0)), "attempt to divide by zero");
    assert_eq!(ar(vm, Mod, i(1), i(0)), "attempt to perform 'n%0'");
    assert_eq!(ar(vm, IDiv, f(1.5), i(0)), "inf");
    assert_eq!(ar(vm, Mod, i(-3), f(f64::INFINITY)), "inf");
    assert_eq!(ar(vm, Shl, i(1), i(64)), "0");
    assert_eq!(ar(vm, Shl, i(1), i(63)), "-9223372036854775808");
    assert_eq!(ar(vm, Shr, i(-1), i(1)), "9223372036854775807");
    assert_eq!(ar(vm, BAnd, i(3), f(2.0)), "2");
    assert_eq!(
        ar(vm, BOr, f(1.5), i(1)),
        "number has no integer representation"
    );
    assert_eq!(
        ar(vm, BAnd, i(1), f(9.3e18)),
        "number has no integer representation"
    );
}

#[test]
fn string_coercion_and_errors() {
    use ArithOp::*;
    let vm = &mut Vm::new();
    let (i, n) = (Value::Int, Value::Nil);
    let ten = s(vm, "10");
    let tenf = s(vm, "10.0");
    let hex = s(vm, "0x10");
    let a = s(vm, "a");
    let t = Value::Table(vm.heap.alloc(Table::new()));
    assert_eq!(ar(vm, Add, ten, i(1)), "11");
    assert_eq!(ar(vm, Add, tenf, i(1)), "11.0");
    assert_eq!(ar(vm, Add, hex, i(0)), "16");
    assert_eq!(ar(vm, IDiv, ten, i(0)), "attempt to divide by zero");
    assert_eq!(
        ar(vm, Add, a, i(1)),
        "attempt to add a 'string' with a 'number'"
    );
    assert_eq!(ar(vm, Sub, n, a), "attempt to sub a 'nil' with a 'string'");
    assert_eq!(
        ar(vm, Add, t, ten),
        "attempt to add a 'table' with a 'string'"
    );
    assert_eq!(
        ar(vm, Add, n, i(1)),
        "attempt to perform arithmetic on a nil value"
    );
    assert_eq!(
        ar(vm, Mul, i(1), t),
        "attempt to perform arithmetic on a table value"
    );
    assert_eq!(
        ar(vm, BOr, ten, i(0)),
        "attempt to perform bitwise operation on a string value"
    );
    assert_eq!(
        ar(vm, BOr, Value::Float(1.5), n),
        "attempt to perform bitwise operation on a nil value"
    );
    let r = unary(vm, UnOp::Unm, a).unwrap_err();
    assert_eq!(err_text(vm, r), "attempt to unm a 'string' with a 'string'");
    let r = unary(vm, UnOp::Unm, ten).unwrap();
    assert_eq!(text(vm, r), "-10");
    let r = unary(vm, UnOp::BNot, Value::Float(1.5)).unwrap_err();
    assert_eq!(err_text(vm, r), "number has no integer representation");
    let r = unary(vm, UnOp::BNot, Value::Int(0)).unwrap();
    assert_eq!(text(vm, r), "-1");
    let r = len(vm, Value::Int(5)).unwrap_err();
    assert_eq!(err_text(vm, r), "attempt to get length of a number value");
    let r = len(vm, a).unwrap();
    assert_eq!(text(vm, r), "1");
}

#[test]
fn comparisons() {
    let vm = &mut Vm::new();
    let (i, f) = (Value::Int, Value::Float);
    assert!(less_than(vm, i(1), f(1.5)).unwrap());
    assert!(!less_than(vm, f(2f64.powi(63)), i(i64::MAX)).unwrap());
    assert!(less_equal(vm, i(i64::MAX), f(2f64.powi(63))).unwrap());
    assert!(equals(vm, i(1), f(1.0)).unwrap());
    assert!(!equals(vm, f(2f64.powi(53)), i((1 << 53) + 1)).unwrap());
    let (a, b, z) = (s(vm, "a\0b"), s(vm, "a\0c"), s(vm, ""));
    assert!(less_than(vm, a, b).unwrap());
    assert!(less_than(vm, z, a).unwrap());
    assert!(compare(vm, CmpOp::Ge, b, a).unwrap());
    let one = s(vm, "1");
    assert!(!equals(vm, one, i(1)).unwrap());
    let e = less_than(vm, i(1), one).unwrap_err();
    assert_eq!(err_text(vm, e), "attempt to compare number with string");
    let t = Value::Table(vm.heap.alloc(Table::new()));
    let e = less_equal(vm, t, t).unwrap_err();
    assert_eq!(err_text(vm, e), "attempt to compare two table values");
    let e = compare(vm, CmpOp::Gt, i(1), Value::Nil).unwrap_err();
    assert_eq!(err_text(vm, e), "attempt to compare nil with number");
}

#[test]
fn concat_and_tostring() {
    let vm = &mut Vm::new();
    let e = s(vm, "");
    let x = s(vm, "x");
    let r = concat(vm, &[Value::Int(1), e]).unwrap();
    assert_eq!(text(vm, r), "1");
    let r = concat(
        vm,
        &[
            Value::Float(1.0),
            x,
            Value::Float(-0.0),
            Value::Float(1e100),
        ],
    )
    .unwrap();
    assert_eq!(text(vm, r), "1.0x-0.01e+100");
    let r = concat(vm, &[Value::Float(2f64.powi(63)), e]).unwrap();
    assert_eq!(text(vm, r), "9.2233720368548e+18");
    let r = concat(vm, &[x, Value::Bool(true)]).unwrap_err();
    assert_eq!(err_text(vm, r), "attempt to concatenate a boolean value");
    let t = Value::Table(vm.heap.alloc(Table::new()));
    let r = concat(vm, &[x, t, Value::Nil]).unwrap_err();
    assert_eq!(err_text(vm, r), "attempt to concatenate a table value");
    let r = concat(vm, &[Value::Nil, x, x]).unwrap_err();
    assert_eq!(err_text(vm, r), "attempt to concatenate a nil value");
    assert_eq!(text(vm, Value::Nil), "nil");
    assert_eq!(text(vm, Value::Bool(false)), "false");
    assert_eq!(text(vm, Value::Float(1e15)), "1e+15");
    assert!(text(vm, t).starts_with("table: 0x"));
    let p = vm.native_fn("print", |_| Ok(0));
    assert!(text(vm, p).starts_with("function: 0x"));
}

#[test]
fn indexing() {
    let vm = &mut Vm::new();
    let t = Value::Table(vm.heap.alloc(Table::new()));
    let k = s(vm, "k");
    set_index(vm, t, k, Value::Int(5)).unwrap();
    set_index(vm, t, Value::Float(1.0), Value::Int(6)).unwrap();
    assert!(index(vm, t, k).unwrap().raw_eq(&Value::Int(5)));
    assert!(index(vm, t, Value::Int(1)).unwrap().raw_eq(&Value::Int(6)));
    assert!(index(vm, t, Value::Nil).unwrap().is_nil());
    let e = set_index(vm, t, Value::Nil, Value::Int(1)).unwrap_err();
    assert_eq!(err_text(vm, e), "table index is nil");
    let e = set_index(vm, t, Value::Float(f64::NAN), Value::Int(1)).unwrap_err();
    assert_eq!(err_text(vm, e), "table index is NaN");
    let e = index(vm, Value::Nil, k).unwrap_err();
    assert_eq!(err_text(vm, e), "attempt to index a nil value");
    let e = set_index(vm, k, k, k).unwrap_err();
    assert_eq!(err_text(vm, e), "attempt to index a string value");
    // __index through a table, and strings through the string metatable.
    let mt = vm.heap.alloc(Table::new());
    let idx = s(vm, "__index");
    let proto_t = vm.heap.alloc(Table::new());
    vm.heap.get_mut(proto_t).set(k, Value::Int(7)).unwrap();
    vm.heap.get_mut(mt).set(idx, Value::Table(proto_t)).unwrap();
    let u = vm.heap.alloc(Table::new());
    vm.heap.get_mut(u).meta = Some(mt);
    assert!(index(vm, Value::Table(u), k)
        .unwrap()
        .raw_eq(&Value::Int(7)));
    vm.string_meta = Some(mt);
    let x = s(vm, "x");
    assert!(index(vm, x, k).unwrap().raw_eq(&Value::Int(7)));
    let three = s(vm, "3");
    assert_eq!(to_integer(vm, three), Some(3));
    let v = s(vm, " 0x10 ");
    assert_eq!(to_integer(vm, v), Some(16));
    assert_eq!(to_integer(vm, Value::Float(3.5)), None);
}

fn run_for(vm: &mut Vm, init: Value, limit: Value, step: Value) -> Result<Vec<String>, String> {
    let mut slots = [init, limit, step, Value::Nil];
    let mut out = Vec::new();
    match for_prep(vm, &mut slots) {
        Err(e) => return Err(err_text(vm, e)),
        Ok(false) => return Ok(out),
        Ok(true) => {}
    }
    loop {
        out.push(text(vm, slots[3]));
        if out.len() > 10 || !for_step(&mut slots) {
            return Ok(out);
        }
    }
}

#[test]
fn numeric_for() {
    let vm = &mut Vm::new();
    let (i, f) = (Value::Int, Value::Float);
    assert_eq!(run_for(vm, i(1), i(3), i(1)).unwrap(), ["1", "2", "3"]);
    assert_eq!(
        run_for(vm, i(i64::MAX - 2), i(i64::MAX), i(1)).unwrap(),
        [
            "9223372036854775805",
            "9223372036854775806",
            "9223372036854775807"
        ]
    );
    assert_eq!(
        run_for(vm, i(i64::MIN), i(i64::MIN + 1), i(1))
            .unwrap()
            .len(),
        2
    );
    assert_eq!(run_for(vm, i(1), f(3.7), i(1)).unwrap(), ["1", "2", "3"]);
    assert_eq!(run_for(vm, i(1), f(1e300), i(1)).unwrap().len(), 11);
    assert_eq!(run_for(vm, i(3), f(-1e300), i(-1)).unwrap().len(), 11);
    assert_eq!(run_for(vm, i(1), f(0.5), i(1)).unwrap().len(), 0);
    assert_eq!(run_for(vm, i(1), f(f64::NAN), i(1)).unwrap().len(), 0);
    assert_eq!(run_for(vm, f(1.0), i(2), i(1)).unwrap(), ["1.0", "2.0"]);
    assert_eq!(
        run_for(vm, i(1), i(2), f(0.5)).unwrap(),
        ["1.0", "1.5", "2.0"]
    );
    assert_eq!(run_for(vm, i(10), i(1), i(-4)).unwrap(), ["10", "6", "2"]);
    assert_eq!(
        run_for(vm, i(i64::MAX), i(i64::MIN), i(i64::MIN)).unwrap(),
        ["9223372036854775807", "-1"]
    );
    let one = s(vm, "1");
    assert_eq!(run_for(vm, one, i(2), i(1)).unwrap(), ["1.0", "2.0"]);
    assert_eq!(run_for(vm, i(1), one, i(1)).unwrap(), ["1"]);
    let x = s(vm, "x");
    assert_eq!(
        run_for(vm, i(1), x, i(1)).unwrap_err(),
        "bad 'for' limit (number expected, got string)"
    );
    assert_eq!(
        run_for(vm, x, i(1), i(1)).unwrap_err(),
        "bad 'for' initial value (number expected, got string)"
    );
    let t = Value::Table(vm.heap.alloc(Table::new()));
    assert_eq!(
        run_for(vm, i(1), i(2), t).unwrap_err(),
        "bad 'for' step (number expected, got table)"
    );
    assert_eq!(
        run_for(vm, i(1), i(2), i(0)).unwrap_err(),
        "'for' step is zero"
    );
    assert_eq!(
        run_for(vm, f(1.0), i(2), i(0)).unwrap_err(),
        "'for' step is zero"
    );
}
