//! The semantics of Lua's operators, once, for every engine.
//!
//! The stack engine, the register interpreter and the JIT's helpers inline integer and float
//! fast paths at most; everything else comes here. Messages follow `lua5.4` (5.4.4) byte for
//! byte, including the variable names of the culprit operand (see [`Vm::varinfo`]): each
//! function documents which operand of the running instruction it names.
//!
//! Metamethods ([`super::meta`] does the lookup): every slow path tries them as lua5.4 does
//! (`luaT_trybinTM`, `luaT_callorderTM`, `luaV_finishget`/`luaV_finishset`, `luaV_concat`).
//! String operands of arithmetic convert to numbers exactly as lua5.4's string-library
//! metamethods do (with their "attempt to add a 'string' with a 'table'" messages); strings
//! have no bitwise metamethods. Type names in messages honour a metatable's `__name`.
//!
//! State: these functions may raise; an engine must have saved its pc in `frame.pc` first.
//! Any slow path may call a metamethod (Lua code) and hence run a collection: the operands
//! an engine passes must be on its stack (they are, in their slots), and values it still
//! needs afterwards too. Metamethod calls re-enter the engine through [`Vm::call`].

use super::error::LuaError;
use super::heap::GcRef;
use super::meta::{self, Event};
use super::number::{self, Num, F2I};
use super::table::Table;
use super::value::Value;
use super::vm::Vm;
use crate::bytecode::{ArithOp, CmpOp, UnOp};

/// Most `__index`/`__newindex` steps one access may take (Lua's `MAXTAGLOOP`).
const MAX_TAG_LOOP: usize = 2000;

// ----- conversions -------------------------------------------------------------------------

/// A number, or a string that converts to one (Lua's `tonumber` coercion).
#[inline]
pub fn to_number(vm: &Vm, v: Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::Int(i)),
        Value::Float(f) => Some(Num::Float(f)),
        Value::Str(s) => number::str_to_number(vm.heap.str(s)),
        _ => None,
    }
}

/// An integer with exactly this value: `3.0 -> 3`, `"3" -> 3`, `3.5 -> None`.
#[inline]
pub fn to_integer(vm: &Vm, v: Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(i),
        Value::Float(f) => number::float_to_int(f, F2I::Exact),
        Value::Str(_) => to_number(vm, v).and_then(number::num_to_int),
        _ => None,
    }
}

#[inline]
pub fn num_value(n: Num) -> Value {
    match n {
        Num::Int(i) => Value::Int(i),
        Num::Float(f) => Value::Float(f),
    }
}

#[inline]
fn as_num(v: Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::Int(i)),
        Value::Float(f) => Some(Num::Float(f)),
        _ => None,
    }
}

// ----- arithmetic --------------------------------------------------------------------------

/// Arithmetic on two numbers. Only integer `//` and `%` by zero fail.
pub fn arith_num(vm: &mut Vm, op: ArithOp, a: Num, b: Num) -> Result<Num, LuaError> {
    use ArithOp::*;
    if let (Num::Int(x), Num::Int(y)) = (a, b) {
        let r = match op {
            Add => x.wrapping_add(y),
            Sub => x.wrapping_sub(y),
            Mul => x.wrapping_mul(y),
            IDiv => {
                if y == 0 {
                    return Err(vm.rt_error("attempt to divide by zero"));
                }
                number::int_floor_div(x, y)
            }
            Mod => {
                if y == 0 {
                    return Err(vm.rt_error("attempt to perform 'n%0'"));
                }
                number::int_mod(x, y)
            }
            BAnd => x & y,
            BOr => x | y,
            BXor => x ^ y,
            Shl => number::shift_left(x, y),
            Shr => number::shift_right(x, y),
            Div => return Ok(Num::Float(number::float_div(x as f64, y as f64))),
            Pow => return Ok(Num::Float(number::float_pow(x as f64, y as f64))),
        };
        return Ok(Num::Int(r));
    }
    if op.is_bitwise() {
        // Floats with integral values take part in bitwise operations.
        let (Some(x), Some(y)) = (number::num_to_int(a), number::num_to_int(b)) else {
            let culprit = if number::num_to_int(a).is_none() {
                0
            } else {
                1
            };
            let msg = format!(
                "number{} has no integer representation",
                vm.varinfo(culprit)
            );
            return Err(vm.rt_error(&msg));
        };
        return arith_num(vm, op, Num::Int(x), Num::Int(y));
    }
    let (x, y) = (a.to_f64(), b.to_f64());
    Ok(Num::Float(match op {
        Add => x + y,
        Sub => x - y,
        Mul => x * y,
        Div => number::float_div(x, y),
        Pow => number::float_pow(x, y),
        IDiv => number::float_floor_div(x, y),
        Mod => number::float_mod(x, y),
        BAnd | BOr | BXor | Shl | Shr => unreachable_bitwise(),
    }))
}

