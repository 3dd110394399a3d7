//! Values: 16 bytes, a tag and a 64-bit payload, with a layout the JIT relies on.

use super::coro::Thread;
use super::function::{LuaClosure, NativeClosure};
use super::heap::GcRef;
use super::string::LuaStr;
use super::table::Table;
use super::userdata::Userdata;

/// A Lua value.
///
/// `#[repr(C, u64)]` fixes the layout: a 64-bit tag at offset 0 and the payload at offset 8
/// for every variant, so native code can read and write registers directly. The tag numbers
/// are the explicit discriminants; the static assertions below keep them in step with the
/// JIT crate's `abi` module.
///
/// Why a full-width tag: with a 1-byte tag, a new value is stored as a byte plus 8 bytes and
/// then copied with one 16-byte load, which the CPU cannot forward from those two stores (a
/// store-forwarding stall per copied value), and copies also had to move the 7 padding
/// bytes piecewise. With a `u64` tag, integers, floats and references have no padding and
/// copies are plain 8-byte or 16-byte moves (measured in docs/PERFORMANCE.md).
///
/// For the JIT: on little-endian targets the tag's low byte is at offset 0, so reading the
/// tag as a `u8` at offset 0 stays valid, and so does writing only that byte **into a slot
/// that already holds a valid value** (the other 7 tag bytes of every valid value are zero).
/// Writing the whole tag as 8 bytes is preferable: it avoids the same forwarding stall.
#[repr(C, u64)]
#[derive(Clone, Copy, Debug, Default)]
pub enum Value {
    #[default]
    Nil = 0,
    Bool(bool) = 1,
    Int(i64) = 2,
    Float(f64) = 3,
    Str(GcRef<LuaStr>) = 4,
    Table(GcRef<Table>) = 5,
    LuaFn(GcRef<LuaClosure>) = 6,
    NativeFn(GcRef<NativeClosure>) = 7,
    /// A coroutine (`type(co) == "thread"`).
    Thread(GcRef<Thread>) = 8,
    Userdata(GcRef<Userdata>) = 9,
}

/// Tag numbers, as stored in byte 0 of a value.
pub mod tag {
    pub const NIL: u8 = 0;
    pub const BOOL: u8 = 1;
    pub const INT: u8 = 2;
    pub const FLOAT: u8 = 3;
    pub const STR: u8 = 4;
    pub const TABLE: u8 = 5;
    pub const LUAFN: u8 = 6;
    pub const NATIVEFN: u8 = 7;
    pub const THREAD: u8 = 8;
    pub const USERDATA: u8 = 9;
}

const _: () = assert!(std::mem::size_of::<Value>() == 16);
const _: () = assert!(std::mem::align_of::<Value>() == 8);
// The JIT crate's tag numbers are these.
#[cfg(feature = "jit")]
const _: () = {
    use apogee_jit::abi;
    assert!(tag::NIL == abi::TAG_NIL && tag::BOOL == abi::TAG_BOOL);
    assert!(tag::INT == abi::TAG_INT && tag::FLOAT == abi::TAG_FLOAT);
    assert!(tag::STR == abi::TAG_STR && tag::TABLE == abi::TAG_TABLE);
    assert!(tag::LUAFN == abi::TAG_LUAFN && tag::NATIVEFN == abi::TAG_NATIVEFN);
    assert!(tag::THREAD == abi::TAG_THREAD && tag::USERDATA == abi::TAG_USERDATA);
    assert!(tag::USERDATA == abi::MAX_TAG);
};
// The JIT reads the tag's low byte at offset 0: that needs a little-endian target.
const _: () = assert!(cfg!(target_endian = "little"));

impl Value {
    /// The tag byte (see [`tag`]).
    #[inline]
    pub fn tag(&self) -> u8 {
        match self {
            Value::Nil => tag::NIL,
            Value::Bool(_) => tag::BOOL,
            Value::Int(_) => tag::INT,
            Value::Float(_) => tag::FLOAT,
            Value::Str(_) => tag::STR,
            Value::Table(_) => tag::TABLE,
            Value::LuaFn(_) => tag::LUAFN,
            Value::NativeFn(_) => tag::NATIVEFN,
            Value::Userdata(_) => tag::USERDATA,
            Value::Thread(_) => tag::THREAD,
        }
    }

    /// Lua truthiness: everything but `nil` and `false` is true.
    #[inline]
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    #[inline]
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// The name `type()` returns.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Table(_) => "table",
            Value::LuaFn(_) | Value::NativeFn(_) => "function",
            Value::Userdata(_) => "userdata",
            Value::Thread(_) => "thread",
        }
    }

    /// Raw equality (`rawequal`): no metamethods; integers and floats compare by value.
    #[inline]
    pub fn raw_eq(&self, other: &Value) -> bool {
        match (*self, *other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => {
                // Exact: the float must be integral and equal to the integer.
                b == b.trunc()
                    && (-9223372036854775808.0..9223372036854775808.0).contains(&b)
                    && b as i64 == a
            }
            // Strings are interned: equal contents means the same object.
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Table(a), Value::Table(b)) => a == b,
            (Value::LuaFn(a), Value::LuaFn(b)) => a == b,
            (Value::NativeFn(a), Value::NativeFn(b)) => a == b,
            (Value::Userdata(a), Value::Userdata(b)) => a == b,
            (Value::Thread(a), Value::Thread(b)) => a == b,
            _ => false,
        }
    }

    /// The identity of a heap object (for `%p`-style printing and hashing), if any.
    pub fn object_addr(&self) -> Option<usize> {
        match self {
            Value::Str(r) => Some(r.addr()),
            Value::Table(r) => Some(r.addr()),
            Value::LuaFn(r) => Some(r.addr()),
            Value::NativeFn(r) => Some(r.addr()),
            Value::Userdata(r) => Some(r.addr()),
            Value::Thread(r) => Some(r.addr()),
            _ => None,
        }
    }
}
