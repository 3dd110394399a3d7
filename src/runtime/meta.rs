//! Metatables and metamethods: the lookup every operator's slow path shares.
//!
//! Which values have metatables: tables and full userdata (their own `meta`), strings (the
//! one [`Vm::string_meta`]), and every other basic type through one metatable per type
//! ([`Vm::type_meta`], set only by `debug.setmetatable`, as in Lua 5.4). A metamethod is a
//! raw field of the metatable keyed by an event name (`__add`...); the names are interned
//! once when the [`Vm`] is built ([`Vm::names`]), so a lookup is a hash probe of the
//! metatable, nothing more. Nothing is cached across lookups: a metatable edited by the
//! program is seen at the next operation.
//!
//! Calling a metamethod runs Lua code, hence a safepoint: values the caller still needs
//! afterwards must be on the value stack (the arguments of the call are, while it runs).

use super::error::LuaError;
use super::heap::{GcRef, Heap};
use super::string::LuaStr;
use super::table::Table;
use super::value::Value;
use super::vm::Vm;
use crate::bytecode::ArithOp;

/// The metamethod events (Lua's `TMS`), with the key each one has in a metatable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Event {
    Index,
    NewIndex,
    Gc,
    Mode,
    Len,
    Eq,
    Add,
    Sub,
    Mul,
    Mod,
    Pow,
    Div,
    IDiv,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
    Unm,
    BNot,
    Lt,
    Le,
    Concat,
    Call,
    Close,
    ToString,
    Name,
    Metatable,
    Pairs,
}

/// Number of [`Event`]s.
pub const EVENT_COUNT: usize = 29;

/// The metatable key of each event, indexed by `Event as usize`.
pub const EVENT_NAMES: [&str; EVENT_COUNT] = [
    "__index",
    "__newindex",
    "__gc",
    "__mode",
    "__len",
    "__eq",
    "__add",
    "__sub",
    "__mul",
    "__mod",
    "__pow",
    "__div",
    "__idiv",
    "__band",
    "__bor",
    "__bxor",
    "__shl",
    "__shr",
    "__unm",
    "__bnot",
    "__lt",
    "__le",
    "__concat",
    "__call",
    "__close",
    "__tostring",
    "__name",
    "__metatable",
    "__pairs",
];

impl Event {
    /// The key of this event in a metatable (`"__add"`...).
    pub fn name(self) -> &'static str {
        EVENT_NAMES[self as usize]
    }

    /// The event of a binary arithmetic or bitwise operator.
    pub fn of_arith(op: ArithOp) -> Event {
        match op {
            ArithOp::Add => Event::Add,
            ArithOp::Sub => Event::Sub,
            ArithOp::Mul => Event::Mul,
            ArithOp::Mod => Event::Mod,
            ArithOp::Pow => Event::Pow,
            ArithOp::Div => Event::Div,
            ArithOp::IDiv => Event::IDiv,
            ArithOp::BAnd => Event::BAnd,
            ArithOp::BOr => Event::BOr,
            ArithOp::BXor => Event::BXor,
            ArithOp::Shl => Event::Shl,
            ArithOp::Shr => Event::Shr,
        }
    }

    /// True for the events the string library's metatable answers in lua5.4 (arithmetic
    /// with numeric strings: `"10" + 1`), which apogee implements natively in `ops`.
    pub fn is_string_arith(self) -> bool {
        matches!(
            self,
            Event::Add
                | Event::Sub
                | Event::Mul
                | Event::Mod
                | Event::Pow
                | Event::Div
                | Event::IDiv
                | Event::Unm
        )
    }
}

/// Interns every event name (for [`super::vm::Names`]); the result must be kept as a root.
pub fn intern_events(heap: &mut Heap) -> [GcRef<LuaStr>; EVENT_COUNT] {
    EVENT_NAMES.map(|n| heap.intern(n.as_bytes()))
}

/// Number of per-type metatable slots ([`Vm::type_meta`]).
pub const TYPE_SLOTS: usize = 5;

/// The [`Vm::type_meta`] slot of a value's basic type: nil 0, boolean 1, number 2,
/// function 3, thread 4; `None` for strings, tables and userdata, which keep theirs
/// elsewhere. Keyed by the tag so that new variants need no change here.
#[inline]
pub fn type_slot(v: Value) -> Option<usize> {
    use super::value::tag;
    match v.tag() {
        tag::NIL => Some(0),
        tag::BOOL => Some(1),
        tag::INT | tag::FLOAT => Some(2),
        tag::LUAFN | tag::NATIVEFN => Some(3),
        THREAD_TAG => Some(4),
        _ => None,
    }
}

