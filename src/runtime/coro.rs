//! Coroutines (Lua threads), each running the engine on its own native stack.
//!
//! # Design
//! A coroutine is *stackful*: its engine loop, the natives it called and any JIT-compiled
//! code run on a native stack of their own (from the `corosensei` crate). `resume`
//! switches to that stack; `yield` switches back. Whatever Rust or native frames lie
//! between the coroutine's body and the `yield` (a `pcall`, a metamethod called by the
//! engine, a generic-for iterator, a compiled proc's helper) simply stay suspended on the
//! coroutine's stack, so a yield works across all of them with no continuation machinery
//! in the engines. The cost is one native stack per started coroutine (mapped lazily,
//! [`STACK_SIZE`] of address space, pages touched on use) and a switch per resume and
//! yield. docs/coroutines.md tells the whole story.
//!
//! # Per-thread state
//! The VM's `stack`, `frames`, `open_upvals`, `pack_end`, `stack_limit`, native-stack
//! bookkeeping and non-yieldable count always belong to the *running* thread. A switch
//! swaps them with the [`ThreadState`] saved in the [`Thread`] objects (moving `Vec`
//! headers, never their buffers). Open upvalues refer to stack slots of their own
//! thread: when a thread stops running its open upvalues become [`UpVal::Parked`] (the
//! thread plus the slot), read and written in the thread's saved stack; when it runs
//! again they become `Open` again. So a closure made in a coroutine and called from
//! another thread after a yield sees the coroutine's variable.
//!
//! # Native depth
//! As lua5.4 (`L->nCcalls = from->nCcalls`), a resumed coroutine counts its native
//! re-entries on top of its resumer's: `vm.native_depth` continues from the resumer's,
//! and a resume past [`MAX_NATIVE_DEPTH`] fails with "C stack overflow". Each coroutine
//! stack has its own native-stack base and a budget of [`STACK_BUDGET`] bytes checked by
//! [`Vm::call`], so deep recursion inside a coroutine ends in "C stack overflow" well
//! before the guard page.
//!
//! # Unsafe
//! All of the coroutine machinery's `unsafe` is here: creating a `&mut Vm` from the
//! pointer passed through a switch (`body`), calling the running coroutine's yielder
//! ([`yield_now`]), and discarding a suspended coroutine's stack without unwinding it
//! (`Stackful`'s `Drop`).
//!
//! *The `&mut Vm` across a switch.* The resumer holds `&mut Vm`, hands a raw pointer
//! derived from it to the coroutine through `resume`, and does not touch the VM until the
//! coroutine suspends or returns; the coroutine hands its pointer back through `suspend`.
//! Both switches are opaque calls that receive the pointer, so the compiler must assume
//! the VM was read and written through it, and caches nothing across them. At any time
//! exactly one native stack runs and uses the VM.
//!
//! *Dropping a suspended coroutine.* When the collector frees a suspended coroutine (or
//! the heap is dropped), its stack is discarded with `force_reset`: no code runs on it
//! (unwinding would run through JIT frames, which have no unwind tables, and could run
//! destructors that touch the VM in the middle of a sweep). The Rust values owned by its
//! suspended frames (a few small buffers and `Rc` counts) are leaked; nothing there
//! guards an invariant by its destructor. `coroutine.close` instead unwinds a suspended
//! coroutine properly, through the engines, with [`LuaError::close_signal`].
#![allow(unsafe_code)]

use std::mem;

use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, CoroutineResult, Yielder};

use super::error::LuaError;
use super::function::{ParkedAt, UpVal};
use super::heap::{Collectable, GcObject, GcRef, Heap, Marker, Mutable};
use super::value::Value;
use super::vm::{Frame, FrameKind, Vm, MAX_NATIVE_DEPTH, MAX_STACK};
use crate::bytecode::MULTI;

