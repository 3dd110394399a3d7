//! The dispatch loop.
//!
//! **Decoding.** Each word is matched on its opcode byte ([`opnum`]) and only the fields
//! the op has are extracted ([`raw`]); no [`crate::isa::Instr`] is built.
//!
//! **Frame state in locals.** `base`, `pc`, the code words (an `Rc` of the proc's register
//! code, held for the frame) and the constants stay in locals while a frame runs; they
//! are reloaded when a frame is entered or resumed (`continue 'frame`).
//!
//! **Unsafe.** This module is one of the few allowed `unsafe` (see the crate README):
//! - register reads and writes (`r!`, `set!`) skip bounds checks: every register operand
//!   is below the code's `frame_size` ([`super::registers_needed`], enforced by
//!   [`super::code_for`]), and `vm.stack.len() >= base + frame_size` holds at frame
//!   entry and is re-established (`ensure!`) after every call that may run other code;
//! - the constants are read through a slice borrowed from the proc outside the borrow
//!   checker's view of `vm` (see the `SAFETY` comment at `consts`).
#![allow(unsafe_code)]

use crate::bytecode::{ArithOp, UnOp, MULTI};
use crate::isa::RegCode;
use crate::isa::{opnum, raw};
use std::rc::Rc;

use super::feedback::Feedback;
use crate::runtime::function::{FnProto, LuaClosure};
use crate::runtime::instr::{
    line_event_due, HookEvent, OpKind, Plain, Probe, Probed, MASK_COUNT, MASK_LINE, NO_OP,
};
use crate::runtime::table::Table;
use crate::runtime::vm::{Frame, FrameKind, Vm, FRAME_ENTRY, FRAME_TAIL};
use crate::runtime::{number, ops};
use crate::runtime::{GcRef, LuaError, Value};

/// Integer and float fast paths of the binary operators; `None` sends the operation to
/// `ops::arith` (the shared semantics, which also produce the error messages).
#[inline(always)]
fn arith_fast(op: ArithOp, x: &Value, y: &Value) -> Option<Value> {
    use ArithOp::*;
    // Matching on references reads each operand's tag and payload separately, rather
    // than copying whole values (which can stall on a value just written in parts).
    match (x, y) {
        (&Value::Float(a), &Value::Float(b)) => float_op(op, a, b),
        (&Value::Int(a), &Value::Int(b)) => match op {
            Add => Some(Value::Int(a.wrapping_add(b))),
            Sub => Some(Value::Int(a.wrapping_sub(b))),
            Mul => Some(Value::Int(a.wrapping_mul(b))),
            BAnd => Some(Value::Int(a & b)),
            BOr => Some(Value::Int(a | b)),
            BXor => Some(Value::Int(a ^ b)),
            Div => Some(Value::Float(a as f64 / b as f64)),
            Mod if b != 0 => Some(Value::Int(number::int_mod(a, b))),
            IDiv if b != 0 => Some(Value::Int(number::int_floor_div(a, b))),
            Pow => Some(Value::Float(number::float_pow(a as f64, b as f64))),
            Shl => Some(Value::Int(number::shift_left(a, b))),
            Shr => Some(Value::Int(number::shift_right(a, b))),
            _ => None,
        },
        (&Value::Int(a), &Value::Float(b)) => float_op(op, a as f64, b),
        (&Value::Float(a), &Value::Int(b)) => float_op(op, a, b as f64),
        _ => None,
    }
}

#[inline(always)]
fn float_op(op: ArithOp, a: f64, b: f64) -> Option<Value> {
    match op {
        ArithOp::Add => Some(Value::Float(a + b)),
        ArithOp::Sub => Some(Value::Float(a - b)),
        ArithOp::Mul => Some(Value::Float(a * b)),
        ArithOp::Div => Some(Value::Float(a / b)),
        ArithOp::Mod => Some(Value::Float(number::float_mod(a, b))),
        ArithOp::IDiv => Some(Value::Float(number::float_floor_div(a, b))),
        ArithOp::Pow => Some(Value::Float(number::float_pow(a, b))),
        _ => None,
    }
}

#[inline(always)]
fn lt_fast(x: &Value, y: &Value) -> Option<bool> {
    match (x, y) {
        (&Value::Int(a), &Value::Int(b)) => Some(a < b),
        (&Value::Float(a), &Value::Float(b)) => Some(a < b),
        _ => None,
    }
}

#[inline(always)]
fn le_fast(x: &Value, y: &Value) -> Option<bool> {
    match (x, y) {
        (&Value::Int(a), &Value::Int(b)) => Some(a <= b),
        (&Value::Float(a), &Value::Float(b)) => Some(a <= b),
        _ => None,
    }
}

fn internal(vm: &mut Vm, what: &str) -> LuaError {
    vm.rt_error(&format!(
        "internal error in the register interpreter: {what}"
    ))
}

/// Hooks of a tier above the interpreter (the JIT). The plain register engine uses
/// [`NoTier`], whose `PROFILE` is false: every hook call sits behind `if T::PROFILE`, so
/// its loop contains no profiling code at all.
pub(crate) trait Tier {
    const PROFILE: bool;
    /// Called when a frame is entered or resumed at register pc `pc` (its window is
    /// allocated); may run native code and returns the pc to continue interpreting at.
    fn enter(vm: &mut Vm, fi: usize, pc: usize) -> Result<usize, LuaError>;
    /// Called on a taken back edge to `target`; true asks the loop to go through
    /// [`Tier::enter`] at `target` (an OSR entry).
    fn back_edge(vm: &mut Vm, fi: usize, target: usize) -> bool;
    /// Where a frame of `proto` (with `words` words of register code) records type
    /// feedback (`super::feedback`), if this tier wants it.
    fn feedback(vm: &Vm, proto: GcRef<FnProto>, words: usize) -> Option<Rc<Feedback>>;
}

/// No tier: the plain register interpreter.
pub(crate) struct NoTier;

