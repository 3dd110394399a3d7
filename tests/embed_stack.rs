//! The embedding API on an ordinary thread: deep native re-entry (pcall chains,
//! metamethods, library callbacks, message handlers, `load` at depth) must end in a
//! catchable "C stack overflow", never in a native stack overflow, on a thread with
//! Rust's default 2 MB stack (the CLI uses a much larger one).

use apogee::host::{self, EngineKind, Options};
use apogee::runtime::Value;

const PROGS: &[&str] = &[
    "local function rec(n) local ok, r = pcall(rec, n + 1) if not ok then return n end return r end return rec(1)",
    "local mt = {} mt.__index = function(t, k) return setmetatable({}, mt)[k] end return pcall(function() return setmetatable({}, mt).x end)",
    "local function rec(n) local ok, r = pcall(rec, n + 1) if not ok then return (load('return ' .. string.rep('(', 180) .. '1' .. string.rep(')', 180))) end return r end return rec(1)",
    "local function rec(s) return (string.gsub(s, '.', function(c) return rec(c) end)) end return pcall(rec, 'x')",
    "local function rec(n) local ok, r = xpcall(rec, function(m) return rec(n) end, n + 1) return r end return pcall(rec, 1)",
    "local t = {} for i = 1, 10 do t[i] = i end local function cmp(a, b) table.sort({3, 2, 1}, cmp) return a < b end return pcall(table.sort, t, cmp)",
    "local function rec(n) return select(2, pcall(require, 'x' .. n)) end package.preload.x1 = function() return rec(1) end return pcall(rec, 1)",
];

fn run_all(engine: EngineKind) {
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let mut results = Vec::new();
            for src in PROGS {
                let (mut vm, _) = host::new_vm(&Options {
                    engine,
                    // Compile everything on its first call (JIT engine only).
                    jit_threshold: 0,
                    ..Options::default()
                });
                let f = host::load_source(&mut vm, src.as_bytes(), "=t").expect("compiles");
                // Each program catches its overflow and returns.
                let r = host::run_main(&mut vm, f, &[]).expect("the overflow is caught");
                results.push(match r.first() {
                    Some(Value::Int(n)) => Some(*n),
                    _ => None,
                });
                // The VM is reusable afterwards.
                let g = host::load_source(&mut vm, b"return 1 + 1", "=u").expect("compiles");
                let r = host::run_main(&mut vm, g, &[]).expect("runs");
                assert!(matches!(r.first(), Some(Value::Int(2))));
            }
            results
        })
        .expect("spawn");
    let results = h.join().expect("no panic");
    assert_eq!(results.len(), PROGS.len());
    // The pcall chain got deep before it overflowed.
    assert!(matches!(results[0], Some(n) if n > 50), "{:?}", results[0]);
}

#[test]
fn deep_reentry_is_safe_on_a_2mb_thread_stack_engine() {
    run_all(EngineKind::Stack);
}

#[test]
fn deep_reentry_is_safe_on_a_2mb_thread_register() {
    run_all(EngineKind::Register);
}

#[test]
fn deep_reentry_is_safe_on_a_2mb_thread_jit() {
    run_all(EngineKind::Jit);
}
