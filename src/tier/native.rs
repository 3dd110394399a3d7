//! Entering native code, and the `extern "C"` runtime helpers it calls.
//!
//! The only `unsafe` of the crate outside the JIT crate: [`run`] (calls generated code),
//! [`vm_of`] (turns the context's VM pointer back into `&mut Vm` inside a helper),
//! [`set_base`] and [`depth_of`] (write and read fields of the live context),
//! [`store_slot`] and [`load_slot`] (write and read scalars as tag and payload) and
//! [`layout_matches_abi`] (reads a `Value`'s tag and payload bytes).
//!
//! **Native calls.** A compiled `Call` first asks [`call_push`]: if the callee is a Lua
//! function with native code, a fixed parameter count equal to the argument count, no
//! varargs, and the native nesting allows it, the helper pushes the callee's `Frame`
//! (so errors, tracebacks and the GC see it like any frame) and answers the callee's
//! entry address; the generated code then calls that entry directly (`CallNative`, the
//! window shifted to the callee's base) and hands the exit code to [`call_pop`], which
//! finishes the call: on a return with a fixed count it moves the results and pops the
//! frame; on a side exit it finishes the callee's frame in a nested interpreter loop;
//! an error propagates. Anything else takes the general [`call`] helper.
//!
//! **Nesting bound.** `ctx.depth` counts the native-to-native calls active on the Rust
//! stack (over all contexts: a context created while others are active starts at
//! [`NESTING`], which helpers set before they run nested Lua code); no native call is
//! made at [`MAX_NATIVE_FRAMES`] or when `vm.native_depth` reached [`MAX_CALL_DEPTH`],
//! so Rust recursion stays bounded and deep Lua recursion ends in the interpreter (and
//! its "stack overflow" error).
#![allow(unsafe_code)]

use apogee_jit::abi::{
    ExitCode, JitContext, KIND_RETURN, PAYLOAD_OFFSET, TAG_BOOL, TAG_FLOAT, TAG_INT, TAG_NIL,
    TAG_OFFSET,
};

use super::lower::{ret_count, ret_first, ret_pc, Entry};
use super::{NativeCode, HELPER_CALLS, NATIVE_CALLS};
use crate::isa::Instr;
use crate::runtime::ops;
use crate::runtime::vm::{Frame, FrameKind, Vm, FRAME_ENTRY, MAX_STACK};
use crate::runtime::{GcRef, LuaError, Value};

/// Helper status: done, native code continues.
pub const OK: i64 = 0;
/// Helper status: not handled; native code exits so the interpreter redoes the op.
pub const EXIT: i64 = 1;
/// Helper status: a Lua error was raised (stashed in `PENDING`); native code returns
/// [`ExitCode::Error`] and [`run`] returns the error.
pub const ERROR: i64 = 2;

/// Native-to-native nesting (through [`call`]) stops at this `vm.native_depth`; deeper
/// calls go through the interpreter's loop (no Rust recursion).
pub const MAX_CALL_DEPTH: u32 = 100;

/// Native-to-native calls (through `CallNative`) active at once on this thread's Rust
/// stack, at most.
pub const MAX_NATIVE_FRAMES: u32 = 200;

