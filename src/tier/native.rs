//! Entering native code, and the `extern "C"` runtime helpers it calls.
//!
//! The only `unsafe` of the crate outside the JIT crate: [`run`] (calls generated code),
//! [`vm_of`] (turns the context's VM pointer back into `&mut Vm` inside a helper),
//! [`set_base`], [`depth_of`] and [`call_push`] (write and read fields of the live context),
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

/// Swaps the count of native calls active on the running native stack (see `NESTING`)
/// with `n` and returns the old one. Each coroutine runs on its own native stack, so
/// the coroutine switch (`runtime::coro`) saves and restores the count per coroutine.
pub fn swap_nesting(n: u32) -> u32 {
    NESTING.with(|c| c.replace(n))
}

/// Runs `code` from entry `e` on frame `fi` (the top frame); returns the register pc
/// at which the interpreter continues the frame.
pub fn run(vm: &mut Vm, fi: usize, code: &NativeCode, e: Entry) -> Result<usize, LuaError> {
    let pc = e.pc as usize;
    let Some(frame) = vm.frames.get(fi) else {
        return Ok(pc);
    };
    let base = frame.base;
    // The running closure, for the code's upvalue reads (`JitContext::closure`).
    let closure = match frame.kind {
        FrameKind::Lua(cl) => cl.addr() as u64,
        FrameKind::Native(_) => return Ok(pc),
    };
    let size = code.frame_size;
    // The native code touches registers 0..frame_size of the window only.
    if fi + 1 != vm.frames.len() || vm.stack.len() < base + size {
        return Ok(pc);
    }
    vm.counters.native_entries += 1;
    if let Some(j) = proc_jit(vm, fi) {
        j.note_entry();
    }
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
        ctx.closure = closure;
        code.func.call(&mut ctx)
    };
    match ExitCode::decode(raw) {
        Ok(ExitCode::Return(p)) => Ok(ret_pc(p) as usize),
        Ok(ExitCode::Exit(p)) => {
            vm.counters.guard_exits += 1;
            if let Some(j) = proc_jit(vm, fi) {
                j.note_exit(e.pc, p);
            }
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

/// Where generated code finds the parts of a table, as byte offsets from a table
/// reference (the payload of a `Value::Table`): the inline table access of
/// `lower.rs` loads the array part's data pointer and length, the hash part's
/// node pointer and length (a power of two, or 0) and the metatable word (0 for none)
/// at these offsets. `Table`'s own field offsets come from `table.rs`
/// (`offset_of!`); the offset of the table inside its heap box and the positions of a
/// `Vec`'s pointer and length (which Rust does not fix) are discovered at run time by
/// [`table_layout`], never assumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableLayout {
    pub arr_ptr: i32,
    pub arr_len: i32,
    pub nodes_ptr: i32,
    pub nodes_len: i32,
    pub meta: i32,
    /// The array part's capacity.
    pub arr_cap: i32,
}

thread_local! {
    static LAYOUT: std::cell::OnceCell<Option<TableLayout>> = const { std::cell::OnceCell::new() };
}

/// The positions (word indexes) of the data pointer, the length and the capacity inside
/// a `Vec<T>`, found on a sample vector of capacity at least 8 and length 3.
fn vec_layout<T: Copy>(sample: T) -> Option<(usize, usize, usize)> {
    const WORDS: usize = 3;
    if std::mem::size_of::<Vec<T>>() != WORDS * 8 || std::mem::align_of::<Vec<T>>() != 8 {
        return None;
    }
    let mut v: Vec<T> = Vec::with_capacity(8);
    v.extend([sample; 3]);
    let p: *const Vec<T> = &v;
    // SAFETY: `p` points to a live `Vec<T>` of exactly three 8-byte words (checked above),
    // 8-aligned; a `Vec` is a pointer, a capacity and a length, all initialised integers
    // with no padding between them, so reading the three words reads initialised bytes.
    let words = unsafe { p.cast::<[usize; WORDS]>().read() };
    let at = |x: usize| {
        let mut hits = words.iter().enumerate().filter(|&(_, &w)| w == x);
        match (hits.next(), hits.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    };
    let ptr = at(v.as_ptr() as usize)?;
    let len = at(v.len())?;
    let cap = at(v.capacity())?;
    (ptr != len && ptr != cap && len != cap).then_some((ptr, len, cap))
}

/// The table layout generated code may rely on, or `None` when it cannot be determined
/// (then table access is never inlined). Computed once per thread.
pub fn table_layout(vm: &Vm) -> Option<TableLayout> {
    use crate::runtime::table::{Node, Table, ARR_OFFSET, META_OFFSET, NODES_OFFSET};
    LAYOUT.with(|l| {
        *l.get_or_init(|| {
            // The table inside its heap box: the same offset for every table.
            let g = vm.globals;
            let obj: *const Table = vm.heap.get(g);
            let boxed = (obj as usize).checked_sub(g.addr())?;
            let (vp, vl, vc) = vec_layout(Value::Nil)?;
            let (np, nl, _) = vec_layout(Node::EMPTY)?;
            let off = |field: usize, word: usize| i32::try_from(boxed + field + word * 8).ok();
            Some(TableLayout {
                arr_ptr: off(ARR_OFFSET, vp)?,
                arr_len: off(ARR_OFFSET, vl)?,
                nodes_ptr: off(NODES_OFFSET, np)?,
                nodes_len: off(NODES_OFFSET, nl)?,
                meta: off(META_OFFSET, 0)?,
                arr_cap: off(ARR_OFFSET, vc)?,
            })
            .filter(|_| meta_none_is_zero())
        })
    })
}

/// What generated code needs to push and pop a Lua frame itself (see `lower.rs`,
/// `Lower::call_inline`): byte offsets from the VM (`vm_*`), from a closure reference
/// (`cl_proto`: its proto reference), from a proto reference (`p_*`: its `ProcJit` call
/// fields), and inside a `Frame` (`f_*`). Field offsets come from `offset_of!`; the offsets
/// of objects inside their heap boxes and of a `Vec`'s words are discovered at run time by
/// [`call_layout`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallLayout {
    pub vm_frames_ptr: i32,
    pub vm_frames_len: i32,
    pub vm_frames_cap: i32,
    pub vm_stack_len: i32,
    pub vm_calls: i32,
    pub cl_proto: i32,
    pub p_entry: i32,
    pub p_params: i32,
    pub p_size: i32,
    pub p_plain: i32,
    pub p_entries: i32,
    /// Whether an inline call adds 1 to `vm.counters.calls` (at `vm_calls`): only when
    /// the VM collected dynamic counters (`--stats`) when the code was compiled. Without
    /// them, calls made by compiled code itself are not in `calls`.
    pub count_calls: bool,
    /// The address of this thread's native call counter ([`super::native_calls`]), which
    /// generated code increments on an inline call, in unit tests only (`None` otherwise:
    /// the increment cost 10% on recursive `fib`). Valid for as long as the code can run:
    /// compiled code is bound to the thread that compiled it (the `Jit` is thread-local,
    /// `NativeCode` is held in an `Rc`, and the `Vm` is not `Send`).
    pub native_calls: Option<usize>,
}

/// Size of a `Frame`.
pub const FRAME_SIZE: i32 = std::mem::size_of::<Frame>() as i32;
/// Offset of `Frame::kind`: a tag word (0 for `FrameKind::Lua`) and the closure pointer.
pub const F_KIND: i32 = std::mem::offset_of!(Frame, kind) as i32;
/// Offset of `Frame::func`.
pub const F_FUNC: i32 = std::mem::offset_of!(Frame, func) as i32;
/// Offset of `Frame::base`.
pub const F_BASE: i32 = std::mem::offset_of!(Frame, base) as i32;
/// Offset of `Frame::top`.
pub const F_TOP: i32 = std::mem::offset_of!(Frame, top) as i32;
/// Offset of the word holding `Frame::pc` (low half) and `Frame::nvarargs` (high half).
pub const F_PC_WORD: i32 = std::mem::offset_of!(Frame, pc) as i32;
/// Offset of the word holding `Frame::nresults` (byte 0) and `Frame::flags` (byte 1); the
/// other bytes are padding.
pub const F_RES_WORD: i32 = std::mem::offset_of!(Frame, nresults) as i32;
const _: () = assert!(std::mem::size_of::<FrameKind>() == 16);
const _: () =
    assert!(F_PC_WORD % 8 == 0 && std::mem::offset_of!(Frame, nvarargs) as i32 == F_PC_WORD + 4);
const _: () =
    assert!(F_RES_WORD % 8 == 0 && std::mem::offset_of!(Frame, flags) as i32 == F_RES_WORD + 1);
const _: () = assert!(FRAME_SIZE == F_RES_WORD + 8);
const _: () = assert!(std::mem::size_of::<usize>() == 8);

thread_local! {
    static CALLS: std::cell::OnceCell<Option<CallLayout>> = const { std::cell::OnceCell::new() };
}

/// The call layout, or `None` when it cannot be determined (calls then go through
/// [`call_push`] and [`call_pop`]). Computed once per thread, from the running Lua frame.
pub fn call_layout(vm: &Vm) -> Option<CallLayout> {
    use crate::runtime::function::{FnProto, LuaClosure, ProtoExt};
    use std::mem::offset_of;
    let frame = *vm.frames.last()?;
    let FrameKind::Lua(cl) = frame.kind else {
        return None;
    };
    let layout = CALLS.with(|l| {
        *l.get_or_init(|| {
            let i = |x: usize| i32::try_from(x).ok();
            // Objects inside their heap boxes (one offset per type).
            let cl_obj: *const LuaClosure = vm.heap.get(cl);
            let cl_box = (cl_obj as usize).checked_sub(cl.addr())?;
            let proto = vm.heap.get(cl).proto;
            let p_obj: *const FnProto = vm.heap.get(proto);
            let p_box = (p_obj as usize).checked_sub(proto.addr())?;
            let (fp, fl, fc) = vec_layout(frame)?;
            let (_, sl, _) = vec_layout(Value::Nil)?;
            let frames = offset_of!(Vm, frames);
            let jit = p_box + offset_of!(FnProto, ext) + offset_of!(ProtoExt, jit);
            Some(CallLayout {
                vm_frames_ptr: i(frames + fp * 8)?,
                vm_frames_len: i(frames + fl * 8)?,
                vm_frames_cap: i(frames + fc * 8)?,
                vm_stack_len: i(offset_of!(Vm, stack) + sl * 8)?,
                vm_calls: i(
                    offset_of!(Vm, counters) + offset_of!(crate::runtime::vm::Counters, calls)
                )?,
                cl_proto: i(cl_box + offset_of!(LuaClosure, proto))?,
                p_entry: i(jit + offset_of!(super::ProcJit, call_entry))?,
                p_params: i(jit + offset_of!(super::ProcJit, call_params))?,
                p_size: i(jit + offset_of!(super::ProcJit, call_size))?,
                p_plain: i(jit + offset_of!(super::ProcJit, call_plain))?,
                p_entries: i(jit + offset_of!(super::ProcJit, entries))?,
                count_calls: true,
                native_calls: cfg!(test).then(|| NATIVE_CALLS.with(|c| c.as_ptr() as usize)),
            })
        })
    });
    layout.map(|l| CallLayout {
        count_calls: vm.instr.counters.is_some(),
        ..l
    })
}

/// What generated code needs to read an upvalue (see `Lower::upval_inline`): from the
/// running closure's reference, `cl_upvals` locates the pointer to its upvalue references
/// (8 bytes each); from an upvalue reference, `uv_box` locates the `UpVal`, two words:
/// either a closed value as a `Value` (tag word, payload), or the tag word `open_tag`
/// (a value no `Value` tag takes) and the variable's index in `vm.stack`, whose data
/// pointer is at `vm_stack_ptr` in the VM. All found by [`upval_layout`] on live objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UpvalLayout {
    pub cl_upvals: i32,
    pub uv_box: i32,
    pub open_tag: i64,
    pub vm_stack_ptr: i32,
}