/// Address space reserved for each coroutine's native stack (plus a guard page).
pub const STACK_SIZE: usize = 16 << 20;
/// Native stack a coroutine's nested calls may use before "C stack overflow". Measured:
/// about 3 KB per native re-entry in release builds, so [`MAX_NATIVE_DEPTH`] levels need
/// well under 1 MB; in debug builds (`opt-level = 1`) the full depth of `pcall`,
/// metamethod and `table.sort` re-entry also fits (tests/embed_coroutines.rs runs it), so
/// the depth limit, not this budget, ends recursion as in lua5.4. The rest of
/// [`STACK_SIZE`] is headroom for the deepest single level (a compile at the parser's
/// nesting limit, a JIT compilation, native-to-native JIT calls that are not checked
/// against the budget).
pub const STACK_BUDGET: usize = 8 << 20;
/// Bytes a started coroutine counts for in the collector's pacing (roughly the native
/// stack pages a typical coroutine touches), so that abandoned coroutines get collected.
const STACK_CHARGE: usize = 32 << 10;
/// Native stacks of finished coroutines kept for reuse.
const POOL_SIZE: usize = 16;
/// A `coroutine.close` resumes a coroutine that keeps yielding at most this many times
/// (each yield then fails again) before its stack is discarded.
const CLOSE_ATTEMPTS: usize = 100;

/// What a resume passes into a coroutine.
struct Input {
    vm: *mut Vm,
    /// Close the coroutine: the pending yield fails with [`LuaError::close_signal`].
    close: bool,
}

type CoYielder = Yielder<Input, *mut Vm>;
type Native = Coroutine<Input, *mut Vm, Result<(), LuaError>, DefaultStack>;

thread_local! {
    /// Native stacks of finished or collected coroutines, for reuse (creating one is an
    /// `mmap` plus page faults; this OS thread's VMs share them).
    static POOL: std::cell::RefCell<Vec<DefaultStack>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Keeps a finished coroutine's stack for reuse, or frees it when the pool is full.
fn recycle(co: Native) {
    let stack = co.into_stack();
    // The pool may already be gone when a heap is dropped during thread exit.
    let _ = POOL.try_with(|p| {
        if let Ok(mut p) = p.try_borrow_mut() {
            if p.len() < POOL_SIZE {
                p.push(stack);
            }
        }
    });
}

/// A started coroutine's native side. Dropping it while the coroutine is suspended
/// discards its stack without running anything on it (see the module docs).
struct Stackful(Option<Native>);

impl Drop for Stackful {
    fn drop(&mut self) {
        if let Some(mut co) = self.0.take() {
            if !co.done() {
                // SAFETY: no frame on a suspended coroutine's stack owns anything whose
                // destructor upholds an invariant (they hold `&mut Vm` reborrows, heap
                // handles, `Rc` clones of register code and small buffers), so skipping
                // their destructors only leaks; after the reset the coroutine is done and
                // its stack can be reused or freed.
                unsafe { co.force_reset() };
            }
            recycle(co);
        }
    }
}

/// A coroutine's status, as `coroutine.status` names it (the running one is `Running`;
/// one that resumed another and waits for it is `Normal`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Suspended,
    Running,
    Normal,
    Dead,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Suspended => "suspended",
            Status::Running => "running",
            Status::Normal => "normal",
            Status::Dead => "dead",
        }
    }
}

/// The per-thread part of the VM, saved in a [`Thread`] while it does not run.
pub struct ThreadState {
    pub stack: Vec<Value>,
    pub frames: Vec<Frame>,
    pub open_upvals: Vec<GcRef<UpVal>>,
    /// Pending to-be-closed variables (stack indices), see [`Vm::tbc`].
    pub tbc: Vec<usize>,
    /// The thread's debug hook (lua5.4's hooks are per thread; a new coroutine inherits
    /// its creator's).
    pub hook: crate::runtime::instr::HookState,
    pub pack_end: usize,
    pub stack_limit: usize,
    native_stack_base: usize,
    native_stack_budget: usize,
    /// Non-yieldable calls active (lua5.4's `nny`); the main thread's is always 1.
    pub nny: u32,
    /// Native re-entries active inside the coroutine (its `vm.native_depth` minus the
    /// resumer's), restored on top of the next resumer's depth.
    depth: u32,
    /// The running coroutine's yielder, null for the main thread.
    yielder: *const CoYielder,
    /// The JIT's count of active native calls on this thread's native stack.
    #[cfg_attr(not(feature = "jit"), allow(dead_code))]
    jit_nesting: u32,
}

impl ThreadState {
    fn new() -> Self {
        ThreadState {
            stack: Vec::new(),
            frames: Vec::new(),
            open_upvals: Vec::new(),
            tbc: Vec::new(),
            hook: crate::runtime::instr::HookState::default(),
            pack_end: 0,
            stack_limit: MAX_STACK,
            native_stack_base: 0,
            native_stack_budget: STACK_BUDGET,
            nny: 0,
            depth: 0,
            yielder: std::ptr::null(),
            jit_nesting: 0,
        }
    }
}