thread_local! {
    static PENDING: std::cell::RefCell<Option<LuaError>> = const { std::cell::RefCell::new(None) };
    /// Where the interpreter resumes the frame whose native code returned `ERROR` without
    /// an error: instrumentation (`vm.instr`) was switched on during a call it made, and
    /// native code must not run on (see `runtime::instr`).
    static RESUME: std::cell::Cell<Option<u32>> = const { std::cell::Cell::new(None) };
    /// Native calls active in the contexts below the one a new [`run`] creates.
    static NESTING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Runs `code` from entry `e` on frame `fi` (the top frame); returns the register pc
/// at which the interpreter continues the frame.
pub fn run(vm: &mut Vm, fi: usize, code: &NativeCode, e: Entry) -> Result<usize, LuaError> {
    let pc = e.pc as usize;
    let Some(frame) = vm.frames.get(fi) else {
        return Ok(pc);
    };
    let base = frame.base;
    let size = code.frame_size;
    // The native code touches registers 0..frame_size of the window only.
    if fi + 1 != vm.frames.len() || vm.stack.len() < base + size {
        return Ok(pc);
    }
    vm.counters.native_entries += 1;
    if e.osr {
        vm.counters.osr_entries += 1;
    }
    let depth = NESTING.with(|n| n.get());
    let max_depth = if vm.native_depth >= MAX_CALL_DEPTH {
        0
    } else {
        MAX_NATIVE_FRAMES
    };
    let vmp: *mut Vm = vm;
    // SAFETY: `base + frame_size <= stack.len()` (checked above), so the window of every
    // register the code touches is inside the stack's live, 8-aligned 16-byte `Value`s
    // (whose layout the runtime asserts matches the JIT abi). Nothing else accesses the
    // VM during the call except the helpers, which reach it only through `ctx.vm`; a
    // helper that may move `vm.stack` stores the new window address in `ctx.base`
    // before returning. Native calls are only made to entries that [`call_push`] took
    // from compiled procs (after pushing their frames and growing the stack to cover
    // their windows), at most `MAX_NATIVE_FRAMES` deep over all contexts (small frames
    // on a thread stack of at least the test threads' 2 MiB). The thread-local `Jit`
    // that compiled the code lives as long as the thread, which outlives this call.
    let raw = unsafe {
        let window = (*vmp).stack.as_mut_ptr().add(base).cast::<u8>();
        let mut ctx = JitContext::new(window, vmp.cast(), max_depth, i64::MAX);
        ctx.entry = e.id;
        ctx.depth = depth;
        code.func.call(&mut ctx)
    };
    match ExitCode::decode(raw) {
        Ok(ExitCode::Return(p)) => Ok(ret_pc(p) as usize),
        Ok(ExitCode::Exit(p)) => {
            vm.counters.guard_exits += 1;
            Ok(p as usize)
        }
        Ok(ExitCode::Error(_)) => match PENDING.with(|p| p.borrow_mut().take()) {
            Some(e) => Err(e),
            None if RESUME.with(|r| r.get()).is_some() => {
                Ok(RESUME.with(|r| r.take()).unwrap_or(0) as usize)
            }
            None => Err(vm.rt_error("internal error: JIT error without an error value")),
        },
        _ => Err(vm.rt_error(&format!("internal error: bad JIT exit code {raw:#x}"))),
    }
}

/// The VM of a helper's context.
fn vm_of<'a>(ctx: *mut JitContext) -> Option<&'a mut Vm> {
    HELPER_CALLS.with(|c| c.set(c.get() + 1));
    // SAFETY: helpers are only called by native code started in [`run`], whose context's
    // `vm` is the `&mut Vm` that `run` holds and does not use while the code runs; the
    // returned reference lives only for the helper's body.
    unsafe { ((*ctx).vm as *mut Vm).as_mut() }
}

/// [`vm_of`] without counting a helper call (for the call helpers, counted apart).
#[inline]
fn vm_uncounted<'a>(ctx: *mut JitContext) -> Option<&'a mut Vm> {
    // SAFETY: as in `vm_of`.
    unsafe { ((*ctx).vm as *mut Vm).as_mut() }
}

/// The native call depth of a helper's context and its bound.
fn depth_of(ctx: *mut JitContext) -> (u32, u32) {
    // SAFETY: `ctx` is the live context of the native code that called this helper
    // (see `vm_of`); reading two of its fields does not alias any reference.
    unsafe { ((*ctx).depth, (*ctx).max_depth) }
}

/// Runs `f` (which may run Lua code and so create new contexts) with the nesting of
/// the helper's context recorded for those contexts.
fn nested<R>(ctx: *mut JitContext, f: impl FnOnce() -> R) -> R {
    let (depth, _) = depth_of(ctx);
    let saved = NESTING.with(|n| n.replace(depth.saturating_add(1)));
    let r = f();
    NESTING.with(|n| n.set(saved));
    r
}

/// Points `ctx.base` at register 0 of the window starting at stack index `base` (after
/// the stack may have moved).
fn set_base(ctx: *mut JitContext, vm: &mut Vm, base: usize) {
    let window = vm.stack.as_mut_ptr().wrapping_add(base).cast::<u8>();
    // SAFETY: `ctx` is the live context of the native code that called this helper
    // (see `vm_of`); generated code reloads `base` from it after the helper returns.
    unsafe { (*ctx).base = window };
}

/// `R[a], ..., R[a+c-2] := R[a](R[a+1], ..., R[a+b-1])` with `bc = b | c << 16 | ..`, for
/// the `Call` at register pc `pc`: runs the callee to completion ([`call_lua`]: a compiled
/// callee runs natively, nested on the Rust stack). Packs
/// (`b == 0` or `c == 0`), non-functions and calls past [`MAX_CALL_DEPTH`] answer
/// `EXIT`: the interpreter performs the call.
pub extern "C" fn call(ctx: *mut JitContext, a: i64, bc: i64, pc: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, _)) = top(vm) else {
        return EXIT;
    };
    let (b, c) = (bc & 0xffff, bc >> 16 & 0xffff);
    let func = base + a as usize;
    if b == 0
        || c == 0
        || vm.native_depth >= MAX_CALL_DEPTH
        || matches!(fused_upval(vm, func, bc), Callee::Failed)
    {
        return EXIT;
    }
    if !matches!(
        vm.stack.get(func),
        Some(Value::LuaFn(_) | Value::NativeFn(_))
    ) {
        return EXIT;
    }
    let Some(frame) = vm.frames.last_mut() else {
        return EXIT;
    };
    frame.pc = pc as u32 + 1;
    let caller_top = frame.top;
    vm.native_depth += 1;
    let r = nested(ctx, || call_lua(vm, func, b as usize - 1, (c - 1) as u8));
    vm.native_depth -= 1;
    if let Err(e) = r {
        PENDING.with(|p| *p.borrow_mut() = Some(e));
        return ERROR;
    }
    if vm.stack.len() < caller_top {
        vm.stack.resize(caller_top, Value::Nil);
    }
    vm.gc_check();
    set_base(ctx, vm, base);
    if vm.instr.interpret_only {
        // Switched on by the callee (`debug.sethook`): the interpreter goes on after
        // the call.
        RESUME.with(|r| r.set(Some(pc as u32 + 1)));
        return ERROR;
    }
    OK
}

