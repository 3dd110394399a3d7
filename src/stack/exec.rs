//! The dispatch loop of the stack engine.
//!
//! Unsafe code: only [`Code::get`] (reading an instruction through a raw view of the
//! running proc's code); see its `SAFETY` comment.
#![allow(unsafe_code)]

use crate::bytecode::{ArithOp, CmpOp, Op, UnOp, MULTI};
use crate::runtime::error::LuaError;
use crate::runtime::function::{FnProto, LuaClosure};
use crate::runtime::heap::GcRef;
use crate::runtime::instr::{
    line_event_due, HookEvent, OpKind, Plain, Probe, Probed, MASK_COUNT, MASK_LINE, NO_OP,
};
use crate::runtime::number;
use crate::runtime::ops;
use crate::runtime::table::Table;
use crate::runtime::value::Value;
use crate::runtime::vm::{FrameKind, Vm, FRAME_TAIL};

/// Largest size hint `NewTable` honours (bytecode may ask for anything).
const MAX_TABLE_HINT: u32 = 1 << 16;

/// Runs Lua frames until the frame at index `entry` returns: in the plain loop, or in the
/// instrumented one while `vm.instr` is active (see `runtime::instr`); a loop that finds
/// the flag changed hands its position back here and the other one goes on from there.
pub(super) fn exec(vm: &mut Vm, entry: usize) -> Result<(), LuaError> {
    let mut at = (
        vm.frames.len() - 1,
        Resume {
            pc: vm.frames[vm.frames.len() - 1].pc as usize,
            sp: None,
        },
    );
    loop {
        let next = if vm.instr.active {
            run_counted::<Probed>(vm, entry, at)?
        } else {
            run_counted::<Plain>(vm, entry, at)?
        };
        match next {
            Some(next) => at = next,
            None => return Ok(()),
        }
    }
}

/// One stretch of [`run`], its instruction count kept in a local (a register in the
/// loop) and added once on the way out.
#[inline(never)]
fn run_counted<P: Probe>(
    vm: &mut Vm,
    entry: usize,
    at: (usize, Resume),
) -> Result<Option<(usize, Resume)>, LuaError> {
    let mut count: u64 = 0;
    let r = run::<P>(vm, entry, at, &mut count);
    vm.counters.instructions += count;
    r
}

/// What a stack instruction counts as in the dynamic counters (`runtime::instr`).
fn op_kind(op: &Op) -> OpKind {
    match op {
        Op::GetLocal { .. } | Op::SetLocal { .. } => OpKind::Move,
        Op::PushConst { .. }
        | Op::PushInt { .. }
        | Op::PushTrue {}
        | Op::PushFalse {}
        | Op::PushNil { .. } => OpKind::ConstLoad,
        _ => OpKind::Other,
    }
}

/// The instrumented part of dispatching the instruction at `pc` of frame `fi` (the top
/// frame): budget, counters, count and line hooks. `old` is the frame's last traced
/// instruction and its line; `prev` the opcode dispatched before (for pairs).
#[inline(never)]
fn probe(
    vm: &mut Vm,
    fi: usize,
    proto: GcRef<FnProto>,
    pc: usize,
    op: &Op,
    old: &mut Option<(usize, u32)>,
    prev: &mut u16,
) -> Result<(), LuaError> {
    vm.count_op(crate::bytecode::binary::opcode(op), prev, op_kind(op));
    // The saved pc is current while the budget error or a hook needs it, and restored
    // after: errors that keep a stale pc (see `save_pc!`) must not change under hooks.
    let saved = vm.frames[fi].pc;
    vm.frames[fi].pc = pc as u32;
    vm.charge_instruction()?;
    let r = probe_hooks(vm, proto, pc, old);
    vm.frames[fi].pc = saved;
    r
}

/// The count and line hooks of [`probe`].
#[inline(always)]
fn probe_hooks(
    vm: &mut Vm,
    proto: GcRef<FnProto>,
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
    let line = vm.heap.get(proto).bc.lines.get(pc).copied().unwrap_or(0);
    if line_event_due(*old, pc, line) && vm.hook_on(MASK_LINE) {
        vm.call_hook(HookEvent::Line, Some(line))?;
    }
    *old = Some((pc, line));
    Ok(())
}