/// A Lua thread: the main thread or a coroutine.
pub struct Thread {
    pub status: Status,
    /// The thread's VM state while it does not run (see the module docs).
    pub state: ThreadState,
    /// The native stack, from the first resume until the coroutine finishes; taken out
    /// by the resumer while the coroutine runs.
    native: Option<Stackful>,
    /// The thread that resumed this one, while it runs or is normal.
    resumer: Option<GcRef<Thread>>,
    /// The error that killed the coroutine, until `coroutine.close` reports it.
    pub error: Option<Value>,
}

impl Thread {
    fn new(state: ThreadState, status: Status) -> Self {
        Thread {
            status,
            state,
            native: None,
            resumer: None,
            error: None,
        }
    }

    /// True once the coroutine has a native stack (it was resumed and has not finished).
    pub fn started(&self) -> bool {
        self.native.is_some()
    }
}

fn mark_frames(m: &mut Marker, frames: &[Frame]) {
    for f in frames {
        match f.kind {
            FrameKind::Lua(c) => m.object(c),
            FrameKind::Native(n) => m.object(n),
        }
    }
}

impl Collectable for Thread {
    fn wrap(r: GcRef<Self>) -> GcObject {
        GcObject::Thread(r)
    }
    fn trace(&self, m: &mut Marker) {
        m.value(self.state.hook.func);
        for v in self.state.stack.iter() {
            m.value(*v);
        }
        mark_frames(m, &self.state.frames);
        for u in self.state.open_upvals.iter() {
            m.object(*u);
        }
        if let Some(r) = self.resumer {
            m.object(r);
        }
        if let Some(e) = self.error {
            m.value(e);
        }
    }
    fn heap_size(&self) -> usize {
        mem::size_of::<Self>()
            + self.state.stack.capacity() * mem::size_of::<Value>()
            + self.state.frames.capacity() * mem::size_of::<Frame>()
            + if self.native.is_some() {
                STACK_CHARGE
            } else {
                0
            }
    }
}
impl Mutable for Thread {}

/// The VM's coroutine bookkeeping (the field `vm.coro`).
pub struct CoroState {
    /// The main thread (its state is in the VM while no coroutine runs).
    pub main: GcRef<Thread>,
    /// The running thread.
    pub current: GcRef<Thread>,
    /// The running thread's non-yieldable calls (see [`ThreadState::nny`]).
    pub nny: u32,
    /// The running coroutine's yielder (null on the main thread).
    yielder: *const CoYielder,
    /// Values crossing a switch: resume arguments in, yielded or returned values out.
    pub transfer: Vec<Value>,
}

impl CoroState {
    pub fn new(heap: &mut Heap) -> Self {
        let main = heap.alloc(Thread::new(ThreadState::new(), Status::Running));
        CoroState {
            main,
            current: main,
            nny: 1,
            yielder: std::ptr::null(),
            transfer: Vec::new(),
        }
    }

    /// Marks the collector roots this state holds.
    pub fn mark_roots(&self, m: &mut Marker) {
        m.object(self.main);
        m.object(self.current);
        for v in self.transfer.iter() {
            m.value(*v);
        }
    }
}

/// A new suspended coroutine that will call `f`.
pub fn create(vm: &mut Vm, f: Value) -> GcRef<Thread> {
    let mut st = ThreadState::new();
    st.stack.push(f);
    // lua_newthread copies the creator's hook mask and count, but lua5.4's debug library
    // keeps hook functions per thread (its hook table has no entry for the new thread),
    // so an inherited hook calls nothing and `gethook` reports `nil, mask, count`.
    let h = vm.instr.hook;
    st.hook.func = Value::Nil;
    st.hook.mask = h.mask;
    st.hook.count = h.count;
    st.hook.countdown = h.count;
    vm.heap.alloc(Thread::new(st, Status::Suspended))
}

/// Whether the thread `t` may yield now (lua5.4's `lua_isyieldable`).
pub fn is_yieldable(vm: &Vm, t: GcRef<Thread>) -> bool {
    if t == vm.coro.main {
        return false;
    }
    let nny = if t == vm.coro.current {
        vm.coro.nny
    } else {
        vm.heap.get(t).state.nny
    };
    nny == 0
}

