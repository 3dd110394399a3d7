//! TEMPORARY stand-in for `crate::runtime::ops` (branch `stackeng`), with the same
//! signatures as in the contracts, covering only what the library uses and without
//! metamethods. Deleted when `stackeng` is merged.

use crate::runtime::number::{fmt_num, str_to_number, Num};
use crate::runtime::{LuaError, Value, Vm};

pub fn tostring_bytes(vm: &mut Vm, v: Value, out: &mut Vec<u8>) -> Result<(), LuaError> {
    match v {
        Value::Nil => out.extend_from_slice(b"nil"),
        Value::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        Value::Int(i) => fmt_num(Num::Int(i), out),
        Value::Float(f) => fmt_num(Num::Float(f), out),
        Value::Str(s) => out.extend_from_slice(vm.heap.str(s)),
        _ => {
            let addr = v.object_addr().unwrap_or(0);
            out.extend_from_slice(format!("{}: 0x{addr:014x}", v.type_name()).as_bytes());
        }
    }
    Ok(())
}

pub fn tostring(vm: &mut Vm, v: Value) -> Result<Value, LuaError> {
    if let Value::Str(_) = v {
        return Ok(v);
    }
    let mut buf = Vec::new();
    tostring_bytes(vm, v, &mut buf)?;
    Ok(vm.str_value(&buf))
}

pub fn to_number(vm: &Vm, v: Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::Int(i)),
        Value::Float(f) => Some(Num::Float(f)),
        Value::Str(s) => str_to_number(vm.heap.str(s)),
        _ => None,
    }
}

pub fn to_integer(vm: &Vm, v: Value) -> Option<i64> {
    to_number(vm, v).and_then(crate::runtime::number::num_to_int)
}

pub fn index(vm: &mut Vm, obj: Value, key: Value) -> Result<Value, LuaError> {
    match obj {
        Value::Table(t) => Ok(vm.heap.get(t).get(key)),
        _ => {
            let msg = format!("attempt to index a {} value", obj.type_name());
            Err(vm.rt_error(&msg))
        }
    }
}
