//! The string library: `len`, `sub`, `rep`, `reverse`, `byte`, `char`, `upper`, `lower`,
//! `format`, `dump`, and `pack`/`packsize`/`unpack` (in [`super::strpack`]); the pattern
//! functions are registered by [`super::strpat`].

use super::format::{self, FmtArg, FormatArgs, FormatError};
use super::{
    arg_error, check_int, check_str, is_none, new_lib, ops, opt_int, opt_str, push_str, type_error,
};
use crate::bytecode;
use crate::runtime::function::FnProto;
use crate::runtime::{GcRef, LuaError, Value, Vm};

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
            ("string.reverse", reverse),
            ("string.dump", dump),
            ("string.pack", super::strpack::pack),
            ("string.packsize", super::strpack::packsize),
            ("string.unpack", super::strpack::unpack),
        ],
    );
    // Strings share one metatable whose `__index` is the string table (`("x"):rep(3)`).
    let meta = vm.heap.alloc(crate::runtime::table::Table::new());
    super::set_field(vm, meta, "__index", Value::Table(string));
    // lua5.4's string library implements string-to-number coercion in arithmetic with
    // these metamethods. Our operators coerce strings themselves (the same results and
    // messages), so these serve direct calls and make the metatable read as lua5.4's.
    let arith: [(&str, crate::runtime::function::NativeFnPtr); 8] = [
        ("__add", str_add),
        ("__sub", str_sub),
        ("__mul", str_mul),
        ("__div", str_div),
        ("__mod", str_mod),
        ("__pow", str_pow),
        ("__idiv", str_idiv),
        ("__unm", str_unm),
    ];
    for (name, f) in arith {
        let f = vm.native_fn(name, f);
        super::set_field(vm, meta, name, f);
    }
    vm.string_meta = Some(meta);
}

/// lua5.4's string arithmetic metamethods (`arith` in lstrlib.c): both operands numbers
/// or numeric strings -> the arithmetic on the numbers; otherwise the second operand's
/// metamethod if it is not a string and has one, else "attempt to add a 'string' with a
/// 'number'" (positioned at the caller, as `luaL_error` does).
fn str_arith(vm: &mut Vm, op: Option<crate::bytecode::ArithOp>) -> Result<usize, LuaError> {
    use crate::runtime::meta::{self, Event};
    use crate::runtime::ops;
    let a = vm.arg(0);
    // With one argument, lua5.4's `tonum` finds the first operand's converted copy in the
    // second place, so `__unm(x)` and `__add(x)` operate on x twice.
    let b = if vm.arg_count() < 2 { a } else { vm.arg(1) };
    if let (Some(x), Some(y)) = (ops::to_number(vm, a), ops::to_number(vm, b)) {
        let (x, y) = (ops::num_value(x), ops::num_value(y));
        let r = match op {
            Some(op) => ops::arith(vm, op, x, y)?,
            // `__unm` gets its operand twice (`luaT_trybinTM`); negate the second.
            None => ops::unary(vm, crate::bytecode::UnOp::Unm, y)?,
        };
        vm.push(r);
        return Ok(1);
    }
    let event = op.map_or(Event::Unm, Event::of_arith);
    let mm = if matches!(b, Value::Str(_)) {
        Value::Nil
    } else {
        meta::metamethod(vm, b, event)
    };
    if mm.is_nil() {
        let msg = format!(
            "attempt to {} a '{}' with a '{}'",
            &event.name()[2..],
            a.type_name(),
            b.type_name()
        );
        return Err(vm.lib_error(&msg));
    }
    let func = vm.stack.len();
    vm.stack.extend_from_slice(&[mm, a, b]);
    vm.call(func, 2, 1)?;
    Ok(1)
}
fn str_add(vm: &mut Vm) -> Result<usize, LuaError> {
    str_arith(vm, Some(crate::bytecode::ArithOp::Add))
}
fn str_sub(vm: &mut Vm) -> Result<usize, LuaError> {
    str_arith(vm, Some(crate::bytecode::ArithOp::Sub))
}
fn str_mul(vm: &mut Vm) -> Result<usize, LuaError> {
    str_arith(vm, Some(crate::bytecode::ArithOp::Mul))
}
fn str_div(vm: &mut Vm) -> Result<usize, LuaError> {
    str_arith(vm, Some(crate::bytecode::ArithOp::Div))
}
fn str_mod(vm: &mut Vm) -> Result<usize, LuaError> {
    str_arith(vm, Some(crate::bytecode::ArithOp::Mod))
}
fn str_pow(vm: &mut Vm) -> Result<usize, LuaError> {
    str_arith(vm, Some(crate::bytecode::ArithOp::Pow))
}
fn str_idiv(vm: &mut Vm) -> Result<usize, LuaError> {
    str_arith(vm, Some(crate::bytecode::ArithOp::IDiv))
}
fn str_unm(vm: &mut Vm) -> Result<usize, LuaError> {
    str_arith(vm, None)
}

