//! The front end: Lua 5.4 source text to a resolved AST.
//!
//! ```text
//! source bytes ─lexer─▶ tokens ─parser + scope resolution─▶ ast::Chunk
//! ```
//!
//! Public surface:
//! - [`parse`]`(source, chunkname)`: parse a script file's contents (a first line
//!   starting with `#` is skipped, as `lua5.4` does for files);
//! - [`parse_string`]: the same without that skip (what `load` of a string does);
//! - [`chunk_display_name`]: the chunk name as Lua shows it in messages;
//! - [`lexer::str2number`]: Lua's numeral conversion, also for `tonumber`;
//! - [`compile`]`(source, chunkname)`: parse and compile to stack bytecode
//!   ([`compile::compile_chunk`] does the second half).
//!
//! `chunkname` follows Lua's convention: `@x.lua` for a file (shown `x.lua`), `=stdin`
//! for a literal name (shown `stdin`), anything else is source text (shown
//! `[string "..."]`). Every failure is an `Err(SyntaxError)` whose `message` is exactly
//! what `lua5.4` reports, e.g. `x.lua:3: unexpected symbol near '+'`.
//!
//! The AST is fully resolved (see [`ast`]): names are locals (with fixed slots),
//! upvalues (with descriptors per function) or globals (`_ENV.name`); gotos and breaks
//! know their targets and whether they must close upvalues. Uses of compile-time
//! constants (`local x <const> = 42`) are replaced by their values (see `constfold`);
//! other constant expressions are not folded.
//!
//! Known differences from `lua5.4`: nesting limits ("C stack overflow") count levels
//! from the depth `lua5.4 script.lua` starts at, so `load` from deep inside a running
//! program accepts a few levels more than Lua would; register-count errors ("function or expression
//! needs too many registers") belong to the compiler and are not raised here.

pub mod ast;
pub mod compile;
mod constfold;
mod expr;
pub mod lexer;
mod parser;
mod scope;
pub mod token;

#[cfg(test)]
mod tests;

use std::fmt;

/// A compile error, with the full message as Lua formats it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SyntaxError {}

/// Parses the contents of a script file. A first line starting with `#` (after an
/// optional UTF-8 byte-order mark) is skipped, keeping line numbers.
pub fn parse(source: &[u8], chunkname: &str) -> Result<ast::Chunk, SyntaxError> {
    let display = chunk_display_name(chunkname);
    parser::parse_chunk(source, chunkname, &display, true)
}

/// Parses a chunk given as a string (as `load` does): no first-line skip.
pub fn parse_string(source: &[u8], chunkname: &str) -> Result<ast::Chunk, SyntaxError> {
    let display = chunk_display_name(chunkname);
    parser::parse_chunk(source, chunkname, &display, false)
}

pub use crate::bytecode::chunk_display_name;

/// Parses and compiles a script file's contents to stack bytecode.
pub fn compile(
    source: &[u8],
    chunkname: &str,
) -> Result<crate::bytecode::Module, crate::runtime::StaticError> {
    let chunk = parse(source, chunkname).map_err(|e| crate::runtime::StaticError(e.message))?;
    compile::compile_chunk(&chunk)
}

/// Parses and compiles a string chunk (what `load` does: no first-line `#` skip).
pub fn compile_string(
    source: &[u8],
    chunkname: &str,
) -> Result<crate::bytecode::Module, crate::runtime::StaticError> {
    let chunk =
        parse_string(source, chunkname).map_err(|e| crate::runtime::StaticError(e.message))?;
    compile::compile_chunk(&chunk)
}