/// Where a frame (re)starts: at its first instruction or after a call that returned.
#[derive(Clone, Copy)]
struct Resume {
    pc: usize,
    /// Operand stack pointer; `None` for a fresh frame (empty operand stack).
    sp: Option<usize>,
}

/// Finishes the call instruction at the caller's saved pc after the callee returned its
/// results to `func`: returns where the caller resumes.
fn finish_call(vm: &mut Vm, fi: usize, func: usize) -> Result<Resume, LuaError> {
    let frame = vm.frames[fi];
    let FrameKind::Lua(cl) = frame.kind else {
        return Err(vm.error_plain("stack engine: caller is not a Lua frame"));
    };
    let proto = vm.heap.get(cl).proto;
    let pc = frame.pc as usize;
    let op = vm.heap.get(proto).bc.code.get(pc).copied();
    let sp = match op {
        Some(Op::Call { results, .. }) => {
            func + if results == MULTI {
                0
            } else {
                results as usize
            }
        }
        Some(Op::TForCall { base: b, nvars }) => {
            let dst = frame.base + b.0 as usize + 4;
            for i in 0..nvars as usize {
                vm.stack[dst + i] = vm.stack[func + i];
            }
            func
        }
        _ => return Err(vm.error_plain("stack engine: resumed at a non-call instruction")),
    };
    Ok(Resume {
        pc: pc + 1,
        sp: Some(sp),
    })
}

/// The running proc's code, as a raw view taken when a frame (re)starts.
///
/// Reading the code through `vm.heap.get(proto).bc.code` costs a chain of dependent loads
/// and a bounds check per instruction, and a `&[Op]` borrowed from the heap would conflict
/// with the `&mut Vm` the loop needs. The view is valid while the frame runs: the proc is
/// reachable from the frame's closure (frames are GC roots), and a loaded proc's code is
/// never modified, so its buffer neither moves nor is freed.
#[derive(Clone, Copy)]
struct Code {
    ptr: *const Op,
    len: usize,
}

impl Code {
    #[inline(always)]
    fn of(vm: &Vm, proto: GcRef<FnProto>) -> Code {
        let code = &vm.heap.get(proto).bc.code;
        Code {
            ptr: code.as_ptr(),
            len: code.len(),
        }
    }

    #[inline(always)]
    fn get(self, pc: usize) -> Option<Op> {
        if pc < self.len {
            // SAFETY: `pc < len`, and the buffer is live and unmodified while the frame
            // that took this view runs (see the type's documentation); `Op` is `Copy`.
            Some(unsafe { self.ptr.add(pc).read() })
        } else {
            None
        }
    }
}

/// Integer and float arithmetic that cannot fail, inline; `None` sends the operands to
/// [`ops::arith`] (errors, coercion of strings, metamethods). Results are the same as
/// `ops::arith_num`'s.
#[inline(always)]
fn arith_fast(op: ArithOp, a: &Value, b: &Value) -> Option<Value> {
    use ArithOp::*;
    match (a, b) {
        (&Value::Int(x), &Value::Int(y)) => Some(match op {
            Add => Value::Int(x.wrapping_add(y)),
            Sub => Value::Int(x.wrapping_sub(y)),
            Mul => Value::Int(x.wrapping_mul(y)),
            Mod if y != 0 => Value::Int(number::int_mod(x, y)),
            IDiv if y != 0 => Value::Int(number::int_floor_div(x, y)),
            Mod | IDiv => return None,
            Div => Value::Float(number::float_div(x as f64, y as f64)),
            Pow => Value::Float(number::float_pow(x as f64, y as f64)),
            BAnd => Value::Int(x & y),
            BOr => Value::Int(x | y),
            BXor => Value::Int(x ^ y),
            Shl => Value::Int(number::shift_left(x, y)),
            Shr => Value::Int(number::shift_right(x, y)),
        }),
        (&Value::Float(x), &Value::Float(y)) => float_arith(op, x, y),
        (&Value::Int(x), &Value::Float(y)) => float_arith(op, x as f64, y),
        (&Value::Float(x), &Value::Int(y)) => float_arith(op, x, y as f64),
        _ => None,
    }
}

