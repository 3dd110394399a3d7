//! The VM state shared by every engine: the heap, the value stack, the call frames, the
//! globals, and the call protocol (`precall` / `postcall`) that all engines use, so calls
//! behave the same whichever engine runs the code.
//!
//! # The value stack
//! One contiguous `Vec<Value>`. A Lua frame owns `stack[base .. base + frame_size]`: local
//! slot `i` is `stack[base + i]` and operand-stack depth `d` is
//! `stack[base + num_locals + d]` (the same slots for the stack engine and, as registers,
//! for the register interpreter). The called function sits just below `base`. A call's
//! arguments are at the top of the caller's operand stack, so the callee's window overlaps
//! them and nothing is copied (vararg functions excepted: see [`Vm::precall`]).
//!
//! `stack.len()` is the top of the in-use area; every slot below it is a GC root. Native
//! functions see their arguments at `stack[base..]` and push their results.
//!
//! # Packs
//! An instruction that produces a variable number of values (a call with `MULTI` results,
//! `VarArg` with `MULTI`) leaves them at the top of the operand stack and records where
//! they end in [`Vm::pack_end`]; the next instruction consumes them.

use std::rc::Rc;

use super::error::{LuaError, StaticError};
use super::function::{FnProto, LuaClosure, NativeClosure, NativeFnPtr, ProtoExt, UpVal};
use super::heap::{GcRef, Heap, Marker};
use super::string::LuaStr;
use super::table::Table;
use super::value::Value;
use crate::bytecode::{self, Constant, MULTI};

/// Lua's `LUAI_MAXSTACK`: more slots than this is a "stack overflow".
pub const MAX_STACK: usize = 1_000_000;
/// Nested native-to-Lua re-entries (`LUAI_MAXCCALLS`).
pub const MAX_NATIVE_DEPTH: u32 = 200;
/// Most `__call` handlers one call may go through (a loop of `__call` tables).
const MAX_CALL_CHAIN: usize = 2000;

/// What a frame runs. `repr(C, u64)`: compiled code pushes Lua frames itself (a tag word
/// 0 and the closure pointer; see `tier::native::CallLayout`).
#[derive(Clone, Copy, Debug)]
#[repr(C, u64)]
pub enum FrameKind {
    Lua(GcRef<LuaClosure>) = 0,
    Native(GcRef<NativeClosure>) = 1,
}

/// A call frame. `repr(C)`, fields ordered so that `pc`/`nvarargs` and
/// `nresults`/`flags` share a word each: compiled code pushes and pops Lua frames and
/// sets the caller's `pc` with whole-word stores (`tier::native::CallLayout`).
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub struct Frame {
    pub kind: FrameKind,
    /// Where the results go: the slot of the called function as the caller saw it.
    pub func: usize,
    /// Local slot 0 / register 0 (for a native frame, its first argument).
    pub base: usize,
    /// End of the frame's window (`base + frame_size`) for Lua frames.
    pub top: usize,
    /// The engine's resume pc (stack pc or register pc), saved across calls and before
    /// anything that may raise an error.
    pub pc: u32,
    /// Extra arguments of a vararg call, stored just below the function copy.
    pub nvarargs: u32,
    /// Results the caller wants (`MULTI` for all).
    pub nresults: u8,
    /// Per-frame flags for the engines (e.g. "entered from native code").
    pub flags: u8,
}

impl Frame {
    pub fn closure(&self) -> Option<GcRef<LuaClosure>> {
        match self.kind {
            FrameKind::Lua(c) => Some(c),
            FrameKind::Native(_) => None,
        }
    }
}

/// Frame flag: the engine loop that started this frame returns when it returns.
pub const FRAME_ENTRY: u8 = 1;
/// Frame flag: the frame was entered by a tail call, so its caller's call instruction does
/// not name it (tracebacks show `function <file:line>` and `(...tail calls...)`).
/// TODO(engines): the stack engine and the register interpreter do not set it yet.
pub const FRAME_TAIL: u8 = 2;

/// Default of [`Vm::native_stack_budget`]: safe on a Rust thread with the default 2 MB
/// stack, with room left for the deepest single level (a compile at the parser's nesting
/// limit, a JIT compilation).
pub const DEFAULT_NATIVE_STACK_BUDGET: usize = 1 << 20;
/// Slots granted above [`MAX_STACK`] while a message handler runs, so that `xpcall` can
/// handle a "stack overflow" (lua5.4's `ERRORSTACKSIZE` headroom).
pub const ERROR_STACK_EXTRA: usize = 1000;

/// The engine that runs Lua frames, installed by the host.
#[derive(Clone, Copy)]
pub struct Engine {
    pub name: &'static str,
    /// Runs Lua frames until the frame at index `entry` returns.
    pub exec: fn(&mut Vm, entry: usize) -> Result<(), LuaError>,
    /// The stack-bytecode pc a frame's saved pc stands for (identity for the stack engine).
    pub stack_pc: fn(&Vm, &Frame) -> u32,
}

/// Counters for `--stats`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counters {
    /// Instructions dispatched by the interpreter of the running engine.
    pub instructions: u64,
    pub calls: u64,
    pub procs_compiled: u64,
    pub native_entries: u64,
    pub guard_exits: u64,
    pub osr_entries: u64,
    pub jit_compile_us: u64,
}

/// Interned names the runtime uses often.
pub struct Names {
    pub env: GcRef<LuaStr>,
    pub tostring: GcRef<LuaStr>,
    pub name: GcRef<LuaStr>,
    /// The metamethod event names, indexed by [`super::meta::Event`].
    pub events: [GcRef<LuaStr>; super::meta::EVENT_COUNT],
}