impl Tier for NoTier {
    const PROFILE: bool = false;
    #[inline(always)]
    fn enter(_: &mut Vm, _: usize, pc: usize) -> Result<usize, LuaError> {
        Ok(pc)
    }
    #[inline(always)]
    fn back_edge(_: &mut Vm, _: usize, _: usize) -> bool {
        false
    }
    #[inline(always)]
    fn feedback(_: &Vm, _: GcRef<FnProto>, _: usize) -> Option<Rc<Feedback>> {
        None
    }
}

/// A copy of `*v` that, for integers and floats, reads the tag byte and then the payload,
/// rather than all 16 bytes at once: a value just written as a tag and a payload (every
/// computed scalar) cannot be forwarded to a 16-byte load, which then stalls.
#[inline(always)]
#[allow(clippy::needless_match)] // the point is how the copy is done, not what it yields
fn copy_by_parts(v: &Value) -> Value {
    match *v {
        Value::Int(i) => Value::Int(i),
        Value::Float(f) => Value::Float(f),
        other => other,
    }
}

/// `vm.stack.len() >= limit`, growing the stack if needed.
#[inline(always)]
fn ensure_len(vm: &mut Vm, limit: usize) {
    if vm.stack.len() < limit {
        grow(vm, limit);
    }
}

/// Grows the stack back to `limit` (the running frame's register window).
#[cold]
#[inline(never)]
fn grow(vm: &mut Vm, limit: usize) {
    vm.stack.resize(limit, Value::Nil);
}

/// Saves the resume pc in the running frame (before anything that may raise or call).
#[inline(always)]
fn save_pc(vm: &mut Vm, pc: usize) {
    if let Some(f) = vm.frames.last_mut() {
        f.pc = pc as u32;
    }
}

// The slow paths below share one shape (save the pc, call the runtime's operator, regrow
// the register window). They stay separate cold functions on purpose: folding them into one
// generic function taking a closure was measured 3-10% slower on the register engine
// (fib, mandelbrot, nbody; user CPU, interleaved runs), the dispatch loop's code shifting.

/// The slow path of an arithmetic instruction: coercions, metamethods, errors.
#[cold]
#[inline(never)]
fn arith_slow(
    vm: &mut Vm,
    pc: usize,
    limit: usize,
    op: ArithOp,
    x: Value,
    y: Value,
) -> Result<Value, LuaError> {
    // lua5.4 reports integer division by zero at a stale pc (see `ops`).
    if !ops::is_int_division_by_zero(op, x, y) {
        save_pc(vm, pc);
    }
    let v = ops::arith(vm, op, x, y)?;
    if vm.stack.len() < limit {
        grow(vm, limit);
    }
    Ok(v)
}

/// The slow path of `<` / `<=`.
#[cold]
#[inline(never)]
fn compare_slow(
    vm: &mut Vm,
    pc: usize,
    limit: usize,
    le: bool,
    x: Value,
    y: Value,
) -> Result<bool, LuaError> {
    save_pc(vm, pc);
    let b = if le {
        ops::less_equal(vm, x, y)?
    } else {
        ops::less_than(vm, x, y)?
    };
    if vm.stack.len() < limit {
        grow(vm, limit);
    }
    Ok(b)
}

/// The slow path of `==`.
#[cold]
#[inline(never)]
fn equals_slow(vm: &mut Vm, pc: usize, limit: usize, x: Value, y: Value) -> Result<bool, LuaError> {
    save_pc(vm, pc);
    let b = ops::equals(vm, x, y)?;
    if vm.stack.len() < limit {
        grow(vm, limit);
    }
    Ok(b)
}

/// The slow path of an indexing read.
#[cold]
#[inline(never)]
fn index_slow(
    vm: &mut Vm,
    pc: usize,
    limit: usize,
    obj: Value,
    key: Value,
) -> Result<Value, LuaError> {
    save_pc(vm, pc);
    let v = ops::index(vm, obj, key)?;
    if vm.stack.len() < limit {
        grow(vm, limit);
    }
    Ok(v)
}

/// The slow path of an indexing write.
#[cold]
#[inline(never)]
fn set_index_slow(
    vm: &mut Vm,
    pc: usize,
    limit: usize,
    obj: Value,
    key: Value,
    val: Value,
) -> Result<(), LuaError> {
    save_pc(vm, pc);
    ops::set_index(vm, obj, key, val)?;
    if vm.stack.len() < limit {
        grow(vm, limit);
    }
    Ok(())
}

/// Returns `n` values from `first` to the caller of the top frame (`vm.postcall`).
#[inline(never)]
fn return_slow<P: Probe>(vm: &mut Vm, base: usize, first: usize, n: usize) -> Result<(), LuaError> {
    if !vm.open_upvals.is_empty() {
        vm.close_upvals(base);
    }
    if vm.tbc_pending(base) {
        // lua5.4 closes after the results are computed; they stay below the stack top
        // while the `__close` metamethods run (the frame's pc is saved).
        if vm.stack.len() < first + n {
            vm.stack.resize(first + n, Value::Nil);
        }
        vm.close_tbc(base)?;
    }
    // The return hook runs after the closing, with the frame still in place (lua5.4's
    // `OP_RETURN` closes, then `luaD_poscall` calls `rethook`).
    if P::ON {
        if vm.stack.len() < first + n {
            vm.stack.resize(first + n, Value::Nil);
        }
        vm.hook_return()?;
    }
    let Some(f) = vm.frames.pop() else {
        return Err(internal(vm, "no frame to return from"));
    };
    vm.postcall(f.func, first, n, f.nresults);
    Ok(())
}

/// Closes the open upvalues at `base` and above, if any (cheap when there are none).
#[inline(always)]
fn close_frame_upvals(vm: &mut Vm, base: usize) {
    if let Some(&u) = vm.open_upvals.last() {
        if matches!(*vm.heap.get(u), crate::runtime::function::UpVal::Open(i) if i >= base) {
            vm.close_upvals(base);
        }
    }
}

