//! The string library (this subset): `len`, `sub`, `rep`, `byte`, `char`,
//! `upper`, `lower`, `format`.

use super::format::{self, FmtArg, FormatArgs, FormatError};
use super::{arg_error, check_int, check_str, is_none, new_lib, ops, opt_int, opt_str, push_str};
use crate::runtime::{LuaError, Value, Vm};

/// `MAXSIZE` of lstrlib.c on 64-bit machines: results of `rep` are limited to `INT_MAX`.
const MAX_SIZE: usize = i32::MAX as usize;

pub fn open(vm: &mut Vm) {
    let string = new_lib(
        vm,
        "string",
        &[
            ("string.len", len),
            ("string.sub", sub),
            ("string.rep", rep),
            ("string.byte", byte),
            ("string.char", char),
            ("string.upper", upper),
            ("string.lower", lower),
            ("string.format", format),
        ],
    );
    // Strings share one metatable whose `__index` is the string table (`("x"):rep(3)`).
    let meta = vm.heap.alloc(crate::runtime::table::Table::new());
    super::set_field(vm, meta, "__index", Value::Table(string));
    vm.string_meta = Some(meta);
}

/// A start position (`posrelatI`): negative counts from the end, clipped to 1.
fn pos_start(pos: i64, len: usize) -> usize {
    if pos > 0 {
        pos as usize
    } else if pos == 0 || pos.unsigned_abs() > len as u64 {
        1
    } else {
        (len as i64 + pos + 1) as usize
    }
}

/// An end position (`getendpos`): negative counts from the end, clipped to `0..=len`.
fn pos_end(pos: i64, len: usize) -> usize {
    if pos > len as i64 {
        len
    } else if pos >= 0 {
        pos as usize
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        (len as i64 + pos + 1) as usize
    }
}

fn len(vm: &mut Vm) -> Result<usize, LuaError> {
    let s = check_str(vm, 1, "len")?;
    let n = vm.heap.get(s).len() as i64;
    vm.push(Value::Int(n));
    Ok(1)
}

fn sub(vm: &mut Vm) -> Result<usize, LuaError> {
    let s = check_str(vm, 1, "sub")?;
    let l = vm.heap.get(s).len();
    let i = pos_start(check_int(vm, 2, "sub")?, l);
    let j = pos_end(opt_int(vm, 3, "sub", -1)?, l);
    if i > j {
        push_str(vm, b"");
    } else {
        let bytes = vm.heap.str(s)[i - 1..j].to_vec();
        push_str(vm, &bytes);
    }
    Ok(1)
}

fn rep(vm: &mut Vm) -> Result<usize, LuaError> {
    let s = check_str(vm, 1, "rep")?;
    let n = check_int(vm, 2, "rep")?;
    let sep = opt_str(vm, 3, "rep")?;
    if n <= 0 {
        push_str(vm, b"");
        return Ok(1);
    }
    let l = vm.heap.get(s).len();
    let lsep = sep.map_or(0, |r| vm.heap.get(r).len());
    let n = n as u64;
    let unit = (l + lsep) as u64;
    if unit > (MAX_SIZE as u64) / n {
        return Err(vm.lib_error("resulting string too large"));
    }
    let total = (unit * n) as usize - lsep;
    let mut out = Vec::with_capacity(total);
    let body = vm.heap.str(s);
    let sep_bytes: &[u8] = sep.map_or(&[], |r| vm.heap.str(r));
    for k in 0..n {
        out.extend_from_slice(body);
        if k + 1 < n {
            out.extend_from_slice(sep_bytes);
        }
    }
    push_str(vm, &out);
    Ok(1)
}

fn byte(vm: &mut Vm) -> Result<usize, LuaError> {
    let s = check_str(vm, 1, "byte")?;
    let l = vm.heap.get(s).len();
    let first = opt_int(vm, 2, "byte", 1)?;
    let pi = pos_start(first, l);
    let pe = pos_end(opt_int(vm, 3, "byte", pi as i64)?, l);
    if pi > pe {
        return Ok(0);
    }
    if pe - pi >= i32::MAX as usize {
        return Err(vm.lib_error("string slice too long"));
    }
    let bytes = vm.heap.str(s)[pi - 1..pe].to_vec();
    for b in &bytes {
        vm.push(Value::Int(i64::from(*b)));
    }
    Ok(bytes.len())
}

