//! The base library: `print`, `tostring`, `tonumber`, `type`, `error`, `pcall`, `xpcall`,
//! `assert`, `select`, `next`, `pairs`, `ipairs`, the raw accessors, `setmetatable`,
//! `getmetatable`, and the globals `_G` and `_VERSION`.

use super::{
    arg_error, check_any, check_int, check_table, get_field, is_none, is_none_or_nil, ops,
    push_str, set_field, type_error,
};
use crate::bytecode::MULTI;
use crate::runtime::meta::{self, Event};
use crate::runtime::number::{str_to_int_base, str_to_number, Num};
use crate::runtime::vm::{ERROR_STACK_EXTRA, MAX_NATIVE_DEPTH, MAX_STACK};
use crate::runtime::{LuaError, Value, Vm};

/// Registry keys of the iterator functions `pairs` and `ipairs` return (the same function
/// value every time, as in Lua).
const NEXT_KEY: &str = "apogee.next";
const IPAIRS_AUX_KEY: &str = "apogee.ipairs_aux";

/// `vm.out` is written to stdout when it grows past this.
pub const OUT_FLUSH_SIZE: usize = 1 << 16;

pub fn open(vm: &mut Vm) {
    let fns: &[(&'static str, crate::runtime::function::NativeFnPtr)] = &[
        ("print", print),
        ("tostring", tostring),
        ("tonumber", tonumber),
        ("type", type_),
        ("error", error),
        ("pcall", pcall),
        ("xpcall", xpcall),
        ("assert", assert),
        ("select", select),
        ("next", next),
        ("pairs", pairs),
        ("ipairs", ipairs),
        ("rawget", rawget),
        ("rawset", rawset),
        ("rawequal", rawequal),
        ("rawlen", rawlen),
        ("setmetatable", setmetatable),
        ("getmetatable", getmetatable),
        ("warn", warn),
    ];
    for &(name, f) in fns {
        vm.register(name, f);
    }
    let g = vm.globals;
    let reg = vm.registry;
    let next_fn = get_field(vm, g, "next");
    set_field(vm, reg, NEXT_KEY, next_fn);
    let aux = vm.native_fn("ipairs_aux", ipairs_aux);
    set_field(vm, reg, IPAIRS_AUX_KEY, aux);
    set_field(vm, g, "_G", Value::Table(g));
    let version = vm.str_value(b"Lua 5.4");
    set_field(vm, g, "_VERSION", version);
}

/// Writes `vm.out` to stdout and empties it. Write errors (a closed pipe) are ignored, as
/// C's buffered stdio would at exit.
pub fn flush_out(vm: &mut Vm) {
    use std::io::Write;
    if !vm.out.is_empty() {
        let mut so = std::io::stdout().lock();
        let _ = so.write_all(&vm.out);
        let _ = so.flush();
        vm.out.clear();
    }
}

/// Appends to `vm.out`, flushing when it is large.
pub fn write_out(vm: &mut Vm, bytes: &[u8]) {
    vm.out.extend_from_slice(bytes);
    if vm.out.len() >= OUT_FLUSH_SIZE {
        flush_out(vm);
    }
}

fn print(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = vm.arg_count();
    let mut buf = Vec::new();
    for i in 0..n {
        buf.clear();
        if i > 0 {
            buf.push(b'\t');
        }
        let v = vm.arg(i);
        ops::tostring_bytes(vm, v, &mut buf)?;
        write_out(vm, &buf);
    }
    write_out(vm, b"\n");
    // lua5.4's print flushes stdout; do so when someone is watching a terminal, and
    // otherwise keep the buffer for throughput.
    if stdout_is_terminal() {
        flush_out(vm);
    }
    Ok(0)
}

fn stdout_is_terminal() -> bool {
    use std::io::IsTerminal;
    static TTY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TTY.get_or_init(|| std::io::stdout().is_terminal())
}

fn tostring(vm: &mut Vm) -> Result<usize, LuaError> {
    let v = check_any(vm, 1, "tostring")?;
    let s = ops::tostring(vm, v)?;
    vm.push(s);
    Ok(1)
}

fn tonumber(vm: &mut Vm) -> Result<usize, LuaError> {
    if is_none_or_nil(vm, 2) {
        let v = vm.arg(0);
        let r = match v {
            Value::Int(_) | Value::Float(_) => v,
            Value::Str(s) => match str_to_number(vm.heap.str(s)) {
                Some(Num::Int(i)) => Value::Int(i),
                Some(Num::Float(f)) => Value::Float(f),
                None => Value::Nil,
            },
            _ => {
                check_any(vm, 1, "tonumber")?;
                Value::Nil
            }
        };
        vm.push(r);
    } else {
        let base = check_int(vm, 2, "tonumber")?;
        let Value::Str(s) = vm.arg(0) else {
            return Err(type_error(vm, 1, "tonumber", "string"));
        };
        if !(2..=36).contains(&base) {
            return Err(arg_error(vm, 2, "tonumber", "base out of range"));
        }
        let r = match str_to_int_base(vm.heap.str(s), base as u32) {
            Some(i) => Value::Int(i),
            None => Value::Nil,
        };
        vm.push(r);
    }
    Ok(1)
}

fn type_(vm: &mut Vm) -> Result<usize, LuaError> {
    let v = check_any(vm, 1, "type")?;
    push_str(vm, v.type_name().as_bytes());
    Ok(1)
}

/// `error(v, level)` and the tail of `assert`: a string value gets the position of the
/// function `level` levels up (1 = the caller of the native).
fn raise_with_level(vm: &mut Vm, v: Value, level: i64) -> LuaError {
    if let (Value::Str(s), true) = (v, level > 0) {
        let pos = vm.where_(level as usize);
        if !pos.is_empty() {
            let mut msg = pos.into_bytes();
            msg.extend_from_slice(vm.heap.str(s));
            let v = vm.str_value(&msg);
            return LuaError::new(v);
        }
    }
    LuaError::new(v)
}

fn error(vm: &mut Vm) -> Result<usize, LuaError> {
    let level = super::opt_int(vm, 2, "error", 1)?;
    let v = vm.arg(0);
    Err(raise_with_level(vm, v, level))
}

fn pcall(vm: &mut Vm) -> Result<usize, LuaError> {
    check_any(vm, 1, "pcall")?;
    let base = vm.native_base();
    let nargs = vm.arg_count() - 1;
    let nframes = vm.frames.len();
    match vm.call_yieldable(base, nargs, MULTI) {
        Ok(()) => {
            let n = vm.stack.len() - base;
            vm.stack.insert(base, Value::Bool(true));
            Ok(n + 1)
        }
        // A coroutine being closed unwinds through protected calls.
        Err(e) if e.is_close_signal() => Err(e),
        Err(e) => {
            // Frames, open upvalues and to-be-closed variables above `base` are undone
            // (the `__close` metamethods run now, with the error) before pcall returns.
            let e = vm.unwind_error(nframes, base, e, &mut |_, e| e);
            vm.push(Value::Bool(false));
            vm.push(e.value);
            Ok(2)
        }
    }
}

/// `xpcall(f, msgh, ...)`. The handler runs at the error point, before the stack unwinds
/// (the frames of the error are still in `vm.frames`), as lua5.4's `luaG_errormsg` runs it.
fn xpcall(vm: &mut Vm) -> Result<usize, LuaError> {
    if !matches!(vm.arg(1), Value::LuaFn(_) | Value::NativeFn(_)) {
        return Err(type_error(vm, 2, "xpcall", "function"));
    }
    let base = vm.native_base();
    let nargs = vm.arg_count() - 2;
    let nframes = vm.frames.len();
    // [f, msgh, args...] -> [msgh, f, args...]: the handler stays rooted below the call.
    vm.stack.swap(base, base + 1);
    match vm.call_yieldable(base + 1, nargs, MULTI) {
        Ok(()) => {
            vm.stack[base] = Value::Bool(true);
            Ok(vm.stack.len() - base)
        }
        Err(e) if e.is_close_signal() => Err(e),
        Err(e) => {
            let handler = vm.stack[base];
            let r = run_handler(vm, handler, e.value);
            // As in lua5.4, an error in a `__close` goes through the handler too, at the
            // point where it is raised; the handler (at `base`) stays rooted meanwhile.
            let e = vm.unwind_error(nframes, base + 1, LuaError::new(r), &mut |vm, e| {
                LuaError::new(run_handler(vm, handler, e.value))
            });
            vm.stack.truncate(base);
            vm.push(Value::Bool(false));
            vm.push(e.value);
            Ok(2)
        }
    }
}

/// Calls the message handler `handler` (rooted by the caller) on the error value `err`
/// above the frames of the error, and returns what it returns (its first result).
///
/// As in lua5.4, an error inside the handler is handled by the handler again, nested
/// above the frames of the failed call; each such level counts as a native re-entry, and
/// when they run out the result is "error in error handling". The nesting is a loop here,
/// so no Rust stack is consumed by it. While the handler runs the value stack may grow
/// [`ERROR_STACK_EXTRA`] slots past its limit, so that a "stack overflow" can be handled.
fn run_handler(vm: &mut Vm, handler: Value, mut err: Value) -> Value {
    let saved_depth = vm.native_depth;
    let saved_limit = vm.stack_limit;
    vm.stack_limit = MAX_STACK + ERROR_STACK_EXTRA;
    let result = loop {
        // Call above the whole window of the innermost frame: its slots may still be
        // referenced by open upvalues the handler shares.
        let top = vm.frames.last().map_or(0, |f| f.top);
        if vm.stack.len() < top {
            vm.stack.resize(top, Value::Nil);
        }
        let func = vm.stack.len();
        vm.stack.push(handler);
        vm.stack.push(err);
        match vm.call_noyield(func, 1, 1) {
            Ok(()) => break vm.stack[func],
            Err(e) => {
                err = e.value;
                vm.native_depth += 1;
                if vm.native_depth + 1 >= MAX_NATIVE_DEPTH {
                    break vm.str_value(b"error in error handling");
                }
            }
        }
    };
    vm.native_depth = saved_depth;
    vm.stack_limit = saved_limit;
    result
}

fn assert(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = vm.arg_count();
    if vm.arg(0).truthy() {
        return Ok(n);
    }
    check_any(vm, 1, "assert")?;
    let msg = if n >= 2 {
        vm.arg(1)
    } else {
        vm.str_value(b"assertion failed!")
    };
    Err(raise_with_level(vm, msg, 1))
}

fn select(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = vm.arg_count() as i64;
    if let Value::Str(s) = vm.arg(0) {
        if vm.heap.str(s).first() == Some(&b'#') {
            vm.push(Value::Int(n - 1));
            return Ok(1);
        }
    }
    let mut i = check_int(vm, 1, "select")?;
    if i < 0 {
        i = n.saturating_add(i);
    } else if i > n {
        i = n;
    }
    if i < 1 {
        return Err(arg_error(vm, 1, "select", "index out of range"));
    }
    // The selected arguments are already the top values of the stack.
    Ok((n - i) as usize)
}

fn next(vm: &mut Vm) -> Result<usize, LuaError> {
    let t = check_table(vm, 1, "next")?;
    let k = vm.arg(1);
    match vm.heap.get(t).next(k) {
        Ok(Some((k, v))) => {
            vm.push(k);
            vm.push(v);
            Ok(2)
        }
        Ok(None) => {
            vm.push(Value::Nil);
            Ok(1)
        }
        Err(_) => Err(vm.rt_error("invalid key to 'next'")),
    }
}

fn registry_fn(vm: &mut Vm, key: &str) -> Value {
    let reg = vm.registry;
    get_field(vm, reg, key)
}

/// `pairs(t)`: `__pairs(t)`'s first three results if `t` has that metamethod, else
/// `next, t, nil`.
fn pairs(vm: &mut Vm) -> Result<usize, LuaError> {
    let t = check_any(vm, 1, "pairs")?;
    let h = meta::metamethod(vm, t, Event::Pairs);
    if !h.is_nil() {
        let func = vm.stack.len();
        vm.push(h);
        vm.push(t);
        vm.call_yieldable(func, 1, 3)?; // yieldable, as lua5.4's lua_callk
        return Ok(3);
    }
    let f = registry_fn(vm, NEXT_KEY);
    vm.push(f);
    vm.push(t);
    vm.push(Value::Nil);
    Ok(3)
}

fn ipairs(vm: &mut Vm) -> Result<usize, LuaError> {
    let t = check_any(vm, 1, "ipairs")?;
    let f = registry_fn(vm, IPAIRS_AUX_KEY);
    vm.push(f);
    vm.push(t);
    vm.push(Value::Int(0));
    Ok(3)
}

fn ipairs_aux(vm: &mut Vm) -> Result<usize, LuaError> {
    let i = check_int(vm, 2, "ipairs_aux")?.wrapping_add(1);
    let t = vm.arg(0);
    let v = ops::index(vm, t, Value::Int(i))?;
    vm.push(Value::Int(i));
    vm.push(v);
    Ok(if v.is_nil() { 1 } else { 2 })
}

fn rawget(vm: &mut Vm) -> Result<usize, LuaError> {
    let t = check_table(vm, 1, "rawget")?;
    let k = check_any(vm, 2, "rawget")?;
    let v = vm.heap.get(t).get(k);
    vm.push(v);
    Ok(1)
}

fn rawset(vm: &mut Vm) -> Result<usize, LuaError> {
    let t = check_table(vm, 1, "rawset")?;
    let k = check_any(vm, 2, "rawset")?;
    let v = check_any(vm, 3, "rawset")?;
    match vm.heap.get_mut(t).set(k, v) {
        Ok(grew) => vm.heap.note_growth(grew),
        Err(e) => return Err(vm.rt_error(e.message())),
    }
    vm.push(Value::Table(t));
    Ok(1)
}

fn rawequal(vm: &mut Vm) -> Result<usize, LuaError> {
    let a = check_any(vm, 1, "rawequal")?;
    let b = check_any(vm, 2, "rawequal")?;
    vm.push(Value::Bool(a.raw_eq(&b)));
    Ok(1)
}

fn rawlen(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = match vm.arg(0) {
        Value::Table(t) => vm.heap.get(t).len(),
        Value::Str(s) => vm.heap.str(s).len() as i64,
        _ => return Err(type_error(vm, 1, "rawlen", "table or string")),
    };
    vm.push(Value::Int(n));
    Ok(1)
}

/// The `__metatable` field of a value's metatable, if any.
fn protected_field(vm: &mut Vm, v: Value) -> Option<Value> {
    let f = meta::metamethod(vm, v, Event::Metatable);
    (!f.is_nil()).then_some(f)
}

fn setmetatable(vm: &mut Vm) -> Result<usize, LuaError> {
    let t = check_table(vm, 1, "setmetatable")?;
    let mt = match vm.arg(1) {
        Value::Table(m) if !is_none(vm, 2) => Some(m),
        Value::Nil if !is_none(vm, 2) => None,
        _ => return Err(type_error(vm, 2, "setmetatable", "nil or table")),
    };
    if protected_field(vm, Value::Table(t)).is_some() {
        return Err(vm.lib_error("cannot change a protected metatable"));
    }
    vm.heap.set_metatable(t, mt);
    vm.push(Value::Table(t));
    Ok(1)
}

fn getmetatable(vm: &mut Vm) -> Result<usize, LuaError> {
    let v = check_any(vm, 1, "getmetatable")?;
    let r = match protected_field(vm, v) {
        Some(p) => p,
        None => meta::metatable(vm, v).map_or(Value::Nil, Value::Table),
    };
    vm.push(r);
    Ok(1)
}

/// `warn(msg1, ...)`: lua5.4's warnings (lua.c's `warnf`). Every argument must be a string
/// (numbers convert); one argument starting with `@` is a control message (`@on`, `@off`;
/// others are ignored); otherwise, when warnings are on (`-W`, `warn("@on")`), the
/// concatenation goes to stderr as `Lua warning: ...`. Off by default, as in lua.c.
fn warn(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = vm.arg_count().max(1);
    let mut msg = Vec::new();
    for i in 1..=n {
        let s = super::check_str(vm, i, "warn")?;
        msg.extend_from_slice(vm.heap.str(s));
    }
    if n == 1 && msg.first() == Some(&b'@') {
        match &msg[..] {
            b"@on" => vm.heap.warnings = true,
            b"@off" => vm.heap.warnings = false,
            _ => {}
        }
        return Ok(0);
    }
    if vm.heap.warnings {
        flush_out(vm);
        let mut line = b"Lua warning: ".to_vec();
        line.extend_from_slice(&msg);
        line.push(b'\n');
        use std::io::Write;
        let _ = std::io::stderr().write_all(&line);
    }
    Ok(0)
}
