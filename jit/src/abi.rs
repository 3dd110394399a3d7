//! The binary interface between generated code and the VM.
//!
//! Everything generated code assumes about memory is declared here and nowhere
//! else: the layout of a register slot (a VM `Value`), the numbering of type
//! tags, the layout of [`JitContext`], the entry signature, and the encoding of
//! the `u64` a compiled function returns ([`ExitCode`]).
//!
//! The runtime statically asserts that its `Value` matches [`VALUE_SIZE`],
//! [`TAG_OFFSET`], [`PAYLOAD_OFFSET`] and the `TAG_*` numbers.

use core::ffi::c_void;
use core::fmt;
use core::mem::{align_of, offset_of, size_of};

/// Size in bytes of one register slot (one VM value).
pub const VALUE_SIZE: i32 = 16;
/// Required alignment of a register slot.
pub const VALUE_ALIGN: usize = 8;
/// Offset of the `u8` type tag inside a slot.
pub const TAG_OFFSET: i32 = 0;
/// Offset of the 64-bit payload inside a slot: an `i64` for integers, the
/// bits of an `f64` for floats, a `bool` byte (0 or 1) for booleans, a
/// pointer for objects.
pub const PAYLOAD_OFFSET: i32 = 8;

/// Tag of `nil`.
pub const TAG_NIL: u8 = 0;
/// Tag of a boolean; the payload's first byte is 0 or 1.
pub const TAG_BOOL: u8 = 1;
/// Tag of a 64-bit integer.
pub const TAG_INT: u8 = 2;
/// Tag of a 64-bit float.
pub const TAG_FLOAT: u8 = 3;
/// Tag of a string (payload: pointer).
pub const TAG_STR: u8 = 4;
/// Tag of a table (payload: pointer).
pub const TAG_TABLE: u8 = 5;
/// Tag of a Lua closure (payload: pointer).
pub const TAG_LUAFN: u8 = 6;
/// Tag of a native function (payload: pointer).
pub const TAG_NATIVEFN: u8 = 7;
/// Tag of a full userdata (payload: pointer).
pub const TAG_USERDATA: u8 = 9;
/// Tag of a coroutine (payload: pointer).
pub const TAG_THREAD: u8 = 8;
/// The highest tag a value has (any larger tag word is not a value).
pub const MAX_TAG: u8 = 9;

/// A register slot as generated code sees it. The runtime's `Value` has the
/// same size, alignment and field offsets; this type exists so that tests and
/// the runtime's static assertions have something concrete to compare with.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Slot {
    /// Type tag (`TAG_*`).
    pub tag: u8,
    /// Payload bits (meaning depends on the tag).
    pub payload: u64,
}

impl Slot {
    /// An integer slot.
    pub fn int(i: i64) -> Slot {
        Slot {
            tag: TAG_INT,
            payload: i as u64,
        }
    }
    /// A float slot.
    pub fn float(f: f64) -> Slot {
        Slot {
            tag: TAG_FLOAT,
            payload: f.to_bits(),
        }
    }
    /// A boolean slot.
    pub fn boolean(b: bool) -> Slot {
        Slot {
            tag: TAG_BOOL,
            payload: u64::from(b),
        }
    }
    /// The `nil` slot.
    pub fn nil() -> Slot {
        Slot::default()
    }
    /// The payload read as an integer.
    pub fn as_int(&self) -> i64 {
        self.payload as i64
    }
    /// The payload read as a float.
    pub fn as_float(&self) -> f64 {
        f64::from_bits(self.payload)
    }
}

const _: () = assert!(size_of::<Slot>() == VALUE_SIZE as usize);
const _: () = assert!(align_of::<Slot>() == VALUE_ALIGN);
const _: () = assert!(offset_of!(Slot, tag) == TAG_OFFSET as usize);
const _: () = assert!(offset_of!(Slot, payload) == PAYLOAD_OFFSET as usize);