#[cold]
fn unreachable_bitwise() -> f64 {
    // Bitwise operators returned above; keep the match total without panicking.
    0.0
}

/// `a op b`. Errors name operand 0 (`a`) or 1 (`b`) of the running instruction.
#[inline]
pub fn arith(vm: &mut Vm, op: ArithOp, a: Value, b: Value) -> Result<Value, LuaError> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => match op {
            ArithOp::Add => Ok(Value::Int(x.wrapping_add(y))),
            ArithOp::Sub => Ok(Value::Int(x.wrapping_sub(y))),
            ArithOp::Mul => Ok(Value::Int(x.wrapping_mul(y))),
            _ => arith_num(vm, op, Num::Int(x), Num::Int(y)).map(num_value),
        },
        (Value::Float(x), Value::Float(y)) if !op.is_bitwise() => match op {
            ArithOp::Add => Ok(Value::Float(x + y)),
            ArithOp::Sub => Ok(Value::Float(x - y)),
            ArithOp::Mul => Ok(Value::Float(x * y)),
            _ => arith_num(vm, op, Num::Float(x), Num::Float(y)).map(num_value),
        },
        _ => match (as_num(a), as_num(b)) {
            (Some(x), Some(y)) => arith_num(vm, op, x, y).map(num_value),
            _ => arith_slow(vm, op, a, b),
        },
    }
}

/// Operands that are not both numbers: numeric strings, then metamethods (`luaT_trybinTM`).
#[cold]
fn arith_slow(vm: &mut Vm, op: ArithOp, a: Value, b: Value) -> Result<Value, LuaError> {
    let event = Event::of_arith(op);
    if !op.is_bitwise() {
        if let (Some(x), Some(y)) = (to_number(vm, a), to_number(vm, b)) {
            // Only strings get here: lua5.4's string metamethods convert both operands.
            return string_arith_num(vm, op, x, y);
        }
    }
    if let Some(r) = try_binary(vm, a, b, event)? {
        return Ok(r);
    }
    // No handler. Culprit: the first operand unless it is a number (`luaG_opinterror`).
    let culprit = if as_num(a).is_none() { 0 } else { 1 };
    let v = if culprit == 0 { a } else { b };
    let what = if op.is_bitwise() {
        "perform bitwise operation on"
    } else {
        "perform arithmetic on"
    };
    Err(operand_error(vm, v, what, culprit))
}

/// "attempt to `what` a T value (local 'x')", naming operand `culprit`; T honours `__name`.
#[cold]
fn operand_error(vm: &mut Vm, v: Value, what: &str, culprit: u8) -> LuaError {
    let msg = format!(
        "attempt to {what} a {} value{}",
        meta::type_name(vm, v),
        vm.varinfo(culprit)
    );
    vm.rt_error(&msg)
}

/// Arithmetic done by the string library's metamethods (both operands converted): its
/// division-by-zero errors come from a native function, so they carry no position.
fn string_arith_num(vm: &mut Vm, op: ArithOp, x: Num, y: Num) -> Result<Value, LuaError> {
    if let (Num::Int(_), Num::Int(0)) = (x, y) {
        match op {
            ArithOp::IDiv => return Err(vm.error_plain("attempt to divide by zero")),
            ArithOp::Mod => return Err(vm.error_plain("attempt to perform 'n%0'")),
            _ => {}
        }
    }
    arith_num(vm, op, x, y).map(num_value)
}