/// The tag reserved for coroutines (threads).
const THREAD_TAG: u8 = 8;

/// The metatable of a value, if any.
#[inline]
pub fn metatable(vm: &Vm, v: Value) -> Option<GcRef<Table>> {
    match v {
        Value::Table(t) => vm.heap.get(t).meta,
        Value::Userdata(u) => vm.heap.get(u).meta,
        Value::Str(_) => vm.string_meta,
        _ => type_slot(v).and_then(|i| vm.type_meta[i]),
    }
}

/// Sets the metatable of any value as `debug.setmetatable` does: a table's or userdata's
/// own (with the `__gc` rule of [`Heap::set_metatable`]), else the one its whole type
/// shares.
pub fn set_metatable(vm: &mut Vm, v: Value, mt: Option<GcRef<Table>>) {
    match v {
        Value::Table(t) => vm.heap.set_metatable(t, mt),
        Value::Userdata(u) => vm.heap.set_userdata_metatable(u, mt),
        Value::Str(_) => vm.string_meta = mt,
        _ => {
            if let Some(i) = type_slot(v) {
                vm.type_meta[i] = mt;
            }
        }
    }
}

/// The metamethod of `v` for `event`, nil if there is none (`luaT_gettmbyobj`).
#[inline]
pub fn metamethod(vm: &Vm, v: Value, event: Event) -> Value {
    match metatable(vm, v) {
        Some(mt) => vm.heap.get(mt).get_str(vm.names.events[event as usize]),
        None => Value::Nil,
    }
}

/// A field of a value's metatable by name (`luaL_getmetafield`, raw access).
pub fn metafield(vm: &mut Vm, v: Value, field: &[u8]) -> Value {
    match metatable(vm, v) {
        Some(mt) => {
            let k = vm.heap.intern(field);
            vm.heap.get(mt).get_str(k)
        }
        None => Value::Nil,
    }
}

/// The type name lua5.4 shows in operator errors (`luaT_objtypename`): a table's or
/// userdata's `__name` metafield when it is a string, else the basic type name.
pub fn type_name(vm: &Vm, v: Value) -> String {
    if let Value::Table(_) | Value::Userdata(_) = v {
        if let Value::Str(s) = metamethod(vm, v, Event::Name) {
            return String::from_utf8_lossy(vm.heap.str(s)).into_owned();
        }
    }
    v.type_name().to_string()
}

/// Calls `f(args...)` and returns its first result (nil if none). The arguments sit on
/// the value stack during the call, so they stay alive across its safepoints.
pub fn call1(vm: &mut Vm, f: Value, args: &[Value]) -> Result<Value, LuaError> {
    let func = vm.stack.len();
    vm.stack.push(f);
    vm.stack.extend_from_slice(args);
    vm.call(func, args.len(), 1)?;
    let r = vm.stack.get(func).copied().unwrap_or(Value::Nil);
    vm.stack.truncate(func);
    Ok(r)
}

