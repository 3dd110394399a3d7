//! The standard library: native functions registered as globals and library tables.
//!
//! [`open_libs`] installs everything. Native functions follow [`NativeFnPtr`]: their
//! arguments are `vm.stack[vm.native_base()..]`, they push their results and return how
//! many. The argument helpers below raise lua5.4's messages
//! (`bad argument #1 to 'sub' (number expected, got no value)`), positioned at the caller
//! like `luaL_error`. Argument numbers are 1-based, as in the messages.
//!
//! [`NativeFnPtr`]: crate::runtime::function::NativeFnPtr

pub mod base;
pub mod coroutine;
pub mod debug;
pub mod format;
pub mod gc;
pub mod io;
pub mod iofile;
pub mod load;
pub mod lpattern;
pub mod math;
pub mod os;
pub mod package;
pub mod random;
pub mod string;
pub mod strpack;
pub mod strpat;
pub mod table;
pub mod utf8;

use crate::runtime::function::{NativeClosure, NativeFnPtr};
use crate::runtime::number::{self, Num};
use crate::runtime::string::LuaStr;
use crate::runtime::table::Table;
use crate::runtime::{GcRef, LuaError, Value, Vm};

pub(crate) use crate::runtime::ops;

/// Installs the whole standard library into `vm`'s globals.
pub fn open_libs(vm: &mut Vm) {
    base::open(vm);
    gc::open(vm);
    string::open(vm);
    math::open(vm);
    os::open(vm);
    io::open(vm);
    table::open(vm);
    utf8::open(vm);
    coroutine::open(vm);
    let string = get_field(vm, vm.globals, "string");
    if let Value::Table(t) = string {
        strpat::register(vm, t);
    }
    load::open(vm);
    debug::open(vm);
    // Last: it records the libraries opened above in `package.loaded`.
    package::open(vm);
}

// ----- building library tables ----------------------------------------------------------

/// Stores `t[name] = v` (raw).
pub fn set_field(vm: &mut Vm, t: GcRef<Table>, name: &str, v: Value) {
    let k = vm.str_value(name.as_bytes());
    // A string key is never nil or NaN.
    let grew = vm.heap.get_mut(t).set(k, v).unwrap_or(0);
    vm.heap.note_growth(grew);
}

/// Reads `t[name]` (raw).
pub fn get_field(vm: &mut Vm, t: GcRef<Table>, name: &str) -> Value {
    let k = vm.heap.intern(name.as_bytes());
    vm.heap.get(t).get_str(k)
}

