//! The VM-level to-be-closed API (`Vm::mark_tbc`, `Vm::close_tbc_protected`,
//! `Vm::unwind_error`) as an embedder or `coroutine.close` uses it: close everything above
//! a stack level, with an error or none, on every engine.

use apogee::host::{self, EngineKind, Options};
use apogee::runtime::{LuaError, Value, Vm};

fn new_vm(engine: EngineKind) -> Vm {
    host::new_vm(&Options {
        engine,
        jit_threshold: 0,
        ..Options::default()
    })
    .0
}

fn run(vm: &mut Vm, src: &str) -> Result<Vec<Value>, LuaError> {
    let f = host::load_source(vm, src.as_bytes(), "=t").expect("compiles");
    host::run_main(vm, f, &[])
}

fn text(vm: &mut Vm, v: Value) -> String {
    host::error_text(vm, v)
}

/// Three closable objects `a`, `b`, `c` logging `name:err` into the global `log`; `b`
/// raises "b failed" when `fail` is set.
const OBJECTS: &str = r#"
    log = {}
    local function obj(name, fail)
      return setmetatable({}, { __close = function(_, err)
        log[#log + 1] = name .. ":" .. tostring(err)
        if fail then error(name .. " failed", 0) end
      end })
    end
    return obj("a"), obj("b", FAIL), obj("c")
"#;

fn log(vm: &mut Vm) -> Vec<Value> {
    run(vm, "return table.unpack(log)").expect("log")
}

fn close_above_level(
    engine: EngineKind,
    fail: bool,
    err: Option<&str>,
) -> (Vec<String>, Option<String>) {
    let mut vm = new_vm(engine);
    if fail {
        run(&mut vm, "FAIL = true").expect("runs");
    }
    let objs = run(&mut vm, OBJECTS).expect("runs");
    assert_eq!(objs.len(), 3);
    // As a suspended coroutine's stack would hold them: below `level`, one value that is
    // not closed; above it, the three marked objects.
    let level = vm.stack.len() + 1;
    vm.stack.push(Value::Int(0));
    for o in &objs {
        let i = vm.stack.len();
        vm.stack.push(*o);
        vm.mark_tbc(i).expect("closable");
    }
    assert!(vm.tbc_pending(level));
    let err = err.map(|s| LuaError::new(vm.str_value(s.as_bytes())));
    let r = vm.close_tbc_protected(level, err, &mut |_, e| e);
    assert!(!vm.tbc_pending(0));
    vm.stack.truncate(level - 1);
    let r = r.map(|e| text(&mut vm, e.value));
    let lines = log(&mut vm).into_iter().map(|v| text(&mut vm, v)).collect();
    (lines, r)
}

const ENGINES: [EngineKind; 3] = [EngineKind::Stack, EngineKind::Register, EngineKind::Jit];

#[test]
fn closes_newest_first_with_no_error() {
    for e in ENGINES {
        let (log, r) = close_above_level(e, false, None);
        assert_eq!(log, ["c:nil", "b:nil", "a:nil"]);
        assert_eq!(r, None);
    }
}

#[test]
fn passes_the_error_and_lets_a_close_error_replace_it() {
    for e in ENGINES {
        let (log, r) = close_above_level(e, false, Some("E"));
        assert_eq!(log, ["c:E", "b:E", "a:E"]);
        assert_eq!(r.as_deref(), Some("E"));
        let (log, r) = close_above_level(e, true, None);
        assert_eq!(log, ["c:nil", "b:nil", "a:b failed"]);
        assert_eq!(r.as_deref(), Some("b failed"));
    }
}

#[test]
fn uncaught_errors_close_and_the_vm_stays_usable() {
    for e in ENGINES {
        let mut vm = new_vm(e);
        let err = run(
            &mut vm,
            r#"
            closed = 0
            local a <close> = setmetatable({}, { __close = function() closed = closed + 1 end })
            local b <close> = setmetatable({}, { __close = function(_, e) error("close: " .. e, 0) end })
            error("body", 0)
            "#,
        )
        .expect_err("raises");
        assert_eq!(text(&mut vm, err.value), "close: body");
        assert!(err.traceback.is_some());
        assert!(vm.tbc.is_empty());
        let r = run(&mut vm, "return closed").expect("runs");
        assert!(matches!(r.first(), Some(Value::Int(1))));
    }
}

#[test]
fn mark_rejects_values_without_close() {
    let mut vm = new_vm(EngineKind::Register);
    vm.stack.push(Value::Nil);
    vm.stack.push(Value::Bool(false));
    vm.stack.push(Value::Int(3));
    assert!(vm.mark_tbc(0).is_ok());
    assert!(vm.mark_tbc(1).is_ok());
    assert!(vm.tbc.is_empty());
    let e = vm.mark_tbc(2).expect_err("not closable");
    assert_eq!(
        text(&mut vm, e.value),
        "variable '?' got a non-closable value"
    );
}
