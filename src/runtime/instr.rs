//! Instrumented dispatch: debug hooks, the instruction budget and the dynamic counters.
//!
//! The three features need a call-out per instruction (and per call and return), which
//! the plain dispatch loops must not pay for. So each engine's loop is generic over a
//! [`Probe`]: [`Plain`] compiles every call-out away; [`Probed`] keeps them. An engine
//! entry runs the probed loop only while [`Instrument::active`] holds. The plain loop
//! checks that flag at the points where it can become true while it runs (a hook is set
//! by `debug.sethook`, a native function): when a frame is entered or resumed and after
//! a native call returns; there it hands its state back to the engine entry, which goes
//! on in the other loop (and the probed loop does the same when everything is switched
//! off). So, as in lua5.4, line and count hooks start at the next instruction.
//!
//! Everything lives in [`Vm::instr`] (one place). lua5.4 keeps hooks per thread; when
//! the VM gets coroutines, [`HookState`] is the part to move into the thread state.

use super::value::Value;
use super::vm::Vm;
use super::LuaError;

/// Compile-time switch of an engine loop: whether its instrumentation call-outs exist.
pub trait Probe {
    const ON: bool;
}

/// The plain loop: no call-outs.
pub struct Plain;
impl Probe for Plain {
    const ON: bool = false;
}

/// The instrumented loop.
pub struct Probed;
impl Probe for Probed {
    const ON: bool = true;
}

/// Hook mask bits (lua5.4's `LUA_MASK*`).
pub const MASK_CALL: u8 = 1;
pub const MASK_RET: u8 = 2;
pub const MASK_LINE: u8 = 4;
pub const MASK_COUNT: u8 = 8;

/// The events a hook receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookEvent {
    Call,
    TailCall,
    Return,
    Line,
    Count,
}

impl HookEvent {
    /// The name the hook function receives as its first argument.
    pub fn name(self) -> &'static str {
        match self {
            HookEvent::Call => "call",
            HookEvent::TailCall => "tail call",
            HookEvent::Return => "return",
            HookEvent::Line => "line",
            HookEvent::Count => "count",
        }
    }
}

/// The hook of `debug.sethook` (per thread in lua5.4; see the module documentation).
#[derive(Clone, Copy, Debug)]
pub struct HookState {
    /// The hook function; nil when no hook is set.
    pub func: Value,
    /// `MASK_*` bits; 0 when no hook is set.
    pub mask: u8,
    /// The count of `sethook` (instructions between count events; 0 = none).
    pub count: u32,
    /// Instructions left until the next count event.
    pub countdown: u32,
    /// False while a hook runs: hooks do not fire inside hooks (lua5.4's `allowhook`).
    pub allow: bool,
}

impl Default for HookState {
    fn default() -> Self {
        HookState {
            func: Value::Nil,
            mask: 0,
            count: 0,
            countdown: 0,
            allow: true,
        }
    }
}

/// Which instruction set a [`DynCounters`] histogram is indexed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    Stack,
    Register,
}

/// Number of opcode slots in the histograms (opcodes are bytes in both instruction sets).
pub const OPCODES: usize = 256;

/// Dynamic counters of `--stats`: what the interpreter loops executed.
///
/// A **move** is an instruction that only copies a value between a local or register and
/// another, or onto/off the operand stack: on the register engine `Move`; on the stack
/// engine `GetLocal` and `SetLocal` (the traffic a register machine's operand folding
/// removes). New register ops that are pure copies (e.g. superinstructions made of moves)
/// must be added to `interp::exec::op_kind`. A **constant load** puts a constant or
/// an immediate in a slot: register `LoadK`, `LoadKx`, `LoadI`, `LoadF`, `LoadTrue`,
/// `LoadFalse`, `LoadNil`; stack `PushConst`, `PushInt`, `PushTrue`, `PushFalse`,
/// `PushNil`. Counts cover interpreted instructions only: native (JIT) code does not count.
#[derive(Clone, Debug)]
pub struct DynCounters {
    pub isa: Isa,
    /// Dispatched instructions per opcode (register opcode byte, or stack binary opcode).
    pub ops: Vec<u64>,
    /// `pairs[prev * OPCODES + cur]`: instruction `cur` dispatched right after `prev` in the
    /// same frame. The first instruction run when a frame is entered, or resumed after a
    /// Lua callee returned, makes no pair (a native callee does not break a pair).
    pub pairs: Vec<u64>,
    pub moves: u64,
    pub const_loads: u64,
}