/// A Lua state: one isolate, single-threaded.
pub struct Vm {
    pub heap: Heap,
    pub stack: Vec<Value>,
    pub frames: Vec<Frame>,
    pub globals: GcRef<Table>,
    pub registry: GcRef<Table>,
    /// The metatable shared by all strings (set by the string library), a GC root.
    pub string_meta: Option<GcRef<Table>>,
    /// The metatables shared by all values of a basic type (`debug.setmetatable(1, mt)`),
    /// indexed by [`super::meta::type_slot`]: nil, boolean, number, function, thread.
    /// GC roots.
    pub type_meta: [Option<GcRef<Table>>; super::meta::TYPE_SLOTS],
    /// Open upvalues, sorted by stack index.
    pub open_upvals: Vec<GcRef<UpVal>>,
    /// Stack indices of the pending to-be-closed variables, ascending (lua5.4's
    /// `tbclist`); see [`Vm::mark_tbc`]. Like `open_upvals` it describes the value stack,
    /// so whatever switches stacks (a coroutine) switches it too. Invariant: every entry
    /// is below `stack.len()`; so whatever cuts the stack after an error must close the
    /// entries above the cut first ([`Vm::unwind_error`], [`Vm::close_tbc_protected`]).
    pub tbc: Vec<usize>,
    /// End of the pack left by the last instruction that produced one.
    pub pack_end: usize,
    pub engine: Engine,
    pub native_depth: u32,
    /// The current stack limit: [`MAX_STACK`], or more while a message handler runs.
    pub stack_limit: usize,
    /// Bytes of native (Rust) stack that nested [`Vm::call`]s may use below the outermost
    /// one before "C stack overflow" is raised, whatever [`MAX_NATIVE_DEPTH`] allows. A host
    /// running the VM on a larger thread may raise it.
    pub native_stack_budget: usize,
    /// Address of the native stack at the outermost [`Vm::call`] of the running thread.
    pub(crate) native_stack_base: usize,
    /// Coroutines: the running thread, the main thread, values in transit (see
    /// [`super::coro`]). `stack`, `frames`, `open_upvals`, `pack_end`, `stack_limit` and
    /// the native-stack fields above belong to the running thread; a switch swaps them
    /// with the saved copies in the [`super::coro::Thread`] objects.
    pub coro: super::coro::CoroState,
    pub counters: Counters,
    /// Every proc loaded so far, kept (as GC roots) only when asked for, by `--stats`'s
    /// static code sizes (`Some` turns the recording on).
    pub loaded_protos: Option<Vec<GcRef<FnProto>>>,
    pub names: Names,
    /// Extra roots held by the host (loaded chunks not yet called, etc.).
    pub host_roots: Vec<Value>,
    /// Output buffer for `print`/`io.write`, flushed at exit and when it fills.
    pub out: Vec<u8>,
    /// Debug hooks, the instruction budget and the dynamic counters (see
    /// [`super::instr`]): the engines run their instrumented loops while any is on.
    pub instr: super::instr::Instrument,
}

fn no_engine(_: &mut Vm, _: usize) -> Result<(), LuaError> {
    Err(LuaError::new(Value::Nil))
}

fn identity_pc(_: &Vm, f: &Frame) -> u32 {
    f.pc
}

/// An address in the caller's native stack frame (stacks grow downwards on every target
/// we build for), to measure how much native stack nested calls use.
#[inline(never)]
fn native_stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

impl Default for Vm {
    fn default() -> Self {
        Self::new()
    }
}

impl Vm {
    /// An empty state with no libraries and no engine (see `host` for a ready one).
    pub fn new() -> Self {
        let mut heap = Heap::new();
        let globals = heap.alloc(Table::new());
        let registry = heap.alloc(Table::new());
        let coro = super::coro::CoroState::new(&mut heap);
        let names = Names {
            env: heap.intern(b"_ENV"),
            tostring: heap.intern(b"__tostring"),
            name: heap.intern(b"__name"),
            events: super::meta::intern_events(&mut heap),
        };
        Vm {
            heap,
            stack: Vec::with_capacity(1024),
            frames: Vec::with_capacity(64),
            globals,
            registry,
            string_meta: None,
            type_meta: [None; super::meta::TYPE_SLOTS],
            open_upvals: Vec::new(),
            tbc: Vec::new(),
            pack_end: 0,
            engine: Engine {
                name: "none",
                exec: no_engine,
                stack_pc: identity_pc,
            },
            native_depth: 0,
            stack_limit: MAX_STACK,
            native_stack_budget: DEFAULT_NATIVE_STACK_BUDGET,
            native_stack_base: 0,
            coro,
            counters: Counters::default(),
            loaded_protos: None,
            names,
            host_roots: Vec::new(),
            out: Vec::with_capacity(8192),
            instr: Default::default(),
        }
    }

    // ----- strings and errors -------------------------------------------------------

    /// An interned string value.
    pub fn str_value(&mut self, bytes: &[u8]) -> Value {
        Value::Str(self.heap.intern(bytes))
    }

    /// A new full userdata with metatable `meta` (marked for finalization if `meta` has a
    /// `__gc` field), as a value. See [`super::userdata`] for the embedding API.
    pub fn new_userdata(
        &mut self,
        u: super::userdata::Userdata,
        meta: Option<GcRef<Table>>,
    ) -> Value {
        let r = self.heap.alloc(u);
        self.heap.set_userdata_metatable(r, meta);
        Value::Userdata(r)
    }

    /// An error whose value is the string `msg`, without position.
    pub fn error_plain(&mut self, msg: &str) -> LuaError {
        let v = self.str_value(msg.as_bytes());
        LuaError::new(v)
    }