thread_local! {
    static UPVALS: std::cell::OnceCell<UpvalLayout> = const { std::cell::OnceCell::new() };
}

/// The upvalue layout, or `None` when it cannot be determined now (no closure with an
/// upvalue on the frames to probe; a later compile tries again). Cached once found.
pub fn upval_layout(vm: &Vm) -> Option<UpvalLayout> {
    use crate::runtime::function::{LuaClosure, UpVal};
    use std::mem::{offset_of, size_of};
    if let Some(l) = UPVALS.with(|l| l.get().copied()) {
        return Some(l);
    }
    // A closure with an upvalue, from the running frames.
    let cl = vm.frames.iter().rev().find_map(|f| match f.kind {
        FrameKind::Lua(c) if !vm.heap.get(c).upvals.is_empty() => Some(c),
        _ => None,
    })?;
    let clo = vm.heap.get(cl);
    let cl_box = (clo as *const LuaClosure as usize).checked_sub(cl.addr())?;
    let u = *clo.upvals.first()?;
    let uv_box = (vm.heap.get(u) as *const UpVal as usize).checked_sub(u.addr())?;
    type Refs = Box<[GcRef<UpVal>]>;
    if size_of::<Refs>() != 16 || size_of::<GcRef<UpVal>>() != 8 || size_of::<UpVal>() != 16 {
        return None;
    }
    let refs: *const Refs = &clo.upvals;
    let r0: *const GcRef<UpVal> = &u;
    let open = UpVal::Open(0x1234_5678);
    let closed = UpVal::Closed(Value::Int(77));
    let (po, pc): (*const UpVal, *const UpVal) = (&open, &closed);
    // SAFETY: each pointer comes from a reference to a live value of the size checked
    // above: a slice box is a data pointer and a length, a `GcRef` a non-null pointer,
    // and these two `UpVal`s an 8-byte tag word (a `Value` tag, or the niche value
    // that marks `Open`) followed by the 8-byte index or payload, all initialised words.
    let (refs_words, r0_word, open_words, closed_words) = unsafe {
        (
            refs.cast::<[usize; 2]>().read(),
            r0.cast::<usize>().read(),
            po.cast::<[u64; 2]>().read(),
            pc.cast::<[u64; 2]>().read(),
        )
    };
    let data = clo.upvals.as_ptr() as usize;
    let word = refs_words.iter().position(|&w| w == data)?;
    let (sp, _, _) = vec_layout(Value::Nil)?;
    let i = |x: usize| i32::try_from(x).ok();
    let l = UpvalLayout {
        cl_upvals: i(cl_box + offset_of!(LuaClosure, upvals) + word * 8)?,
        uv_box: i(uv_box)?,
        open_tag: open_words[0] as i64,
        vm_stack_ptr: i(offset_of!(Vm, stack) + sp * 8)?,
    };
    let valid = refs_words[1 - word] == clo.upvals.len()
        && r0_word == u.addr()
        && open_words[1] == 0x1234_5678
        && closed_words == [u64::from(TAG_INT), 77]
        // `Open`'s tag word is a niche past every `Value` tag (rustc picks the first
        // invalid discriminant), so it never equals a closed value's tag.
        && open_words[0] > u64::from(apogee_jit::abi::MAX_TAG);
    if !valid {
        return None;
    }
    UPVALS.with(|c| {
        let _ = c.set(l);
    });
    Some(l)
}

