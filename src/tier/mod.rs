//! The JIT tier: the register interpreter plus a profiler and a Cranelift back end.
//!
//! Public surface: [`engine`], [`set_threshold`], [`threshold`], [`helper_calls`],
//! [`native_calls`],
//! [`ProcJit`] (the per-proc state hung on `FnProto::ext.jit`) and [`lower::lower`].
//!
//! **Profiling.** The engine runs the register interpreter's loop with the `JitTier`
//! hooks (the plain `register` engine runs the same loop without them). A proc is
//! compiled when its call count (`FnProto::calls`, counted by `precall`) or its
//! back-edge count passes the threshold (`--jit-threshold`; 0 compiles every proc on
//! its first call). A compile failure or an op the lowering does not know just leaves
//! (that part of) the proc interpreted; it is never an error.
//!
//! **Native frames.** Native code works on the frame's register window in place
//! (`vm.stack[base..]`), so registers are always in memory. It is entered at pc 0, at
//! the pc after each `Call` (when a callee returns to the frame), and at loop headers
//! (OSR, from a taken back edge). It leaves with `Return(pc)` at a return instruction
//! (the interpreter performs the return) or `Exit(pc)` at a failed guard or an op it
//! does not implement (the interpreter continues the frame at that pc). A `Call` with
//! fixed argument and result counts runs through the `call` helper, which does the
//! `precall` and enters the callee's native code directly (nested on the Rust stack;
//! the callee's return is done by the helper, or its frame is finished by a nested
//! interpreter loop after an exit)
//! up to `native::MAX_CALL_DEPTH` levels of `vm.native_depth`; deeper calls, calls with
//! packs and calls of non-functions exit, and the interpreter performs them.
//! Before that general path, a call of a compiled Lua function with a matching fixed
//! parameter count takes the native call path: generated code pushes the callee's frame
//! itself, calls its code directly (`CallNative`) and pops the frame when it returns
//! enough values (`lower::Lower::call_inline`, with the frame layout of
//! `native::CallLayout`); when a condition of that path fails, the `native::call_push` and
//! `native::call_pop` helpers do the same work ([`native_calls`] counts both).
//!
//! **Inline memory access.** With the layouts `native` discovers once per thread
//! (`TableLayout`, `CallLayout`, `UpvalLayout`), generated code reads and writes table
//! array parts and string-keyed hash slots, upvalues and frames directly; anything it
//! cannot decide inline (holes that may hit a metamethod, growth past the array's
//! capacity or into the hash part, other key types) goes to
//! the helpers below.
//!
//! **Type feedback and speculation.** The engine's interpreter records, per site, the
//! kinds of the operands of arithmetic and comparisons and of the values table reads
//! produce (`interp::feedback`, one byte per word, only in this engine). A site that
//! saw one kind is speculated on (`spec`): the lowering guards that kind and emits only
//! its code. A proc whose code keeps exiting is recompiled up to [`MAX_RECOMPILES`]
//! times with less speculation (the feedback has meanwhile learnt the new kinds), then
//! left to the interpreter ([`ProcJit::note_exit`]).
//!
//! **Type facts.** `types::infer` finds the registers known to hold integers, floats or
//! tables before each pc (including the kinds guarded by speculation), and the kind of
//! each numeric for loop (integer, speculated when unknown, or float); the lowering drops
//! the tag checks they make redundant and stores only payloads where the tag is known,
//! and every native entry past pc 0 checks the facts at its pc (exiting if one fails).
//! Straight-line code also gets float versions that know the tags the float path of
//! earlier arithmetic checked (`lower::Versions`).
//!
//! **Backoff.** A proc whose native code side-exits on more than one entry in
//! [`BACKOFF_RATIO`] (past [`BACKOFF_MIN_EXITS`] exits) is recompiled, and after
//! [`MAX_RECOMPILES`] recompilations no longer entered: the interpreter runs it, so code
//! that keeps bailing out never costs more than a few hundred transitions. Exits at
//! instructions the code does not implement are planned, not failures: the code is not
//! entered at such a pc (nor called natively when pc 0 is one), and leaving there after
//! running from another entry does not count.
//!
//! **Helpers** (`native.rs`) are `extern "C"` functions taking the `JitContext`; they
//! implement fast paths only (tables without metatables, etc.) and answer "exit" for
//! anything else, so the interpreter redoes the instruction and raises the error or
//! runs the metamethod. They never allocate a collectable object; the only collections
//! in native code happen in the call helpers and when a table store grows the heap past
//! the memory limit (then the store helper runs a safepoint and raises "not enough
//! memory" as the interpreter would), with every register in memory.