    /// `chunk:line:` of the frame `level` levels below the top (0 = the running frame), or
    /// an empty string if that frame is not a Lua frame or its line is unknown (a
    /// stripped function): Lua's `luaL_where`.
    pub fn where_(&self, level: usize) -> String {
        match self.frame_position(level) {
            Some((source, line)) if line > 0 => format!("{source}:{line}: "),
            _ => String::new(),
        }
    }

    /// The source name and current line (-1 when unknown) of the Lua frame `level` levels
    /// below the top; `None` for a native frame or no frame.
    fn frame_position(&self, level: usize) -> Option<(&str, i64)> {
        let i = self.frames.len().checked_sub(level + 1)?;
        let f = &self.frames[i];
        match f.kind {
            FrameKind::Lua(c) => {
                let p = self.heap.get(self.heap.get(c).proto);
                let pc = (self.engine.stack_pc)(self, f) as usize;
                let line = p.bc.lines.get(pc).map_or(-1, |&l| i64::from(l));
                Some((&p.source, line))
            }
            FrameKind::Native(_) => None,
        }
    }

    /// A runtime error raised by an instruction of the running Lua frame, with its
    /// position (Lua's `luaG_runerror`: `?:-1:` in a stripped function).
    pub fn rt_error(&mut self, msg: &str) -> LuaError {
        let pos = match self.frame_position(0) {
            Some((source, line)) => format!("{source}:{line}: "),
            None => String::new(),
        };
        let full = format!("{pos}{msg}");
        self.error_plain(&full)
    }

    /// Where operand `operand` of the running Lua instruction came from, as lua5.4 shows it
    /// in messages: `" (global 'x')"`, `" (local 'x')"`..., or `""` when unknown or when the
    /// running frame is not a Lua frame. See [`crate::bytecode::analysis::describe_operand`]
    /// for the operand numbering.
    pub fn varinfo(&self, operand: u8) -> String {
        let Some(f) = self.frames.last() else {
            return String::new();
        };
        let FrameKind::Lua(c) = f.kind else {
            return String::new();
        };
        let p = self.heap.get(self.heap.get(c).proto);
        let pc = (self.engine.stack_pc)(self, f) as usize;
        match bytecode::analysis::describe_operand(&p.bc, pc, operand) {
            Some((kind, name)) => format!(" ({kind} '{name}')"),
            None => String::new(),
        }
    }

    /// An error raised by a native function, positioned at its caller (`luaL_error`).
    pub fn lib_error(&mut self, msg: &str) -> LuaError {
        let full = format!("{}{msg}", self.where_(1));
        self.error_plain(&full)
    }

    // ----- loading ------------------------------------------------------------------

    /// Loads a module's procs onto the heap and returns the main function as a closure
    /// whose single upvalue (`_ENV`) is the globals table.
    pub fn load_module(&mut self, module: bytecode::Module) -> Result<Value, StaticError> {
        let source: Rc<str> = crate::runtime::chunk_display_name(&module.chunkname).into();
        let chunkname: Rc<str> = module.chunkname.as_str().into();
        let proto = self.load_proto(module.main, &source, &chunkname);
        let env = self.heap.alloc(UpVal::Closed(Value::Table(self.globals)));
        let nup = self.heap.get(proto).bc.upvals.len();
        let upvals: Box<[GcRef<UpVal>]> = (0..nup)
            .map(|i| {
                if i == 0 {
                    env
                } else {
                    self.heap.alloc(UpVal::Closed(Value::Nil))
                }
            })
            .collect();
        let c = self.heap.alloc(LuaClosure { proto, upvals });
        Ok(Value::LuaFn(c))
    }

    fn load_proto(
        &mut self,
        mut p: bytecode::Proto,
        source: &Rc<str>,
        chunkname: &Rc<str>,
    ) -> GcRef<FnProto> {
        let children_bc = std::mem::take(&mut p.protos);
        let children: Box<[GcRef<FnProto>]> = children_bc
            .into_iter()
            .map(|c| self.load_proto(c, source, chunkname))
            .collect();
        let consts: Box<[Value]> = p
            .consts
            .iter()
            .map(|c| match c {
                Constant::Nil => Value::Nil,
                Constant::Bool(b) => Value::Bool(*b),
                Constant::Int(i) => Value::Int(*i),
                Constant::Float(f) => Value::Float(*f),
                Constant::Str(s) => Value::Str(self.heap.intern(s)),
            })
            .collect();
        let r = self.heap.alloc(FnProto {
            bc: p,
            consts,
            children,
            source: source.clone(),
            chunkname: chunkname.clone(),
            calls: Default::default(),
            ext: ProtoExt::default(),
        });
        if let Some(list) = &mut self.loaded_protos {
            list.push(r);
        }
        r
    }

    /// Registers a native function as a global.
    pub fn register(&mut self, name: &'static str, f: NativeFnPtr) {
        let v = self.native_fn(name, f);
        let k = self.str_value(name.as_bytes());
        let g = self.globals;
        let grew = self.heap.get_mut(g).set(k, v).unwrap_or(0);
        self.heap.note_growth(grew);
    }

    /// A native function value.
    pub fn native_fn(&mut self, name: &'static str, f: NativeFnPtr) -> Value {
        Value::NativeFn(self.heap.alloc(NativeClosure {
            f,
            name,
            upvals: Box::new([]),
        }))
    }

    // ----- calls ----------------------------------------------------------------------

