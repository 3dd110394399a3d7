//! The runtime shared by every engine: values, the heap and its collector, strings, tables,
//! closures and upvalues, errors, the call protocol, and the semantics of every operator.
//!
//! Engines only move operands; what an operation *means* (arithmetic, comparison,
//! indexing, concatenation, calls) is decided here, once.

pub mod coro;
pub mod error;
pub mod function;
pub mod heap;
pub mod instr;
pub mod meta;
pub mod number;
pub mod ops;
pub mod string;
pub mod table;
pub mod userdata;
pub mod value;
pub mod vm;

pub use error::{LuaError, StaticError};
pub use heap::{GcRef, Heap};
pub use value::Value;
pub use vm::Vm;

pub use crate::bytecode::chunk_display_name;