mod live;
pub mod lower;
mod native;
mod spec;
mod types;
pub use native::swap_nesting;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use apogee_jit::{CompiledFn, Jit};

use crate::interp::Tier;
use crate::runtime::function::FnProto;
use crate::runtime::vm::{Engine, FrameKind, Vm};
use crate::runtime::{GcRef, LuaError};

thread_local! {
    static THRESHOLD: Cell<u32> = const { Cell::new(DEFAULT_THRESHOLD) };
    static JIT: RefCell<Option<Jit>> = const { RefCell::new(None) };
    static HELPER_CALLS: Cell<u64> = const { Cell::new(0) };
    static NATIVE_CALLS: Cell<u64> = const { Cell::new(0) };
}

/// Calls (or loop iterations) before a proc is compiled, unless set.
pub const DEFAULT_THRESHOLD: u32 = 50;

/// Sets the compile threshold for this thread (`--jit-threshold`; 0 = compile every
/// proc on its first call).
pub fn set_threshold(n: u32) {
    THRESHOLD.with(|t| t.set(n));
}

/// The compile threshold of this thread.
pub fn threshold() -> u32 {
    THRESHOLD.with(|t| t.get())
}

/// Runtime helper calls made by native code on this thread so far.
pub fn helper_calls() -> u64 {
    HELPER_CALLS.with(|c| c.get())
}

/// Lua calls made natively by compiled code (frame pushed by `call_push`, callee
/// entered through `CallNative`) on this thread so far. Calls whose frame generated
/// code pushes itself count only in unit tests (see `native::CallLayout::native_calls`).
pub fn native_calls() -> u64 {
    NATIVE_CALLS.with(|c| c.get())
}

/// The JIT engine.
pub fn engine() -> Engine {
    Engine {
        name: "jit",
        exec,
        stack_pc: crate::interp::stack_pc,
    }
}

fn exec(vm: &mut Vm, entry: usize) -> Result<(), LuaError> {
    crate::interp::run::<JitTier>(vm, entry)
}

const STATE_NEW: u8 = 0;
const STATE_COMPILED: u8 = 1;
const STATE_FAILED: u8 = 2;
/// Compiled, but its code side-exited too often (`ProcJit::note_exit`): interpreted.
const STATE_BACKOFF: u8 = 3;

/// Exits a proc's native code may take before `ProcJit::note_exit` judges it.
pub const BACKOFF_MIN_EXITS: u64 = 64;
/// A proc whose native entries side-exit more often than one in this many is recompiled
/// or goes back to the interpreter for good.
pub const BACKOFF_RATIO: u64 = 4;
/// Recompilations of a proc whose code side-exits too often (each with less
/// speculation) before it stays interpreted.
pub const MAX_RECOMPILES: u8 = 2;

/// Per-proc JIT state, on `FnProto::ext.jit`.
#[derive(Default)]
pub struct ProcJit {
    state: Cell<u8>,
    /// Taken back edges while interpreted (the OSR counter).
    back_edges: Cell<u32>,
    code: RefCell<Option<Rc<NativeCode>>>,
    /// Times the proc's code was thrown away to be compiled again with less speculation
    /// (see [`ProcJit::note_exit`]).
    recompiles: Cell<u8>,
    /// For native calls (`native::call_push`): the code's entry address, or 0 when the
    /// proc cannot be called natively (not compiled, or vararg).
    call_entry: Cell<usize>,
    /// For native calls: the parameter count and the window size (the larger of the
    /// stack proc's and the register code's frame sizes).
    call_params: Cell<u8>,
    call_size: Cell<usize>,
    /// The parameter count plus 1 when compiled code may push and pop the proc's frame
    /// itself (`lower.rs`, `native::CallLayout`), else 0: the proc has native code that
    /// is not backed off (`call_entry` is set), and its code has no `Closure`, so an
    /// activation that runs from its entry to a return in native code leaves no open
    /// upvalue to close. One byte, so that generated code checks a callee with one compare.
    call_plain: Cell<u8>,
    /// Entries into the native code (from the interpreter, and native calls).
    entries: Cell<u64>,
    /// Side exits of the native code back to the interpreter.
    exits: Cell<u64>,
}

impl ProcJit {
    /// Whether the proc has native code (which it runs unless backed off).
    pub fn is_compiled(&self) -> bool {
        self.code.borrow().is_some()
    }

