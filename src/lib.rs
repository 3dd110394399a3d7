//! apogee: a virtual machine for Lua 5.4.
#![deny(unsafe_code)]
pub mod bytecode;
pub mod frontend;
pub mod host;
pub mod interp;
pub mod isa;
pub mod research;
pub mod runtime;
pub mod stack;
pub mod stdlib;
#[cfg(feature = "jit")]
pub mod tier;
pub mod translate;