/// Swaps the VM's per-thread fields with `st`.
fn swap_state(vm: &mut Vm, t: GcRef<Thread>) {
    let Vm {
        heap,
        stack,
        frames,
        open_upvals,
        tbc,
        instr,
        pack_end,
        stack_limit,
        native_stack_base,
        native_stack_budget,
        coro,
        ..
    } = vm;
    let st = &mut heap.get_mut(t).state;
    mem::swap(stack, &mut st.stack);
    mem::swap(frames, &mut st.frames);
    mem::swap(open_upvals, &mut st.open_upvals);
    mem::swap(tbc, &mut st.tbc);
    mem::swap(&mut instr.hook, &mut st.hook);
    instr.refresh();
    mem::swap(pack_end, &mut st.pack_end);
    mem::swap(stack_limit, &mut st.stack_limit);
    mem::swap(native_stack_base, &mut st.native_stack_base);
    mem::swap(native_stack_budget, &mut st.native_stack_budget);
    mem::swap(&mut coro.nny, &mut st.nny);
    mem::swap(&mut coro.yielder, &mut st.yielder);
}

/// Makes `to` the running thread in place of `from` (whose state is in the VM): parks
/// `from`'s open upvalues, saves its state, loads `to`'s and unparks its upvalues.
fn switch(vm: &mut Vm, from: GcRef<Thread>, to: GcRef<Thread>) {
    for &u in vm.open_upvals.iter() {
        if let UpVal::Open(index) = *vm.heap.get(u) {
            *vm.heap.get_mut(u) = UpVal::Parked(Box::new(ParkedAt {
                thread: from,
                index,
            }));
        }
    }
    swap_state(vm, from);
    swap_state(vm, to);
    for &u in vm.open_upvals.iter() {
        if let UpVal::Parked(at) = vm.heap.get(u) {
            let index = at.index;
            *vm.heap.get_mut(u) = UpVal::Open(index);
        }
    }
    #[cfg(feature = "jit")]
    {
        let incoming = vm.heap.get(to).state.jit_nesting;
        let outgoing = crate::tier::swap_nesting(incoming);
        vm.heap.get_mut(from).state.jit_nesting = outgoing;
    }
    vm.coro.current = to;
}

/// A native stack for a new coroutine: a pooled one, or a new mapping (after a full
/// collection, which frees abandoned coroutines' stacks, if the first attempt fails).
fn new_stack(vm: &mut Vm) -> Option<DefaultStack> {
    let pooled = || {
        POOL.try_with(|p| p.try_borrow_mut().ok().and_then(|mut p| p.pop()))
            .ok()
            .flatten()
    };
    if let Some(s) = pooled() {
        return Some(s);
    }
    match DefaultStack::new(STACK_SIZE) {
        Ok(s) => Some(s),
        Err(_) => {
            // At the mapping limit with every coroutine still reachable, a collection per
            // failed resume would make a loop of them quadratic: collect on the first
            // failure, then again only after `RETRY_GC_EVERY` more failures.
            let failures = FAILURES.with(|f| {
                let n = f.get().0 + 1;
                let due = n == 1 || n - f.get().1 >= RETRY_GC_EVERY;
                f.set((n, if due { n } else { f.get().1 }));
                due
            });
            if !failures {
                return pooled();
            }
            vm.collect_garbage();
            pooled().or_else(|| DefaultStack::new(STACK_SIZE).ok())
        }
    }
}

/// Failed stack allocations after which the next one collects garbage again.
const RETRY_GC_EVERY: u64 = 4096;

thread_local! {
    /// Failed stack allocations so far, and the count at the last one that collected.
    static FAILURES: std::cell::Cell<(u64, u64)> = const { std::cell::Cell::new((0, 0)) };
}

/// The body of every coroutine: calls the function at `stack[0]` with the values in
/// transit, and leaves its results in transit.
fn body(y: &CoYielder, input: Input) -> Result<(), LuaError> {
    // SAFETY: `input.vm` is derived from the resumer's `&mut Vm`, which the resumer does
    // not use until this coroutine suspends or returns (see the module docs); it points to
    // a live VM for that whole time.
    let vm = unsafe { &mut *input.vm };
    vm.coro.yielder = y;
    if input.close {
        return Ok(());
    }
    let mut args = mem::take(&mut vm.coro.transfer);
    let nargs = args.len();
    vm.stack.truncate(1);
    vm.stack.extend_from_slice(&args);
    args.clear();
    vm.coro.transfer = args;
    vm.call_yieldable(0, nargs, MULTI)?;
    let Vm { stack, coro, .. } = vm;
    coro.transfer.extend_from_slice(stack);
    stack.clear();
    Ok(())
}