/// A new table holding the given native functions, stored as global `name`. Functions
/// are named in full (`"string.rep"`: the name messages use when the call site gives
/// none, as lua5.4 finds it in `package.loaded`) and stored under the last part.
pub fn new_lib(vm: &mut Vm, name: &str, fns: &[(&'static str, NativeFnPtr)]) -> GcRef<Table> {
    let t = vm.heap.alloc(Table::new());
    for &(qualified, f) in fns {
        let v = vm.native_fn(qualified, f);
        let key = qualified.rsplit('.').next().unwrap_or(qualified);
        set_field(vm, t, key, v);
    }
    let g = vm.globals;
    set_field(vm, g, name, Value::Table(t));
    t
}

/// A native function with upvalues (state shared by several natives, e.g. `math.random`).
pub fn native_closure(vm: &mut Vm, name: &'static str, f: NativeFnPtr, upvals: &[Value]) -> Value {
    Value::NativeFn(vm.heap.alloc(NativeClosure {
        f,
        name,
        upvals: upvals.into(),
    }))
}

/// Upvalue `i` of the running native function (nil if absent).
pub fn native_upval(vm: &Vm, i: usize) -> Value {
    match vm.frames.last().map(|f| f.kind) {
        Some(crate::runtime::vm::FrameKind::Native(n)) => {
            vm.heap.get(n).upvals.get(i).copied().unwrap_or(Value::Nil)
        }
        _ => Value::Nil,
    }
}

// ----- argument checking -----------------------------------------------------------------

/// The type name used in messages: the `__name` metafield if it is a string, else the
/// basic type name (`luaL_typename` as `luaL_typeerror` uses it).
pub fn type_name_of(vm: &Vm, v: Value) -> String {
    if let Some(mt) = crate::runtime::meta::metatable(vm, v) {
        if let Value::Str(s) = vm.heap.get(mt).get_str(vm.names.name) {
            return String::from_utf8_lossy(vm.heap.str(s)).into_owned();
        }
    }
    v.type_name().to_string()
}

/// True when argument `n` (1-based) was not passed at all.
pub fn is_none(vm: &Vm, n: usize) -> bool {
    n > vm.arg_count()
}

/// True when argument `n` is absent or nil.
pub fn is_none_or_nil(vm: &Vm, n: usize) -> bool {
    vm.arg(n - 1).is_nil()
}

/// How the Lua caller of the running native named it at the call site (`("method",
/// "rep")` for `s:rep()`), if the caller is a Lua frame.
fn call_site_name(vm: &Vm) -> Option<(&'static str, String)> {
    let caller = vm.frames.get(vm.frames.len().checked_sub(2)?)?;
    let c = caller.closure()?;
    let p = vm.heap.get(vm.heap.get(c).proto);
    let pc = (vm.engine.stack_pc)(vm, caller) as usize;
    crate::bytecode::analysis::describe_operand(&p.bc, pc, 0)
}

/// The running native's own name (`"string.rep"`), if a native frame is running.
fn running_native_name(vm: &Vm) -> Option<&'static str> {
    match vm.frames.last()?.kind {
        crate::runtime::vm::FrameKind::Native(n) => Some(vm.heap.get(n).name),
        crate::runtime::vm::FrameKind::Lua(_) => None,
    }
}

/// `bad argument #n to 'NAME' (extra)`, positioned at the caller (`luaL_argerror`).
/// NAME is how the call site named the function (`rep` for `string.rep(...)` and
/// `s:rep(...)`, `f` for a local `f`), else the native's full name (`string.rep`), else
/// `fname`. For a method call `self` is not counted, and a bad `self` reads
/// `calling 'rep' on bad self`.
pub fn arg_error(vm: &mut Vm, n: usize, fname: &str, extra: &str) -> LuaError {
    let site = call_site_name(vm);
    let mut n = n;
    if let Some(("method", name)) = &site {
        n -= 1;
        if n == 0 {
            return vm.lib_error(&format!("calling '{name}' on bad self ({extra})"));
        }
    }
    let name = match site {
        Some((_, name)) => name,
        None => running_native_name(vm).unwrap_or(fname).to_string(),
    };
    vm.lib_error(&format!("bad argument #{n} to '{name}' ({extra})"))
}

/// `bad argument #n to 'fname' (EXPECTED expected, got TYPE)`; TYPE is `no value` for a
/// missing argument.
pub fn type_error(vm: &mut Vm, n: usize, fname: &str, expected: &str) -> LuaError {
    let got = if is_none(vm, n) {
        "no value".to_string()
    } else {
        type_name_of(vm, vm.arg(n - 1))
    };
    arg_error(vm, n, fname, &format!("{expected} expected, got {got}"))
}

/// Any value, but the argument must be present (`luaL_checkany`).
pub fn check_any(vm: &mut Vm, n: usize, fname: &str) -> Result<Value, LuaError> {
    if is_none(vm, n) {
        Err(arg_error(vm, n, fname, "value expected"))
    } else {
        Ok(vm.arg(n - 1))
    }
}

/// A number, or a string convertible to one (`luaL_checknumber`), as a float.
pub fn check_number(vm: &mut Vm, n: usize, fname: &str) -> Result<f64, LuaError> {
    match ops::to_number(vm, vm.arg(n - 1)) {
        Some(x) => Ok(x.to_f64()),
        None => Err(type_error(vm, n, fname, "number")),
    }
}

/// An optional number (`luaL_optnumber`).
pub fn opt_number(vm: &mut Vm, n: usize, fname: &str, default: f64) -> Result<f64, LuaError> {
    if is_none_or_nil(vm, n) {
        Ok(default)
    } else {
        check_number(vm, n, fname)
    }
}

/// A number keeping its subtype when the argument is a number (`lua_isinteger` then
/// `luaL_checknumber`): integers stay integers, anything else becomes a float.
pub fn check_num(vm: &mut Vm, n: usize, fname: &str) -> Result<Num, LuaError> {
    match vm.arg(n - 1) {
        Value::Int(i) => Ok(Num::Int(i)),
        _ => check_number(vm, n, fname).map(Num::Float),
    }
}

/// An integer (`luaL_checkinteger`): integers, floats with an exact integer value, and
/// strings convertible to those.
pub fn check_int(vm: &mut Vm, n: usize, fname: &str) -> Result<i64, LuaError> {
    let v = vm.arg(n - 1);
    if let Value::Int(i) = v {
        return Ok(i);
    }
    match ops::to_number(vm, v) {
        Some(x) => match number::num_to_int(x) {
            Some(i) => Ok(i),
            None => Err(arg_error(
                vm,
                n,
                fname,
                "number has no integer representation",
            )),
        },
        None => Err(type_error(vm, n, fname, "number")),
    }
}

/// An optional integer (`luaL_optinteger`): absent or nil gives `default`.
pub fn opt_int(vm: &mut Vm, n: usize, fname: &str, default: i64) -> Result<i64, LuaError> {
    if is_none_or_nil(vm, n) {
        Ok(default)
    } else {
        check_int(vm, n, fname)
    }
}

/// A string, or a number converted to one (`luaL_checklstring`). As in Lua, a number
/// argument is replaced on the stack by its string form.
pub fn check_str(vm: &mut Vm, n: usize, fname: &str) -> Result<GcRef<LuaStr>, LuaError> {
    let v = vm.arg(n - 1);
    match v {
        Value::Str(s) => Ok(s),
        Value::Int(_) | Value::Float(_) => {
            let mut buf = Vec::new();
            ops::tostring_bytes(vm, v, &mut buf)?;
            let s = vm.heap.intern(&buf);
            let ix = vm.native_base() + n - 1;
            vm.stack[ix] = Value::Str(s);
            Ok(s)
        }
        _ => Err(type_error(vm, n, fname, "string")),
    }
}

/// An optional string (`luaL_optlstring`); `None` when absent or nil.
pub fn opt_str(vm: &mut Vm, n: usize, fname: &str) -> Result<Option<GcRef<LuaStr>>, LuaError> {
    if is_none_or_nil(vm, n) {
        Ok(None)
    } else {
        check_str(vm, n, fname).map(Some)
    }
}

/// A table (`luaL_checktype(L, n, LUA_TTABLE)`).
pub fn check_table(vm: &mut Vm, n: usize, fname: &str) -> Result<GcRef<Table>, LuaError> {
    match vm.arg(n - 1) {
        Value::Table(t) => Ok(t),
        _ => Err(type_error(vm, n, fname, "table")),
    }
}

/// Pushes an interned string.
pub fn push_str(vm: &mut Vm, bytes: &[u8]) {
    let v = vm.str_value(bytes);
    vm.push(v);
}

#[cfg(test)]
mod tests;