/// What [`fused_upval`] found in the called slot.
enum Callee {
    /// The fused read failed (cannot happen for translated code).
    Failed,
    /// A Lua function.
    Lua(GcRef<crate::runtime::function::LuaClosure>),
    /// Anything else.
    Other,
}

/// For a call fused with a `GetUpval` (`bc >> 32 == u + 1`, see [`call_push`]): `stack[func]
/// := U[u]` of the running frame's closure. Returns what `stack[func]` holds. (Values are
/// taken apart by variant and written back by variant: plain moves of them compiled into
/// overlapping partial copies through the stack, which stall store forwarding.)
#[inline]
fn fused_upval(vm: &mut Vm, func: usize, bc: i64) -> Callee {
    let up = bc >> 32;
    if up == 0 {
        return match vm.stack.get(func) {
            Some(Value::LuaFn(c)) => Callee::Lua(*c),
            Some(_) => Callee::Other,
            None => Callee::Failed,
        };
    }
    let Some(FrameKind::Lua(cl)) = vm.frames.last().map(|f| f.kind) else {
        return Callee::Failed;
    };
    let Some(&u) = vm.heap.get(cl).upvals.get(up as usize - 1) else {
        return Callee::Failed;
    };
    let v = vm.upval_get(u);
    let Some(slot) = vm.stack.get_mut(func) else {
        return Callee::Failed;
    };
    match v {
        Value::LuaFn(c) => {
            *slot = Value::LuaFn(c);
            Callee::Lua(c)
        }
        other => {
            store_slot(slot, other);
            Callee::Other
        }
    }
}