/// The state shared between the VM and generated code; compiled functions
/// receive a pointer to it as their only argument.
///
/// Invariants the caller of generated code must uphold: `base` points to
/// register 0 of a register window that is large enough for every register
/// the function touches, correctly aligned and not aliased by live Rust
/// references while the code runs.
#[repr(C)]
#[derive(Debug)]
pub struct JitContext {
    /// Register 0 of the current register window. Helpers that reallocate the
    /// value stack must update this field; generated code reloads it after
    /// every helper call and every native call.
    pub base: *mut u8,
    /// Opaque pointer to the VM, only passed on to helpers.
    pub vm: *mut c_void,
    /// Entry point to start at: 0 is the function start, `k > 0` the k-th
    /// extra (OSR) entry. Generated code reads it once on entry and resets it
    /// to 0 when it was not 0, so it is 0 whenever generated code runs and a
    /// plain call (`Inst::CallNative`) never needs to set it.
    pub entry: u32,
    /// Current depth of native-to-native calls.
    pub depth: u32,
    /// Native-to-native calls are not made past this depth: the calling code
    /// side-exits instead (see `Inst::CallNative`).
    pub max_depth: u32,
    /// Padding; kept zero.
    pub reserved: u32,
    /// Instruction budget decremented by `Inst::Fuel`; when it goes below zero
    /// the code returns [`ExitCode::Preempt`].
    pub fuel: i64,
    /// Free for the VM and its helpers (e.g. an error code or a result count);
    /// generated code never touches it.
    pub scratch: u64,
    /// A word the VM's generated code passes from a caller to the function it enters
    /// (apogee: the running Lua closure). Whoever enters a function sets it just before
    /// (the VM when it starts code, the calling code before `Inst::CallNative`); its
    /// meaning is the VM's, the JIT crate only gives it an offset.
    pub closure: u64,
}

/// Offset of [`JitContext::base`].
pub const CTX_BASE: i32 = 0;
/// Offset of [`JitContext::vm`].
pub const CTX_VM: i32 = 8;
/// Offset of [`JitContext::entry`] (`u32`).
pub const CTX_ENTRY: i32 = 16;
/// Offset of [`JitContext::depth`] (`u32`).
pub const CTX_DEPTH: i32 = 20;
/// Offset of [`JitContext::max_depth`] (`u32`).
pub const CTX_MAX_DEPTH: i32 = 24;
/// Offset of [`JitContext::fuel`] (`i64`).
pub const CTX_FUEL: i32 = 32;
/// Offset of [`JitContext::scratch`] (`u64`).
pub const CTX_SCRATCH: i32 = 40;
/// Offset of [`JitContext::closure`] (`u64`).
pub const CTX_CLOSURE: i32 = 48;
/// Size of [`JitContext`].
pub const CTX_SIZE: usize = 56;

const _: () = assert!(offset_of!(JitContext, base) == CTX_BASE as usize);
const _: () = assert!(offset_of!(JitContext, vm) == CTX_VM as usize);
const _: () = assert!(offset_of!(JitContext, entry) == CTX_ENTRY as usize);
const _: () = assert!(offset_of!(JitContext, depth) == CTX_DEPTH as usize);
const _: () = assert!(offset_of!(JitContext, max_depth) == CTX_MAX_DEPTH as usize);
const _: () = assert!(offset_of!(JitContext, fuel) == CTX_FUEL as usize);
const _: () = assert!(offset_of!(JitContext, scratch) == CTX_SCRATCH as usize);
const _: () = assert!(offset_of!(JitContext, closure) == CTX_CLOSURE as usize);
const _: () = assert!(size_of::<JitContext>() == CTX_SIZE);
// Generated code stores pointers as 64-bit values.
const _: () = assert!(size_of::<*mut u8>() == 8);

impl JitContext {
    /// A context for the window starting at `base`, with entry 0, depth 0,
    /// a maximum native call depth of `max_depth`, `fuel` instructions and
    /// `closure` 0.
    pub fn new(base: *mut u8, vm: *mut c_void, max_depth: u32, fuel: i64) -> JitContext {
        JitContext {
            base,
            vm,
            entry: 0,
            depth: 0,
            max_depth,
            reserved: 0,
            fuel,
            scratch: 0,
            closure: 0,
        }
    }
}

/// The signature of every compiled function's entry.
pub type EntryFn = unsafe extern "C" fn(*mut JitContext) -> u64;