    /// Begins a call of `stack[func]` with the `nargs` values above it.
    ///
    /// A native callee runs to completion here and its results are in place (see
    /// [`Vm::postcall`]); the return value is `false`. A Lua callee gets a new frame on top
    /// of `frames` and the return value is `true`: the engine then runs it.
    ///
    /// Vararg callees: the function and its fixed parameters are copied above the extra
    /// arguments, which stay where they are, below the new frame
    /// (`stack[base - 1 - nvarargs .. base - 1]`).
    ///
    /// May reallocate the stack; raises "stack overflow" past [`MAX_STACK`], and "not
    /// enough memory" when a safepoint found the heap over its limit.
    pub fn precall(
        &mut self,
        func: usize,
        mut nargs: usize,
        nresults: u8,
    ) -> Result<bool, LuaError> {
        if self.heap.oom_pending {
            return Err(self.memory_error());
        }
        let mut chain = 0;
        loop {
            match self.stack[func] {
                Value::LuaFn(_) | Value::NativeFn(_) => break,
                _ => {
                    nargs = self.insert_call_handler(func, nargs, &mut chain)?;
                }
            }
        }
        match self.stack[func] {
            Value::LuaFn(c) => {
                self.precall_lua(c, func, nargs, nresults)?;
                Ok(true)
            }
            Value::NativeFn(n) => {
                let f = self.heap.get(n).f;
                self.stack.truncate(func + 1 + nargs);
                self.frames.push(Frame {
                    kind: FrameKind::Native(n),
                    func,
                    base: func + 1,
                    top: func + 1 + nargs,
                    pc: 0,
                    nresults,
                    nvarargs: 0,
                    flags: 0,
                });
                self.counters.calls += 1;
                if self.instr.active {
                    self.instr_native_call(f)?;
                    return Ok(false);
                }
                let nret = f(self)?;
                let first = self.stack.len() - nret;
                if self.instr.active {
                    // Switched on by this call (`debug.sethook`): its return is hooked.
                    self.hook_return()?;
                }
                self.frames.pop();
                self.postcall(func, first, nret, nresults);
                Ok(false)
            }
            _ => Err(self.rt_error("precall: not a function")),
        }
    }

    /// The rest of a native call (its frame pushed) with the call and return hooks.
    #[cold]
    #[inline(never)]
    fn instr_native_call(&mut self, f: NativeFnPtr) -> Result<(), LuaError> {
        self.hook_enter(false)?;
        let nret = f(self)?;
        let first = self.stack.len() - nret;
        self.hook_return()?;
        // The hook keeps the stack length, so the results are still the top `nret` slots.
        let Some(fr) = self.frames.pop() else {
            return Err(self.error_plain("native call: frame lost"));
        };
        self.postcall(fr.func, first, nret, fr.nresults);
        Ok(())
    }

    /// The Lua-callee half of [`Vm::precall`]: pushes a frame for closure `c`, which is
    /// `stack[func]`. Engines may call it directly when they already know the callee is a
    /// Lua function (the hot Lua-to-Lua call path).
    #[inline]
    pub fn precall_lua(
        &mut self,
        c: GcRef<LuaClosure>,
        func: usize,
        nargs: usize,
        nresults: u8,
    ) -> Result<(), LuaError> {
        let proto = self.heap.get(self.heap.get(c).proto);
        let nparams = proto.bc.num_params as usize;
        let size = proto.frame_size();
        let is_vararg = proto.bc.is_vararg;
        proto.calls.set(proto.calls.get().wrapping_add(1));
        let (base, nvarargs) = if is_vararg && nargs > nparams {
            let nextra = nargs - nparams;
            let newfunc = func + 1 + nargs;
            self.check_stack(newfunc + 1 + size)?;
            self.stack.resize(newfunc + 1 + size, Value::Nil);
            for i in 0..=nparams {
                self.stack[newfunc + i] = self.stack[func + i];
            }
            (newfunc + 1, nextra as u32)
        } else {
            (func + 1, 0)
        };
        let top = base + size;
        self.check_stack(top)?;
        // The new length is the frame's top (at least its parameters): slots above the old
        // length become nil, slots below it keep stale values, which the compiled code
        // initialises before reading.
        let len = top.max(base + nparams);
        if self.stack.len() < len {
            self.stack.resize(len, Value::Nil);
        } else {
            self.stack.truncate(len);
        }
        if nargs < nparams {
            self.stack[base + nargs..base + nparams].fill(Value::Nil);
        }
        self.frames.push(Frame {
            kind: FrameKind::Lua(c),
            func,
            base,
            top,
            pc: 0,
            nresults,
            nvarargs,
            flags: 0,
        });
        self.counters.calls += 1;
        Ok(())
    }

    /// Makes a call of the non-function `stack[func]` a call of its `__call` metamethod:
    /// the handler takes the slot of the called value, which becomes the first argument
    /// (lua5.4's `luaD_tryfuncTM`). Returns the new argument count. Raises "attempt to call"
    /// (naming operand 0 of the running instruction, as lua5.4 does at every step of a
    /// chain) when there is no handler; `chain` counts the steps of one call.
    pub fn insert_call_handler(
        &mut self,
        func: usize,
        nargs: usize,
        chain: &mut usize,
    ) -> Result<usize, LuaError> {
        let v = self.stack[func];
        let h = super::meta::metamethod(self, v, super::meta::Event::Call);
        if h.is_nil() {
            let msg = format!(
                "attempt to call a {} value{}",
                super::meta::type_name(self, v),
                self.varinfo(0)
            );
            return Err(self.rt_error(&msg));
        }
        *chain += 1;
        if *chain >= MAX_CALL_CHAIN {
            // lua5.4 grows the stack until it runs out here; stop earlier, with its message.
            return Err(self.rt_error("stack overflow"));
        }
        self.check_stack(func + nargs + 2)?;
        self.stack.truncate(func + 1 + nargs);
        self.stack.insert(func, h);
        Ok(nargs + 1)
    }