/// Tries the handlers of a binary event: the first operand's, else the second's. A string
/// operand of an arithmetic event answers with lua5.4's string-library metamethod (unless
/// the string metatable has been given its own): `Ok(None)` means no handler at all.
fn try_binary(vm: &mut Vm, a: Value, b: Value, event: Event) -> Result<Option<Value>, LuaError> {
    for (i, v) in [a, b].into_iter().enumerate() {
        let h = meta::metamethod(vm, v, event);
        if !h.is_nil() {
            return meta::call1(vm, h, &[a, b]).map(Some);
        }
        if matches!(v, Value::Str(_)) && event.is_string_arith() {
            return string_metamethod(vm, a, b, event, i == 1).map(Some);
        }
    }
    Ok(None)
}

/// lua5.4's string arithmetic metamethod (`lstrlib.c` `arith`/`trymt`) called with
/// `(a, b)` at least one of which does not convert to a number. `second` is true when
/// it was found on `b` (then `a` had no handler).
fn string_metamethod(
    vm: &mut Vm,
    a: Value,
    b: Value,
    event: Event,
    second: bool,
) -> Result<Value, LuaError> {
    if !second && !matches!(b, Value::Str(_)) {
        let h = meta::metamethod(vm, b, event);
        if !h.is_nil() {
            return meta::call1(vm, h, &[a, b]);
        }
    }
    let msg = format!(
        "attempt to {} a '{}' with a '{}'",
        &event.name()[2..],
        a.type_name(),
        b.type_name()
    );
    Err(vm.rt_error(&msg))
}

/// `-a`, `~a`, `not a`, `#a`. Errors name operand 0.
pub fn unary(vm: &mut Vm, op: UnOp, a: Value) -> Result<Value, LuaError> {
    match op {
        UnOp::Not => Ok(Value::Bool(!a.truthy())),
        UnOp::Len => len(vm, a),
        UnOp::Unm => match a {
            Value::Int(i) => Ok(Value::Int(i.wrapping_neg())),
            Value::Float(f) => Ok(Value::Float(-f)),
            _ => {
                if let (Value::Str(_), Some(n)) = (a, to_number(vm, a)) {
                    return Ok(match n {
                        Num::Int(i) => Value::Int(i.wrapping_neg()),
                        Num::Float(f) => Value::Float(-f),
                    });
                }
                // Unary events get the operand twice, as in lua5.4.
                match try_binary(vm, a, a, Event::Unm)? {
                    Some(r) => Ok(r),
                    None => Err(operand_error(vm, a, "perform arithmetic on", 0)),
                }
            }
        },
        UnOp::BNot => match a {
            Value::Int(i) => Ok(Value::Int(!i)),
            _ => {
                if let Some(r) = try_binary(vm, a, a, Event::BNot)? {
                    return Ok(r);
                }
                if let Value::Float(_) = a {
                    let msg = format!("number{} has no integer representation", vm.varinfo(0));
                    return match to_integer(vm, a) {
                        Some(i) => Ok(Value::Int(!i)),
                        None => Err(vm.rt_error(&msg)),
                    };
                }
                Err(operand_error(vm, a, "perform bitwise operation on", 0))
            }
        },
    }
}

/// `#v`: strings' byte length, else `__len`, else tables' border. Errors name operand 0.
pub fn len(vm: &mut Vm, v: Value) -> Result<Value, LuaError> {
    match v {
        Value::Str(s) => Ok(Value::Int(vm.heap.get(s).len() as i64)),
        Value::Table(t) => {
            let tb = vm.heap.get(t);
            if tb.meta.is_some() {
                let h = meta::metamethod(vm, v, Event::Len);
                if !h.is_nil() {
                    return meta::call1(vm, h, &[v, v]);
                }
            }
            Ok(Value::Int(vm.heap.get(t).len()))
        }
        _ => {
            let h = meta::metamethod(vm, v, Event::Len);
            if !h.is_nil() {
                return meta::call1(vm, h, &[v, v]);
            }
            Err(operand_error(vm, v, "get length of", 0))
        }
    }
}

// ----- comparison --------------------------------------------------------------------------

/// Any comparison operator (`Gt`/`Ge` compare with swapped operands, as Lua does).
pub fn compare(vm: &mut Vm, op: CmpOp, a: Value, b: Value) -> Result<bool, LuaError> {
    match op {
        CmpOp::Eq => equals(vm, a, b),
        CmpOp::Ne => equals(vm, a, b).map(|e| !e),
        CmpOp::Lt => less_than(vm, a, b),
        CmpOp::Le => less_equal(vm, a, b),
        CmpOp::Gt => less_than(vm, b, a),
        CmpOp::Ge => less_equal(vm, b, a),
    }
}