    /// Whether the proc's native code was given up for side-exiting too often.
    pub fn backed_off(&self) -> bool {
        self.state.get() == STATE_BACKOFF
    }

    /// Records a side exit. Past [`BACKOFF_MIN_EXITS`], when more than one entry in
    /// [`BACKOFF_RATIO`] exits, the code is thrown away: it is compiled again (on the
    /// next call or back edge) with less speculation, up to [`MAX_RECOMPILES`] times (a
    /// failed speculation is the usual reason, and the feedback has learnt the new
    /// kinds meanwhile); after that the proc stays interpreted from now on (each exit
    /// costs a transition and leaves the rest of the activation to the interpreter, so
    /// such code can be slower than not entering it at all).
    ///
    /// An exit at an instruction the code does not implement (a planned exit) after
    /// running from entry pc `entry` to `pc != entry` made progress: it does not count.
    fn note_exit(&self, entry: u32, pc: u32) {
        let planned = self
            .code
            .borrow()
            .as_ref()
            .is_some_and(|c| c.planned_at(pc as usize));
        if planned && pc != entry {
            return;
        }
        let exits = self.exits.get().saturating_add(1);
        self.exits.set(exits);
        if exits >= BACKOFF_MIN_EXITS && exits.saturating_mul(BACKOFF_RATIO) > self.entries.get() {
            self.call_entry.set(0);
            self.call_plain.set(0);
            let n = self.recompiles.get();
            if n < MAX_RECOMPILES {
                self.recompiles.set(n + 1);
                self.code.replace(None);
                self.exits.set(0);
                self.entries.set(0);
                self.back_edges.set(u32::MAX);
                self.state.set(STATE_NEW);
            } else {
                self.state.set(STATE_BACKOFF);
            }
        }
    }

    /// What the next compile speculates on (see `spec`).
    fn policy(&self) -> spec::Policy {
        let n = self.recompiles.get();
        spec::Policy {
            arith: n < MAX_RECOMPILES,
            reads: n == 0,
            loops: n == 0,
        }
    }

    fn note_entry(&self) {
        self.entries.set(self.entries.get().saturating_add(1));
    }
}

/// A compiled proc: its entry and the register pcs it can be entered at.
pub struct NativeCode {
    func: CompiledFn,
    /// Entry points sorted by pc (the first is pc 0, entry 0).
    entries: Vec<lower::Entry>,
    /// Registers the code touches (the register code's frame size).
    frame_size: usize,
    /// By pc: exits there are planned (`lower::Lowered::planned_exits`).
    planned_exits: Vec<bool>,
}

impl NativeCode {
    /// Whether the code always exits at `pc` (`lower::Lowered::planned_exits`).
    fn planned_at(&self, pc: usize) -> bool {
        self.planned_exits.get(pc).copied().unwrap_or(false)
    }

    /// The entry at `pc`, unless the code would exit there at once.
    #[inline]
    fn entry_at(&self, pc: usize) -> Option<&lower::Entry> {
        if self.planned_at(pc) {
            return None;
        }
        if pc == 0 {
            return self.entries.first();
        }
        self.entries
            .binary_search_by_key(&(pc as u32), |e| e.pc)
            .ok()
            .and_then(|i| self.entries.get(i))
    }
}

/// The interpreter hooks of the JIT engine.
pub(crate) struct JitTier;

impl Tier for JitTier {
    const PROFILE: bool = true;

    fn enter(vm: &mut Vm, fi: usize, pc: usize) -> Result<usize, LuaError> {
        // No native code while hooks, a budget or counters are on (`runtime::instr`).
        if vm.instr.interpret_only {
            return Ok(pc);
        }
        let Some(FrameKind::Lua(cl)) = vm.frames.get(fi).map(|f| f.kind) else {
            return Ok(pc);
        };
        let proto = vm.heap.get(cl).proto;
        if pc == 0 {
            let p = vm.heap.get(proto);
            if p.ext.jit.state.get() == STATE_NEW && p.calls.get() > threshold() {
                compile(vm, proto);
            }
        }
        let j = &vm.heap.get(proto).ext.jit;
        if j.state.get() != STATE_COMPILED {
            return Ok(pc);
        }
        let Some(code) = j.code.borrow().clone() else {
            return Ok(pc);
        };
        match code.entry_at(pc) {
            Some(e) => native::run(vm, fi, &code, *e),
            None => Ok(pc),
        }
    }