    /// Moves `n` results from `stack[first..]` to `stack[func..]`, adjusted to `wanted`, and
    /// restores the caller's window. With `wanted == MULTI` the results form a pack ending
    /// at [`Vm::pack_end`].
    #[inline]
    pub fn postcall(&mut self, func: usize, first: usize, n: usize, wanted: u8) {
        let count = if wanted == MULTI { n } else { wanted as usize };
        // Only the results the caller keeps need moving.
        let moved = n.min(count);
        if first != func {
            if moved == 1 {
                self.stack[func] = self.stack[first];
            } else {
                self.stack.copy_within(first..first + moved, func);
            }
        }
        let end = func + count;
        if self.stack.len() < end {
            self.stack.resize(end, Value::Nil);
        }
        if n < count {
            self.stack[func + n..end].fill(Value::Nil);
        }
        self.pack_end = end;
        let caller_top = match self.frames.last() {
            Some(f) if matches!(f.kind, FrameKind::Lua(_)) => f.top,
            _ => end,
        };
        let top = caller_top.max(end);
        self.stack.truncate(top);
        if self.stack.len() < top {
            self.stack.resize(top, Value::Nil);
        }
    }

    /// Calls `stack[func]` with the `nargs` values above it from native code, running Lua
    /// callees to completion. Results are left at `stack[func..]` (`nresults` of them, or a
    /// pack ending at `pack_end` for `MULTI`), and the stack top is just after them.
    ///
    /// A call that would make the nesting reach [`MAX_NATIVE_DEPTH`] (as lua5.4's `ccall`
    /// counts), or use more than [`Vm::native_stack_budget`] bytes of native stack,
    /// raises "C stack overflow".
    ///
    /// A call made by a native function is not yieldable (lua5.4's `lua_call` from C: a
    /// yield inside raises "attempt to yield across a C-call boundary"); a call made while
    /// a Lua frame runs (a metamethod, an iterator) is. Natives that let their callee
    /// yield (`pcall`) use [`Vm::call_yieldable`].
    pub fn call(&mut self, func: usize, nargs: usize, nresults: u8) -> Result<(), LuaError> {
        if matches!(self.frames.last(), Some(f) if matches!(f.kind, FrameKind::Lua(_))) {
            return self.call_yieldable(func, nargs, nresults);
        }
        self.call_noyield(func, nargs, nresults)
    }

    /// [`Vm::call`], never yieldable (finalizers, message handlers).
    pub fn call_noyield(
        &mut self,
        func: usize,
        nargs: usize,
        nresults: u8,
    ) -> Result<(), LuaError> {
        self.coro.nny += 1;
        let r = self.call_yieldable(func, nargs, nresults);
        self.coro.nny -= 1;
        r
    }

    /// [`Vm::call`] through which the callee may yield (lua5.4's `lua_callk`).
    pub fn call_yieldable(
        &mut self,
        func: usize,
        nargs: usize,
        nresults: u8,
    ) -> Result<(), LuaError> {
        let here = native_stack_address();
        if self.frames.is_empty() {
            self.native_stack_base = here;
        }
        if self.native_depth + 1 >= MAX_NATIVE_DEPTH
            || self.native_stack_base.saturating_sub(here) > self.native_stack_budget
        {
            return Err(self.rt_error("C stack overflow"));
        }
        self.native_depth += 1;
        let r = self.call_inner(func, nargs, nresults);
        self.native_depth -= 1;
        r?;
        let end = if nresults == MULTI {
            self.pack_end
        } else {
            func + nresults as usize
        };
        self.stack.truncate(end);
        Ok(())
    }

    fn call_inner(&mut self, func: usize, nargs: usize, nresults: u8) -> Result<(), LuaError> {
        if self.precall(func, nargs, nresults)? {
            let entry = self.frames.len() - 1;
            self.frames[entry].flags |= FRAME_ENTRY;
            (self.engine.exec)(self, entry)?;
        }
        Ok(())
    }

    /// Calls a function value with arguments from native code and returns its results.
    pub fn call_value(
        &mut self,
        f: Value,
        args: &[Value],
        nresults: u8,
    ) -> Result<Vec<Value>, LuaError> {
        let func = self.stack.len();
        self.stack.push(f);
        self.stack.extend_from_slice(args);
        self.call(func, args.len(), nresults)?;
        let results = self.stack[func..].to_vec();
        self.stack.truncate(func);
        Ok(results)
    }

    /// Raises "stack overflow" when the stack would need more than [`Vm::stack_limit`] slots
    /// ([`MAX_STACK`] except while a message handler runs).
    #[inline]
    pub fn check_stack(&mut self, needed: usize) -> Result<(), LuaError> {
        if needed > self.stack_limit {
            Err(self.rt_error("stack overflow"))
        } else {
            Ok(())
        }
    }

    // ----- upvalues ---------------------------------------------------------------------

    /// The open upvalue for stack slot `index`, created if needed.
    pub fn find_upval(&mut self, index: usize) -> GcRef<UpVal> {
        // Sorted by index; closures usually capture recent slots, so search from the end.
        let mut pos = self.open_upvals.len();
        while pos > 0 {
            let u = self.open_upvals[pos - 1];
            match *self.heap.get(u) {
                UpVal::Open(i) if i == index => return u,
                UpVal::Open(i) if i < index => break,
                _ => pos -= 1,
            }
        }
        let u = self.heap.alloc(UpVal::Open(index));
        self.open_upvals.insert(pos, u);
        u
    }

    /// Closes every open upvalue at stack index `level` or above.
    #[inline]
    pub fn close_upvals(&mut self, level: usize) {
        while let Some(&u) = self.open_upvals.last() {
            match *self.heap.get(u) {
                UpVal::Open(i) if i >= level => {
                    let v = self.stack[i];
                    *self.heap.get_mut(u) = UpVal::Closed(v);
                    self.open_upvals.pop();
                }
                _ => break,
            }
        }
    }

