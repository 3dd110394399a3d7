//! Shared helpers for the native tests: run a compiled function on a
//! register window held in a `Vec<Slot>`.

#![allow(dead_code)]

use apogee_jit::abi::{ExitCode, JitContext, Slot};
use apogee_jit::{CompiledFn, Function, Jit, JitOptions};

/// A JIT with the Cranelift verifier on.
pub fn jit() -> Jit {
    Jit::with_options(JitOptions {
        verify: true,
        optimize: true,
        promote: true,
    })
    .expect("host JIT")
}

/// A JIT with the verifier on and register promotion off: every register access goes
/// to the window (the reference the promoted code is compared with).
pub fn jit_unpromoted() -> Jit {
    Jit::with_options(JitOptions {
        verify: true,
        optimize: true,
        promote: false,
    })
    .expect("host JIT")
}

pub fn compile(jit: &mut Jit, f: &Function) -> CompiledFn {
    match jit.compile(f) {
        Ok(c) => c,
        Err(e) => panic!("compile failed: {e}\n{f}"),
    }
}

/// Runs `f` on `window` starting at entry `entry`; returns the decoded exit
/// code and the context afterwards.
pub fn run_with(
    f: &CompiledFn,
    window: &mut [Slot],
    entry: u32,
    max_depth: u32,
    fuel: i64,
    vm: *mut core::ffi::c_void,
) -> (ExitCode, JitContext) {
    let mut ctx = JitContext::new(window.as_mut_ptr().cast(), vm, max_depth, fuel);
    ctx.entry = entry;
    // SAFETY: the window is a live, exclusively borrowed slice of 16-byte,
    // 8-aligned slots; every test function only touches registers inside it
    // (tests size windows for their deepest call), the Jit outlives the call
    // (callers hold it), and helpers used by tests follow the contract.
    let raw = unsafe { f.call(&mut ctx) };
    (ExitCode::decode(raw).expect("valid exit code"), ctx)
}

pub fn run(f: &CompiledFn, window: &mut [Slot]) -> ExitCode {
    run_with(f, window, 0, 64, i64::MAX, core::ptr::null_mut()).0
}