fn char(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = vm.arg_count();
    let mut out = Vec::with_capacity(n);
    for i in 1..=n {
        let c = check_int(vm, i, "char")?;
        if c as u64 > 255 {
            return Err(arg_error(vm, i, "char", "value out of range"));
        }
        out.push(c as u8);
    }
    push_str(vm, &out);
    Ok(1)
}

fn upper(vm: &mut Vm) -> Result<usize, LuaError> {
    let s = check_str(vm, 1, "upper")?;
    let out = vm.heap.str(s).to_ascii_uppercase();
    push_str(vm, &out);
    Ok(1)
}

fn lower(vm: &mut Vm) -> Result<usize, LuaError> {
    let s = check_str(vm, 1, "lower")?;
    let out = vm.heap.str(s).to_ascii_lowercase();
    push_str(vm, &out);
    Ok(1)
}

/// The arguments after the format string, as [`format::format`] sees them.
struct VmArgs<'a> {
    vm: &'a mut Vm,
    /// Stack index of the first argument after the format string.
    first: usize,
    count: usize,
}

impl FormatArgs for VmArgs<'_> {
    type Error = LuaError;

    fn count(&self) -> usize {
        self.count
    }

    fn arg(&self, i: usize) -> FmtArg<'_> {
        match self.vm.stack[self.first + i] {
            Value::Nil => FmtArg::Nil,
            Value::Bool(b) => FmtArg::Bool(b),
            Value::Int(n) => FmtArg::Int(n),
            Value::Float(f) => FmtArg::Float(f),
            Value::Str(s) => FmtArg::Str(self.vm.heap.str(s)),
            v => {
                if let Value::Table(t) = v {
                    if let Some(mt) = self.vm.heap.get(t).meta {
                        if let Value::Str(s) = self.vm.heap.get(mt).get_str(self.vm.names.name) {
                            if let Ok(name) = std::str::from_utf8(self.vm.heap.str(s)) {
                                return FmtArg::Other(name);
                            }
                        }
                    }
                }
                FmtArg::Other(v.type_name())
            }
        }
    }

    fn tostring(&mut self, i: usize, out: &mut Vec<u8>) -> Result<(), LuaError> {
        let v = self.vm.stack[self.first + i];
        ops::tostring_bytes(self.vm, v, out)
    }

    fn pointer(&self, i: usize) -> usize {
        self.vm.stack[self.first + i].object_addr().unwrap_or(0)
    }
}

fn format(vm: &mut Vm) -> Result<usize, LuaError> {
    let f = check_str(vm, 1, "format")?;
    let fmt = vm.heap.str(f).to_vec();
    let first = vm.native_base() + 1;
    let count = if is_none(vm, 2) {
        0
    } else {
        vm.arg_count() - 1
    };
    let mut args = VmArgs { vm, first, count };
    match format::format(&fmt, &mut args) {
        Ok(out) => {
            push_str(vm, &out);
            Ok(1)
        }
        Err(FormatError::Arg { arg, msg }) => Err(arg_error(vm, arg, "format", &msg)),
        Err(FormatError::Msg(m)) => Err(vm.lib_error(&m)),
        Err(FormatError::Host(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_like_lua() {
        assert_eq!(pos_start(2, 5), 2);
        assert_eq!(pos_start(0, 5), 1);
        assert_eq!(pos_start(-2, 5), 4);
        assert_eq!(pos_start(-10, 5), 1);
        assert_eq!(pos_start(i64::MIN, 5), 1);
        assert_eq!(pos_end(10, 5), 5);
        assert_eq!(pos_end(-1, 5), 5);
        assert_eq!(pos_end(-10, 5), 0);
        assert_eq!(pos_end(i64::MIN, 5), 0);
        assert_eq!(pos_end(0, 5), 0);
    }
}
