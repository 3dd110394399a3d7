//! Errors: every failure is a Lua error value.

use super::value::Value;

/// A Lua error in flight: the error value (a string with its position for runtime errors,
/// or whatever `error` was given) and, once the host has built one, a traceback.
#[derive(Clone, Debug)]
pub struct LuaError {
    pub value: Value,
    pub traceback: Option<String>,
    /// Not an error of the program: the unwinding of a suspended coroutine that
    /// `coroutine.close` closes (see [`LuaError::close_signal`]).
    pub closing: bool,
}

impl LuaError {
    pub fn new(value: Value) -> Self {
        LuaError {
            value,
            traceback: None,
            closing: false,
        }
    }

    /// What a pending `coroutine.yield` returns when its coroutine is closed: it unwinds
    /// every frame of the coroutine. Protected calls (`pcall`, `xpcall`) must pass it on
    /// rather than catch it; code that closes to-be-closed variables on the way runs as
    /// for any error.
    pub fn close_signal() -> Self {
        LuaError {
            value: Value::Nil,
            traceback: None,
            closing: true,
        }
    }

    /// True for [`LuaError::close_signal`].
    #[inline]
    pub fn is_close_signal(&self) -> bool {
        self.closing
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