/// `a == b`: raw equality, then `__eq` (first operand's, else second's) for two distinct
/// tables or two distinct userdata; the handler's result is converted to a boolean.
#[inline]
pub fn equals(vm: &mut Vm, a: Value, b: Value) -> Result<bool, LuaError> {
    match (a, b) {
        (Value::Table(x), Value::Table(y)) if x != y => equals_slow(vm, a, b),
        (Value::Userdata(x), Value::Userdata(y)) if x != y => equals_slow(vm, a, b),
        _ => Ok(a.raw_eq(&b)),
    }
}

/// True when `a == b` may call `__eq`: two tables or two userdata (an engine compares
/// anything else with [`Value::raw_eq`]).
#[inline]
pub fn eq_may_call_meta(a: Value, b: Value) -> bool {
    matches!(
        (a, b),
        (Value::Table(_), Value::Table(_)) | (Value::Userdata(_), Value::Userdata(_))
    )
}

#[cold]
fn equals_slow(vm: &mut Vm, a: Value, b: Value) -> Result<bool, LuaError> {
    let h = meta::binary_handler(vm, a, b, Event::Eq);
    if h.is_nil() {
        return Ok(false);
    }
    Ok(meta::call1(vm, h, &[a, b])?.truthy())
}

/// `a < b`: numbers, strings, else `__lt`.
#[inline]
pub fn less_than(vm: &mut Vm, a: Value, b: Value) -> Result<bool, LuaError> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x < y),
        (Value::Float(x), Value::Float(y)) => Ok(x < y),
        (Value::Str(x), Value::Str(y)) => Ok(vm.heap.str(x) < vm.heap.str(y)),
        _ => match (as_num(a), as_num(b)) {
            (Some(x), Some(y)) => Ok(number::num_lt(x, y)),
            _ => order_slow(vm, a, b, Event::Lt),
        },
    }
}

/// `a <= b`: numbers, strings, else `__le`, else `not (b < a)` through `__lt` (lua5.4 built
/// with `LUA_COMPAT_5_3`, as the oracle is).
#[inline]
pub fn less_equal(vm: &mut Vm, a: Value, b: Value) -> Result<bool, LuaError> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x <= y),
        (Value::Float(x), Value::Float(y)) => Ok(x <= y),
        (Value::Str(x), Value::Str(y)) => Ok(vm.heap.str(x) <= vm.heap.str(y)),
        _ => match (as_num(a), as_num(b)) {
            (Some(x), Some(y)) => Ok(number::num_le(x, y)),
            _ => order_slow(vm, a, b, Event::Le),
        },
    }
}

/// The order metamethods (`luaT_callorderTM`).
#[cold]
fn order_slow(vm: &mut Vm, a: Value, b: Value, event: Event) -> Result<bool, LuaError> {
    let h = meta::binary_handler(vm, a, b, event);
    if !h.is_nil() {
        return Ok(meta::call1(vm, h, &[a, b])?.truthy());
    }
    if event == Event::Le {
        let h = meta::binary_handler(vm, b, a, Event::Lt);
        if !h.is_nil() {
            return Ok(!meta::call1(vm, h, &[b, a])?.truthy());
        }
    }
    Err(order_error(vm, a, b))
}

/// "attempt to compare number with nil" (type names honour `__name`).
#[cold]
fn order_error(vm: &mut Vm, a: Value, b: Value) -> LuaError {
    let (t1, t2) = (meta::type_name(vm, a), meta::type_name(vm, b));
    let msg = if t1 == t2 {
        format!("attempt to compare two {t1} values")
    } else {
        format!("attempt to compare {t1} with {t2}")
    };
    vm.rt_error(&msg)
}

// ----- indexing ----------------------------------------------------------------------------

/// The metatable of a value, if any.
#[inline]
pub fn metatable(vm: &Vm, v: Value) -> Option<GcRef<Table>> {
    meta::metatable(vm, v)
}

/// A field of a value's metatable (`luaL_getmetafield` without metamethods).
pub fn metafield(vm: &mut Vm, v: Value, event: &[u8]) -> Value {
    meta::metafield(vm, v, event)
}