/// `R[A], ..., R[A+B] := nil`.
#[inline(never)]
fn load_nil(vm: &mut Vm, from: usize, b: usize) -> Result<(), LuaError> {
    match vm.stack.get_mut(from..=from + b) {
        Some(regs) => {
            regs.fill(Value::Nil);
            Ok(())
        }
        None => Err(internal(vm, "LoadNil out of the frame")),
    }
}

/// `NewTable`: a table with the size hints, in `stack[at]`, then a safepoint.
#[inline(never)]
fn new_table(vm: &mut Vm, at: usize, nhash: usize, narr: usize) -> Result<(), LuaError> {
    let t = vm.heap.alloc(Table::with_capacity(narr, nhash));
    vm.stack[at] = Value::Table(t);
    vm.safepoint()
}

/// `Concat`: `stack[at] := stack[at] .. ... .. stack[at+n-1]`, then a safepoint.
#[inline(never)]
fn concat(vm: &mut Vm, at: usize, n: usize) -> Result<(), LuaError> {
    let vals: Vec<Value> = vm.stack[at..at + n].to_vec();
    let v = ops::concat(vm, &vals)?;
    vm.stack[at] = v;
    vm.safepoint()
}

/// `SetList`: stores `stack[t+1..]` (B values, or up to the pack end) into the table at
/// `stack[t]` from index `first`, then a safepoint.
#[inline(never)]
fn set_list(vm: &mut Vm, t: usize, b: usize, first: i64) -> Result<(), LuaError> {
    let end = if b == 0 {
        vm.pack_end.max(t + 1)
    } else {
        t + 1 + b
    };
    let Value::Table(tr) = vm.stack[t] else {
        return Err(internal(vm, "SetList on a non-table"));
    };
    let Vm { heap, stack, .. } = &mut *vm;
    let grew = heap.get_mut(tr).set_list(first, &stack[t + 1..end]);
    heap.note_growth(grew);
    vm.safepoint()
}

/// `Closure`: `R[A] := closure(P[Bx])`, then a safepoint.
#[inline(never)]
fn closure(
    vm: &mut Vm,
    cl: GcRef<LuaClosure>,
    base: usize,
    a: usize,
    bx: usize,
) -> Result<(), LuaError> {
    let proto = vm.heap.get(cl).proto;
    if bx >= vm.heap.get(proto).children.len() {
        return Err(internal(vm, "bad child proc index"));
    }
    let v = vm.new_closure(cl, bx, base);
    vm.stack[base + a] = v;
    vm.safepoint()
}

/// `VarArg`: copies the frame's extra arguments to `R[A]...` (C - 1 of them, or all as a
/// pack when C = 0).
#[inline(never)]
fn var_arg(vm: &mut Vm, fi: usize, base: usize, a: usize, c: usize) -> Result<(), LuaError> {
    let nv = vm.frames[fi].nvarargs as usize;
    let from = base - 1 - nv;
    let to = base + a;
    let n = if c == 0 { nv } else { c - 1 };
    if vm.stack.len() < to + n {
        vm.check_stack(to + n)?;
        vm.stack.resize(to + n, Value::Nil);
    }
    for i in 0..n {
        vm.stack[to + i] = if i < nv {
            vm.stack[from + i]
        } else {
            Value::Nil
        };
    }
    if c == 0 {
        vm.pack_end = to + n;
    }
    Ok(())
}

/// `ForPrep` on `stack[s..s+4]`; false when the loop runs no iteration.
#[inline(never)]
fn for_prep(vm: &mut Vm, s: usize) -> Result<bool, LuaError> {
    let mut slots = [vm.stack[s], vm.stack[s + 1], vm.stack[s + 2], Value::Nil];
    let go = ops::for_prep(vm, &mut slots)?;
    vm.stack[s..s + 4].copy_from_slice(&slots);
    Ok(go)
}

/// The general step of a `ForLoop` on `stack[s..s+4]` (floats, or an integer loop's last
/// step); true when the loop goes on.
#[cold]
#[inline(never)]
fn for_step_slow(vm: &mut Vm, s: usize) -> bool {
    let mut slots = [
        vm.stack[s],
        vm.stack[s + 1],
        vm.stack[s + 2],
        vm.stack[s + 3],
    ];
    let go = ops::for_step(&mut slots);
    if go {
        vm.stack[s..s + 4].copy_from_slice(&slots);
    }
    go
}

/// Runs Lua frames until the frame at index `entry` returns (see `runtime::vm::Engine`).
pub fn exec(vm: &mut Vm, entry: usize) -> Result<(), LuaError> {
    run::<NoTier>(vm, entry)
}

/// The interpreter loop with the hooks of tier `T`: the plain loop, or the instrumented
/// one while `vm.instr` is active (see `runtime::instr`). A loop that finds the flag
/// changed saves its pc in the top frame and returns; the other loop goes on from there.
pub(crate) fn run<T: Tier>(vm: &mut Vm, entry: usize) -> Result<(), LuaError> {
    loop {
        let done = if vm.instr.active {
            run_counted::<T, Probed>(vm, entry)?
        } else {
            run_counted::<T, Plain>(vm, entry)?
        };
        if done {
            return Ok(());
        }
    }
}

/// One stretch of [`run_frames`], its instruction count kept in a local (a register in
/// the loop) and added once on the way out.
#[inline(never)]
fn run_counted<T: Tier, P: Probe>(vm: &mut Vm, entry: usize) -> Result<bool, LuaError> {
    let mut count = 0u64;
    let r = run_frames::<T, P>(vm, entry, &mut count);
    vm.counters.instructions += count;
    r
}

/// What a register instruction counts as in the dynamic counters (`runtime::instr`).
fn op_kind(op: u8) -> OpKind {
    match op {
        // A superinstruction counts what its parts count (`isa::fused`).
        opnum::Move => OpKind::Move,
        opnum::MoveMove => OpKind::TwoMoves,
        opnum::AddLoadK => OpKind::ConstLoad,
        opnum::LoadI
        | opnum::LoadF
        | opnum::LoadK
        | opnum::LoadKx
        | opnum::LoadFalse
        | opnum::LoadTrue
        | opnum::LoadNil => OpKind::ConstLoad,
        _ => OpKind::Other,
    }
}