/// The fast path of `R[a], ..., R[a+c-2] := R[a](R[a+1], ..., R[a+b-1])` (`bc = b | c <<
/// 16 | (u + 1) << 32`, `b` and `c` nonzero; `u + 1` is nonzero for a call fused with
/// `R[a] := U[u]`, which is then done first) at register pc `pc`: when `R[a]` is a Lua function with native
/// code, no varargs and exactly `b - 1` parameters, and the nesting bound allows a
/// native call, pushes its frame (window at `R[a+1]`, grown to the code's frame size;
/// the caller's `frame.pc` saved) and returns the callee's entry address for
/// `CallNative`; otherwise returns 0 and changes nothing (the caller then takes
/// [`call`]). May move the stack (`ctx.base` follows).
pub extern "C" fn call_push(ctx: *mut JitContext, a: i64, bc: i64, pc: i64) -> i64 {
    let Some(vm) = vm_uncounted(ctx) else {
        return 0;
    };
    let Some(caller) = vm.frames.last() else {
        return 0;
    };
    if vm.instr.interpret_only {
        return 0;
    }
    let base = caller.base;
    let func = base + a as usize;
    // A fused `GetUpval` first, whatever path the call takes (on failure, [`call`]
    // retries it and exits).
    let Callee::Lua(cl) = fused_upval(vm, func, bc) else {
        return 0;
    };
    let (depth, max_depth) = depth_of(ctx);
    if depth >= max_depth {
        return 0;
    }
    let j = &vm.heap.get(vm.heap.get(cl).proto).ext.jit;
    let addr = j.call_entry.get();
    if addr == 0 || i64::from(j.call_params.get()) != (bc & 0xffff) - 1 {
        return 0;
    }
    let cbase = func + 1;
    let top = cbase + j.call_size.get() as usize;
    if top > MAX_STACK {
        return 0;
    }
    if let Some(f) = vm.frames.last_mut() {
        f.pc = pc as u32 + 1;
    }
    // The stack is not shrunk to `top` (as `precall` does): slots above it hold valid
    // stale values, and leaving them saves refilling them on the next, deeper call.
    if vm.stack.len() < top {
        vm.stack.resize(top, Value::Nil);
        set_base(ctx, vm, base);
    }
    vm.frames.push(Frame {
        kind: FrameKind::Lua(cl),
        func,
        base: cbase,
        top,
        pc: 0,
        nresults: ((bc >> 16 & 0xffff) - 1) as u8,
        nvarargs: 0,
        flags: FRAME_ENTRY,
    });
    vm.counters.calls += 1;
    NATIVE_CALLS.with(|c| c.set(c.get() + 1));
    addr as i64
}

/// Finishes a call begun by [`call_push`] whose native code ended with exit code `code`:
/// a return with a fixed count moves the results to `R[a]...` (adjusted to the `c - 1`
/// the caller wants) and pops the callee's frame; a side exit or a return of a pack
/// finishes the callee's frame in the interpreter; an error is passed on. Returns `OK`
/// or `ERROR` (the error pending). May move the stack (`ctx.base` follows).
pub extern "C" fn call_pop(ctx: *mut JitContext, _a: i64, _c: i64, code: i64) -> i64 {
    let Some(vm) = vm_uncounted(ctx) else {
        return ERROR;
    };
    let Some(fi) = vm.frames.len().checked_sub(1) else {
        return ERROR;
    };
    let code = code as u64;
    // The common case first: a return with a fixed count (`ExitCode::Return`, see
    // `lower::ret_payload`), results moved within the stack (which does not move).
    if code & 0xffff_ffff == KIND_RETURN && code >> 56 != 0 {
        let p = (code >> 32) as u32;
        if let (Some(n), Some(&f)) = (ret_count(p), vm.frames.last()) {
            if !vm.open_upvals.is_empty() {
                vm.close_upvals(f.base);
            }
            let first = f.base + ret_first(p);
            vm.frames.pop();
            if !pop_results(vm, f.func, first, n, f.nresults) {
                vm.postcall(f.func, first, n, f.nresults);
                // The stack may have grown: locate the caller's window again (otherwise
                // `CallNative` already left it in `ctx.base`).
                let base = vm.frames.last().map_or(0, |f| f.base);
                set_base(ctx, vm, base);
            }
            if vm.heap.should_collect() {
                vm.collect_garbage();
            }
            return OK;
        }
    }
    let resume = match ExitCode::decode(code) {
        Ok(ExitCode::Return(p)) => ret_pc(p),
        Ok(ExitCode::Exit(p) | ExitCode::Preempt(p)) => {
            vm.counters.guard_exits += 1;
            p
        }
        Ok(ExitCode::Error(_)) => match RESUME.with(|r| r.take()) {
            Some(p) => p,
            None => return ERROR,
        },
        _ => {
            let e = vm.rt_error(&format!("internal error: bad JIT exit code {code:#x}"));
            PENDING.with(|p| *p.borrow_mut() = Some(e));
            return ERROR;
        }
    };
    // The callee's frame continues in the interpreter until it returns.
    vm.frames[fi].pc = resume;
    vm.native_depth += 1;
    let r = nested(ctx, || crate::interp::run::<super::JitTier>(vm, fi));
    vm.native_depth -= 1;
    if let Err(e) = r {
        PENDING.with(|p| *p.borrow_mut() = Some(e));
        return ERROR;
    }
    vm.gc_check();
    let base = vm.frames.last().map_or(0, |f| f.base);
    set_base(ctx, vm, base);
    if vm.instr.interpret_only {
        // See [`call`]: the caller's frame goes on in the interpreter after its call.
        if let Some(f) = vm.frames.last() {
            RESUME.with(|r| r.set(Some(f.pc)));
            return ERROR;
        }
    }
    OK
}

