//! apogee-jit: the JIT IR and its lowering to Cranelift. Knows nothing of Lua.
//!
//! - [`abi`]: the register-slot layout, tag numbers, [`abi::JitContext`] and
//!   the exit-code encoding shared with the VM.
//! - [`ir`]: the typed IR (blocks of three-address instructions over mutable
//!   variables), with a textual dump; [`builder::Builder`] builds it and
//!   [`validate::validate`] checks it.
//! - [`compile`]: [`Jit`] compiles IR to executable memory for the host;
//!   [`compile_for_target`] produces bytes for another ISA.
//!
//! See `docs/jit.md` for the contract with the VM.
//!
//! # Safety
//! `unsafe` appears only where generated code is called or its pointer is
//! made a function pointer (`compile.rs`), where the JIT memory is freed
//! (`compile.rs`), and in tests that build register windows by hand.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod abi;
pub mod builder;
pub mod compile;
pub mod ir;
mod lower;
mod promote;
pub mod validate;

pub use abi::{ExitCode, JitContext};
pub use builder::Builder;
pub use compile::{compile_for_target, CompiledFn, Jit, JitError, JitOptions};
pub use ir::{Function, Type};
pub use validate::{validate, IrError};
