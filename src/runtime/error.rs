//! Errors: every failure is a Lua error value.

use super::value::Value;

/// A Lua error in flight: the error value (a string with its position for runtime errors,
/// or whatever `error` was given) and, once the host has built one, a traceback.
#[derive(Clone, Debug)]
pub struct LuaError {
    pub value: Value,
    pub traceback: Option<String>,
}

impl LuaError {
    pub fn new(value: Value) -> Self {
        LuaError {
            value,
            traceback: None,
        }
    }
}

/// An error outside any VM: a compile error, a malformed bytecode file, an I/O failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticError(pub String);

impl std::fmt::Display for StaticError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StaticError {}