/// The instrumented part of dispatching word `w` at register pc `pc` of frame `fi` (the
/// top frame): budget, counters, count and line hooks. `old` is the frame's last traced
/// pc and its line; `prev` the opcode dispatched before (for pairs). Keeps the stack
/// length.
#[inline(never)]
fn probe(
    vm: &mut Vm,
    fi: usize,
    code: &RegCode,
    pc: usize,
    w: u32,
    old: &mut Option<(usize, u32)>,
    prev: &mut u16,
) -> Result<(), LuaError> {
    let op = raw::op(w);
    vm.count_op(op, prev, op_kind(op));
    // The saved pc is current while the budget error or a hook needs it, and restored
    // after: errors that keep a stale pc (`arith_slow`) must not change under hooks.
    let saved = vm.frames[fi].pc;
    vm.frames[fi].pc = (pc + 1) as u32;
    vm.charge_instruction()?;
    let r = probe_hooks(vm, code, pc, old);
    vm.frames[fi].pc = saved;
    r
}

/// The count and line hooks of [`probe`].
#[inline(always)]
fn probe_hooks(
    vm: &mut Vm,
    code: &RegCode,
    pc: usize,
    old: &mut Option<(usize, u32)>,
) -> Result<(), LuaError> {
    let mask = vm.instr.hook.mask;
    if mask & (MASK_LINE | MASK_COUNT) == 0 {
        return Ok(());
    }
    if vm.count_tick() {
        vm.call_hook(HookEvent::Count, None)?;
    }
    let line = code.lines.get(pc).copied().unwrap_or(0);
    if line_event_due(*old, pc, line) && vm.hook_on(MASK_LINE) {
        vm.call_hook(HookEvent::Line, Some(line))?;
    }
    *old = Some((pc, line));
    Ok(())
}

/// Pushes the frame of a call of Lua closure `c` (at `stack[func]`, `nargs` arguments)
/// when the quick path applies: a fixed-parameter proc whose register code exists. The
/// outcome is `vm.precall`'s for the same call, with the frame already sized for the
/// register code. `Ok(false)`: not handled, use `vm.precall`.
#[inline(always)]
fn push_lua_frame(
    vm: &mut Vm,
    c: GcRef<LuaClosure>,
    func: usize,
    nargs: usize,
    nresults: u8,
) -> Result<bool, LuaError> {
    let p = vm.heap.get(vm.heap.get(c).proto);
    if p.bc.is_vararg {
        return Ok(false);
    }
    let Some(code) = p.ext.reg.get() else {
        return Ok(false);
    };
    let nparams = p.bc.num_params as usize;
    let size = (code.frame_size as usize).max(p.frame_size());
    p.calls.set(p.calls.get().wrapping_add(1));
    let base = func + 1;
    let top = base + size;
    vm.check_stack(top)?;
    set_len(&mut vm.stack, top);
    if nargs < nparams {
        for v in &mut vm.stack[base + nargs..base + nparams] {
            *v = Value::Nil;
        }
    }
    vm.frames.push(Frame {
        kind: FrameKind::Lua(c),
        func,
        base,
        top,
        pc: 0,
        nresults,
        nvarargs: 0,
        flags: 0,
    });
    vm.counters.calls += 1;
    Ok(true)
}

/// `stack.resize(n, Nil)`, inlined for the call and return paths.
#[inline(always)]
fn set_len(stack: &mut Vec<Value>, n: usize) {
    let len = stack.len();
    if n <= len {
        stack.truncate(n);
    } else {
        stack.reserve(n - len);
        for slot in &mut stack.spare_capacity_mut()[..n - len] {
            slot.write(Value::Nil);
        }
        // SAFETY: `reserve` made room for `n` values and the loop above initialised the
        // `n - len` slots past the old length.
        unsafe { stack.set_len(n) };
    }
}

