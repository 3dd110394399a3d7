//! Host tests that need no engine or compiler; end-to-end runs are in `tests/cli.rs`.

use super::*;

fn vm() -> Vm {
    new_vm(&Options::default()).0
}

#[test]
fn error_text_like_lua_standalone() {
    let mut vm = vm();
    let s = vm.str_value(b"x.lua:1: boom");
    assert_eq!(error_text(&mut vm, s), "x.lua:1: boom");
    assert_eq!(error_text(&mut vm, Value::Int(12)), "12");
    assert_eq!(error_text(&mut vm, Value::Float(1.5)), "1.5");
    assert_eq!(
        error_text(&mut vm, Value::Nil),
        "(error object is a nil value)"
    );
    let t = Value::Table(vm.globals);
    assert_eq!(error_text(&mut vm, t), "(error object is a table value)");
    assert_eq!(
        error_text(&mut vm, Value::Bool(false)),
        "(error object is a boolean value)"
    );
}

#[test]
fn arg_table_layout() {
    let mut vm = vm();
    let argv: Vec<String> = ["apogee", "-e", "x=1", "s.lua", "a"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    set_args(&mut vm, &argv, 3);
    let g = vm.globals;
    let Value::Table(t) = crate::stdlib::get_field(&mut vm, g, "arg") else {
        panic!("no arg table");
    };
    let get = |vm: &Vm, i: i64| match vm.heap.get(t).get_int(i) {
        Value::Str(s) => String::from_utf8_lossy(vm.heap.str(s)).into_owned(),
        _ => "nil".into(),
    };
    assert_eq!(get(&vm, -3), "apogee");
    assert_eq!(get(&vm, -1), "x=1");
    assert_eq!(get(&vm, 0), "s.lua");
    assert_eq!(get(&vm, 1), "a");
    assert_eq!(get(&vm, 2), "nil");
    assert_eq!(vm.heap.get(t).len(), 1);
}

#[test]
fn bad_bytecode_is_rejected() {
    let mut vm = vm();
    assert!(load_bytecode(&mut vm, b"\x1bSBC garbage").is_err());
    assert!(load_bytecode(&mut vm, b"{\"format\": 1}").is_err());
    assert!(load_bytecode(&mut vm, b"\xff\xfe").is_err());
    assert!(load_bytecode(&mut vm, b"").is_err());
}

#[test]
fn missing_file_message() {
    let mut vm = vm();
    let e = load_file(&mut vm, Some("/nonexistent/nofile.lua")).unwrap_err();
    assert_eq!(
        error_text(&mut vm, e.value),
        "cannot open /nonexistent/nofile.lua: No such file or directory"
    );
}

#[test]
fn stats_json_keys() {
    let vm = vm();
    let json = Stats::of(&vm).to_json();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for k in [
        "engine",
        "instructions",
        "calls",
        "gc_collections",
        "procs_compiled",
        "native_entries",
        "guard_exits",
        "osr_entries",
        "jit_compile_us",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
}

#[test]
fn empty_traceback() {
    let vm = vm();
    assert_eq!(traceback(&vm), "stack traceback:\n\t[C]: in ?");
}

#[test]
fn sandbox_apply_restricts_globals() {
    use crate::stdlib::get_field;
    let mut vm = new_vm(&Options {
        sandbox: true,
        ..Options::default()
    })
    .0;
    let g = vm.globals;
    for name in ["io", "dofile", "loadfile", "debug"] {
        assert!(get_field(&mut vm, g, name).is_nil(), "{name}");
    }
    let Value::Table(os) = get_field(&mut vm, g, "os") else {
        panic!("os is kept");
    };
    for name in ["clock", "time", "date", "difftime"] {
        assert!(!get_field(&mut vm, os, name).is_nil(), "os.{name}");
    }
    for name in ["exit", "getenv", "remove", "rename", "execute", "tmpname"] {
        assert!(get_field(&mut vm, os, name).is_nil(), "os.{name}");
    }
    let Value::Table(pkg) = get_field(&mut vm, g, "package") else {
        panic!("package is kept");
    };
    let Value::Table(searchers) = get_field(&mut vm, pkg, "searchers") else {
        panic!("package.searchers is kept");
    };
    assert_eq!(vm.heap.get(searchers).len(), 1);
}