/// Resumes the suspended coroutine `co` with the values in `vm.coro.transfer`; when it
/// yields or returns, the values it passes are in `vm.coro.transfer`. An `Err` is the
/// error that killed it, or a resume that could not happen ("cannot resume dead
/// coroutine", "C stack overflow"...), whose value is a message without position.
///
/// With `close`, the coroutine's pending yield fails with [`LuaError::close_signal`]
/// instead (see [`close`]).
pub fn resume(vm: &mut Vm, co: GcRef<Thread>, close: bool) -> Result<(), LuaError> {
    let from = vm.coro.current;
    let status = vm.heap.get(co).status;
    if co == from || status != Status::Suspended {
        let msg = if status == Status::Dead {
            "cannot resume dead coroutine"
        } else {
            "cannot resume non-suspended coroutine"
        };
        return Err(vm.error_plain(msg));
    }
    if vm.native_depth + 1 >= MAX_NATIVE_DEPTH {
        return Err(vm.error_plain("C stack overflow"));
    }
    let mut native = match vm.heap.get_mut(co).native.take() {
        Some(n) => n,
        None => {
            let Some(stack) = new_stack(vm) else {
                return Err(vm.error_plain("too many coroutines (cannot allocate a native stack)"));
            };
            vm.heap.note_growth(STACK_CHARGE);
            Stackful(Some(Coroutine::with_stack(stack, body)))
        }
    };
    let Some(co_native) = native.0.as_mut() else {
        return Err(vm.error_plain("cannot resume dead coroutine"));
    };
    let base_depth = vm.native_depth;
    let rel = vm.heap.get(co).state.depth;
    switch(vm, from, co);
    vm.heap.get_mut(from).status = Status::Normal;
    {
        let t = vm.heap.get_mut(co);
        t.status = Status::Running;
        t.resumer = Some(from);
    }
    vm.native_depth = base_depth + rel;
    let vmp: *mut Vm = vm;
    let r = co_native.resume(Input { vm: vmp, close });
    // Back on the resumer's stack; the VM still holds the coroutine's state.
    let rel = vm.native_depth.saturating_sub(base_depth);
    let result = match r {
        CoroutineResult::Yield(_) => Ok(()),
        CoroutineResult::Return(res) => {
            // Finished: its variables are gone, so closures keep their last values.
            vm.close_upvals(0);
            match res {
                // Being closed: its pending to-be-closed variables close now, with no
                // error; an error raised by a `__close` becomes the close's result. (After
                // a real error they stay pending until `coroutine.close`, as in lua5.4.)
                Err(e) if e.is_close_signal() => match close_in_place(vm, None) {
                    Some(err) => Err(err),
                    None => Err(e),
                },
                r => r,
            }
        }
    };
    let finished = native.0.as_ref().is_none_or(|n| n.done());
    switch(vm, co, from);
    vm.native_depth = base_depth;
    vm.heap.get_mut(from).status = Status::Running;
    let t = vm.heap.get_mut(co);
    t.resumer = None;
    if finished {
        t.status = Status::Dead;
        if let Err(e) = &result {
            if !e.is_close_signal() {
                t.error = Some(e.value);
            }
        }
        if let Some(n) = native.0.take() {
            recycle(n);
        }
    } else {
        t.status = Status::Suspended;
        t.state.depth = rel;
        t.native = Some(native);
    }
    result
}

/// Suspends the running coroutine, passing the values in `vm.coro.transfer` to its
/// resumer; returns when it is resumed, with the resume's arguments in transit. Fails
/// where lua5.4 refuses to yield, and with [`LuaError::close_signal`] when the coroutine
/// is being closed instead of resumed.
pub fn yield_now(vm: &mut Vm) -> Result<(), LuaError> {
    let y = vm.coro.yielder;
    if vm.coro.current == vm.coro.main || y.is_null() {
        return Err(vm.error_plain("attempt to yield from outside a coroutine"));
    }
    if vm.coro.nny > 0 {
        return Err(vm.error_plain("attempt to yield across a C-call boundary"));
    }
    let vmp: *mut Vm = vm;
    // SAFETY: `y` is the yielder of the running coroutine (the VM's per-thread field is
    // set by `body` and swapped with the thread), which lives on this coroutine's stack
    // for as long as the coroutine has not finished, and we are running on that stack.
    // The VM pointer goes out through the switch and the resumer hands it back (see the
    // module docs on the `&mut Vm` across a switch).
    let input = unsafe { (*y).suspend(vmp) };
    if input.close {
        return Err(LuaError::close_signal());
    }
    Ok(())
}

