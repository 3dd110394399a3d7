//! The register interpreter: runs the register code of `src/translate/`.
//!
//! Public surface: [`engine`], [`set_translate_options`], [`code_for`].
//!
//! **Translation is lazy**: a proc is translated on its first call (in the interpreter
//! loop, when its frame is entered) and the result is cached on the loaded proc
//! (`FnProto::ext.reg`). Procs never called are never translated. A translation failure
//! (e.g. more than 255 registers) raises a Lua error at that call.
//!
//! **Frames.** The frame layout is the stack engine's (`runtime::vm`): register `i` is
//! `stack[base + i]`; a call's register window overlaps the caller's argument registers;
//! Lua-to-Lua calls push a frame and continue in the same loop (no Rust recursion).
//! If the register code needs more registers than the stack proc's frame (`frame_size`
//! in the side table), the frame is grown when it is entered.
//!
//! **Saved pc.** `frame.pc` holds the register pc *to resume at* (the word after the
//! running instruction). It is saved before anything that can raise or call, so
//! [`Engine::stack_pc`](crate::runtime::vm::Engine) maps `pc - 1` through the side table
//! to the stack pc, and error messages use the stack bytecode's operand analysis.
//!
//! **GC.** Safepoints (`vm.gc_check`) come after `NewTable`, `Closure`, `Concat`,
//! `SetList`, and after every call returns; at each, every live value is in a register
//! below `stack.len()`.
//!
//! **Unsafe** (`exec.rs` only): register reads and writes without bounds checks, the
//! constants slice held outside the borrow of `vm`, and `Vec::set_len` after filling the
//! new slots. Soundness rests on [`registers_needed`]: `code_for` makes every frame big
//! enough for every register its code names, and the loop keeps the stack at least that
//! long (see the `exec` module documentation).

mod exec;
pub mod feedback;

// The JIT tier drives the interpreter loop through these.
#[cfg(feature = "jit")]
pub(crate) use exec::{run, Tier};

use std::cell::Cell;
use std::rc::Rc;

use crate::isa::RegCode;
use crate::runtime::function::FnProto;
use crate::runtime::vm::{Engine, Frame, FrameKind, Vm};
use crate::runtime::{GcRef, LuaError, Value};
use crate::translate::{translate_proto, TranslateOptions};

thread_local! {
    static OPTIONS: Cell<TranslateOptions> = const { Cell::new(TranslateOptions::ALL) };
}

/// The translation passes used for procs translated from now on, on this thread (for
/// research runs comparing passes; procs already translated keep their code).
pub fn set_translate_options(opts: TranslateOptions) {
    OPTIONS.with(|o| o.set(opts));
}

/// The translator options of this thread (see [`set_translate_options`]).
pub fn translate_options() -> TranslateOptions {
    OPTIONS.with(|o| o.get())
}

/// The register interpreter as an engine.
pub fn engine() -> Engine {
    Engine {
        name: "regvm",
        exec: exec::exec,
        stack_pc,
    }
}

pub(crate) fn stack_pc(vm: &Vm, f: &Frame) -> u32 {
    let FrameKind::Lua(c) = f.kind else {
        return 0;
    };
    let p = vm.heap.get(vm.heap.get(c).proto);
    match p.ext.reg.get() {
        Some(code) => code.stack_pc((f.pc as usize).saturating_sub(1)),
        None => 0,
    }
}

/// The register code of a loaded proc, translating it on first use.
pub fn code_for(vm: &mut Vm, proto: GcRef<FnProto>) -> Result<Rc<RegCode>, LuaError> {
    if let Some(c) = vm.heap.get(proto).ext.reg.get() {
        return Ok(c.clone());
    }
    let opts = OPTIONS.with(|o| o.get());
    let code = match translate_proto(&vm.heap.get(proto).bc, opts) {
        Ok(mut c) => {
            // The loop reads registers without bounds checks: the frame must cover every
            // register any word names (see `exec`), whatever the translator computed.
            let need = registers_needed(&c.code);
            match u16::try_from(need) {
                Ok(n) => c.frame_size = c.frame_size.max(n),
                Err(_) => return Err(vm.rt_error(crate::translate::TOO_MANY_REGISTERS)),
            }
            Rc::new(c)
        }
        Err(e) => return Err(vm.rt_error(&e.0)),
    };
    let p = vm.heap.get_mut(proto);
    if !code.extra_consts.is_empty() && p.consts.len() == p.bc.consts.len() {
        let mut consts = p.consts.to_vec();
        for c in &code.extra_consts {
            consts.push(match c {
                crate::bytecode::Constant::Int(i) => Value::Int(*i),
                crate::bytecode::Constant::Float(f) => Value::Float(*f),
                crate::bytecode::Constant::Bool(b) => Value::Bool(*b),
                // The translator only adds numbers.
                _ => Value::Nil,
            });
        }
        p.consts = consts.into_boxed_slice();
    }
    let _ = p.ext.reg.set(code.clone());
    Ok(code)
}

/// One more than the highest register any word of `code` reads or writes directly (its
/// `Reg` operands, plus the fixed windows `Self_` (A+1), `ForPrep`/`ForLoop` (A..A+3),
/// `TForCall` (A..A+6) and `TForLoop` (A+2, A+4) address). The interpreter accesses these
/// without bounds checks, so a frame is always at least this big. Variable ranges (calls,
/// returns, `LoadNil`, `Concat`, `SetList`, `VarArg`) are bounds-checked where used.
///
/// A superinstruction's second part runs the next word as that part whatever its opcode
/// byte says (the translator makes them agree), so that word is also counted as the part.
pub(crate) fn registers_needed(code: &[u32]) -> usize {
    use crate::isa::{fused_parts, get_field, opnum, Opcode, Reg};
    let mut max = 0usize;
    let as_second = code
        .iter()
        .zip(code.iter().skip(1))
        .filter_map(|(&w, &next)| {
            let (_, second) = Opcode::from_u8(w as u8).and_then(fused_parts)?;
            Some((next & !0xff) | second as u32)
        });
    for w in code.iter().copied().chain(as_second) {
        let Some(op) = Opcode::from_u8(w as u8) else {
            continue;
        };
        for f in op.info().fields {
            if f.ty == "Reg" {
                max = max.max(get_field::<Reg>(w, f.slot).0 as usize + 1);
            }
        }
        let a = crate::isa::raw::a(w);
        let extra = match w as u8 {
            opnum::Self_ => 1,
            opnum::ForPrep | opnum::ForLoop => 3,
            opnum::TForCall => 6,
            opnum::TForLoop => 4,
            _ => 0,
        };
        if extra > 0 {
            max = max.max(a + extra + 1);
        }
    }
    max
}

#[cfg(test)]
mod tests;