/// The handler of a binary event: the first operand's metamethod, else the second's
/// (`luaT_trybinTM`'s order). Nil when neither has one.
#[inline]
pub fn binary_handler(vm: &Vm, a: Value, b: Value, event: Event) -> Value {
    let h = metamethod(vm, a, event);
    if h.is_nil() {
        metamethod(vm, b, event)
    } else {
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::{ArithOp, MULTI};
    use crate::runtime::ops;

    fn table_with_meta(vm: &mut Vm, fields: &[(&str, Value)]) -> Value {
        let mt = vm.heap.alloc(Table::new());
        for (k, v) in fields {
            let k = vm.str_value(k.as_bytes());
            vm.heap.get_mut(mt).set(k, *v).unwrap();
        }
        let mut t = Table::new();
        t.meta = Some(mt);
        Value::Table(vm.heap.alloc(t))
    }

    fn text(vm: &mut Vm, v: Value) -> String {
        let mut out = Vec::new();
        ops::tostring_bytes(vm, v, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// A native handler that returns the number of its arguments.
    fn count_args(vm: &mut Vm) -> Result<usize, LuaError> {
        let n = vm.arg_count() as i64;
        vm.push(Value::Int(n));
        Ok(1)
    }

    #[test]
    fn event_names_match_the_enum() {
        assert_eq!(EVENT_NAMES.len(), EVENT_COUNT);
        assert_eq!(Event::Index.name(), "__index");
        assert_eq!(Event::Pairs.name(), "__pairs");
        assert_eq!(Event::Pairs as usize + 1, EVENT_COUNT);
        // Each operator has its own event (the names live only in EVENT_NAMES).
        let mut seen = std::collections::HashSet::new();
        for op in ArithOp::ALL {
            assert!(seen.insert(Event::of_arith(op).name()), "{op:?}");
        }
        assert_eq!(Event::of_arith(ArithOp::IDiv).name(), "__idiv");
        assert_eq!(Event::of_arith(ArithOp::Shr).name(), "__shr");
    }

    #[test]
    fn lookup_and_type_names() {
        let vm = &mut Vm::new();
        let name = vm.str_value(b"Point");
        let t = table_with_meta(vm, &[("__name", name)]);
        assert!(metamethod(vm, t, Event::Name).raw_eq(&name));
        assert!(metamethod(vm, t, Event::Add).is_nil());
        assert!(metamethod(vm, Value::Int(1), Event::Add).is_nil());
        assert_eq!(type_name(vm, t), "Point");
        assert_eq!(type_name(vm, Value::Nil), "nil");
        let bad_name = table_with_meta(vm, &[("__name", Value::Int(3))]);
        assert_eq!(type_name(vm, bad_name), "table");
        assert!(text(vm, t).starts_with("Point: 0x"));
        let e = ops::less_than(vm, t, Value::Int(1)).unwrap_err();
        assert_eq!(text(vm, e.value), "attempt to compare Point with number");
    }

    #[test]
    fn native_handlers_get_both_operands() {
        let vm = &mut Vm::new();
        let h = vm.native_fn("count", count_args);
        let t = table_with_meta(vm, &[("__add", h), ("__unm", h), ("__len", h), ("__eq", h)]);
        let r = ops::arith(vm, ArithOp::Add, Value::Int(1), t).unwrap();
        assert!(r.raw_eq(&Value::Int(2)));
        let r = ops::unary(vm, crate::bytecode::UnOp::Unm, t).unwrap();
        assert!(r.raw_eq(&Value::Int(2)));
        let r = ops::len(vm, t).unwrap();
        assert!(r.raw_eq(&Value::Int(2)));
        let other = Value::Table(vm.heap.alloc(Table::new()));
        assert!(ops::equals(vm, t, other).unwrap());
        assert!(!ops::equals(vm, t, Value::Int(2)).unwrap());
        assert!(vm.stack.is_empty());
    }

    #[test]
    fn call_handler_takes_the_callee_slot() {
        let vm = &mut Vm::new();
        let h = vm.native_fn("count", count_args);
        let t = table_with_meta(vm, &[("__call", h)]);
        vm.stack
            .extend_from_slice(&[t, Value::Int(1), Value::Int(2)]);
        vm.call(0, 2, MULTI).unwrap();
        assert_eq!(vm.stack.len(), 1);
        assert!(vm.stack[0].raw_eq(&Value::Int(3)));
        vm.stack.clear();
        vm.stack.push(Value::Int(5));
        let e = vm.call(0, 0, 1).unwrap_err();
        assert_eq!(text(vm, e.value), "attempt to call a number value");
    }

    #[test]
    fn concat_without_handlers_blames_like_lua() {
        let vm = &mut Vm::new();
        let s = vm.str_value(b"s");
        let t = Value::Table(vm.heap.alloc(Table::new()));
        for (vals, culprit) in [
            (vec![t, s], "table"),
            (vec![s, t, s], "table"),
            (vec![s, s, Value::Nil], "nil"),
            (vec![Value::Bool(true), t], "boolean"),
        ] {
            let e = ops::concat(vm, &vals).unwrap_err();
            let msg = format!("attempt to concatenate a {culprit} value");
            assert_eq!(text(vm, e.value), msg);
        }
        let r = ops::concat(vm, &[s, Value::Int(1), Value::Float(2.0)]).unwrap();
        assert_eq!(text(vm, r), "s12.0");
    }
}