/// "attempt to index a X value": only the original operand (step 0 of a chain) has a name.
fn index_error(vm: &mut Vm, v: Value, step: usize) -> LuaError {
    if step == 0 {
        operand_error(vm, v, "index", 0)
    } else {
        let msg = format!("attempt to index a {} value", meta::type_name(vm, v));
        vm.rt_error(&msg)
    }
}

/// `obj[key]`. Errors name operand 0 (the indexed value).
#[inline]
pub fn index(vm: &mut Vm, obj: Value, key: Value) -> Result<Value, LuaError> {
    if let Value::Table(t) = obj {
        let tb = vm.heap.get(t);
        let v = tb.get(key);
        if !v.is_nil() || tb.meta.is_none() {
            return Ok(v);
        }
    }
    index_slow(vm, obj, key)
}

#[cold]
fn index_slow(vm: &mut Vm, mut obj: Value, key: Value) -> Result<Value, LuaError> {
    for step in 0..MAX_TAG_LOOP {
        if let Value::Table(t) = obj {
            let v = vm.heap.get(t).get(key);
            if !v.is_nil() {
                return Ok(v);
            }
        }
        let handler = meta::metamethod(vm, obj, Event::Index);
        if handler.is_nil() {
            return match obj {
                Value::Table(_) => Ok(Value::Nil),
                _ => Err(index_error(vm, obj, step)),
            };
        }
        match handler {
            Value::LuaFn(_) | Value::NativeFn(_) => return meta::call1(vm, handler, &[obj, key]),
            _ => obj = handler,
        }
    }
    Err(vm.rt_error("'__index' chain too long; possible loop"))
}

/// `obj[key] = val`. Errors name operand 0 (the indexed value).
#[inline]
pub fn set_index(vm: &mut Vm, obj: Value, key: Value, val: Value) -> Result<(), LuaError> {
    if let Value::Table(t) = obj {
        let tb = vm.heap.get_mut(t);
        if tb.meta.is_none() {
            return match tb.set(key, val) {
                Ok(grew) => {
                    vm.heap.note_growth(grew);
                    Ok(())
                }
                Err(e) => Err(vm.rt_error(e.message())),
            };
        }
    }
    set_index_slow(vm, obj, key, val)
}

#[cold]
fn set_index_slow(vm: &mut Vm, mut obj: Value, key: Value, val: Value) -> Result<(), LuaError> {
    for step in 0..MAX_TAG_LOOP {
        let handler = if let Value::Table(t) = obj {
            // `__newindex` is consulted only for keys absent from the table.
            let present = !vm.heap.get(t).get(key).is_nil();
            let h = if present {
                Value::Nil
            } else {
                meta::metamethod(vm, obj, Event::NewIndex)
            };
            if h.is_nil() {
                return match vm.heap.get_mut(t).set(key, val) {
                    Ok(grew) => {
                        vm.heap.note_growth(grew);
                        Ok(())
                    }
                    Err(e) => Err(vm.rt_error(e.message())),
                };
            }
            h
        } else {
            let h = meta::metamethod(vm, obj, Event::NewIndex);
            if h.is_nil() {
                return Err(index_error(vm, obj, step));
            }
            h
        };
        match handler {
            Value::LuaFn(_) | Value::NativeFn(_) => {
                let func = vm.stack.len();
                vm.stack.extend_from_slice(&[handler, obj, key, val]);
                vm.call(func, 3, 0)?;
                vm.stack.truncate(func);
                return Ok(());
            }
            _ => obj = handler,
        }
    }
    Err(vm.rt_error("'__newindex' chain too long; possible loop"))
}

// ----- strings -----------------------------------------------------------------------------

/// Appends the text of a string or number (what concatenation accepts); false otherwise.
#[inline]
fn append_text(vm: &Vm, v: Value, out: &mut Vec<u8>) -> bool {
    match v {
        Value::Str(s) => out.extend_from_slice(vm.heap.str(s)),
        Value::Int(i) => number::fmt_int(i, out),
        Value::Float(f) => number::fmt_float(f, out),
        _ => return false,
    }
    true
}

/// True for the values concatenation takes as text.
#[inline]
fn is_text(v: &Value) -> bool {
    matches!(v, Value::Str(_) | Value::Int(_) | Value::Float(_))
}