    // ----- to-be-closed variables ---------------------------------------------------------
    //
    // A `local x <close>` (and the fourth value of a generic `for`) is marked by `Tbc`:
    // its stack index goes on `tbc`. It is closed, newest first, by calling
    // `__close(value, err)`:
    // - when its block ends, by `break` or `goto` out of it (the `Close` instruction) and
    //   when its function returns (the engines' `Return`, after the results are in place):
    //   [`Vm::close_tbc`], with `err` nil; an error in a `__close` propagates from there;
    // - when an error unwinds its frame to a protected call (`pcall`, `xpcall`, the host's
    //   entry, a finalizer): [`Vm::unwind_error`], which calls
    //   [`Vm::close_tbc_protected`] with the error, after the frames above the catcher
    //   are gone.
    // Upvalues at the same level and above are always closed first, as in lua5.4.

    /// True if a to-be-closed variable at stack index `level` or above is pending (cheap:
    /// the engines ask it at every return).
    #[inline]
    pub fn tbc_pending(&self, level: usize) -> bool {
        matches!(self.tbc.last(), Some(&i) if i >= level)
    }

    /// `Tbc`: marks `stack[index]`, a local of the running Lua frame, to-be-closed. `nil`
    /// and `false` are accepted and ignored; any other value needs a `__close` metamethod,
    /// else the error "variable 'x' got a non-closable value" (named from the debug
    /// information of the running instruction, `?` when there is none). The frame's pc must
    /// be saved (the error is positioned there).
    pub fn mark_tbc(&mut self, index: usize) -> Result<(), LuaError> {
        let v = self.stack[index];
        if !v.truthy() {
            return Ok(());
        }
        if super::meta::metamethod(self, v, super::meta::Event::Close).is_nil() {
            let name = self.local_name_at(index);
            let msg = format!("variable '{name}' got a non-closable value");
            return Err(self.rt_error(&msg));
        }
        if self.tbc.last().is_some_and(|&i| i >= index) {
            // Only malformed bytecode (a slot marked again without a `Close`) gets here.
            return Err(self.rt_error("to-be-closed variable marked out of order"));
        }
        self.tbc.push(index);
        Ok(())
    }

    /// The name of the local at `stack[index]` in the running Lua frame, at its current
    /// instruction; `?` if unknown.
    fn local_name_at(&self, index: usize) -> String {
        let Some(f) = self.frames.last() else {
            return "?".into();
        };
        let (FrameKind::Lua(c), Some(slot)) = (f.kind, index.checked_sub(f.base)) else {
            return "?".into();
        };
        let p = self.heap.get(self.heap.get(c).proto);
        let pc = (self.engine.stack_pc)(self, f);
        p.bc.locals
            .iter()
            .rev()
            .find(|l| l.slot as usize == slot && l.start_pc <= pc && pc < l.end_pc)
            .map_or_else(|| "?".into(), |l| l.name.clone())
    }

    /// Closes, newest first, every pending to-be-closed variable at stack index `level`
    /// or above, with no error (a block's end, `break`, `goto`, `return`): calls
    /// `__close(value, nil)` for each above the stack top, with the running frame in
    /// place (its pc saved: a missing `__close` is "attempt to call a nil value
    /// (metamethod 'close')" positioned there). Open upvalues at `level` and above must be
    /// closed already. An error in a `__close` propagates at once; the variables not
    /// closed yet stay pending, for the protected call that catches the error to close
    /// (with that error). May run any Lua code and reallocate the stack; leaves the stack
    /// length and [`Vm::pack_end`] as it found them.
    pub fn close_tbc(&mut self, level: usize) -> Result<(), LuaError> {
        let pack_end = self.pack_end;
        while let Some(&i) = self.tbc.last() {
            if i < level {
                break;
            }
            self.tbc.pop();
            let Some(&v) = self.stack.get(i) else {
                continue;
            };
            self.call_close(v, Value::Nil, " (metamethod 'close')")?;
        }
        self.pack_end = pack_end;
        Ok(())
    }

    /// Closes, newest first, every pending to-be-closed variable at stack index `level`
    /// or above in protected mode (lua5.4's `luaD_closeprotected`): each gets
    /// `__close(value, e)` where `e` is the current error (nil while there is none); an
    /// error raised by a `__close` goes through `on_error` at the point where it was
    /// raised (xpcall's message handler, or a traceback; `|_, e| e` for none), becomes the
    /// current error, and the closing goes on. Returns the final error: `err` itself if
    /// every `__close` returned normally, `None` if `err` was `None` and none raised.
    ///
    /// For "close everything above stack level L with error E or nil" (an error caught by
    /// a protected call, `coroutine.close`). Precondition: nothing above `level` is in use
    /// any more — the frames of the failed calls are gone and the open upvalues at
    /// `level` and above are closed (see [`Vm::unwind_error`], which does both). Each
    /// `__close` runs with the stack cut just above its variable, as in lua5.4.
    pub fn close_tbc_protected(
        &mut self,
        level: usize,
        mut err: Option<LuaError>,
        on_error: &mut dyn FnMut(&mut Vm, LuaError) -> LuaError,
    ) -> Option<LuaError> {
        let nframes = self.frames.len();
        let depth = self.native_depth;
        // The error may be a "stack overflow" with the newest variable near the limit:
        // closing gets the headroom a message handler gets (lua5.4 keeps the stack it grew
        // for the error until the protected call has finished).
        let saved_limit = self.stack_limit;
        self.stack_limit = saved_limit.max(MAX_STACK + ERROR_STACK_EXTRA);
        while let Some(&i) = self.tbc.last() {
            if i < level {
                break;
            }
            self.tbc.pop();
            let Some(&v) = self.stack.get(i) else {
                continue;
            };
            // The error object stays rooted just above the variable while `__close` runs
            // (which may drop its own reference to it), as lua5.4 keeps it at `level + 1`.
            self.stack.truncate(i + 1);
            let ev = err.as_ref().map_or(Value::Nil, |e| e.value);
            self.stack.push(ev);
            if let Err(e) = self.call_close(v, ev, "") {
                let e = on_error(self, e);
                self.close_upvals(i + 1);
                self.frames.truncate(nframes);
                self.native_depth = depth;
                err = Some(e);
            }
        }
        self.stack_limit = saved_limit;
        err
    }