#[inline(always)]
fn float_arith(op: ArithOp, x: f64, y: f64) -> Option<Value> {
    use ArithOp::*;
    Some(Value::Float(match op {
        Add => x + y,
        Sub => x - y,
        Mul => x * y,
        Div => number::float_div(x, y),
        Pow => number::float_pow(x, y),
        IDiv => number::float_floor_div(x, y),
        Mod => number::float_mod(x, y),
        BAnd | BOr | BXor | Shl | Shr => return None,
    }))
}

#[inline(always)]
fn konst(vm: &Vm, proto: GcRef<FnProto>, idx: u32) -> Value {
    vm.heap.get(proto).consts[idx as usize]
}

#[inline(always)]
fn upval(vm: &Vm, cl: GcRef<LuaClosure>, idx: u16) -> Value {
    let u = vm.heap.get(cl).upvals[idx as usize];
    vm.upval_get(u)
}

/// `t[k] = v` for a table without a metatable and an integer or string key: the common
/// case, with no error possible. Returns false (nothing done) otherwise.
#[inline(always)]
fn set_fast(vm: &mut Vm, t: Value, k: Value, v: Value) -> bool {
    let Value::Table(tr) = t else {
        return false;
    };
    let tb = vm.heap.get_mut(tr);
    if tb.meta.is_some() {
        return false;
    }
    let grew = match k {
        Value::Int(i) => tb.set_int(i, v),
        Value::Str(_) => match tb.set(k, v) {
            Ok(g) => g,
            Err(_) => return false,
        },
        _ => return false,
    };
    vm.heap.note_growth(grew);
    true
}