    fn feedback(
        vm: &Vm,
        proto: GcRef<FnProto>,
        words: usize,
    ) -> Option<Rc<crate::interp::feedback::Feedback>> {
        let f = vm
            .heap
            .get(proto)
            .ext
            .feedback
            .get_or_init(|| Rc::new(crate::interp::feedback::Feedback::new(words)));
        Some(f.clone())
    }

    fn back_edge(vm: &mut Vm, fi: usize, target: usize) -> bool {
        let Some(FrameKind::Lua(cl)) = vm.frames.get(fi).map(|f| f.kind) else {
            return false;
        };
        let proto = vm.heap.get(cl).proto;
        let j = &vm.heap.get(proto).ext.jit;
        match j.state.get() {
            STATE_COMPILED => {}
            STATE_NEW => {
                let n = j.back_edges.get().saturating_add(1);
                j.back_edges.set(n);
                if n <= threshold() {
                    return false;
                }
                compile(vm, proto);
            }
            _ => return false,
        }
        vm.heap
            .get(proto)
            .ext
            .jit
            .code
            .borrow()
            .as_ref()
            .is_some_and(|c| c.entry_at(target).is_some())
    }
}

/// Procs with more register-code words than this are not compiled.
pub const MAX_COMPILED_WORDS: usize = 8_000;

/// Lowers and compiles `proto`; on any failure marks it as not compilable.
fn compile(vm: &mut Vm, proto: GcRef<FnProto>) {
    let p = vm.heap.get(proto);
    p.ext.jit.state.set(STATE_FAILED);
    // Native code reads and writes `Value`s at the abi's offsets; never run it if the
    // layout differs (checked on every compile: cheap next to compiling).
    if !native::layout_matches_abi() {
        return;
    }
    let Some(code) = p.ext.reg.get().cloned() else {
        return;
    };
    // Compile time grows faster than linearly with function size (register allocation);
    // a huge proc (generated code, data tables) stays interpreted.
    if code.code.len() > MAX_COMPILED_WORDS {
        return;
    }
    let name = format!("{}:{}", p.source, p.bc.line_defined);
    let sqrt = native::sqrt_fn(vm);
    let p = vm.heap.get(proto);
    let layouts = lower::Layouts {
        sqrt,
        table: native::table_layout(vm),
        call: native::call_layout(vm),
        upval: native::upval_layout(vm),
        num_upvals: p.bc.upvals.len(),
        fixed_args: !p.bc.is_vararg,
    };
    let p = vm.heap.get(proto);
    let feedback = p.ext.feedback.get().cloned();
    let policy = p.ext.jit.policy();
    let Ok(mut lowered) = lower::lower(
        &code,
        &p.consts,
        &name,
        layouts,
        feedback.as_deref(),
        policy,
    ) else {
        return;
    };
    let words: Vec<u32> = code
        .code
        .iter()
        .map(|&w| crate::isa::unfuse_word(w))
        .collect();
    let scopes = live::Scopes::new(&p.bc, &code.stack_pcs);
    lowered.func.exit_live = live::live_registers(&words, &scopes);
    lowered.func.helper_writes = live::written_registers(&words);
    let compiled = JIT.with(|j| {
        let mut j = j.borrow_mut();
        if j.is_none() {
            *j = Jit::new().ok();
        }
        j.as_mut().map(|j| j.compile(&lowered.func))
    });
    let Some(Ok(func)) = compiled else {
        return;
    };
    let p = vm.heap.get(proto);
    // Native callers enter at pc 0: not worth it when the code exits there at once.
    let callable = !lowered.planned_exits.first().copied().unwrap_or(false);
    if !p.bc.is_vararg && callable {
        let size = (code.frame_size as usize).max(p.frame_size());
        p.ext.jit.call_entry.set(func.addr());
        p.ext.jit.call_params.set(p.bc.num_params);
        p.ext.jit.call_size.set(size);
        let plain = !code.code.iter().any(|&w| {
            matches!(
                crate::isa::Instr::decode(w),
                Ok(crate::isa::Instr::Closure { .. })
            )
        });
        let arity = p.bc.num_params.checked_add(1).filter(|_| plain);
        p.ext.jit.call_plain.set(arity.unwrap_or(0));
    }
    p.ext.jit.code.replace(Some(Rc::new(NativeCode {
        func,
        entries: lowered.entries,
        frame_size: code.frame_size as usize,
        planned_exits: lowered.planned_exits,
    })));
    p.ext.jit.state.set(STATE_COMPILED);
    vm.counters.procs_compiled += 1;
    vm.counters.jit_compile_us += func.compile_us();
}

#[cfg(test)]
mod tests;
