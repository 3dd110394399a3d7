//! Unit tests of the argument helpers and base functions, calling natives directly on a
//! VM without an engine (a native frame pushed by `precall`, with no Lua caller, so
//! messages carry no position).

use super::*;
use crate::bytecode::MULTI;

fn vm() -> Vm {
    let mut vm = Vm::new();
    open_libs(&mut vm);
    vm
}

fn global(vm: &mut Vm, path: &str) -> Value {
    let mut t = vm.globals;
    let mut v = Value::Nil;
    for part in path.split('.') {
        v = get_field(vm, t, part);
        if let Value::Table(n) = v {
            t = n;
        }
    }
    v
}

fn s(vm: &mut Vm, text: &str) -> Value {
    vm.str_value(text.as_bytes())
}

/// Calls a library function; `Ok` with its results or `Err` with the error text.
fn call(vm: &mut Vm, f: &str, args: &[Value]) -> Result<Vec<Value>, String> {
    let fv = global(vm, f);
    match vm.call_value(fv, args, MULTI) {
        Ok(r) => Ok(r),
        Err(e) => {
            vm.frames.clear();
            vm.stack.clear();
            Err(text(vm, e.value))
        }
    }
}

fn text(vm: &mut Vm, v: Value) -> String {
    let mut out = Vec::new();
    ops::tostring_bytes(vm, v, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn texts(vm: &mut Vm, r: Result<Vec<Value>, String>) -> String {
    match r {
        Ok(vals) => vals
            .iter()
            .map(|v| text(vm, *v))
            .collect::<Vec<_>>()
            .join(" "),
        Err(e) => format!("error: {e}"),
    }
}

fn run(vm: &mut Vm, f: &str, args: &[Value]) -> String {
    let r = call(vm, f, args);
    texts(vm, r)
}

#[test]
fn argument_messages() {
    let mut vm = vm();
    assert_eq!(
        run(&mut vm, "string.sub", &[]),
        "error: bad argument #1 to 'string.sub' (string expected, got no value)"
    );
    let hello = s(&mut vm, "hello");
    assert_eq!(
        run(&mut vm, "string.sub", &[hello, Value::Float(2.5)]),
        "error: bad argument #2 to 'string.sub' (number has no integer representation)"
    );
    let x = s(&mut vm, "x");
    assert_eq!(
        run(&mut vm, "string.sub", &[hello, x]),
        "error: bad argument #2 to 'string.sub' (number expected, got string)"
    );
    let t = Value::Table(vm.globals);
    assert_eq!(
        run(&mut vm, "string.rep", &[t, Value::Int(1)]),
        "error: bad argument #1 to 'string.rep' (string expected, got table)"
    );
    assert_eq!(
        run(&mut vm, "string.rep", &[x, Value::Int(1 << 40)]),
        "error: resulting string too large"
    );
    assert_eq!(
        run(&mut vm, "string.char", &[Value::Int(65), Value::Int(256)]),
        "error: bad argument #2 to 'string.char' (value out of range)"
    );
    assert_eq!(
        run(&mut vm, "rawlen", &[Value::Int(1)]),
        "error: bad argument #1 to 'rawlen' (table or string expected, got number)"
    );
    assert_eq!(
        run(&mut vm, "setmetatable", &[t]),
        "error: bad argument #2 to 'setmetatable' (nil or table expected, got no value)"
    );
    assert_eq!(
        run(&mut vm, "math.fmod", &[Value::Int(5), Value::Int(0)]),
        "error: bad argument #2 to 'math.fmod' (zero)"
    );
    let three = s(&mut vm, "3");
    assert_eq!(run(&mut vm, "string.rep", &[x, three]), "xxx");
    assert_eq!(
        run(&mut vm, "string.sub", &[hello, Value::Float(2.0)]),
        "ello"
    );
    assert_eq!(run(&mut vm, "string.len", &[Value::Int(12)]), "2");
}

#[test]
fn tonumber_corners() {
    let mut vm = vm();
    let cases: &[(&str, Option<i64>, &str)] = &[
        ("0x10", None, "16"),
        ("  10  ", None, "10"),
        ("1e1", None, "10.0"),
        (" 0x1p4 ", None, "16.0"),
        ("1 2", None, "nil"),
        ("", None, "nil"),
        ("10", Some(16), "16"),
        ("ff", Some(16), "255"),
        ("zz", Some(36), "1295"),
        ("8", Some(8), "nil"),
        ("-0x10", Some(16), "nil"),
        ("7fffffffffffffff", Some(16), "9223372036854775807"),
        ("ffffffffffffffffff", Some(16), "-1"),
        (" ", Some(10), "nil"),
        ("1.5", Some(10), "nil"),
    ];
    for &(src, base, want) in cases {
        let a = s(&mut vm, src);
        let mut args = vec![a];
        if let Some(b) = base {
            args.push(Value::Int(b));
        }
        assert_eq!(
            run(&mut vm, "tonumber", &args),
            want,
            "tonumber({src:?}, {base:?})"
        );
    }
    assert_eq!(
        run(&mut vm, "tonumber", &[Value::Int(10), Value::Int(16)]),
        "error: bad argument #1 to 'tonumber' (string expected, got number)"
    );
    let ten = s(&mut vm, "10");
    assert_eq!(
        run(&mut vm, "tonumber", &[ten, Value::Int(99)]),
        "error: bad argument #2 to 'tonumber' (base out of range)"
    );
    assert_eq!(
        run(&mut vm, "tonumber", &[ten, Value::Float(2.5)]),
        "error: bad argument #2 to 'tonumber' (number has no integer representation)"
    );
    assert_eq!(
        run(&mut vm, "tonumber", &[]),
        "error: bad argument #1 to 'tonumber' (value expected)"
    );
    assert_eq!(run(&mut vm, "tonumber", &[Value::Nil]), "nil");
    assert_eq!(run(&mut vm, "tonumber", &[Value::Bool(true)]), "nil");
    assert_eq!(run(&mut vm, "tonumber", &[Value::Float(1.5)]), "1.5");
}

#[test]
fn select_cases() {
    let mut vm = vm();
    let (a, b, c) = (s(&mut vm, "a"), s(&mut vm, "b"), s(&mut vm, "c"));
    let hash = s(&mut vm, "#");
    assert_eq!(run(&mut vm, "select", &[hash, a, b]), "2");
    assert_eq!(run(&mut vm, "select", &[hash]), "0");
    assert_eq!(run(&mut vm, "select", &[Value::Int(2), a, b, c]), "b c");
    assert_eq!(run(&mut vm, "select", &[Value::Int(-1), a, b, c]), "c");
    assert_eq!(run(&mut vm, "select", &[Value::Int(5), a, b]), "");
    for bad in [0, -3] {
        assert_eq!(
            run(&mut vm, "select", &[Value::Int(bad), a, b]),
            "error: bad argument #1 to 'select' (index out of range)"
        );
    }
    assert_eq!(
        run(&mut vm, "select", &[a]),
        "error: bad argument #1 to 'select' (number expected, got string)"
    );
    assert_eq!(
        run(&mut vm, "select", &[Value::Float(1.5)]),
        "error: bad argument #1 to 'select' (number has no integer representation)"
    );
}

#[test]
fn pcall_and_error() {
    let mut vm = vm();
    let err = global(&mut vm, "error");
    let x = s(&mut vm, "x");
    assert_eq!(run(&mut vm, "pcall", &[err, x]), "false x");
    assert_eq!(run(&mut vm, "pcall", &[err]), "false nil");
    let t = Value::Table(vm.globals);
    let r = call(&mut vm, "pcall", &[err, t]).unwrap();
    assert!(matches!(r[1], Value::Table(g) if g == vm.globals));
    let pcall = global(&mut vm, "pcall");
    assert_eq!(
        run(&mut vm, "pcall", &[pcall]),
        "false bad argument #1 to 'pcall' (value expected)"
    );
    let tostring = global(&mut vm, "tostring");
    assert_eq!(run(&mut vm, "pcall", &[tostring, Value::Int(3)]), "true 3");
    assert_eq!(vm.frames.len(), 0);
    assert_eq!(vm.stack.len(), 0);
    assert_eq!(run(&mut vm, "assert", &[Value::Int(1), x]), "1 x");
    assert_eq!(
        run(&mut vm, "assert", &[Value::Bool(false)]),
        "error: assertion failed!"
    );
    assert_eq!(run(&mut vm, "assert", &[Value::Nil, x]), "error: x");
    assert_eq!(
        run(&mut vm, "assert", &[]),
        "error: bad argument #1 to 'assert' (value expected)"
    );
}

#[test]
fn tables_and_metatables() {
    let mut vm = vm();
    let t = vm.heap.alloc(crate::runtime::table::Table::new());
    let tv = Value::Table(t);
    let k = s(&mut vm, "k");
    run(&mut vm, "rawset", &[tv, k, Value::Int(7)]);
    assert_eq!(run(&mut vm, "rawget", &[tv, k]), "7");
    assert_eq!(
        run(&mut vm, "rawset", &[tv, Value::Nil, Value::Int(1)]),
        "error: table index is nil"
    );
    assert_eq!(
        run(&mut vm, "next", &[tv, Value::Int(99)]),
        "error: invalid key to 'next'"
    );
    assert_eq!(run(&mut vm, "next", &[tv]), "k 7");
    let mt = vm.heap.alloc(crate::runtime::table::Table::new());
    let no = s(&mut vm, "no");
    set_field(&mut vm, mt, "__metatable", no);
    run(&mut vm, "setmetatable", &[tv, Value::Table(mt)]);
    assert_eq!(run(&mut vm, "getmetatable", &[tv]), "no");
    assert_eq!(
        run(&mut vm, "setmetatable", &[tv, Value::Nil]),
        "error: cannot change a protected metatable"
    );
    assert_eq!(run(&mut vm, "math.type", &[Value::Float(1.0)]), "float");
    let three = s(&mut vm, "3");
    assert_eq!(run(&mut vm, "math.tointeger", &[three]), "3");
    assert_eq!(
        run(&mut vm, "math.max", &[Value::Int(1), Value::Float(2.5)]),
        "2.5"
    );
    assert_eq!(
        run(&mut vm, "math.max", &[]),
        "error: bad argument #1 to 'math.max' (value expected)"
    );
    assert_eq!(run(&mut vm, "math.floor", &[Value::Float(-3.5)]), "-4");
    assert_eq!(run(&mut vm, "math.modf", &[Value::Float(3.5)]), "3 0.5");
}

#[test]
fn format_glue() {
    let mut vm = vm();
    let f = s(&mut vm, "%5.1f|%d|%s");
    let x = s(&mut vm, "x");
    assert_eq!(
        run(
            &mut vm,
            "string.format",
            &[f, Value::Float(3.14159), Value::Int(3), x]
        ),
        "  3.1|3|x"
    );
    let f = s(&mut vm, "%d");
    assert_eq!(
        run(&mut vm, "string.format", &[f, Value::Float(3.5)]),
        "error: bad argument #2 to 'string.format' (number has no integer representation)"
    );
    assert_eq!(
        run(&mut vm, "string.format", &[f]),
        "error: bad argument #2 to 'string.format' (no value)"
    );
}