/// The loop, plain or instrumented (`P`), from frame `fi` at `resume`. Returns `None` when
/// the entry frame returned, or where to go on when `vm.instr.active` no longer matches `P`
/// (checked when a frame is entered or resumed and after native calls).
#[inline(always)]
fn run<P: Probe>(
    vm: &mut Vm,
    entry: usize,
    (mut fi, mut resume): (usize, Resume),
    count: &mut u64,
) -> Result<Option<(usize, Resume)>, LuaError> {
    let mut scratch: Vec<Value> = Vec::new();
    'frame: loop {
        if P::ON != vm.instr.active {
            return Ok(Some((fi, resume)));
        }
        // Instrumented: the last traced instruction (line hook) and opcode (pairs).
        let mut old: Option<(usize, u32)> = None;
        let mut prev = NO_OP;
        if P::ON {
            if resume.sp.is_none() && resume.pc == 0 {
                vm.frames[fi].pc = 0;
                let tail = vm.frames[fi].flags & FRAME_TAIL != 0;
                vm.hook_enter(tail)?;
            } else if resume.pc > 0 {
                // Resumed after the call at `pc - 1`: that was the last traced instruction.
                let FrameKind::Lua(c) = vm.frames[fi].kind else {
                    return Err(vm.error_plain("stack engine: not a Lua frame"));
                };
                let p = vm.heap.get(vm.heap.get(c).proto);
                let line = p.bc.lines.get(resume.pc - 1).copied().unwrap_or(0);
                old = Some((resume.pc - 1, line));
            }
        }
        let frame = vm.frames[fi];
        let FrameKind::Lua(cl) = frame.kind else {
            return Err(vm.error_plain("stack engine: not a Lua frame"));
        };
        let proto = vm.heap.get(cl).proto;
        let base = frame.base;
        let stack0 = base + vm.heap.get(proto).bc.num_locals as usize;
        let code = Code::of(vm, proto);
        let mut pc = resume.pc;
        let mut sp = resume.sp.unwrap_or(stack0);

        // Records the current instruction in the frame before anything that may raise or
        // call out (`pc` has already moved past it).
        macro_rules! save_pc {
            () => {
                vm.frames[fi].pc = (pc - 1) as u32
            };
        }
        // `t[k]` for a constant string key. Like lua5.4, the pc is saved only on the slow
        // path, so errors that do not save it (integer division by zero) report the same line.
        macro_rules! index_str {
            ($t:expr, $k:expr) => {{
                let (t, k) = ($t, $k);
                let fast = match (t, k) {
                    (Value::Table(tr), Value::Str(ks)) => vm.heap.get(tr).get_str(ks),
                    _ => Value::Nil,
                };
                if fast.is_nil() {
                    save_pc!();
                    ops::index(vm, t, k)?
                } else {
                    fast
                }
            }};
        }
        macro_rules! push {
            ($v:expr) => {{
                let v = $v;
                vm.stack[sp] = v;
                sp += 1;
            }};
        }
        macro_rules! pop {
            () => {{
                sp -= 1;
                vm.stack[sp]
            }};
        }
        // The frame at `fi` has returned (its results are in place at `func`): leave if it
        // was the entry frame, otherwise resume its caller.
        macro_rules! returned {
            ($func:expr) => {{
                if fi == entry {
                    return Ok(None);
                }
                fi -= 1;
                resume = finish_call(vm, fi, $func)?;
                vm.safepoint()?;
                continue 'frame;
            }};
        }

        loop {
            let Some(op) = code.get(pc) else {
                save_pc!();
                return Err(vm.rt_error("stack engine: fell off the end of the code"));
            };
            if P::ON {
                probe(vm, fi, proto, pc, &op, &mut old, &mut prev)?;
            }
            pc += 1;
            *count += 1;
            match op {
                Op::Nop {} => {}
                Op::Pop { n } => sp -= n as usize,
                Op::PushNil { n } => {
                    for _ in 0..n {
                        push!(Value::Nil);
                    }
                }
                Op::PushTrue {} => push!(Value::Bool(true)),
                Op::PushFalse {} => push!(Value::Bool(false)),
                Op::PushInt { value } => push!(Value::Int(value)),
                Op::PushConst { idx } => push!(konst(vm, proto, idx.0)),
                Op::GetLocal { slot } => push!(vm.stack[base + slot.0 as usize]),
                Op::SetLocal { slot } => {
                    let v = pop!();
                    vm.stack[base + slot.0 as usize] = v;
                }
                Op::GetUpval { idx } => push!(upval(vm, cl, idx.0)),
                Op::SetUpval { idx } => {
                    let v = pop!();
                    let u = vm.heap.get(cl).upvals[idx.0 as usize];
                    vm.upval_set(u, v);
                }
                Op::GetUpField { upval: ui, key } => {
                    let t = upval(vm, cl, ui.0);
                    let k = konst(vm, proto, key.0);
                    let v = index_str!(t, k);
                    push!(v);
                }
                Op::SetUpField { upval: ui, key } => {
                    let v = pop!();
                    let t = upval(vm, cl, ui.0);
                    let k = konst(vm, proto, key.0);
                    save_pc!();
                    ops::set_index(vm, t, k, v)?;
                }
                Op::GetTable {} => {
                    let k = pop!();
                    let t = pop!();
                    let fast = match (t, k) {
                        (Value::Table(tr), Value::Int(i)) => vm.heap.get(tr).get_int(i),
                        (Value::Table(tr), Value::Str(ks)) => vm.heap.get(tr).get_str(ks),
                        _ => Value::Nil,
                    };
                    let v = if fast.is_nil() {
                        save_pc!();
                        ops::index(vm, t, k)?
                    } else {
                        fast
                    };
                    push!(v);
                }
                Op::SetTable {} => {
                    let v = pop!();
                    let k = pop!();
                    let t = pop!();
                    if !set_fast(vm, t, k, v) {
                        save_pc!();
                        ops::set_index(vm, t, k, v)?;
                    } else if vm.heap.over_limit() {
                        // A growing table may be the loop's only allocation: past the
                        // memory limit, collect and raise "not enough memory" here.
                        vm.safepoint()?;
                    }
                }
                Op::GetField { key } => {
                    let t = pop!();
                    let k = konst(vm, proto, key.0);
                    let v = index_str!(t, k);
                    push!(v);
                }
                Op::SetField { key } => {
                    let v = pop!();
                    let t = pop!();
                    let k = konst(vm, proto, key.0);
                    if !set_fast(vm, t, k, v) {
                        save_pc!();
                        ops::set_index(vm, t, k, v)?;
                    } else if vm.heap.over_limit() {
                        // A growing table may be the loop's only allocation: past the
                        // memory limit, collect and raise "not enough memory" here.
                        vm.safepoint()?;
                    }
                }
                Op::SetTableAt { depth } => {
                    let v = pop!();
                    let t = vm.stack[stack0 + depth as usize];
                    let k = vm.stack[stack0 + depth as usize + 1];
                    save_pc!();
                    ops::set_index(vm, t, k, v)?;
                }
                Op::SetFieldAt { depth, key } => {
                    let v = pop!();
                    let t = vm.stack[stack0 + depth as usize];
                    let k = konst(vm, proto, key.0);
                    save_pc!();
                    ops::set_index(vm, t, k, v)?;
                }
                Op::Method { key } => {
                    let o = pop!();
                    let k = konst(vm, proto, key.0);
                    save_pc!();
                    let f = ops::index(vm, o, k)?;
                    push!(f);
                    push!(o);
                }
                Op::NewTable { array, hash } => {
                    let t = Table::with_capacity(
                        array.min(MAX_TABLE_HINT) as usize,
                        hash.min(MAX_TABLE_HINT) as usize,
                    );
                    let t = vm.heap.alloc(t);
                    push!(Value::Table(t));
                    save_pc!();
                    vm.safepoint()?;
                }
                Op::SetList {
                    count: n,
                    pack,
                    first,
                } => {
                    let end = if pack { vm.pack_end } else { sp };
                    let vals = sp - n as usize;
                    let tv = vm.stack[vals - 1];
                    let Value::Table(t) = tv else {
                        save_pc!();
                        return Err(vm.rt_error("stack engine: SetList on a non-table"));
                    };
                    let grew = vm
                        .heap
                        .get_mut(t)
                        .set_list(first as i64, &vm.stack[vals..end]);
                    vm.heap.note_growth(grew);
                    sp = vals;
                    if pack {
                        vm.stack.truncate(frame.top);
                    }
                }
                Op::Arith { op } => {
                    // Match the operands in place: copying a value just stored as two
                    // 8-byte halves with one 16-byte load stalls store forwarding.
                    if let Some(r) = arith_fast(op, &vm.stack[sp - 2], &vm.stack[sp - 1]) {
                        sp -= 1;
                        vm.stack[sp - 1] = r;
                        continue;
                    }
                    let b = pop!();
                    let a = pop!();
                    if !ops::is_int_division_by_zero(op, a, b) {
                        save_pc!();
                    }
                    let r = ops::arith(vm, op, a, b)?;
                    push!(r);
                }
                Op::Compare { op } => {
                    let b = pop!();
                    let a = pop!();
                    let r = match (op, a, b) {
                        (CmpOp::Lt, Value::Int(x), Value::Int(y)) => x < y,
                        (CmpOp::Le, Value::Int(x), Value::Int(y)) => x <= y,
                        (CmpOp::Gt, Value::Int(x), Value::Int(y)) => x > y,
                        (CmpOp::Ge, Value::Int(x), Value::Int(y)) => x >= y,
                        (CmpOp::Eq, Value::Int(x), Value::Int(y)) => x == y,
                        (CmpOp::Ne, Value::Int(x), Value::Int(y)) => x != y,
                        (CmpOp::Lt, Value::Float(x), Value::Float(y)) => x < y,
                        (CmpOp::Le, Value::Float(x), Value::Float(y)) => x <= y,
                        (CmpOp::Gt, Value::Float(x), Value::Float(y)) => x > y,
                        (CmpOp::Ge, Value::Float(x), Value::Float(y)) => x >= y,
                        // Only tables and userdata can have `__eq`; the rest compares raw.
                        (CmpOp::Eq, _, _) if !ops::eq_may_call_meta(a, b) => a.raw_eq(&b),
                        (CmpOp::Ne, _, _) if !ops::eq_may_call_meta(a, b) => !a.raw_eq(&b),
                        _ => {
                            save_pc!();
                            ops::compare(vm, op, a, b)?
                        }
                    };
                    push!(Value::Bool(r));
                }
                Op::Unary { op } => {
                    let a = pop!();
                    let r = match (op, a) {
                        (UnOp::Not, _) => Value::Bool(!a.truthy()),
                        (UnOp::Unm, Value::Int(x)) => Value::Int(x.wrapping_neg()),
                        (UnOp::Unm, Value::Float(x)) => Value::Float(-x),
                        _ => {
                            save_pc!();
                            ops::unary(vm, op, a)?
                        }
                    };
                    push!(r);
                }
                Op::Concat { n } => {
                    let first = sp - n as usize;
                    scratch.clear();
                    scratch.extend_from_slice(&vm.stack[first..sp]);
                    save_pc!();
                    // The operands stay in their slots (rooted) until the result replaces them.
                    let r = ops::concat(vm, &scratch)?;
                    sp = first;
                    push!(r);
                    vm.safepoint()?;
                }
                Op::Jump { target } => pc = target.0 as usize,
                Op::JumpIfFalse { target } => {
                    if !pop!().truthy() {
                        pc = target.0 as usize;
                    }
                }
                Op::JumpIfTrue { target } => {
                    if pop!().truthy() {
                        pc = target.0 as usize;
                    }
                }
                Op::JumpIfFalseKeep { target } => {
                    if vm.stack[sp - 1].truthy() {
                        sp -= 1;
                    } else {
                        pc = target.0 as usize;
                    }
                }
                Op::JumpIfTrueKeep { target } => {
                    if vm.stack[sp - 1].truthy() {
                        pc = target.0 as usize;
                    } else {
                        sp -= 1;
                    }
                }
                Op::Call {
                    argc,
                    pack,
                    results,
                } => {
                    let func = sp - argc as usize - 1;
                    let nargs = argc as usize + if pack { vm.pack_end - sp } else { 0 };
                    save_pc!();
                    if let Value::LuaFn(c) = vm.stack[func] {
                        vm.precall_lua(c, func, nargs, results)?;
                        fi = vm.frames.len() - 1;
                        resume = Resume { pc: 0, sp: None };
                        continue 'frame;
                    }
                    if vm.precall(func, nargs, results)? {
                        fi = vm.frames.len() - 1;
                        resume = Resume { pc: 0, sp: None };
                        continue 'frame;
                    }
                    sp = func
                        + if results == MULTI {
                            0
                        } else {
                            results as usize
                        };
                    vm.safepoint()?;
                    if P::ON != vm.instr.active {
                        return Ok(Some((fi, Resume { pc, sp: Some(sp) })));
                    }
                }
                Op::TailCall { argc, pack } => {
                    let func = sp - argc as usize - 1;
                    let mut nargs = argc as usize + if pack { vm.pack_end - sp } else { 0 };
                    save_pc!();
                    // `__call` handlers (or the "attempt to call" error) with this frame
                    // still in place, as lua5.4 does.
                    let mut chain = 0;
                    while !matches!(vm.stack[func], Value::LuaFn(_) | Value::NativeFn(_)) {
                        nargs = vm.insert_call_handler(func, nargs, &mut chain)?;
                    }
                    if vm.tbc_pending(base) {
                        // The compiler emits no tail call in the scope of a to-be-closed
                        // variable; for other bytecode, close before the frame goes.
                        vm.close_upvals(base);
                        vm.close_tbc(base)?;
                    }
                    let f = vm.stack[func];
                    if let Value::NativeFn(_) = f {
                        // A native callee runs with this frame still in place, as in
                        // lua5.4, so its errors are positioned at this call.
                        vm.precall(func, nargs, MULTI)?;
                        let n = vm.pack_end - func;
                        if P::ON {
                            vm.hook_return()?;
                        }
                        vm.close_upvals(base);
                        vm.frames.pop();
                        vm.postcall(frame.func, func, n, frame.nresults);
                        returned!(frame.func);
                    }
                    vm.close_upvals(base);
                    let dest = frame.func;
                    for i in 0..=nargs {
                        vm.stack[dest + i] = vm.stack[func + i];
                    }
                    vm.frames.pop();
                    if vm.precall(dest, nargs, frame.nresults)? {
                        let top = vm.frames.len() - 1;
                        vm.frames[top].flags = frame.flags | FRAME_TAIL;
                        resume = Resume { pc: 0, sp: None };
                        continue 'frame;
                    }
                    returned!(dest);
                }
                Op::Return { count: n, pack } => {
                    let first = sp - n as usize;
                    let total = n as usize + if pack { vm.pack_end - sp } else { 0 };
                    if P::ON {
                        save_pc!();
                        vm.hook_return()?;
                    }
                    vm.close_upvals(base);
                    if vm.tbc_pending(base) {
                        // lua5.4 closes after the results are computed; they stay below
                        // the stack top while the `__close` metamethods run.
                        save_pc!();
                        if vm.stack.len() < first + total {
                            vm.stack.resize(first + total, Value::Nil);
                        }
                        vm.close_tbc(base)?;
                    }
                    vm.frames.pop();
                    vm.postcall(frame.func, first, total, frame.nresults);
                    returned!(frame.func);
                }
                Op::VarArg { count: n } => {
                    let nvar = frame.nvarargs as usize;
                    let from = base - 1 - nvar;
                    if n == MULTI {
                        let end = sp + nvar;
                        if vm.stack.len() < end {
                            save_pc!();
                            vm.check_stack(end)?;
                            vm.stack.resize(end, Value::Nil);
                        }
                        vm.stack.copy_within(from..from + nvar, sp);
                        vm.pack_end = end;
                    } else {
                        for i in 0..n as usize {
                            push!(if i < nvar {
                                vm.stack[from + i]
                            } else {
                                Value::Nil
                            });
                        }
                    }
                }
                Op::Closure { proto: p } => {
                    let c = vm.new_closure(cl, p.0 as usize, base);
                    push!(c);
                    save_pc!();
                    vm.safepoint()?;
                }
                Op::Close { slot } => {
                    let level = base + slot.0 as usize;
                    vm.close_upvals(level);
                    if vm.tbc_pending(level) {
                        save_pc!();
                        vm.close_tbc(level)?;
                    }
                }
                Op::Tbc { slot } => {
                    save_pc!();
                    vm.mark_tbc(base + slot.0 as usize)?;
                }
                Op::ForPrep { base: b, exit } => {
                    let at = base + b.0 as usize;
                    let mut slots = [
                        vm.stack[at],
                        vm.stack[at + 1],
                        vm.stack[at + 2],
                        vm.stack[at + 3],
                    ];
                    save_pc!();
                    let go = ops::for_prep(vm, &mut slots)?;
                    vm.stack[at..at + 4].copy_from_slice(&slots);
                    if !go {
                        pc = exit.0 as usize;
                    }
                }
                Op::ForLoop { base: b, body } => {
                    let at = base + b.0 as usize;
                    if let (Value::Int(idx), Value::Int(left), Value::Int(step)) =
                        (vm.stack[at], vm.stack[at + 1], vm.stack[at + 2])
                    {
                        // Integer loop: `left` is the unsigned count of iterations to go.
                        if left != 0 {
                            let i = idx.wrapping_add(step);
                            vm.stack[at] = Value::Int(i);
                            vm.stack[at + 1] = Value::Int((left as u64 - 1) as i64);
                            vm.stack[at + 3] = Value::Int(i);
                            pc = body.0 as usize;
                        }
                    } else {
                        let mut slots = [
                            vm.stack[at],
                            vm.stack[at + 1],
                            vm.stack[at + 2],
                            vm.stack[at + 3],
                        ];
                        if ops::for_step(&mut slots) {
                            vm.stack[at..at + 4].copy_from_slice(&slots);
                            pc = body.0 as usize;
                        }
                    }
                }
                Op::TForCall { base: b, nvars } => {
                    if nvars == MULTI {
                        save_pc!();
                        return Err(vm.rt_error("stack engine: TForCall with MULTI results"));
                    }
                    let at = base + b.0 as usize;
                    // Call the iterator above the operand stack, then copy the results to
                    // the loop variables (see `finish_call` for Lua iterators).
                    let func = sp;
                    if vm.stack.len() < func + 3 {
                        save_pc!();
                        vm.check_stack(func + 3)?;
                        vm.stack.resize(func + 3, Value::Nil);
                    }
                    vm.stack[func] = vm.stack[at];
                    vm.stack[func + 1] = vm.stack[at + 1];
                    vm.stack[func + 2] = vm.stack[at + 2];
                    save_pc!();
                    if vm.precall(func, 2, nvars)? {
                        fi = vm.frames.len() - 1;
                        resume = Resume { pc: 0, sp: None };
                        continue 'frame;
                    }
                    for i in 0..nvars as usize {
                        vm.stack[at + 4 + i] = vm.stack[func + i];
                    }
                    vm.safepoint()?;
                    if P::ON != vm.instr.active {
                        return Ok(Some((fi, Resume { pc, sp: Some(sp) })));
                    }
                }
                Op::TForLoop { base: b, body } => {
                    let at = base + b.0 as usize;
                    let v = vm.stack[at + 4];
                    if !v.is_nil() {
                        vm.stack[at + 2] = v;
                        pc = body.0 as usize;
                    }
                }
            }
        }
    }
}