/// `v1 .. v2 .. ... .. vn`, as lua5.4's `luaV_concat`: from the right, each maximal run of
/// strings and numbers at the top becomes one string, and a pair with another value goes to
/// `__concat` (first operand's, else second's), whose result replaces the pair. Errors name
/// the operand lua5.4 blames: operand `i` is the slot of `values[i]` (a slot keeps its
/// name when a metamethod's result replaces its value, as in lua5.4).
///
/// GC: the engine keeps `values` in their slots until the result replaces them; only the
/// top of the working list is ever new, and it is an argument of the next metamethod call.
pub fn concat(vm: &mut Vm, values: &[Value]) -> Result<Value, LuaError> {
    if values.iter().all(is_text) {
        let mut buf = Vec::new();
        for v in values {
            append_text(vm, *v, &mut buf);
        }
        return Ok(vm.str_value(&buf));
    }
    concat_slow(vm, values)
}

#[cold]
fn concat_slow(vm: &mut Vm, values: &[Value]) -> Result<Value, LuaError> {
    let mut work: Vec<Value> = values.to_vec();
    let mut buf = Vec::new();
    while work.len() > 1 {
        let n = work.len();
        let (a, b) = (work[n - 2], work[n - 1]);
        if !is_text(&a) || !is_text(&b) {
            let h = meta::binary_handler(vm, a, b, Event::Concat);
            if h.is_nil() {
                let culprit = if is_text(&a) { n - 1 } else { n - 2 };
                let v = work[culprit];
                return Err(operand_error(
                    vm,
                    v,
                    "concatenate",
                    culprit.min(u8::MAX as usize) as u8,
                ));
            }
            let r = meta::call1(vm, h, &[a, b])?;
            work.truncate(n - 1);
            work[n - 2] = r;
            continue;
        }
        let run = work.iter().rev().take_while(|v| is_text(v)).count();
        buf.clear();
        for v in &work[n - run..] {
            append_text(vm, *v, &mut buf);
        }
        let s = vm.str_value(&buf);
        work.truncate(n - run + 1);
        work[n - run] = s;
    }
    Ok(work.first().copied().unwrap_or(Value::Nil))
}

/// Appends `tostring(v)` (`luaL_tolstring`): `__tostring` if the value has one (its result
/// must be a string or a number), else the value's text, with `__name` for tables.
/// Raises as a library function (positioned at the caller of the running native).
pub fn tostring_bytes(vm: &mut Vm, v: Value, out: &mut Vec<u8>) -> Result<(), LuaError> {
    if meta::metatable(vm, v).is_some() {
        let h = meta::metamethod(vm, v, Event::ToString);
        if !h.is_nil() {
            let r = meta::call1(vm, h, &[v])?;
            if !append_text(vm, r, out) {
                return Err(vm.lib_error("'__tostring' must return a string"));
            }
            return Ok(());
        }
    }
    if append_text(vm, v, out) {
        return Ok(());
    }
    use std::io::Write;
    // Writing into a Vec cannot fail.
    let _ = match v {
        Value::Nil => write!(out, "nil"),
        Value::Bool(b) => write!(out, "{b}"),
        // Objects (whatever their type) show their metatable's `__name` when it is a string.
        _ => {
            let addr = v.object_addr().unwrap_or(0);
            if let Value::Str(s) = meta::metamethod(vm, v, Event::Name) {
                out.extend_from_slice(vm.heap.str(s));
                write!(out, ": {addr:#x}")
            } else {
                write!(out, "{}: {addr:#x}", v.type_name())
            }
        }
    };
    Ok(())
}

/// `tostring(v)` as a string value.
pub fn tostring(vm: &mut Vm, v: Value) -> Result<Value, LuaError> {
    if let Value::Str(_) = v {
        if vm.string_meta.is_none() || meta::metamethod(vm, v, Event::ToString).is_nil() {
            return Ok(v);
        }
    }
    let mut buf = Vec::new();
    tostring_bytes(vm, v, &mut buf)?;
    Ok(vm.str_value(&buf))
}

// ----- numeric for -------------------------------------------------------------------------

fn for_error(vm: &mut Vm, what: &str, v: Value) -> LuaError {
    let msg = format!("bad 'for' {what} (number expected, got {})", v.type_name());
    vm.rt_error(&msg)
}

