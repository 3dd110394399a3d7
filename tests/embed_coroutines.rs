//! Coroutines through the embedding API, on an ordinary thread with Rust's default 2 MB
//! stack: deep native re-entry *inside* a coroutine (which runs on its own native stack)
//! ends in a catchable "C stack overflow", and a VM dropped while coroutines are
//! suspended (some inside JIT-compiled code) frees them without running anything on
//! their stacks, after which new VMs on the same thread reuse the stacks.

use apogee::host::{self, EngineKind, Options};
use apogee::runtime::Value;

/// Programs that recurse through natives until they overflow, each inside a coroutine;
/// each returns an integer (how deep it got) or a value showing it caught the overflow.
const PROGS: &[&str] = &[
    "local function rec(n) local ok, r = pcall(rec, n + 1) if not ok then return n end return r end
     return coroutine.wrap(function() return rec(1) end)()",
    "local mt = {} mt.__index = function(t, k) return setmetatable({}, mt)[k] end
     return coroutine.wrap(function() return pcall(function() return setmetatable({}, mt).x end) end)()",
    "local function rec(n) local ok, r = pcall(rec, n + 1) if not ok then return (load('return ' .. string.rep('(', 180) .. '1' .. string.rep(')', 180))) end return r end
     return coroutine.wrap(function() return rec(1) end)()",
    "local function rec(s) return (string.gsub(s, '.', function(c) return rec(c) end)) end
     return coroutine.wrap(function() return pcall(rec, 'x') end)()",
    "local function rec(n) local co = coroutine.create(rec) local ok, r = coroutine.resume(co, n + 1) if not ok then return n end return r end
     return rec(1)",
    "local function rec(n) coroutine.yield(n) local ok, r = pcall(rec, n + 1) if not ok then return n end return r end
     local co = coroutine.wrap(function() return -rec(1) end)
     local last repeat last = co() until last < 0
     return -last",
];

fn new_vm(engine: EngineKind) -> apogee::runtime::Vm {
    host::new_vm(&Options {
        engine,
        // Compile everything on its first call (JIT engine only).
        jit_threshold: 0,
        ..Options::default()
    })
    .0
}

fn run_all(engine: EngineKind) {
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let mut results = Vec::new();
            for src in PROGS {
                let mut vm = new_vm(engine);
                let f = host::load_source(&mut vm, src.as_bytes(), "=t").expect("compiles");
                let r = host::run_main(&mut vm, f, &[]).expect("the overflow is caught");
                results.push(match r.first() {
                    Some(Value::Int(n)) => Some(*n),
                    _ => None,
                });
            }
            results
        })
        .expect("spawn");
    let results = h.join().expect("no panic");
    assert_eq!(results.len(), PROGS.len());
    // The pcall chain inside the coroutine got deep before it overflowed.
    assert!(matches!(results[0], Some(n) if n > 50), "{:?}", results[0]);
    // Nested resumes got deep too (lua5.4: 198; the JIT's call helper counts a native
    // level per compiled call while the depth is below its own bound, so less there).
    assert!(matches!(results[4], Some(n) if n > 100), "{:?}", results[4]);
    assert!(matches!(results[5], Some(n) if n > 100), "{:?}", results[5]);
}

#[test]
fn deep_reentry_inside_coroutines_stack_engine() {
    run_all(EngineKind::Stack);
}

#[test]
fn deep_reentry_inside_coroutines_register() {
    run_all(EngineKind::Register);
}

#[test]
fn deep_reentry_inside_coroutines_jit() {
    run_all(EngineKind::Jit);
}

/// Leaves `n` coroutines suspended in the middle of compiled loops and metamethods.
const SUSPEND: &str = "
    local n = ...
    keep = {}
    local mt = {__index = function(t, k) return coroutine.yield(k) end}
    for i = 1, n do
      local co = coroutine.wrap(function()
        local acc = 0
        for j = 1, 1000 do
          acc = acc + j
          if j % 7 == 0 then acc = acc + setmetatable({}, mt)[j] end
        end
        return acc
      end)
      co()
      co(1)
      keep[i] = co
    end
    return #keep";

#[test]
fn dropping_a_vm_with_suspended_coroutines() {
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            for engine in [EngineKind::Stack, EngineKind::Register, EngineKind::Jit] {
                for round in 0..3 {
                    let mut vm = new_vm(engine);
                    let f = host::load_source(&mut vm, SUSPEND.as_bytes(), "=s").expect("ok");
                    let r = host::run_main(&mut vm, f, &[Value::Int(40)]).expect("runs");
                    assert!(matches!(r.first(), Some(Value::Int(40))), "round {round}");
                    // Half of them become garbage while suspended.
                    let g = host::load_source(
                        &mut vm,
                        b"for i = 1, 20 do keep[i] = nil end collectgarbage() return 1",
                        "=g",
                    )
                    .expect("ok");
                    host::run_main(&mut vm, g, &[]).expect("runs");
                    drop(vm);
                }
            }
        })
        .expect("spawn");
    h.join().expect("no panic");
}