/// How a compiled function (or a helper) finished, decoded from its `u64`.
///
/// Encoding: bits 0..8 hold the kind, bits 32..64 a 32-bit payload, bits
/// 8..32 are zero. The raw value 0 is [`ExitCode::Continue`], which compiled
/// functions never return: it is what helpers return to say "carry on"
/// (see `Inst::ExitIfNonzero`).
///
/// | kind | variant | payload |
/// |------|---------|---------|
/// | 0 | `Continue` (whole word 0) | none |
/// | 1 | `Return(n)` | chosen by the IR (e.g. a result count) |
/// | 2 | `Exit(pc)` | register pc to resume the interpreter at |
/// | 3 | `Error(code)` | chosen by the helper that raised it |
/// | 4 | `Preempt(pc)` | fuel ran out; resume at pc |
/// | 5 | `BadEntry(id)` | `ctx.entry` named no entry point |
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// Helper status meaning "no exit, continue".
    Continue,
    /// The function returned normally.
    Return(u32),
    /// A side exit: registers are in memory, resume interpreting at this pc.
    Exit(u32),
    /// A helper raised an error (the error value is the VM's business).
    Error(u32),
    /// The fuel counter ran out at this pc; registers are in memory.
    Preempt(u32),
    /// The function was entered with an entry id it does not have.
    BadEntry(u32),
}

/// Kind byte of [`ExitCode::Return`].
pub const KIND_RETURN: u64 = 1;
/// Kind byte of [`ExitCode::Exit`].
pub const KIND_EXIT: u64 = 2;
/// Kind byte of [`ExitCode::Error`].
pub const KIND_ERROR: u64 = 3;
/// Kind byte of [`ExitCode::Preempt`].
pub const KIND_PREEMPT: u64 = 4;
/// Kind byte of [`ExitCode::BadEntry`].
pub const KIND_BAD_ENTRY: u64 = 5;

/// Builds a raw code from a kind byte and a payload.
pub const fn make_code(kind: u64, payload: u32) -> u64 {
    ((payload as u64) << 32) | (kind & 0xff)
}

/// The error returned when a `u64` is not a valid exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadExitCode(pub u64);

impl fmt::Display for BadExitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JIT exit code {:#x}", self.0)
    }
}

impl std::error::Error for BadExitCode {}

impl ExitCode {
    /// The raw `u64` form.
    pub const fn encode(self) -> u64 {
        match self {
            ExitCode::Continue => 0,
            ExitCode::Return(n) => make_code(KIND_RETURN, n),
            ExitCode::Exit(pc) => make_code(KIND_EXIT, pc),
            ExitCode::Error(c) => make_code(KIND_ERROR, c),
            ExitCode::Preempt(pc) => make_code(KIND_PREEMPT, pc),
            ExitCode::BadEntry(id) => make_code(KIND_BAD_ENTRY, id),
        }
    }

    /// Decodes a raw code; anything not produced by [`ExitCode::encode`] is
    /// an error.
    pub fn decode(raw: u64) -> Result<ExitCode, BadExitCode> {
        if raw == 0 {
            return Ok(ExitCode::Continue);
        }
        if raw & 0xffff_ff00 != 0 {
            return Err(BadExitCode(raw));
        }
        let payload = (raw >> 32) as u32;
        match raw & 0xff {
            KIND_RETURN => Ok(ExitCode::Return(payload)),
            KIND_EXIT => Ok(ExitCode::Exit(payload)),
            KIND_ERROR => Ok(ExitCode::Error(payload)),
            KIND_PREEMPT => Ok(ExitCode::Preempt(payload)),
            KIND_BAD_ENTRY => Ok(ExitCode::BadEntry(payload)),
            _ => Err(BadExitCode(raw)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_round_trip() {
        let all = [
            ExitCode::Continue,
            ExitCode::Return(0),
            ExitCode::Return(u32::MAX),
            ExitCode::Exit(17),
            ExitCode::Error(3),
            ExitCode::Preempt(9),
            ExitCode::BadEntry(2),
        ];
        for code in all {
            assert_eq!(ExitCode::decode(code.encode()), Ok(code));
        }
        assert!(ExitCode::decode(0x100).is_err());
        assert!(ExitCode::decode(6).is_err());
        assert!(ExitCode::decode(1 << 40).is_err());
    }
}