/// Prepares a numeric `for` over copies of `L[base..base+4]` = (init, limit, step, _) and
/// writes back the loop state: integer loops keep (index, remaining count, step, control)
/// as lua5.4 does, so they never overflow; float loops keep (index, limit, step, control)
/// as floats. Returns false when the loop does not run at all.
pub fn for_prep(vm: &mut Vm, slots: &mut [Value; 4]) -> Result<bool, LuaError> {
    let (init, limit, step) = (slots[0], slots[1], slots[2]);
    if let (Value::Int(i0), Value::Int(st)) = (init, step) {
        if st == 0 {
            return Err(vm.rt_error("'for' step is zero"));
        }
        slots[3] = Value::Int(i0);
        let lim = match for_limit(vm, i0, limit, st)? {
            Some(l) => l,
            None => return Ok(false),
        };
        let count = if st > 0 {
            let c = (lim as u64).wrapping_sub(i0 as u64);
            if st != 1 {
                c / (st as u64)
            } else {
                c
            }
        } else {
            let c = (i0 as u64).wrapping_sub(lim as u64);
            c / ((-(st + 1)) as u64 + 1)
        };
        slots[1] = Value::Int(count as i64);
        return Ok(true);
    }
    let Some(fl) = to_number(vm, limit) else {
        return Err(for_error(vm, "limit", limit));
    };
    let Some(fs) = to_number(vm, step) else {
        return Err(for_error(vm, "step", step));
    };
    let Some(fi) = to_number(vm, init) else {
        return Err(for_error(vm, "initial value", init));
    };
    let (fl, fs, fi) = (fl.to_f64(), fs.to_f64(), fi.to_f64());
    if fs == 0.0 {
        return Err(vm.rt_error("'for' step is zero"));
    }
    let skip = if 0.0 < fs { fl < fi } else { fi < fl };
    if skip {
        return Ok(false);
    }
    *slots = [
        Value::Float(fi),
        Value::Float(fl),
        Value::Float(fs),
        Value::Float(fi),
    ];
    Ok(true)
}

/// lua5.4's `forlimit`: the integer limit of an integer loop (clipped when the limit is a
/// float beyond the integer range), or None if the loop does not run.
fn for_limit(vm: &mut Vm, init: i64, limit: Value, step: i64) -> Result<Option<i64>, LuaError> {
    let mode = if step < 0 { F2I::Ceil } else { F2I::Floor };
    let lim = match to_number(vm, limit) {
        Some(Num::Int(i)) => i,
        Some(Num::Float(f)) => match number::float_to_int(f, mode) {
            Some(i) => i,
            None => {
                // A float out of the integer range (or NaN).
                if 0.0 < f {
                    if step < 0 {
                        return Ok(None);
                    }
                    i64::MAX
                } else {
                    if step > 0 {
                        return Ok(None);
                    }
                    i64::MIN
                }
            }
        },
        None => return Err(for_error(vm, "limit", limit)),
    };
    let skip = if step > 0 { init > lim } else { init < lim };
    Ok(if skip { None } else { Some(lim) })
}

/// Advances a prepared numeric `for`; true if the body runs again (`slots[3]` is the new
/// control value).
#[inline]
pub fn for_step(slots: &mut [Value; 4]) -> bool {
    match *slots {
        [Value::Int(idx), Value::Int(count), Value::Int(step), _] if count != 0 => {
            // `count` is unsigned in lua5.4: every nonzero value means more iterations.
            let i = idx.wrapping_add(step);
            slots[0] = Value::Int(i);
            slots[1] = Value::Int((count as u64 - 1) as i64);
            slots[3] = Value::Int(i);
            true
        }
        [Value::Float(idx), Value::Float(limit), Value::Float(step), _] => {
            let i = idx + step;
            let go = if 0.0 < step { i <= limit } else { limit <= i };
            if go {
                slots[0] = Value::Float(i);
                slots[3] = Value::Float(i);
            }
            go
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;

/// True when `a op b` is an integer `//` or `%` by zero. lua5.4 raises that error without
/// saving the pc first, so its message carries the line of the last instruction that did
/// (typically a call); engines skip their pc save for it to report the same line.
#[inline]
pub fn is_int_division_by_zero(op: ArithOp, a: Value, b: Value) -> bool {
    matches!(
        (op, a, b),
        (ArithOp::Mod | ArithOp::IDiv, Value::Int(_), Value::Int(0))
    )
}