/// `Vm::postcall` for a fixed result count inside the stack, without shrinking the stack
/// to the caller's top: the callee's window stays allocated (its stale slots are valid
/// values, still GC roots), so the next call of the same size needs no resize. False
/// (nothing done) when `postcall` is needed instead.
#[inline]
fn pop_results(vm: &mut Vm, func: usize, first: usize, n: usize, wanted: u8) -> bool {
    if wanted == crate::bytecode::MULTI {
        return false;
    }
    let wanted = wanted as usize;
    let len = vm.stack.len();
    if func + wanted > len || first + n > len {
        return false;
    }
    if n == 1 && wanted == 1 {
        vm.stack[func] = vm.stack[first];
    } else {
        vm.stack.copy_within(first..first + n.min(wanted), func);
        for v in &mut vm.stack[func + n.min(wanted)..func + wanted] {
            *v = Value::Nil;
        }
    }
    vm.pack_end = func + wanted;
    true
}

/// Calls `stack[func]` and runs it to completion: a Lua callee's frame is entered
/// through the JIT hook (native code if compiled); when that code ends at a return
/// instruction with fixed counts the return is done here, otherwise the interpreter
/// finishes the frame.
fn call_lua(vm: &mut Vm, func: usize, nargs: usize, nres: u8) -> Result<(), LuaError> {
    if !vm.precall(func, nargs, nres)? {
        return Ok(());
    }
    let fi = vm.frames.len() - 1;
    vm.frames[fi].flags |= FRAME_ENTRY;
    let f = vm.frames[fi];
    let FrameKind::Lua(cl) = f.kind else {
        return Err(vm.rt_error("internal error: native frame after precall"));
    };
    let proto = vm.heap.get(cl).proto;
    let size = match vm.heap.get(proto).ext.reg.get() {
        Some(c) => c.frame_size as usize,
        None => crate::interp::code_for(vm, proto)?.frame_size as usize,
    };
    let need = f.base + size;
    if need > f.top {
        vm.check_stack(need)?;
        vm.frames[fi].top = need;
        if vm.stack.len() < need {
            vm.stack.resize(need, Value::Nil);
        }
    }
    let pc = <super::JitTier as crate::interp::Tier>::enter(vm, fi, 0)?;
    let word = vm
        .heap
        .get(proto)
        .ext
        .reg
        .get()
        .and_then(|c| c.code.get(pc).copied());
    let ret = match word.map(Instr::decode) {
        Some(Ok(Instr::Return0 {})) => Some((f.base, 0)),
        Some(Ok(Instr::Return1 { a })) => Some((f.base + a.0 as usize, 1)),
        Some(Ok(Instr::Return { a, b })) if b.0 != 0 => {
            Some((f.base + a.0 as usize, b.0 as usize - 1))
        }
        _ => None,
    };
    match ret {
        Some((first, n)) if vm.frames.len() == fi + 1 => {
            if !vm.open_upvals.is_empty() {
                vm.close_upvals(f.base);
            }
            vm.frames.pop();
            vm.postcall(f.func, first, n, f.nresults);
            Ok(())
        }
        _ => {
            vm.frames[fi].pc = pc as u32;
            crate::interp::run::<super::JitTier>(vm, fi)
        }
    }
}

/// Base and closure of the running (top) frame.
fn top(vm: &Vm) -> Option<(usize, GcRef<crate::runtime::function::LuaClosure>)> {
    let f = vm.frames.last()?;
    match f.kind {
        FrameKind::Lua(c) => Some((f.base, c)),
        FrameKind::Native(_) => None,
    }
}