    /// Undoes what a failed call left behind above a native function that caught its
    /// error (`pcall` and the like): closes the open upvalues at stack index `level` and
    /// above, drops the frames above the first `nframes`, closes the pending to-be-closed
    /// variables at `level` and above with the error ([`Vm::close_tbc_protected`], passing
    /// `on_error` on), and cuts the stack at `level`. Returns the error that wins.
    pub fn unwind_error(
        &mut self,
        nframes: usize,
        level: usize,
        err: LuaError,
        on_error: &mut dyn FnMut(&mut Vm, LuaError) -> LuaError,
    ) -> LuaError {
        self.close_upvals(level);
        self.frames.truncate(nframes);
        let err = if self.tbc_pending(level) {
            self.close_tbc_protected(level, Some(err.clone()), on_error)
                .unwrap_or(err)
        } else {
            err
        };
        self.stack.truncate(level);
        err
    }

    /// Calls the `__close` metamethod of `v` with `err`, above the stack top. A `__close`
    /// that is not callable raises "attempt to call a X value" followed by `what`.
    fn call_close(&mut self, v: Value, err: Value, what: &str) -> Result<(), LuaError> {
        use super::meta::{metamethod, type_name, Event};
        let h = metamethod(self, v, Event::Close);
        if !matches!(h, Value::LuaFn(_) | Value::NativeFn(_))
            && metamethod(self, h, Event::Call).is_nil()
        {
            let msg = format!("attempt to call a {} value{what}", type_name(self, h));
            return Err(self.rt_error(&msg));
        }
        let func = self.stack.len();
        self.stack.extend_from_slice(&[h, v, err]);
        self.call(func, 2, 0)
    }

    /// Reads an upvalue.
    #[inline]
    pub fn upval_get(&self, u: GcRef<UpVal>) -> Value {
        match self.heap.get(u) {
            &UpVal::Open(i) => self.stack[i],
            &UpVal::Closed(v) => v,
            UpVal::Parked(at) => {
                let stack = &self.heap.get(at.thread).state.stack;
                stack.get(at.index).copied().unwrap_or(Value::Nil)
            }
        }
    }

    /// Writes an upvalue.
    #[inline]
    pub fn upval_set(&mut self, u: GcRef<UpVal>, v: Value) {
        match self.heap.get_mut(u) {
            UpVal::Open(i) => {
                let i = *i;
                self.stack[i] = v;
            }
            UpVal::Closed(slot) => *slot = v,
            UpVal::Parked(at) => {
                let (thread, index) = (at.thread, at.index);
                if let Some(slot) = self.heap.get_mut(thread).state.stack.get_mut(index) {
                    *slot = v;
                }
            }
        }
    }

    /// Creates a closure of child proc `idx` of the running Lua frame's proc.
    pub fn new_closure(&mut self, parent: GcRef<LuaClosure>, idx: usize, base: usize) -> Value {
        let pproto = self.heap.get(parent).proto;
        let child = self.heap.get(pproto).children[idx];
        let n = self.heap.get(child).bc.upvals.len();
        let mut ups = Vec::with_capacity(n);
        for i in 0..n {
            let d = &self.heap.get(child).bc.upvals[i];
            let (local, index) = (d.in_parent_local, d.index as usize);
            let u = if local {
                self.find_upval(base + index)
            } else {
                self.heap.get(parent).upvals[index]
            };
            ups.push(u);
        }
        Value::LuaFn(self.heap.alloc(LuaClosure {
            proto: child,
            upvals: ups.into_boxed_slice(),
        }))
    }

    // ----- native-function arguments ----------------------------------------------------

    /// The running native frame's first argument index.
    #[inline]
    pub fn native_base(&self) -> usize {
        self.frames.last().map_or(0, |f| f.base)
    }

    /// Number of arguments of the running native function.
    #[inline]
    pub fn arg_count(&self) -> usize {
        self.stack.len().saturating_sub(self.native_base())
    }

    /// Argument `i` (0-based) of the running native function, nil if absent.
    #[inline]
    pub fn arg(&self, i: usize) -> Value {
        let ix = self.native_base() + i;
        if ix < self.stack.len() {
            self.stack[ix]
        } else {
            Value::Nil
        }
    }

    /// Pushes a result of a native function.
    #[inline]
    pub fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    // ----- garbage collection -----------------------------------------------------------

    /// A safepoint: collects if the heap asks for it, then runs the finalizers that
    /// collection made due. Every live value must be reachable from the roots (stack,
    /// upvalues, globals, registry, host roots).
    ///
    /// Finalizers are Lua code: they run on top of the stack (above `stack.len()`) and
    /// leave the stack length and [`Vm::pack_end`] as they found them. A memory-limit
    /// overrun found here is raised at the next call ([`Vm::precall`]); engines that can
    /// fail at the safepoint itself use [`Vm::safepoint`].
    #[inline]
    pub fn gc_check(&mut self) {
        if self.heap.should_collect() {
            self.collect_garbage();
        }
    }