/// `coroutine.close` of a suspended or dead coroutine: unwinds a suspended one (its
/// pending yield fails with [`LuaError::close_signal`]); `Err` carries the error that
/// killed a dead one (reported once, as lua5.4 resets the thread).
pub fn close(vm: &mut Vm, co: GcRef<Thread>) -> Result<(), Value> {
    let t = vm.heap.get_mut(co);
    match t.status {
        Status::Dead => {}
        Status::Suspended if t.native.is_none() => t.status = Status::Dead,
        _ => {
            let mut attempts = 0;
            while vm.heap.get(co).status == Status::Suspended {
                attempts += 1;
                if attempts > CLOSE_ATTEMPTS {
                    // It keeps yielding: drop its stack without running it further.
                    let t = vm.heap.get_mut(co);
                    t.native = None;
                    t.status = Status::Dead;
                    break;
                }
                let saved = mem::take(&mut vm.coro.transfer);
                let r = resume(vm, co, true);
                vm.coro.transfer = saved;
                if let Err(e) = r {
                    if !e.is_close_signal() {
                        vm.heap.get_mut(co).error = Some(e.value);
                    }
                }
            }
        }
    }
    // Normally its frames closed their upvalues as they unwound; if it had to be
    // abandoned, close what is left before its stack goes.
    let parked = mem::take(&mut vm.heap.get_mut(co).state.open_upvals);
    for u in parked {
        if let UpVal::Parked(at) = vm.heap.get(u) {
            let ParkedAt { thread, index } = **at;
            let v = vm.heap.get(thread).state.stack.get(index).copied();
            *vm.heap.get_mut(u) = UpVal::Closed(v.unwrap_or(Value::Nil));
        }
    }
    // A coroutine killed by an error still has its pending to-be-closed variables: they
    // close now, with that error (lua5.4's `lua_closethread`).
    if !vm.heap.get(co).state.tbc.is_empty() {
        let err = vm.heap.get_mut(co).error.take().map(LuaError::new);
        let from = vm.coro.current;
        switch(vm, from, co);
        let r = close_in_place(vm, err);
        vm.close_upvals(0);
        switch(vm, co, from);
        vm.heap.get_mut(co).error = r.map(|e| e.value);
    }
    let t = vm.heap.get_mut(co);
    t.status = Status::Dead;
    t.state.stack.clear();
    t.state.frames.clear();
    t.state.tbc.clear();
    match t.error.take() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Closes every pending to-be-closed variable of the finished coroutine whose state is in
/// the VM, from its base level, with `err` (lua5.4's `luaD_closeprotected` from
/// `lua_closethread`): its frames are dropped first, and the `__close` calls cannot yield.
/// Returns the final error, as [`Vm::close_tbc_protected`].
fn close_in_place(vm: &mut Vm, err: Option<LuaError>) -> Option<LuaError> {
    if vm.tbc.is_empty() {
        return err;
    }
    vm.frames.clear();
    vm.coro.nny += 1;
    let r = vm.close_tbc_protected(0, err, &mut |_, e| e);
    vm.coro.nny -= 1;
    r
}

/// Runs `f` with the VM showing thread `t`'s saved frames and stack in place of the
/// running thread's (for `debug.traceback(co)` and `debug.getinfo(co, ...)`). `f` must
/// not run Lua code.
pub fn with_thread_view<R>(vm: &mut Vm, t: GcRef<Thread>, f: impl FnOnce(&mut Vm) -> R) -> R {
    if t == vm.coro.current {
        return f(vm);
    }
    let swap = |vm: &mut Vm| {
        let Vm {
            heap,
            stack,
            frames,
            ..
        } = vm;
        let st = &mut heap.get_mut(t).state;
        mem::swap(stack, &mut st.stack);
        mem::swap(frames, &mut st.frames);
    };
    swap(vm);
    let r = f(vm);
    swap(vm);
    r
}