/// `R[r]` of the window at `base`. Every register a compiled proc names is inside its
/// window, which is inside the stack ([`run`] and [`call_push`] check that); `nil`
/// stands in for the impossible out-of-range read. (Plain values, not `Option<Value>`:
/// tuples of those were assembled through overlapping stack stores, a store-forwarding
/// stall that dominated the table helpers.)
#[inline]
fn reg(vm: &Vm, base: usize, r: i64) -> Value {
    match vm.stack.get(base + r as usize) {
        Some(v) => load_slot(v),
        None => Value::Nil,
    }
}

/// `*v`, reading scalars (nil, booleans, numbers) as a tag byte and a payload word.
/// Native code writes slots as two 8-byte stores; a 16-byte load of such a slot cannot
/// be forwarded from them and stalls until they reach the cache.
#[inline]
fn load_slot(v: &Value) -> Value {
    let p: *const Value = v;
    // SAFETY: `p` comes from a `&Value`: valid and aligned for reads of its bytes. The
    // tag byte is always initialized, and for the tags matched below the payload is an
    // initialized `bool` byte or 8-byte number at `PAYLOAD_OFFSET` (`Value` is
    // `repr(C, u8)` with the abi's layout: [`layout_matches_abi`]).
    unsafe {
        let b = p.cast::<u8>();
        let payload = b.add(PAYLOAD_OFFSET as usize);
        match b.add(TAG_OFFSET as usize).read() {
            TAG_NIL => Value::Nil,
            TAG_BOOL => Value::Bool(payload.read() != 0),
            TAG_INT => Value::Int(payload.cast::<i64>().read()),
            TAG_FLOAT => Value::Float(f64::from_bits(payload.cast::<u64>().read())),
            _ => *v,
        }
    }
}

/// `*slot = v`, storing numbers as a tag byte and a payload word. (A plain `Value`
/// move was compiled into overlapping unaligned 8-byte moves through a stack temporary,
/// which stall store forwarding; numbers are the hot case of table reads.)
#[inline]
fn store_slot(slot: &mut Value, v: Value) {
    let (tag, bits) = match v {
        Value::Int(i) => (TAG_INT, i as u64),
        Value::Float(f) => (TAG_FLOAT, f.to_bits()),
        other => {
            *slot = other;
            return;
        }
    };
    let p: *mut Value = slot;
    // SAFETY: `p` comes from a `&mut Value`, so it is valid, aligned and unaliased for
    // the write; `Value` is `repr(C, u8)` with the tag byte at `TAG_OFFSET` and the
    // 8-byte payload at `PAYLOAD_OFFSET`, and `TAG_INT`/`TAG_FLOAT` are the tags of
    // its `Int(i64)`/`Float(f64)` variants ([`layout_matches_abi`], checked by a
    // test), so the two writes leave a valid `Int`/`Float` value in the slot.
    unsafe {
        p.cast::<u8>().add(TAG_OFFSET as usize).write(tag);
        p.cast::<u8>()
            .add(PAYLOAD_OFFSET as usize)
            .cast::<u64>()
            .write(bits);
    }
}

/// Whether `Value` has the layout the JIT abi assumes (size, tag and payload offsets,
/// tag numbers), checked on sample values.
pub fn layout_matches_abi() -> bool {
    use apogee_jit::abi::VALUE_SIZE;
    let samples = [
        (Value::Nil, TAG_NIL, None),
        (Value::Bool(true), TAG_BOOL, Some(1u64)),
        (Value::Int(-7), TAG_INT, Some(-7i64 as u64)),
        (Value::Float(2.5), TAG_FLOAT, Some(2.5f64.to_bits())),
    ];
    std::mem::size_of::<Value>() == VALUE_SIZE as usize
        && std::mem::align_of::<Value>() == 8
        && samples.iter().all(|(v, tag, payload)| {
            let p: *const Value = v;
            // SAFETY: reads the tag byte and the payload of a live `Value` whose size
            // (16) was checked above; the tag byte and the payload of these variants
            // are initialized bytes (the padding in between is not read).
            let (t, bits) = unsafe {
                let b = p.cast::<u8>();
                (
                    b.add(TAG_OFFSET as usize).read(),
                    b.add(PAYLOAD_OFFSET as usize).cast::<u64>().read(),
                )
            };
            t == *tag
                && payload.is_none_or(|want| match v {
                    Value::Bool(_) => bits & 0xff == want,
                    _ => bits == want,
                })
        })
}