/// The native function now stored as `math.sqrt`, for the inline square root of
/// `lower.rs`: the offset of `NativeClosure::f` from a native-function reference and
/// the Rust function's address (any native closure with that function computes a square
/// root, whatever its name). `None` when `math.sqrt` is not a native function.
pub fn sqrt_fn(vm: &mut Vm) -> Option<(i32, i64)> {
    use crate::runtime::function::NativeClosure;
    let math = vm.str_value(b"math");
    let sqrt = vm.str_value(b"sqrt");
    let Value::Table(m) = vm.heap.get(vm.globals).get(math) else {
        return None;
    };
    let Value::NativeFn(nc) = vm.heap.get(m).get(sqrt) else {
        return None;
    };
    let obj = vm.heap.get(nc);
    let boxed = (obj as *const NativeClosure as usize).checked_sub(nc.addr())?;
    let off = i32::try_from(boxed + std::mem::offset_of!(NativeClosure, f)).ok()?;
    (std::mem::size_of::<crate::runtime::function::NativeFnPtr>() == 8)
        .then_some((off, obj.f as usize as i64))
}

/// Whether `None::<GcRef<Table>>` is stored as a zero word (the metatable check of inline
/// table stores reads it so).
fn meta_none_is_zero() -> bool {
    let none: Option<GcRef<crate::runtime::table::Table>> = None;
    let p: *const Option<GcRef<crate::runtime::table::Table>> = &none;
    // SAFETY: `Option<GcRef<Table>>` is 8 bytes (a static assertion in table.rs): a
    // `GcRef` is a non-null pointer, whose `None` niche is an initialised word, read here
    // from a live local.
    let w = unsafe { p.cast::<usize>().read() };
    w == 0
}

