//! The stack engine: runs stack bytecode directly. It is the baseline engine and the
//! oracle the other engines are checked against, so it stays simple: a `match` on [`Op`]
//! in a tight loop, with the semantics of every operator in [`crate::runtime::ops`].
//!
//! Frame layout (see [`crate::runtime::vm`]): local slot `i` is `stack[base + i]`, operand
//! depth `d` is `stack[base + num_locals + d]`. The loop keeps `base`, the operand stack
//! pointer `sp` (an absolute stack index) and `pc` in Rust locals; they are indices, so a
//! reallocation of the stack by a call does not invalidate them. `frame.pc` holds the
//! index of the current instruction whenever something may raise an error or call out, so
//! positions, variable names and tracebacks can be recovered from it; the saved pc is a
//! stack pc, hence [`engine`]'s `stack_pc` is the identity.
//!
//! Lua-to-Lua calls push a frame and continue the same loop (no Rust recursion); `Return`
//! resumes the caller at the instruction after its call. Tail calls reuse the frame, so
//! unbounded tail recursion runs in constant space. Errors return `Err` with the frames
//! left as they were at the raise.
//!
//! Trust: the engine relies on the verifier's guarantees (operand depths within
//! `max_stack`, indices in range, packs consumed by the next instruction); unverified
//! bytecode must not reach it.

mod exec;

#[cfg(test)]
mod tests;

use crate::runtime::vm::{Engine, Frame, Vm};

fn stack_pc(_: &Vm, f: &Frame) -> u32 {
    f.pc
}

/// The stack engine, to install as `vm.engine`.
pub fn engine() -> Engine {
    Engine {
        name: "stack",
        exec: exec::exec,
        stack_pc,
    }
}