impl DynCounters {
    pub fn new(isa: Isa) -> Self {
        DynCounters {
            isa,
            ops: vec![0; OPCODES],
            pairs: vec![0; OPCODES * OPCODES],
            moves: 0,
            const_loads: 0,
        }
    }

    /// The opcode name of `op` in this counter's instruction set.
    pub fn op_name(&self, op: usize) -> &'static str {
        match self.isa {
            Isa::Stack => crate::bytecode::op::MNEMONICS
                .get(op)
                .copied()
                .unwrap_or("?"),
            Isa::Register => crate::isa::Opcode::from_u8(op as u8).map_or("?", |o| o.info().name),
        }
    }

    /// `(name, count)` of every executed opcode, most frequent first (ties by name).
    pub fn histogram(&self) -> Vec<(&'static str, u64)> {
        let mut v: Vec<_> = (0..OPCODES)
            .filter(|&i| self.ops[i] > 0)
            .map(|i| (self.op_name(i), self.ops[i]))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    /// The `n` most frequent opcode pairs `(previous, current, count)`, most frequent first.
    pub fn top_pairs(&self, n: usize) -> Vec<(&'static str, &'static str, u64)> {
        let mut v: Vec<_> = (0..OPCODES * OPCODES)
            .filter(|&i| self.pairs[i] > 0)
            .map(|i| {
                (
                    self.op_name(i / OPCODES),
                    self.op_name(i % OPCODES),
                    self.pairs[i],
                )
            })
            .collect();
        v.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)).then(a.1.cmp(b.1)));
        v.truncate(n);
        v
    }
}

/// Sentinel of [`Instrument`]'s previous-opcode tracking: no previous instruction.
pub const NO_OP: u16 = u16::MAX;

/// The instrumentation state of a VM (see the module documentation).
#[derive(Debug, Default)]
pub struct Instrument {
    /// Some instrumentation is on: the engines run their probed loop.
    pub active: bool,
    /// Hooks or a budget are on: no native (JIT) code may run, since it neither calls
    /// hooks nor counts instructions. (Counters alone let native code run: `--stats`
    /// then counts interpreted instructions only.)
    pub interpret_only: bool,
    pub hook: HookState,
    /// The instruction limit (`Options::instruction_limit`), if any.
    pub limit: Option<u64>,
    /// Instructions left under [`Instrument::limit`]. Exhaustion is sticky: once it
    /// reaches 0 every further instruction raises the error again, so a script that
    /// catches it with `pcall` still cannot run on.
    pub budget: u64,
    /// Detailed counters (`--stats`), if collected.
    pub counters: Option<Box<DynCounters>>,
}

impl Instrument {
    /// Recomputes [`Instrument::active`] after a change.
    pub fn refresh(&mut self) {
        self.interpret_only = self.hook.mask != 0 || self.limit.is_some();
        self.active = self.interpret_only || self.counters.is_some();
    }
}

/// The error raised when the instruction budget is exhausted.
pub const LIMIT_MESSAGE: &str = "instruction limit exceeded";

impl Vm {
    /// Sets or removes the instruction limit (counted from now).
    pub fn set_instruction_limit(&mut self, limit: Option<u64>) {
        self.instr.limit = limit;
        self.instr.budget = limit.unwrap_or(0);
        self.instr.refresh();
    }

    /// Starts (or stops) collecting the dynamic counters of `--stats`.
    pub fn collect_dyn_counters(&mut self, on: bool) {
        self.instr.counters = if on {
            let isa = if self.engine.name == "stack" {
                Isa::Stack
            } else {
                Isa::Register
            };
            Some(Box::new(DynCounters::new(isa)))
        } else {
            None
        };
        self.instr.refresh();
    }

    /// Sets the hook (`func` nil or `mask` 0 removes it).
    pub fn set_hook(&mut self, func: Value, mask: u8, count: u32) {
        let (func, mask) = if func.is_nil() || mask == 0 {
            (Value::Nil, 0)
        } else {
            (func, mask)
        };
        self.instr.hook.func = func;
        self.instr.hook.mask = mask;
        self.instr.hook.count = count;
        self.instr.hook.countdown = count;
        self.instr.refresh();
    }

