//! Stack bytecode -> register code.
//!
//! Public surface: [`translate_proto`], [`TranslateOptions`], [`TranslateError`].
//!
//! # Register mapping
//! Local slot `i` is register `R[i]`; the operand-stack slot at depth `d` is
//! `R[num_locals + d]` (its *canonical* register). Frames are laid out exactly as for the
//! stack engine (see `runtime::vm`), so calls, packs and `vm.pack_end` work the same way.
//!
//! # Passes (each can be switched off in [`TranslateOptions`])
//! - **Copy propagation** (forward): `GetLocal` pushes a virtual `Local(slot)` entry
//!   instead of a move; consumers read the local's register in place. Before a local is
//!   written, pending entries that still refer to it are copied to their canonical
//!   registers (wasmi's rule). A callee that assigns the local through an upvalue is seen
//!   by a pending read, exactly as in lua5.4 (`x + f()` where `f` sets `x`).
//! - **Constant operands**: constants, small integers, nil and booleans stay virtual and
//!   become `K`/immediate operands (`AddK`, `AddI`, `GetField`, `GetI`, `EqK`, `EqI`...),
//!   or are loaded only when a register is really needed.
//! - **Fusion**: `Compare` followed by `JumpIfFalse`/`JumpIfTrue` becomes one conditional
//!   op and its `Jmp`.
//! - **Backward propagation**: `SetLocal` of a value just computed into a temporary
//!   retargets the producing instruction to write the local directly.
//! - **Dead moves** (after translation, `post.rs`): `Move`s into temporaries whose value
//!   is never read are deleted (liveness over the register code, conservative at calls,
//!   metamethods, allocations and exits).
//! - **Superinstructions** (last, `post.rs`): frequent pairs of adjacent words become one
//!   superinstruction (`isa::FUSED`) that runs both with one dispatch; no word moves.
//!
//! At every jump and every jump target the virtual stack is materialised: every entry
//! in its canonical register. With every pass off the translation is the plain
//! one-stack-slot-one-register mapping.
//!
//! Every word records the stack pc it implements and its line, so errors use the stack
//! bytecode's operand analysis.

#[cfg(test)]
pub(crate) mod build;
mod emit;
mod post;

pub use emit::translate_proto;

/// Which optimisation passes run; all on by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TranslateOptions {
    pub copy_propagation: bool,
    pub constant_operands: bool,
    pub fusion: bool,
    pub backward_propagation: bool,
    pub dead_moves: bool,
    pub superinstructions: bool,
}

impl Default for TranslateOptions {
    fn default() -> Self {
        Self::ALL
    }
}

impl TranslateOptions {
    pub const ALL: TranslateOptions = TranslateOptions {
        copy_propagation: true,
        constant_operands: true,
        fusion: true,
        backward_propagation: true,
        dead_moves: true,
        superinstructions: true,
    };
    pub const NONE: TranslateOptions = TranslateOptions {
        copy_propagation: false,
        constant_operands: false,
        fusion: false,
        backward_propagation: false,
        dead_moves: false,
        superinstructions: false,
    };
}

/// Why a proc cannot be translated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranslateError(pub String);

impl std::fmt::Display for TranslateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TranslateError {}

/// Lua 5.4's message when a function needs more than 255 registers.
pub const TOO_MANY_REGISTERS: &str = "function or expression needs too many registers";

#[cfg(test)]
pub(crate) mod tests;