/// The JIT state of the proc running in frame `fi`.
fn proc_jit(vm: &Vm, fi: usize) -> Option<&super::ProcJit> {
    match vm.frames.get(fi)?.kind {
        FrameKind::Lua(cl) => Some(&vm.heap.get(vm.heap.get(cl).proto).ext.jit),
        FrameKind::Native(_) => None,
    }
}

/// Counts an entry of `cl`'s native code by a native call.
fn j_entry(vm: &Vm, cl: GcRef<crate::runtime::function::LuaClosure>) {
    vm.heap.get(vm.heap.get(cl).proto).ext.jit.note_entry();
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
    let top = cbase + j.call_size.get();
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
    j_entry(vm, cl);
    NATIVE_CALLS.with(|c| c.set(c.get() + 1));
    // SAFETY: `ctx` is the live context of the native code that called this helper (see
    // `vm_of`); the callee's entry reads the field (`JitContext::closure`).
    unsafe { (*ctx).closure = cl.addr() as u64 };
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
    // A pending to-be-closed variable makes the interpreter do the return.
    if code & 0xffff_ffff == KIND_RETURN && code >> 56 != 0 && !vm.tbc_pending(vm.frames[fi].base) {
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
            if let Some(j) = proc_jit(vm, fi) {
                // Entered at pc 0 by `call_push`.
                j.note_exit(0, p);
            }
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
        // A pending to-be-closed variable makes the interpreter do the return.
        Some((first, n)) if vm.frames.len() == fi + 1 && !vm.tbc_pending(f.base) => {
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

/// `obj[key] = val` without metamethods: `OK`, `EXIT` if that needs the slow path, or
/// `ERROR` when the table grew past the memory limit and a collection did not help
/// ("not enough memory" pending, as the interpreter raises it after a growing store).
fn raw_set(ctx: *mut JitContext, vm: &mut Vm, obj: Value, key: Value, val: Value) -> i64 {
    let Value::Table(t) = obj else {
        return EXIT;
    };
    let tb = vm.heap.get_mut(t);
    if tb.meta.is_some() {
        return EXIT;
    }
    let grew = match key {
        Value::Int(i) => tb.set_int(i, val),
        Value::Str(_) => match tb.set(key, val) {
            Ok(g) => g,
            Err(_) => return EXIT,
        },
        _ => return EXIT,
    };
    if grew == 0 {
        return OK;
    }
    vm.heap.note_growth(grew);
    if !vm.heap.over_limit() {
        return OK;
    }
    // Registers are in memory: a collection here sees every live value.
    let base = vm.frames.last().map_or(0, |f| f.base);
    let r = nested(ctx, || vm.safepoint());
    set_base(ctx, vm, base);
    match r {
        Ok(()) => OK,
        Err(e) => {
            PENDING.with(|p| *p.borrow_mut() = Some(e));
            ERROR
        }
    }
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
    raw_set(ctx, vm, obj, key, val)
}

/// `R[a][b] := R[c]`.
pub extern "C" fn set_i(ctx: *mut JitContext, a: i64, b: i64, c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, _)) = top(vm) else {
        return EXIT;
    };
    let (obj, val) = (reg(vm, base, a), reg(vm, base, c));
    raw_set(ctx, vm, obj, Value::Int(b), val)
}

/// `R[a][K[b]] := R[c]`.
pub extern "C" fn set_field(ctx: *mut JitContext, a: i64, b: i64, c: i64) -> i64 {
    let Some(vm) = vm_of(ctx) else { return EXIT };
    let Some((base, cl)) = top(vm) else {
        return EXIT;
    };
    let (obj, key, val) = (reg(vm, base, a), konst(vm, cl, b), reg(vm, base, c));
    raw_set(ctx, vm, obj, key, val)
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