    /// Whether a hook for events of `mask` would fire now.
    #[inline]
    pub fn hook_on(&self, mask: u8) -> bool {
        self.instr.hook.mask & mask != 0 && self.instr.hook.allow
    }

    /// Calls the hook with `event` and `line` (nil when `None`), with hooks off while it
    /// runs. The running frame's pc must be saved. Keeps the stack length and
    /// [`Vm::pack_end`] (a pack may be pending).
    pub fn call_hook(&mut self, event: HookEvent, line: Option<u32>) -> Result<(), LuaError> {
        let f = self.instr.hook.func;
        if f.is_nil() || !self.instr.hook.allow {
            return Ok(());
        }
        let pack_end = self.pack_end;
        let top = self.stack.len();
        let name = self.str_value(event.name().as_bytes());
        let line = line.map_or(Value::Nil, |l| Value::Int(i64::from(l)));
        self.instr.hook.allow = false;
        let r = self.call_value(f, &[name, line], 0);
        self.instr.hook.allow = true;
        self.pack_end = pack_end;
        r?;
        if self.stack.len() < top {
            self.stack.resize(top, Value::Nil);
        }
        Ok(())
    }

    /// The budget part of a probed instruction step: the error once it is exhausted.
    #[inline]
    pub fn charge_instruction(&mut self) -> Result<(), LuaError> {
        if self.instr.limit.is_some() {
            if self.instr.budget == 0 {
                return Err(self.rt_error(LIMIT_MESSAGE));
            }
            self.instr.budget -= 1;
        }
        Ok(())
    }

    /// The count-hook part of a probed instruction step: true when the count event is due.
    #[inline]
    pub fn count_tick(&mut self) -> bool {
        let h = &mut self.instr.hook;
        if h.mask & MASK_COUNT == 0 || !h.allow {
            return false;
        }
        h.countdown = h.countdown.saturating_sub(1);
        if h.countdown == 0 {
            h.countdown = h.count;
            return true;
        }
        false
    }

    /// Records one dispatched instruction in the dynamic counters, if collected.
    #[inline]
    pub fn count_op(&mut self, op: u8, prev: &mut u16, kind: OpKind) {
        if let Some(c) = self.instr.counters.as_deref_mut() {
            c.ops[op as usize] += 1;
            if *prev != NO_OP {
                c.pairs[*prev as usize * OPCODES + op as usize] += 1;
            }
            *prev = u16::from(op);
            match kind {
                OpKind::Move => c.moves += 1,
                OpKind::TwoMoves => c.moves += 2,
                OpKind::ConstLoad => c.const_loads += 1,
                OpKind::Other => {}
            }
        }
    }

    /// The hooks of entering a Lua frame (the top frame, not yet run): the call event.
    pub fn hook_enter(&mut self, tail: bool) -> Result<(), LuaError> {
        if self.hook_on(MASK_CALL) {
            let ev = if tail {
                HookEvent::TailCall
            } else {
                HookEvent::Call
            };
            self.call_hook(ev, None)?;
        }
        Ok(())
    }

    /// The return event of the top frame (its pc saved), if hooked.
    pub fn hook_return(&mut self) -> Result<(), LuaError> {
        if self.hook_on(MASK_RET) {
            self.call_hook(HookEvent::Return, None)?;
        }
        Ok(())
    }
}

/// What a dispatched instruction counts as (see [`DynCounters`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    Move,
    /// Two moves in one dispatch (the `MoveMove` superinstruction).
    TwoMoves,
    ConstLoad,
    Other,
}

/// Whether a line event is due at the instruction at `pc` with line `line`, the previous
/// instruction traced in the same frame being `old` (`(pc, line)`, `None` at the frame's
/// start): lua5.4's `luaG_traceexec` fires when a function starts, on a backward jump
/// (`pc <= oldpc`) and when the line changes.
#[inline]
pub fn line_event_due(old: Option<(usize, u32)>, pc: usize, line: u32) -> bool {
    match old {
        None => true,
        Some((opc, oline)) => pc <= opc || line != oline,
    }
}
