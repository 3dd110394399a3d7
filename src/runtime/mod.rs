//! The runtime shared by every engine: values, the heap and its collector, strings, tables,
//! closures and upvalues, errors, the call protocol, and the semantics of every operator.
//!
//! Engines only move operands; what an operation *means* (arithmetic, comparison,
//! indexing, concatenation, calls) is decided here, once.

pub mod error;
pub mod function;
pub mod heap;
pub mod meta;
pub mod number;
pub mod ops;
pub mod string;
pub mod table;
pub mod value;
pub mod vm;

pub use error::{LuaError, StaticError};
pub use heap::{GcRef, Heap};
pub use value::Value;
pub use vm::Vm;

/// The chunk name as shown in messages: `@file` gives `file`, `=name` gives `name`, and
/// source text gives `[string "first line..."]`, as Lua's `luaO_chunkid` does.
pub fn chunk_display_name(chunkname: &str) -> String {
    const IDSIZE: usize = 60;
    if let Some(rest) = chunkname.strip_prefix('=') {
        rest.chars().take(IDSIZE - 1).collect()
    } else if let Some(rest) = chunkname.strip_prefix('@') {
        if rest.len() < IDSIZE {
            rest.to_string()
        } else {
            let keep: String = rest
                .chars()
                .rev()
                .take(IDSIZE - 4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("...{keep}")
        }
    } else {
        let first = chunkname.split('\n').next().unwrap_or("");
        let max = IDSIZE - "[string \"...\"]".len() - 1;
        if first.len() < chunkname.len() || first.len() > max {
            let cut: String = first.chars().take(max).collect();
            format!("[string \"{cut}...\"]")
        } else {
            format!("[string \"{first}\"]")
        }
    }
}