/// A start position (`posrelatI`): negative counts from the end, clipped to 1.
pub(crate) fn pos_start(pos: i64, len: usize) -> usize {
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
    // The end defaults to the start as given, before clipping (`s:byte(-10)` is empty).
    let pe = pos_end(opt_int(vm, 3, "byte", first)?, l);
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

fn reverse(vm: &mut Vm) -> Result<usize, LuaError> {
    let s = check_str(vm, 1, "reverse")?;
    let mut out = vm.heap.str(s).to_vec();
    out.reverse();
    push_str(vm, &out);
    Ok(1)
}

/// `string.dump(f [, strip])`: the `.sbc` binary chunk of a Lua function, which `load`
/// turns back into a function. As in lua5.4 upvalues are not saved (the loaded function
/// gets fresh ones, the first being the globals). With a true `strip` the chunk keeps no
/// debug information (line tables, local and upvalue names, source name), as lua5.4's:
/// the loaded function's source is `=?` and its lines are unknown (-1).
fn dump(vm: &mut Vm) -> Result<usize, LuaError> {
    let c = match vm.arg(0) {
        Value::LuaFn(c) => c,
        Value::NativeFn(_) => return Err(vm.lib_error("unable to dump given function")),
        _ => return Err(type_error(vm, 1, "dump", "function")),
    };
    let strip = vm.arg(1).truthy();
    let root = vm.heap.get(c).proto;
    let mut main = rebuild_proto(vm, root);
    let chunkname = if strip {
        main.strip();
        "=?".to_string()
    } else {
        vm.heap.get(root).chunkname.to_string()
    };
    let module = bytecode::Module { chunkname, main };
    let bytes = bytecode::write_sbc(&module);
    push_str(vm, &bytes);
    Ok(1)
}

/// The stack-bytecode tree of a loaded proc: its `bc` with the children's trees put back
/// into `protos` (emptied at load). Iterative, so that no nesting depth can overflow the
/// Rust stack.
fn rebuild_proto(vm: &Vm, root: GcRef<FnProto>) -> bytecode::Proto {
    // Pre-order, children in order; `parent[i] < i`.
    let mut nodes: Vec<GcRef<FnProto>> = Vec::new();
    let mut parent: Vec<usize> = Vec::new();
    let mut todo = vec![(root, 0usize)];
    while let Some((p, up)) = todo.pop() {
        let ix = nodes.len();
        nodes.push(p);
        parent.push(up);
        for &child in vm.heap.get(p).children.iter().rev() {
            todo.push((child, ix));
        }
    }
    let mut built: Vec<bytecode::Proto> = nodes
        .iter()
        .map(|&p| {
            let mut bc = vm.heap.get(p).bc.clone();
            bc.protos.clear();
            bc
        })
        .collect();
    // Every child has a higher index than its parent: attach from the last one, so a
    // proc is complete (its children attached, in reverse) before it is moved.
    while built.len() > 1 {
        let ix = built.len() - 1;
        if let Some(mut p) = built.pop() {
            p.protos.reverse();
            built[parent[ix]].protos.push(p);
        }
    }
    let mut main = built.swap_remove(0);
    main.protos.reverse();
    main
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