    /// [`Vm::gc_check`], then the "not enough memory" error if the heap is still over its
    /// limit after collecting.
    #[inline]
    pub fn safepoint(&mut self) -> Result<(), LuaError> {
        self.gc_check();
        if self.heap.oom_pending {
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// The "not enough memory" error (a plain string, no position, as in Lua). Clears the
    /// pending flag: the next safepoint sets it again if memory is still short.
    pub fn memory_error(&mut self) -> LuaError {
        self.heap.oom_pending = false;
        LuaError::new(self.heap.memory_error_value())
    }

    /// Sets to nil the local slots of suspended Lua frames whose variables are out of scope
    /// at the frame's saved pc, so their old values are not GC roots.
    ///
    /// Why: lua5.4 reuses a dead local's register for the next call, so after
    /// `do local x = {} end collectgarbage()` the table is garbage there; our engines put
    /// calls above all local slots, so without this the value would stay reachable and
    /// weak entries and finalizers would differ from lua5.4. Only frames with a frame
    /// above them are cleared: they are suspended in a call or metamethod with their pc
    /// saved, so their active locals are exactly known (the running frame is left alone).
    /// Slots at or above the next frame's function, and pending to-be-closed variables,
    /// are never touched.
    fn clear_dead_locals(&mut self) {
        for i in 0..self.frames.len().saturating_sub(1) {
            let f = self.frames[i];
            let FrameKind::Lua(c) = f.kind else {
                continue;
            };
            let p = self.heap.get(self.heap.get(c).proto);
            let nlocals = p.bc.num_locals as usize;
            if nlocals == 0 {
                continue;
            }
            let pc = (self.engine.stack_pc)(self, &f);
            let mut live = [false; 256];
            let mut live_big = Vec::new();
            for l in &p.bc.locals {
                if l.start_pc <= pc && pc < l.end_pc {
                    let s = l.slot as usize;
                    if s < live.len() {
                        live[s] = true;
                    } else {
                        live_big.push(s);
                    }
                }
            }
            let limit = self.frames[i + 1]
                .func
                .min(f.base + nlocals)
                .min(self.stack.len());
            for slot in f.base..limit {
                let s = slot - f.base;
                let is_live = if s < live.len() {
                    live[s]
                } else {
                    live_big.contains(&s)
                };
                // A pending to-be-closed variable stays until it is closed, even where its
                // name is out of scope (a function's final `Return` closes them).
                if !is_live && !self.tbc.contains(&slot) {
                    self.stack[slot] = Value::Nil;
                }
            }
        }
    }

    /// A full collection now, then the finalizers it made due (unless a finalizer is
    /// running: they then wait for the next collection).
    pub fn collect_garbage(&mut self) {
        self.clear_dead_locals();
        let Vm {
            heap,
            stack,
            frames,
            globals,
            registry,
            string_meta,
            type_meta,
            open_upvals,
            host_roots,
            names,
            coro,
            instr,
            loaded_protos,
            ..
        } = self;
        heap.collect(|m: &mut Marker| {
            for v in stack.iter() {
                m.value(*v);
            }
            for f in frames.iter() {
                match f.kind {
                    FrameKind::Lua(c) => m.object(c),
                    FrameKind::Native(n) => m.object(n),
                }
            }
            m.object(*globals);
            m.object(*registry);
            if let Some(mt) = string_meta {
                m.object(*mt);
            }
            for mt in type_meta.iter().flatten() {
                m.object(*mt);
            }
            for u in open_upvals.iter() {
                m.object(*u);
            }
            for v in host_roots.iter() {
                m.value(*v);
            }
            coro.mark_roots(m);
            m.value(instr.hook.func);
            for p in loaded_protos.iter().flatten() {
                m.object(*p);
            }
            m.object(names.env);
            m.object(names.tostring);
            m.object(names.name);
            for e in names.events.iter() {
                m.object(*e);
            }
        });
        self.run_pending_finalizers();
    }

    /// Calls the finalizers that are due, in order (Lua's `GCTM`), unless one is already
    /// running. Each runs protected, with collections off; an error in one becomes a
    /// warning (printed only when [`Heap::warnings`](super::heap::Heap) is on), never an
    /// error of the running code.
    pub fn run_pending_finalizers(&mut self) {
        if self.heap.in_finalizer {
            return;
        }
        while let Some(obj) = self.heap.next_to_finalize() {
            let f = self.heap.gc_metamethod(obj);
            if f.is_nil() {
                continue;
            }
            self.call_finalizer(f, obj);
        }
    }

    fn call_finalizer(&mut self, f: Value, obj: Value) {
        let top = self.stack.len();
        let pack_end = self.pack_end;
        let nframes = self.frames.len();
        let depth = self.native_depth;
        self.heap.in_finalizer = true;
        self.stack.push(f);
        self.stack.push(obj);
        let r = self.call_noyield(top, 1, 0);
        let r = r.map_err(|e| {
            self.native_depth = depth;
            self.unwind_error(nframes, top, e, &mut |_, e| e)
        });
        self.heap.in_finalizer = false;
        if let Err(e) = r {
            if self.heap.warnings {
                let msg = match e.value {
                    Value::Str(s) => String::from_utf8_lossy(self.heap.str(s)).into_owned(),
                    _ => "error object is not a string".to_string(),
                };
                eprintln!("Lua warning: error in __gc ({msg})");
            }
        }
        self.stack.truncate(top);
        self.stack.resize(top, Value::Nil);
        self.pack_end = pack_end;
    }

    /// Closes the state as `lua_close` does: calls the finalizers of every table marked
    /// for finalization, reachable or not (pending ones first, then newest first), with
    /// collections off. The host calls this once, when the program ends (also after an
    /// uncaught error). The VM stays usable, but no object becomes finalizable again.
    pub fn close(&mut self) {
        if self.heap.closing {
            return;
        }
        self.heap.closing = true;
        self.heap.finalize_all();
        self.run_pending_finalizers();
    }
}
