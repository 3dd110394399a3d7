//! Functions: loaded procs, Lua closures, native functions and upvalues.

use std::cell::Cell;
use std::rc::Rc;

use super::error::LuaError;
use super::heap::{Collectable, GcObject, GcRef, Marker, Mutable};
use super::value::Value;
use super::vm::Vm;
use crate::bytecode;

/// A proc as loaded into a VM: the stack bytecode plus its constants as values and its
/// children as heap objects. Engine-specific code (register code, native code) hangs off
/// `ext`, which the engines fill lazily.
pub struct FnProto {
    /// The stack bytecode; its `protos` field is emptied at load (children are below).
    pub bc: bytecode::Proto,
    pub consts: Box<[Value]>,
    pub children: Box<[GcRef<FnProto>]>,
    /// The chunk name as shown in messages (`script.lua`, `stdin`, `[string "..."]`).
    pub source: Rc<str>,
    /// The chunk name as Lua keeps it (`@script.lua`, `=stdin`, or the source text): the
    /// `source` field of `debug.getinfo`.
    pub chunkname: Rc<str>,
    /// Calls so far (the profiler's counter).
    pub calls: Cell<u32>,
    /// Engine-specific data (register code, compiled code), owned by the engines.
    pub ext: ProtoExt,
}

/// Per-proc data of the register and JIT tiers; empty until an engine needs it.
#[derive(Default)]
pub struct ProtoExt {
    /// The register code, translated on the proc's first call by the register engine.
    pub reg: std::cell::OnceCell<Rc<crate::isa::RegCode>>,
    /// Type feedback from the JIT engine's interpreter (`interp::feedback`).
    pub feedback: std::cell::OnceCell<Rc<crate::interp::feedback::Feedback>>,
    /// The JIT tier's state: profile counters and compiled code.
    #[cfg(feature = "jit")]
    pub jit: crate::tier::ProcJit,
}

impl FnProto {
    /// Registers needed by a frame of this proc: locals plus the operand stack.
    #[inline]
    pub fn frame_size(&self) -> usize {
        self.bc.num_locals as usize + self.bc.max_stack as usize
    }
}

impl Collectable for FnProto {
    fn wrap(r: GcRef<Self>) -> GcObject {
        GcObject::Proto(r)
    }
    fn trace(&self, m: &mut Marker) {
        for v in self.consts.iter() {
            m.value(*v);
        }
        for c in self.children.iter() {
            m.object(*c);
        }
    }
    fn heap_size(&self) -> usize {
        std::mem::size_of::<Self>() + self.bc.code.len() * 16 + self.consts.len() * 16
    }
}
impl Mutable for FnProto {}

/// An upvalue: open while its variable is still on a value stack, closed afterwards.
///
/// 16 bytes: `Closed` uses `Value`'s tag word, `Open` and `Parked` niche values past every
/// `Value` tag (the JIT's inline upvalue read relies on this: see `tier::native`'s
/// `upval_layout`). That is why a parked upvalue's place is boxed.
#[derive(Debug)]
pub enum UpVal {
    /// The variable lives at this index of the running thread's value stack.
    Open(usize),
    Closed(Value),
    /// An open upvalue of a thread that is not running: the variable lives at `index` of
    /// that thread's saved value stack. A thread's open upvalues are parked when it stops
    /// running and unparked when it runs again (see `runtime::coro`), so `Open` always
    /// means the running thread's stack.
    Parked(Box<ParkedAt>),
}

/// Where a parked upvalue's variable lives: `index` of `thread`'s saved value stack.
#[derive(Clone, Copy, Debug)]
pub struct ParkedAt {
    pub thread: GcRef<super::coro::Thread>,
    pub index: usize,
}

const _: () = assert!(std::mem::size_of::<UpVal>() == 16);

impl Collectable for UpVal {
    fn wrap(r: GcRef<Self>) -> GcObject {
        GcObject::UpVal(r)
    }
    fn trace(&self, m: &mut Marker) {
        match self {
            UpVal::Closed(v) => m.value(*v),
            // The thread keeps the variable's slot alive.
            UpVal::Parked(at) => m.object(at.thread),
            UpVal::Open(_) => {}
        }
    }
}
impl Mutable for UpVal {}

/// A Lua function value.
pub struct LuaClosure {
    pub proto: GcRef<FnProto>,
    pub upvals: Box<[GcRef<UpVal>]>,
}

impl Collectable for LuaClosure {
    fn wrap(r: GcRef<Self>) -> GcObject {
        GcObject::LuaFn(r)
    }
    fn trace(&self, m: &mut Marker) {
        m.object(self.proto);
        for u in self.upvals.iter() {
            m.object(*u);
        }
    }
    fn heap_size(&self) -> usize {
        std::mem::size_of::<Self>() + self.upvals.len() * 8
    }
}
impl Mutable for LuaClosure {}

/// The signature of a native function.
///
/// On entry the arguments are `vm.stack[base..]` where `base` is the native frame's base
/// (see [`Vm::arg`] and friends). The function pushes its results on the value stack and
/// returns how many it pushed; they are the top values of the stack. A native function that
/// calls back into Lua must keep every heap value it still needs reachable from a root
/// (on the stack), because a collection may run during the call.
pub type NativeFnPtr = fn(&mut Vm) -> Result<usize, LuaError>;

/// A native function value, with its upvalues.
pub struct NativeClosure {
    pub f: NativeFnPtr,
    /// The name used in error messages when the call site gives none.
    pub name: &'static str,
    pub upvals: Box<[Value]>,
}

impl Collectable for NativeClosure {
    fn wrap(r: GcRef<Self>) -> GcObject {
        GcObject::NativeFn(r)
    }
    fn trace(&self, m: &mut Marker) {
        for v in self.upvals.iter() {
            m.value(*v);
        }
    }
}
impl Mutable for NativeClosure {}