fn set_reg(vm: &mut Vm, base: usize, r: i64, v: Value) -> bool {
    match vm.stack.get_mut(base + r as usize) {
        Some(slot) => {
            store_slot(slot, v);
            true
        }
        None => false,
    }
}

/// `K[k]` of the closure's proc (`nil` for the impossible out-of-range index).
#[inline]
fn konst(vm: &Vm, cl: GcRef<crate::runtime::function::LuaClosure>, k: i64) -> Value {
    let proto = vm.heap.get(cl).proto;
    match vm.heap.get(proto).consts.get(k as usize) {
        Some(v) => *v,
        None => Value::Nil,
    }
}

/// `obj[key] = val` without metamethods; false if that needs the slow path.
fn raw_set(vm: &mut Vm, obj: Value, key: Value, val: Value) -> bool {
    let Value::Table(t) = obj else {
        return false;
    };
    let tb = vm.heap.get_mut(t);
    if tb.meta.is_some() {
        return false;
    }
    let grew = match key {
        Value::Int(i) => tb.set_int(i, val),
        Value::Str(_) => match tb.set(key, val) {
            Ok(g) => g,
            Err(_) => return false,
        },
        _ => return false,
    };
    vm.heap.note_growth(grew);
    true
}

/// `R[a] := obj[key]` without metamethods; `EXIT` if that needs the slow path.
fn get_into(vm: &mut Vm, base: usize, a: i64, obj: Value, key: Value) -> i64 {
    let Value::Table(t) = obj else {
        return EXIT;
    };
    let tb = vm.heap.get(t);
    let v = match key {
        Value::Int(i) => tb.get_int(i),
        Value::Str(s) => tb.get_str(s),
        _ => return EXIT,
    };
    if v.is_nil() && tb.meta.is_some() {
        return EXIT;
    }
    if set_reg(vm, base, a, v) {
        OK
    } else {
        EXIT
    }
}

/// `R[a] := R[b][R[c]]`.
pub extern "C" fn get_table(ctx: *mut JitContext, a: i64, b: i64, c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, _)) = top(vm) else {
        return EXIT;
    };
    let (obj, key) = (reg(vm, base, b), reg(vm, base, c));
    get_into(vm, base, a, obj, key)
}

/// `R[a] := R[b][c]`.
pub extern "C" fn get_i(ctx: *mut JitContext, a: i64, b: i64, c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, _)) = top(vm) else {
        return EXIT;
    };
    let obj = reg(vm, base, b);
    get_into(vm, base, a, obj, Value::Int(c))
}

/// `R[a] := R[b][K[c]]`.
pub extern "C" fn get_field(ctx: *mut JitContext, a: i64, b: i64, c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, cl)) = top(vm) else {
        return EXIT;
    };
    let (obj, key) = (reg(vm, base, b), konst(vm, cl, c));
    get_into(vm, base, a, obj, key)
}

/// `R[a] := U[b][K[c]]`.
pub extern "C" fn get_tabup(ctx: *mut JitContext, a: i64, b: i64, c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, cl)) = top(vm) else {
        return EXIT;
    };
    let Some(&u) = vm.heap.get(cl).upvals.get(b as usize) else {
        return EXIT;
    };
    let obj = vm.upval_get(u);
    let key = konst(vm, cl, c);
    get_into(vm, base, a, obj, key)
}

/// `R[a][R[b]] := R[c]`.
pub extern "C" fn set_table(ctx: *mut JitContext, a: i64, b: i64, c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, _)) = top(vm) else {
        return EXIT;
    };
    let (obj, key, val) = (reg(vm, base, a), reg(vm, base, b), reg(vm, base, c));
    if raw_set(vm, obj, key, val) {
        OK
    } else {
        EXIT
    }
}

/// `R[a][b] := R[c]`.
pub extern "C" fn set_i(ctx: *mut JitContext, a: i64, b: i64, c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, _)) = top(vm) else {
        return EXIT;
    };
    let (obj, val) = (reg(vm, base, a), reg(vm, base, c));
    if raw_set(vm, obj, Value::Int(b), val) {
        OK
    } else {
        EXIT
    }
}