/// The loop proper: true when the entry frame returned, false when `vm.instr.active` no
/// longer matches `P` (checked when a frame is entered or resumed and after native calls;
/// the top frame's pc is then saved).
#[inline(always)]
fn run_frames<T: Tier, P: Probe>(
    vm: &mut Vm,
    entry: usize,
    count: &mut u64,
) -> Result<bool, LuaError> {
    'frame: loop {
        if P::ON != vm.instr.active {
            return Ok(false);
        }
        let Some(fi) = vm.frames.len().checked_sub(1) else {
            return Err(internal(vm, "no frame to run"));
        };
        let frame = vm.frames[fi];
        let FrameKind::Lua(cl) = frame.kind else {
            return Err(internal(vm, "native frame on top"));
        };
        let proto = vm.heap.get(cl).proto;
        let code = match vm.heap.get(proto).ext.reg.get() {
            Some(c) => c.clone(),
            None => super::code_for(vm, proto)?,
        };
        let base = frame.base;
        // Registers are `stack[base..limit]`.
        let limit = base + code.frame_size as usize;
        if limit > frame.top {
            vm.check_stack(limit)?;
            vm.frames[fi].top = limit;
        }
        if vm.stack.len() < limit {
            vm.stack.resize(limit, Value::Nil);
        }
        let mut pc = frame.pc as usize;
        // Instrumented: the last traced pc and line (line hook) and opcode (pairs).
        let mut old: Option<(usize, u32)> = None;
        let mut prev = NO_OP;
        if P::ON {
            if pc == 0 {
                vm.hook_enter(frame.flags & FRAME_TAIL != 0)?;
                ensure_len(vm, limit);
            } else {
                // Resumed after the call at `pc - 1`: that was the last traced instruction.
                old = Some((pc - 1, code.lines.get(pc - 1).copied().unwrap_or(0)));
            }
        }
        // No native code under hooks or a budget (`Tier::enter` checks that too).
        if T::PROFILE && !(P::ON && vm.instr.interpret_only) {
            pc = T::enter(vm, fi, pc)?;
            if P::ON != vm.instr.active {
                // Switched on while native code ran: go on instrumented.
                vm.frames[fi].pc = pc as u32;
                return Ok(false);
            }
            if vm.stack.len() < limit {
                vm.stack.resize(limit, Value::Nil);
            }
        }
        let words: &[u32] = &code.code;
        let consts: &[Value] = {
            let k: *const [Value] = &*vm.heap.get(proto).consts;
            // SAFETY: the proc is reachable from this frame's closure (frames are GC roots)
            // until the frame is popped, after which this slice is no longer used (every
            // exit from the frame leaves this iteration of 'frame). Its `consts` box is
            // replaced only by `code_for`, before the proc's register code exists, which
            // it does here; nothing else writes it. So the slice stays valid and unchanged.
            unsafe { &*k }
        };

        // Type feedback for the JIT (none for the plain engine: every use is behind
        // `T::PROFILE`). Sites are noted at `pc - 1`, the word being executed.
        let fb = if T::PROFILE {
            T::feedback(vm, proto, words.len())
        } else {
            None
        };
        macro_rules! note {
            ($how:ident, $($v:expr),+) => {
                if T::PROFILE {
                    if let Some(f) = &fb {
                        f.$how(pc - 1, $($v),+);
                    }
                }
            };
        }

        // Re-establishes `vm.stack.len() >= limit` after a call that may have run other
        // code (natives, and later metamethods): the condition for `r!`/`set!`.
        macro_rules! ensure {
            () => {
                if vm.stack.len() < limit {
                    grow(vm, limit);
                }
            };
        }
        macro_rules! r {
            ($i:expr) => {{
                let i: usize = $i;
                debug_assert!(base + i < vm.stack.len());
                // SAFETY: `i` is a register operand of this proc's code (or a fixed offset
                // from one listed in `registers_needed`), so `i < frame_size` and
                // `base + i < limit <= vm.stack.len()` (module documentation).
                unsafe { *vm.stack.get_unchecked(base + i) }
            }};
        }
        // A register by reference (read in place; see `arith_fast`). The reference must
        // not be used after anything that takes `vm` mutably.
        macro_rules! rr {
            ($i:expr) => {{
                let i: usize = $i;
                debug_assert!(base + i < vm.stack.len());
                // SAFETY: in bounds as in `r!`; callers copy out what they need before
                // using `vm` mutably again, so no `&mut` aliases the reference.
                unsafe { &*vm.stack.as_ptr().add(base + i) }
            }};
        }
        macro_rules! set {
            ($i:expr, $v:expr) => {{
                let v: Value = $v;
                let i: usize = $i;
                debug_assert!(base + i < vm.stack.len());
                // SAFETY: as in `r!`.
                unsafe {
                    *vm.stack.get_unchecked_mut(base + i) = v;
                }
            }};
        }
        macro_rules! k {
            ($k:expr) => {
                consts[$k]
            };
        }
        macro_rules! save {
            () => {
                save_pc(vm, pc)
            };
        }
        macro_rules! next_word {
            () => {{
                let Some(&w) = words.get(pc) else {
                    return Err(internal(vm, "missing extra word"));
                };
                pc += 1;
                w
            }};
        }
        macro_rules! jump {
            ($off:expr) => {
                pc = pc.wrapping_add_signed($off)
            };
        }
        // A conditional's pair: take the following `Jmp` when `cond == k`, else skip it.
        macro_rules! cond_jump {
            ($cond:expr, $w:expr) => {{
                if $cond == raw::k($w) {
                    let j = next_word!();
                    jump!(raw::sj(j));
                } else {
                    pc += 1;
                }
            }};
        }
        macro_rules! arith {
            ($op:expr, $a:expr, $x:expr, $y:expr) => {{
                let (x, y): (&Value, &Value) = ($x, $y);
                note!(pair, x, y);
                let v = match arith_fast($op, x, y) {
                    Some(v) => v,
                    None => {
                        let (x, y) = (*x, *y);
                        arith_slow(vm, pc, limit, $op, x, y)?
                    }
                };
                set!($a, v);
            }};
        }
        // Operands by reference (see `arith_fast`).
        macro_rules! get_index {
            ($a:expr, $obj:expr, $key:expr) => {{
                let (obj, key): (&Value, &Value) = ($obj, $key);
                let fast = match (obj, key) {
                    (&Value::Table(t), &Value::Int(i)) => {
                        let tb = vm.heap.get(t);
                        let v = tb.get_int(i);
                        (!v.is_nil() || tb.meta.is_none()).then_some(v)
                    }
                    (&Value::Table(t), &Value::Str(s)) => {
                        let tb = vm.heap.get(t);
                        let v = tb.get_str(s);
                        (!v.is_nil() || tb.meta.is_none()).then_some(v)
                    }
                    _ => None,
                };
                let v = match fast {
                    Some(v) => v,
                    None => {
                        let (obj, key) = (*obj, *key);
                        index_slow(vm, pc, limit, obj, key)?
                    }
                };
                note!(one, &v);
                set!($a, v);
            }};
        }
        macro_rules! set_index {
            ($obj:expr, $key:expr, $val:expr) => {{
                let (obj, key, val): (&Value, &Value, Value) = ($obj, $key, $val);
                let mut done = false;
                let mut oom_check = false;
                if let &Value::Table(t) = obj {
                    let tb = vm.heap.get_mut(t);
                    if tb.meta.is_none() {
                        match key {
                            &Value::Int(i) => {
                                let grew = tb.set_int(i, val);
                                if grew != 0 {
                                    vm.heap.note_growth(grew);
                                    oom_check = true;
                                }
                                done = true;
                            }
                            &Value::Str(s) => {
                                let grew = tb.set(Value::Str(s), val).unwrap_or(0);
                                if grew != 0 {
                                    vm.heap.note_growth(grew);
                                    oom_check = true;
                                }
                                done = true;
                            }
                            _ => {}
                        }
                    }
                }
                if !done {
                    let (obj, key) = (*obj, *key);
                    set_index_slow(vm, pc, limit, obj, key, val)?;
                } else if oom_check && vm.heap.over_limit() {
                    // A growing table is this loop's only allocation: past the memory
                    // limit, collect and raise "not enough memory" here.
                    vm.safepoint()?;
                }
            }};
        }
        macro_rules! compare {
            ($fast:ident, $le:expr, $x:expr, $y:expr) => {{
                let (x, y): (&Value, &Value) = ($x, $y);
                note!(pair, x, y);
                match $fast(x, y) {
                    Some(b) => b,
                    None => {
                        let (x, y) = (*x, *y);
                        compare_slow(vm, pc, limit, $le, x, y)?
                    }
                }
            }};
        }
        // `ForLoop` word `w`, alone or as the second part of a superinstruction (`pc` is
        // past it).
        macro_rules! for_loop {
            ($w:expr) => {{
                let w: u32 = $w;
                let a = raw::a(w);
                if let (&Value::Int(idx), &Value::Int(n), &Value::Int(step)) =
                    (rr!(a), rr!(a + 1), rr!(a + 2))
                {
                    if n != 0 {
                        let i = idx.wrapping_add(step);
                        set!(a, Value::Int(i));
                        set!(a + 1, Value::Int((n as u64 - 1) as i64));
                        set!(a + 3, Value::Int(i));
                        jump!(raw::sbx(w));
                        if T::PROFILE
                            && !(P::ON && vm.instr.interpret_only)
                            && T::back_edge(vm, fi, pc)
                        {
                            vm.frames[fi].pc = pc as u32;
                            continue 'frame;
                        }
                    }
                } else if for_step_slow(vm, base + a) {
                    jump!(raw::sbx(w));
                }
            }};
        }
        // Returns `n` values from `first` to the caller; continues with the caller's frame.
        macro_rules! do_return {
            ($first:expr, $n:expr) => {{
                if P::ON || vm.tbc_pending(base) {
                    save!();
                }
                return_slow::<P>(vm, base, $first, $n)?;
                if fi == entry {
                    return Ok(true);
                }
                vm.safepoint()?;
                continue 'frame;
            }};
        }

        loop {
            let Some(&w) = words.get(pc) else {
                return Err(internal(vm, "pc out of range"));
            };
            // With line or count hooks, a superinstruction runs as its first part, so that
            // its second word is dispatched (and hooked) on its own (`isa::fused`).
            let w = if P::ON {
                probe(vm, fi, &code, pc, w, &mut old, &mut prev)?;
                ensure!();
                if vm.instr.hook.mask & (MASK_LINE | MASK_COUNT) != 0 {
                    crate::isa::unfuse_word(w)
                } else {
                    w
                }
            } else {
                w
            };
            pc += 1;
            *count += 1;
            let a = raw::a(w);
            match raw::op(w) {
                opnum::Move => set!(a, r!(raw::b(w))),
                opnum::LoadI => set!(a, Value::Int(raw::sbx(w) as i64)),
                opnum::LoadF => set!(a, Value::Float(raw::sbx(w) as f64)),
                opnum::LoadK => set!(a, k!(raw::bx(w))),
                opnum::LoadKx => {
                    let x = next_word!();
                    set!(a, k!(raw::ax(x) as usize));
                }
                opnum::LoadFalse => set!(a, Value::Bool(false)),
                opnum::LoadTrue => set!(a, Value::Bool(true)),
                opnum::LoadNil => load_nil(vm, base + a, raw::b(w))?,
                opnum::GetUpval => {
                    let u = vm.heap.get(cl).upvals[raw::b(w)];
                    set!(a, vm.upval_get(u));
                }
                opnum::SetUpval => {
                    let u = vm.heap.get(cl).upvals[raw::b(w)];
                    let v = r!(a);
                    vm.upval_set(u, v);
                }
                opnum::GetTabUp => {
                    let u = vm.heap.get(cl).upvals[raw::b(w)];
                    let t = vm.upval_get(u);
                    get_index!(a, &t, &k!(raw::c(w)));
                }
                opnum::SetTabUp => {
                    let u = vm.heap.get(cl).upvals[a];
                    let t = vm.upval_get(u);
                    set_index!(&t, &k!(raw::b(w)), r!(raw::c(w)));
                }
                opnum::GetTable => get_index!(a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::GetI => get_index!(a, rr!(raw::b(w)), &Value::Int(raw::c(w) as i64)),
                opnum::GetField => get_index!(a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::SetTable => set_index!(rr!(a), rr!(raw::b(w)), r!(raw::c(w))),
                opnum::SetI => set_index!(rr!(a), &Value::Int(raw::b(w) as i64), r!(raw::c(w))),
                opnum::SetField => set_index!(rr!(a), &k!(raw::b(w)), r!(raw::c(w))),
                opnum::NewTable => {
                    let x = next_word!();
                    new_table(
                        vm,
                        base + a,
                        raw::b(w),
                        raw::c(w) + ((raw::ax(x) as usize) << 8),
                    )?;
                }
                opnum::Self_ => {
                    let obj = r!(raw::b(w));
                    set!(a + 1, obj);
                    get_index!(a, &obj, &k!(raw::c(w)));
                }
                opnum::Add => arith!(ArithOp::Add, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::Sub => arith!(ArithOp::Sub, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::Mul => arith!(ArithOp::Mul, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::Mod => arith!(ArithOp::Mod, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::Pow => arith!(ArithOp::Pow, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::Div => arith!(ArithOp::Div, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::IDiv => arith!(ArithOp::IDiv, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::BAnd => arith!(ArithOp::BAnd, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::BOr => arith!(ArithOp::BOr, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::BXor => arith!(ArithOp::BXor, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::Shl => arith!(ArithOp::Shl, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::Shr => arith!(ArithOp::Shr, a, rr!(raw::b(w)), rr!(raw::c(w))),
                opnum::AddK => arith!(ArithOp::Add, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::SubK => arith!(ArithOp::Sub, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::MulK => arith!(ArithOp::Mul, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::ModK => arith!(ArithOp::Mod, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::PowK => arith!(ArithOp::Pow, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::DivK => arith!(ArithOp::Div, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::IDivK => arith!(ArithOp::IDiv, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::BAndK => arith!(ArithOp::BAnd, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::BOrK => arith!(ArithOp::BOr, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::BXorK => arith!(ArithOp::BXor, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::ShlK => arith!(ArithOp::Shl, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::ShrK => arith!(ArithOp::Shr, a, rr!(raw::b(w)), &k!(raw::c(w))),
                opnum::AddI => arith!(ArithOp::Add, a, rr!(raw::b(w)), &Value::Int(raw::sc(w))),
                opnum::Unm => {
                    let v = r!(raw::b(w));
                    note!(one, &v);
                    let res = match v {
                        Value::Int(i) => Value::Int(i.wrapping_neg()),
                        Value::Float(f) => Value::Float(-f),
                        _ => {
                            save!();
                            let v = ops::unary(vm, UnOp::Unm, v)?;
                            ensure!();
                            v
                        }
                    };
                    set!(a, res);
                }
                opnum::BNot => {
                    let v = r!(raw::b(w));
                    let res = match v {
                        Value::Int(i) => Value::Int(!i),
                        _ => {
                            save!();
                            let v = ops::unary(vm, UnOp::BNot, v)?;
                            ensure!();
                            v
                        }
                    };
                    set!(a, res);
                }
                opnum::Not => set!(a, Value::Bool(!rr!(raw::b(w)).truthy())),
                opnum::Len => {
                    let v = r!(raw::b(w));
                    let fast = match v {
                        Value::Str(s) => Some(Value::Int(vm.heap.get(s).len() as i64)),
                        Value::Table(t) => {
                            let tb = vm.heap.get(t);
                            tb.meta.is_none().then(|| Value::Int(tb.len()))
                        }
                        _ => None,
                    };
                    let res = match fast {
                        Some(v) => v,
                        None => {
                            save!();
                            let v = ops::len(vm, v)?;
                            ensure!();
                            v
                        }
                    };
                    set!(a, res);
                }
                opnum::Concat => {
                    save!();
                    concat(vm, base + a, raw::b(w))?;
                    ensure!();
                }
                opnum::Jmp => {
                    let off = raw::sj(w);
                    jump!(off);
                    if T::PROFILE
                        && off < 0
                        && !(P::ON && vm.instr.interpret_only)
                        && T::back_edge(vm, fi, pc)
                    {
                        vm.frames[fi].pc = pc as u32;
                        continue 'frame;
                    }
                }
                opnum::Eq => {
                    let (x, y) = (rr!(a), rr!(raw::b(w)));
                    let c = match (x, y) {
                        (&Value::Int(i), &Value::Int(j)) => i == j,
                        (&Value::Float(i), &Value::Float(j)) => i == j,
                        (&Value::Str(i), &Value::Str(j)) => i == j,
                        _ => {
                            let (x, y) = (*x, *y);
                            equals_slow(vm, pc, limit, x, y)?
                        }
                    };
                    cond_jump!(c, w);
                }
                opnum::Lt => {
                    let c = compare!(lt_fast, false, rr!(a), rr!(raw::b(w)));
                    cond_jump!(c, w);
                }
                opnum::Le => {
                    let c = compare!(le_fast, true, rr!(a), rr!(raw::b(w)));
                    cond_jump!(c, w);
                }
                opnum::EqK => {
                    let c = rr!(a).raw_eq(&k!(raw::b(w)));
                    cond_jump!(c, w);
                }
                opnum::EqI => {
                    let c = match rr!(a) {
                        &Value::Int(i) => i == raw::sb(w),
                        v => v.raw_eq(&Value::Int(raw::sb(w))),
                    };
                    cond_jump!(c, w);
                }
                opnum::LtI => {
                    let c = compare!(lt_fast, false, rr!(a), &Value::Int(raw::sb(w)));
                    cond_jump!(c, w);
                }
                opnum::LeI => {
                    let c = compare!(le_fast, true, rr!(a), &Value::Int(raw::sb(w)));
                    cond_jump!(c, w);
                }
                opnum::GtI => {
                    let c = compare!(lt_fast, false, &Value::Int(raw::sb(w)), rr!(a));
                    cond_jump!(c, w);
                }
                opnum::GeI => {
                    let c = compare!(le_fast, true, &Value::Int(raw::sb(w)), rr!(a));
                    cond_jump!(c, w);
                }
                opnum::Test => cond_jump!(rr!(a).truthy(), w),
                opnum::TestSet => {
                    let v = r!(raw::b(w));
                    if v.truthy() == raw::k(w) {
                        set!(a, v);
                        let j = next_word!();
                        jump!(raw::sj(j));
                    } else {
                        pc += 1;
                    }
                }
                opnum::Call => {
                    let (b, c) = (raw::b(w), raw::c(w));
                    let func = base + a;
                    let nargs = if b == 0 {
                        vm.pack_end.saturating_sub(func + 1)
                    } else {
                        b - 1
                    };
                    let nres = if c == 0 { MULTI } else { (c - 1) as u8 };
                    save!();
                    if let Value::LuaFn(callee) = r!(a) {
                        if push_lua_frame(vm, callee, func, nargs, nres)? {
                            continue 'frame;
                        }
                    }
                    if vm.precall(func, nargs, nres)? {
                        continue 'frame;
                    }
                    ensure!();
                    vm.safepoint()?;
                    if P::ON != vm.instr.active {
                        return Ok(false);
                    }
                }
                opnum::TailCall => {
                    let b = raw::b(w);
                    let func = base + a;
                    let nargs = if b == 0 {
                        vm.pack_end.saturating_sub(func + 1)
                    } else {
                        b - 1
                    };
                    save!();
                    // A callable object is replaced by its `__call` handler (or the
                    // "attempt to call" error is raised) while this frame is in place.
                    let mut nargs = nargs;
                    let mut chain = 0;
                    while !matches!(vm.stack[func], Value::LuaFn(_) | Value::NativeFn(_)) {
                        nargs = vm.insert_call_handler(func, nargs, &mut chain)?;
                    }
                    if vm.tbc_pending(base) {
                        // The compiler emits no tail call in the scope of a to-be-closed
                        // variable; for other bytecode, close before the frame goes.
                        vm.close_upvals(base);
                        vm.close_tbc(base)?;
                        ensure!();
                    }
                    if let Value::NativeFn(_) = vm.stack[func] {
                        // A native callee runs with this frame still in place, as in
                        // lua5.4, so its errors are positioned at this call.
                        vm.precall(func, nargs, MULTI)?;
                        let n = vm.pack_end - func;
                        do_return!(func, n);
                    }
                    if !vm.open_upvals.is_empty() {
                        vm.close_upvals(base);
                    }
                    let f = vm.frames[fi];
                    vm.stack.copy_within(func..=func + nargs, f.func);
                    vm.frames.pop();
                    if vm.precall(f.func, nargs, f.nresults)? {
                        let top = vm.frames.len() - 1;
                        vm.frames[top].flags |= (f.flags & FRAME_ENTRY) | FRAME_TAIL;
                        continue 'frame;
                    }
                    if fi == entry {
                        return Ok(true);
                    }
                    vm.safepoint()?;
                    continue 'frame;
                }
                opnum::Return => {
                    let b = raw::b(w);
                    let first = base + a;
                    let n = if b == 0 {
                        vm.pack_end.saturating_sub(first)
                    } else {
                        b - 1
                    };
                    do_return!(first, n);
                }
                opnum::Return0 => do_return!(base, 0),
                opnum::Return1 => {
                    if P::ON || fi == entry || vm.frames[fi].nresults != 1 || vm.tbc_pending(base) {
                        do_return!(base + a, 1);
                    }
                    // One result to a Lua caller that wants one (`vm.postcall`'s effect).
                    // A scalar result was usually just computed: see `copy_by_parts`.
                    let v = copy_by_parts(rr!(a));
                    close_frame_upvals(vm, base);
                    let func = vm.frames[fi].func;
                    vm.frames.pop();
                    let caller_top = vm.frames[fi - 1].top;
                    vm.stack[func] = v;
                    vm.pack_end = func + 1;
                    set_len(&mut vm.stack, caller_top.max(func + 1));
                    vm.safepoint()?;
                    continue 'frame;
                }
                opnum::ForPrep => {
                    save!();
                    if !for_prep(vm, base + a)? {
                        jump!(raw::sbx(w));
                    }
                    ensure!();
                }
                opnum::ForLoop => for_loop!(w),
                opnum::TForCall => {
                    set!(a + 4, r!(a));
                    set!(a + 5, r!(a + 1));
                    set!(a + 6, r!(a + 2));
                    save!();
                    if vm.precall(base + a + 4, 2, raw::c(w) as u8)? {
                        continue 'frame;
                    }
                    ensure!();
                    vm.safepoint()?;
                    if P::ON != vm.instr.active {
                        return Ok(false);
                    }
                }
                opnum::TForLoop => {
                    let v = r!(a + 4);
                    if !v.is_nil() {
                        set!(a + 2, v);
                        jump!(raw::sbx(w));
                    }
                }
                opnum::SetList => {
                    let x = next_word!();
                    set_list(vm, base + a, raw::b(w), raw::ax(x) as i64)?;
                }
                opnum::Closure => closure(vm, cl, base, a, raw::bx(w))?,
                opnum::VarArg => {
                    var_arg(vm, fi, base, a, raw::c(w))?;
                    ensure!();
                }
                opnum::Close => {
                    vm.close_upvals(base + a);
                    if vm.tbc_pending(base + a) {
                        save!();
                        vm.close_tbc(base + a)?;
                        ensure!();
                    }
                }
                opnum::Tbc => {
                    save!();
                    vm.mark_tbc(base + a)?;
                }
                // Superinstructions (`isa::fused`): the first part with this word's
                // operands, then the next word (always the second part; its opcode byte is
                // not looked at) with `pc` past it, so that an error there is positioned
                // at that word, as it would be unfused.
                opnum::MulAdd => {
                    arith!(ArithOp::Mul, a, rr!(raw::b(w)), rr!(raw::c(w)));
                    let w = next_word!();
                    arith!(ArithOp::Add, raw::a(w), rr!(raw::b(w)), rr!(raw::c(w)));
                }
                opnum::MulMul => {
                    arith!(ArithOp::Mul, a, rr!(raw::b(w)), rr!(raw::c(w)));
                    let w = next_word!();
                    arith!(ArithOp::Mul, raw::a(w), rr!(raw::b(w)), rr!(raw::c(w)));
                }
                opnum::AddLoadK => {
                    arith!(ArithOp::Add, a, rr!(raw::b(w)), rr!(raw::c(w)));
                    let w = next_word!();
                    set!(raw::a(w), k!(raw::bx(w)));
                }
                opnum::MoveMove => {
                    set!(a, r!(raw::b(w)));
                    let w = next_word!();
                    set!(raw::a(w), r!(raw::b(w)));
                }
                opnum::SetTableForLoop => {
                    set_index!(rr!(a), rr!(raw::b(w)), r!(raw::c(w)));
                    let w = next_word!();
                    for_loop!(w);
                }
                opnum::AddForLoop => {
                    arith!(ArithOp::Add, a, rr!(raw::b(w)), rr!(raw::c(w)));
                    let w = next_word!();
                    for_loop!(w);
                }
                opnum::ExtraArg => return Err(internal(vm, "stray ExtraArg")),
                _ => {
                    let msg = crate::isa::DecodeError(w).to_string();
                    return Err(internal(vm, &msg));
                }
            }
        }
    }
}