/// `R[a][K[b]] := R[c]`.
pub extern "C" fn set_field(ctx: *mut JitContext, a: i64, b: i64, c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, cl)) = top(vm) else {
        return EXIT;
    };
    let (obj, key, val) = (reg(vm, base, a), konst(vm, cl, b), reg(vm, base, c));
    if raw_set(vm, obj, key, val) {
        OK
    } else {
        EXIT
    }
}

/// `R[a] := U[b]`.
pub extern "C" fn get_upval(ctx: *mut JitContext, a: i64, b: i64, _c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, cl)) = top(vm) else {
        return EXIT;
    };
    let Some(&u) = vm.heap.get(cl).upvals.get(b as usize) else {
        return EXIT;
    };
    let v = vm.upval_get(u);
    if set_reg(vm, base, a, v) {
        OK
    } else {
        EXIT
    }
}

/// `U[b] := R[a]`.
pub extern "C" fn set_upval(ctx: *mut JitContext, a: i64, b: i64, _c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, cl)) = top(vm) else {
        return EXIT;
    };
    let Some(&u) = vm.heap.get(cl).upvals.get(b as usize) else {
        return EXIT;
    };
    let v = reg(vm, base, a);
    vm.upval_set(u, v);
    OK
}

/// `R[a] := K[b]` (constants the code cannot build inline, e.g. strings).
pub extern "C" fn load_k(ctx: *mut JitContext, a: i64, b: i64, _c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, cl)) = top(vm) else {
        return EXIT;
    };
    let v = konst(vm, cl, b);
    if set_reg(vm, base, a, v) {
        OK
    } else {
        EXIT
    }
}

/// `R[a] == K[b]` (raw): 1 or 0.
pub extern "C" fn eq_k(ctx: *mut JitContext, a: i64, b: i64, _c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return 0 };
    let Some((base, cl)) = top(vm) else { return 0 };
    i64::from(reg(vm, base, a).raw_eq(&konst(vm, cl, b)))
}

/// `a ^ b` (Lua's float power, the interpreter's `number::float_pow`).
pub extern "C" fn float_pow(a: f64, b: f64) -> f64 {
    crate::runtime::number::float_pow(a, b)
}

/// `R[a] := #R[b]` for strings and tables without a metatable (anything else exits).
pub extern "C" fn len(ctx: *mut JitContext, a: i64, b: i64, _c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, _)) = top(vm) else {
        return EXIT;
    };
    let n = match reg(vm, base, b) {
        Value::Str(s) => vm.heap.get(s).len() as i64,
        Value::Table(t) => {
            let tb = vm.heap.get(t);
            if tb.meta.is_some() {
                return EXIT;
            }
            tb.len()
        }
        _ => return EXIT,
    };
    if set_reg(vm, base, a, Value::Int(n)) {
        OK
    } else {
        EXIT
    }
}

/// Helper status of `for_prep`: run the loop.
pub const FOR_RUN: i64 = 0;
/// Helper status of `for_prep`: skip the loop.
pub const FOR_SKIP: i64 = 1;
/// Helper status of `for_prep`: error; exit so the interpreter raises it.
pub const FOR_EXIT: i64 = 2;

/// Prepares the numeric loop at `R[a..a+4]` (`ops::for_prep`).
pub extern "C" fn for_prep(ctx: *mut JitContext, a: i64, _b: i64, _c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else {
        return FOR_EXIT;
    };
    let Some((base, _)) = top(vm) else {
        return FOR_EXIT;
    };
    let s = base + a as usize;
    let Some(w) = vm.stack.get(s..s + 3) else {
        return FOR_EXIT;
    };
    let mut slots = [w[0], w[1], w[2], Value::Nil];
    if !slots[..3]
        .iter()
        .all(|v| matches!(v, Value::Int(_) | Value::Float(_)))
    {
        return FOR_EXIT;
    }
    match ops::for_prep(vm, &mut slots) {
        Ok(run) => match vm.stack.get_mut(s..s + 4) {
            Some(w) => {
                w.copy_from_slice(&slots);
                if run {
                    FOR_RUN
                } else {
                    FOR_SKIP
                }
            }
            None => FOR_EXIT,
        },
        Err(_) => FOR_EXIT,
    }
}

/// The signature of every helper: `(ctx, a, b, c) -> status`.
pub type Helper = extern "C" fn(*mut JitContext, i64, i64, i64) -> i64;
