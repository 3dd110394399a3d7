//! The `debug` library, as lua5.4's `ldblib.c`: stack levels, function information, locals,
//! upvalues, raw metatables, the registry and tracebacks.
//!
//! Stack levels count `vm.frames` from the top: level 0 is the running debug function
//! itself, level 1 its caller, and so on, native frames included. Level `vm.frames.len()`
//! stands for the host's own protected call (lua.c's `pmain`, shown as `[C]: in ?` in
//! tracebacks): it answers as a native function without a value. Higher levels are out of
//! range.
//!
//! Locals come from the stack bytecode's [`LocalInfo`] ranges at the frame's stack pc (the
//! register engine's pc maps back through `vm.engine.stack_pc`), so every engine gives the
//! same answers. Values beyond the named locals are lua5.4's `(temporary)` slots: here the
//! operand-stack values below the next frame's function, which is where lua5.4's registers
//! put them too.
//!
//! Differences from lua5.4, all because the VM lacks the feature:
//! - the optional `thread` first argument is recognised by `getinfo`, `getlocal`,
//!   `setlocal` and `traceback` (not by the hook functions);
//! - hooks are per VM, not per thread (see `runtime::instr`), and the count hook counts
//!   the running engine's instructions (stack or register), not lua5.4's;
//! - `upvalueid` returns an integer (an address) instead of a light userdata;
//! - `istailcall` is true only where the engines mark tail-called frames (`FRAME_TAIL`).
//!
//! [`LocalInfo`]: crate::bytecode::LocalInfo

use super::{
    arg_error, check_any, check_int, check_str, new_lib, opt_int, opt_str, push_str, set_field,
    type_error,
};
use crate::host::{call_site_name, traceback_from};
use crate::runtime::coro::{self, Thread};
use crate::runtime::function::NativeFnPtr;
use crate::runtime::instr::{MASK_CALL, MASK_COUNT, MASK_LINE, MASK_RET};
use crate::runtime::table::Table;
use crate::runtime::vm::{FrameKind, FRAME_TAIL, MAX_NATIVE_DEPTH};
use crate::runtime::{GcRef, LuaError, Value, Vm};

pub fn open(vm: &mut Vm) {
    let fns: &[(&'static str, NativeFnPtr)] = &[
        ("debug.getinfo", getinfo),
        ("debug.getlocal", getlocal),
        ("debug.setlocal", setlocal),
        ("debug.getupvalue", getupvalue),
        ("debug.setupvalue", setupvalue),
        ("debug.upvalueid", upvalueid),
        ("debug.upvaluejoin", upvaluejoin),
        ("debug.getmetatable", getmetatable),
        ("debug.setmetatable", setmetatable),
        ("debug.getregistry", getregistry),
        ("debug.getuservalue", getuservalue),
        ("debug.setuservalue", setuservalue),
        ("debug.sethook", sethook),
        ("debug.gethook", gethook),
        ("debug.setcstacklimit", setcstacklimit),
        ("debug.traceback", traceback),
        ("debug.debug", debug),
    ];
    new_lib(vm, "debug", fns);
}

/// A stack level that exists.
#[derive(Clone, Copy)]
enum Level {
    /// An index into `vm.frames`.
    Frame(usize),
    /// The host's call below the outermost frame.
    Host,
}

/// `lua_getstack`: the frame at `level`, if in range.
fn level_of(vm: &Vm, level: i64) -> Option<Level> {
    let n = vm.frames.len() as i64;
    if level < 0 || level > n {
        None
    } else if level == n {
        Some(Level::Host)
    } else {
        Some(Level::Frame((n - 1 - level) as usize))
    }
}

fn frame_func(vm: &Vm, i: usize) -> Value {
    match vm.frames[i].kind {
        FrameKind::Lua(c) => Value::LuaFn(c),
        FrameKind::Native(n) => Value::NativeFn(n),
    }
}

fn is_function(v: Value) -> bool {
    matches!(v, Value::LuaFn(_) | Value::NativeFn(_))
}

// ----- getinfo ---------------------------------------------------------------------------

/// A leading thread argument, removed from the arguments (so the others keep their
/// positions): the thread when it is not the running one (the debug functions then look
/// at its stack), and how many arguments were removed (for argument numbers in
/// messages).
fn leading_thread(vm: &mut Vm) -> (Option<GcRef<Thread>>, usize) {
    let Value::Thread(t) = vm.arg(0) else {
        return (None, 0);
    };
    let base = vm.native_base();
    vm.stack.remove(base);
    ((t != vm.coro.current).then_some(t), 1)
}

/// `debug.getinfo([thread,] f | level [, what])`.
fn getinfo(vm: &mut Vm) -> Result<usize, LuaError> {
    let (thread, _) = leading_thread(vm);
    let opts = match opt_str(vm, 2, "getinfo")? {
        Some(s) => vm.heap.str(s).to_vec(),
        None => b"flnSrtu".to_vec(),
    };
    if opts.first() == Some(&b'>') {
        return Err(arg_error(vm, 2, "getinfo", "invalid option '>'"));
    }
    let target = vm.arg(0);
    let level = if is_function(target) {
        None
    } else {
        Some(check_int(vm, 1, "getinfo")?)
    };
    let view = thread.unwrap_or(vm.coro.current);
    // Another thread has no host call below its first frame.
    let host = thread.is_none();
    let resolved = coro::with_thread_view(vm, view, |vm| match level {
        None => Some((target, None)),
        Some(level) => match level_of(vm, level) {
            None => None,
            Some(Level::Frame(i)) => Some((frame_func(vm, i), Some(i))),
            Some(Level::Host) => host.then_some((Value::Nil, None)),
        },
    });
    let Some((func, frame)) = resolved else {
        vm.push(Value::Nil);
        return Ok(1);
    };
    if !opts.iter().all(|c| b"SlutnrfL".contains(c)) {
        return Err(arg_error(vm, 2, "getinfo", "invalid option"));
    }
    let t = vm.heap.alloc(Table::new());
    // Filling allocates but never collects, so `t` needs no root until it is pushed.
    coro::with_thread_view(vm, view, |vm| fill_info(vm, t, func, frame, &opts));
    vm.push(Value::Table(t));
    Ok(1)
}

/// The fields of `getinfo`'s result for options `opts`.
fn fill_info(vm: &mut Vm, t: GcRef<Table>, func: Value, frame: Option<usize>, opts: &[u8]) {
    for &c in opts {
        match c {
            b'S' => info_source(vm, t, func),
            b'l' => {
                let line = frame.map_or(-1, |i| current_line(vm, i));
                set_field(vm, t, "currentline", Value::Int(line));
            }
            b'u' => info_upvalues(vm, t, func),
            b'n' => {
                let site = frame.and_then(|i| call_site_name(vm, i));
                let (namewhat, name) = match site {
                    Some((kind, name)) => (kind, vm.str_value(name.as_bytes())),
                    None => ("", Value::Nil),
                };
                set_field(vm, t, "name", name);
                let nw = vm.str_value(namewhat.as_bytes());
                set_field(vm, t, "namewhat", nw);
            }
            b't' => {
                let tail = frame.is_some_and(|i| vm.frames[i].flags & FRAME_TAIL != 0);
                set_field(vm, t, "istailcall", Value::Bool(tail));
            }
            b'r' => {
                set_field(vm, t, "ftransfer", Value::Int(0));
                set_field(vm, t, "ntransfer", Value::Int(0));
            }
            b'f' => set_field(vm, t, "func", func),
            b'L' => {
                let lines = active_lines(vm, func);
                set_field(vm, t, "activelines", lines);
            }
            _ => {}
        }
    }
}

/// The 'S' fields: `source`, `short_src`, `what`, `linedefined`, `lastlinedefined`.
fn info_source(vm: &mut Vm, t: GcRef<Table>, func: Value) {
    let (source, short, what, first, last) = match func {
        Value::LuaFn(c) => {
            let p = vm.heap.get(vm.heap.get(c).proto);
            let what = if p.bc.line_defined == 0 {
                "main"
            } else {
                "Lua"
            };
            (
                p.chunkname.as_bytes().to_vec(),
                p.source.as_bytes().to_vec(),
                what,
                p.bc.line_defined as i64,
                p.bc.last_line as i64,
            )
        }
        _ => (b"=[C]".to_vec(), b"[C]".to_vec(), "C", -1, -1),
    };
    let source = vm.str_value(&source);
    set_field(vm, t, "source", source);
    let short = vm.str_value(&short);
    set_field(vm, t, "short_src", short);
    let what = vm.str_value(what.as_bytes());
    set_field(vm, t, "what", what);
    set_field(vm, t, "linedefined", Value::Int(first));
    set_field(vm, t, "lastlinedefined", Value::Int(last));
}

/// The 'u' fields: `nups`, `nparams`, `isvararg`.
fn info_upvalues(vm: &mut Vm, t: GcRef<Table>, func: Value) {
    let (nups, nparams, vararg) = match func {
        Value::LuaFn(c) => {
            let c = vm.heap.get(c);
            let p = vm.heap.get(c.proto);
            (c.upvals.len(), p.bc.num_params as usize, p.bc.is_vararg)
        }
        Value::NativeFn(n) => (vm.heap.get(n).upvals.len(), 0, true),
        _ => (0, 0, true),
    };
    set_field(vm, t, "nups", Value::Int(nups as i64));
    set_field(vm, t, "nparams", Value::Int(nparams as i64));
    set_field(vm, t, "isvararg", Value::Bool(vararg));
}

/// The line frame `i` is running (-1 for a native frame).
fn current_line(vm: &Vm, i: usize) -> i64 {
    let f = &vm.frames[i];
    match f.kind {
        FrameKind::Lua(c) => {
            let p = vm.heap.get(vm.heap.get(c).proto);
            let pc = (vm.engine.stack_pc)(vm, f) as usize;
            p.bc.lines.get(pc).map_or(-1, |&l| l as i64)
        }
        FrameKind::Native(_) => -1,
    }
}

/// The 'L' field: a table with `true` at every line that has code, nil for natives.
fn active_lines(vm: &mut Vm, func: Value) -> Value {
    let Value::LuaFn(c) = func else {
        return Value::Nil;
    };
    let proto = vm.heap.get(c).proto;
    let mut lines = vm.heap.get(proto).bc.lines.clone();
    lines.sort_unstable();
    lines.dedup();
    let t = vm.heap.alloc(Table::new());
    let mut grew = 0;
    for line in lines {
        grew += vm.heap.get_mut(t).set_int(line as i64, Value::Bool(true));
    }
    vm.heap.note_growth(grew);
    Value::Table(t)
}

// ----- locals ----------------------------------------------------------------------------

/// `luaG_findlocal`: the name of local `n` of the frame at `level` and its stack index.
/// Negative `n` reads the frame's extra (vararg) arguments.
fn find_local(vm: &Vm, level: Level, n: i64) -> Option<(String, usize)> {
    let Level::Frame(i) = level else {
        return None;
    };
    let f = &vm.frames[i];
    // The slots of this frame end where the next frame's function sits.
    let limit = vm
        .frames
        .get(i + 1)
        .map_or(vm.stack.len(), |next| next.func);
    match f.kind {
        FrameKind::Lua(c) => {
            let p = vm.heap.get(vm.heap.get(c).proto);
            if n < 0 {
                let k = n.unsigned_abs() as usize;
                if p.bc.is_vararg && k <= f.nvarargs as usize {
                    let first = f.base - 1 - f.nvarargs as usize;
                    return Some(("(vararg)".to_string(), first + k - 1));
                }
                return None;
            }
            let n = usize::try_from(n).ok().filter(|&n| n > 0)?;
            let pc = (vm.engine.stack_pc)(vm, f) as usize;
            let mut active = 0;
            for l in &p.bc.locals {
                if l.start_pc as usize <= pc && pc < l.end_pc as usize {
                    active += 1;
                    if active == n {
                        return Some((l.name.clone(), f.base + l.slot as usize));
                    }
                }
            }
            // Temporaries: the operand-stack values below the next frame's function.
            let temps = f.base + p.bc.num_locals as usize;
            let k = n - active;
            (temps + k <= limit).then(|| ("(temporary)".to_string(), temps + k - 1))
        }
        FrameKind::Native(_) => {
            let n = usize::try_from(n).ok().filter(|&n| n > 0)?;
            (f.base + n <= limit).then(|| ("(C temporary)".to_string(), f.base + n - 1))
        }
    }
}

/// The name of parameter `n` of a Lua function (`lua_getlocal` with a function).
fn param_name(vm: &Vm, f: Value, n: i64) -> Option<String> {
    let Value::LuaFn(c) = f else {
        return None;
    };
    let p = vm.heap.get(vm.heap.get(c).proto);
    let n = usize::try_from(n).ok().filter(|&n| n > 0)?;
    p.bc.locals
        .iter()
        .filter(|l| l.start_pc == 0 && l.end_pc > 0)
        .nth(n - 1)
        .map(|l| l.name.clone())
}

/// `debug.getlocal([thread,] level | f, n)`: name and value, or only the name of a
/// parameter for a function.
fn getlocal(vm: &mut Vm) -> Result<usize, LuaError> {
    let (thread, shift) = leading_thread(vm);
    let n = check_int(vm, 2, "getlocal")?;
    let target = vm.arg(0);
    if is_function(target) {
        match param_name(vm, target, n) {
            Some(name) => push_str(vm, name.as_bytes()),
            None => vm.push(Value::Nil),
        }
        return Ok(1);
    }
    let level = check_int(vm, 1, "getlocal")?;
    let view = thread.unwrap_or(vm.coro.current);
    let host = thread.is_none();
    let found = coro::with_thread_view(vm, view, |vm| match level_of(vm, level) {
        Some(Level::Host) if !host => None,
        None => None,
        Some(level) => Some(
            find_local(vm, level, n)
                .map(|(name, pos)| (name, vm.stack.get(pos).copied().unwrap_or(Value::Nil))),
        ),
    });
    let Some(found) = found else {
        return Err(arg_error(vm, 1 + shift, "getlocal", "level out of range"));
    };
    match found {
        Some((name, v)) => {
            push_str(vm, name.as_bytes());
            vm.push(v);
            Ok(2)
        }
        None => {
            vm.push(Value::Nil);
            Ok(1)
        }
    }
}

/// `debug.setlocal([thread,] level, n, value)`: the local's name, or nil if none.
fn setlocal(vm: &mut Vm) -> Result<usize, LuaError> {
    let (thread, shift) = leading_thread(vm);
    let level = check_int(vm, 1, "setlocal")?;
    let n = check_int(vm, 2, "setlocal")?;
    let view = thread.unwrap_or(vm.coro.current);
    let host = thread.is_none();
    let at = |vm: &Vm| match level_of(vm, level) {
        Some(Level::Host) if !host => None,
        other => other,
    };
    if coro::with_thread_view(vm, view, |vm| at(vm)).is_none() {
        return Err(arg_error(vm, 1 + shift, "setlocal", "level out of range"));
    }
    let v = check_any(vm, 3, "setlocal")?;
    let found = coro::with_thread_view(vm, view, |vm| {
        match at(vm).and_then(|level| find_local(vm, level, n)) {
            Some((name, pos)) if pos < vm.stack.len() => {
                vm.stack[pos] = v;
                Some(name)
            }
            _ => None,
        }
    });
    match found {
        Some(name) => push_str(vm, name.as_bytes()),
        None => vm.push(Value::Nil),
    }
    Ok(1)
}

// ----- upvalues --------------------------------------------------------------------------

/// The function argument `n` (1-based) of an upvalue function (`luaL_checktype` function).
fn check_function(vm: &mut Vm, n: usize, fname: &str) -> Result<Value, LuaError> {
    let f = vm.arg(n - 1);
    if is_function(f) {
        Ok(f)
    } else {
        Err(type_error(vm, n, fname, "function"))
    }
}

/// Upvalue `n` (1-based) of a function: its name (`""` for a native function's) and value.
fn upvalue(vm: &Vm, f: Value, n: i64) -> Option<(String, Value)> {
    let ix = usize::try_from(n).ok()?.checked_sub(1)?;
    match f {
        Value::LuaFn(c) => {
            let c = vm.heap.get(c);
            let u = *c.upvals.get(ix)?;
            let p = vm.heap.get(c.proto);
            let name = match p.bc.upvals.get(ix).map(|d| d.name.as_str()) {
                Some("") | None => "(no name)".to_string(),
                Some(s) => s.to_string(),
            };
            Some((name, vm.upval_get(u)))
        }
        Value::NativeFn(c) => {
            let v = *vm.heap.get(c).upvals.get(ix)?;
            Some((String::new(), v))
        }
        _ => None,
    }
}

/// `debug.getupvalue(f, n)`: name and value, or nothing when there is no such upvalue.
fn getupvalue(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = check_int(vm, 2, "getupvalue")?;
    let f = check_function(vm, 1, "getupvalue")?;
    match upvalue(vm, f, n) {
        Some((name, v)) => {
            push_str(vm, name.as_bytes());
            vm.push(v);
            Ok(2)
        }
        None => Ok(0),
    }
}

/// `debug.setupvalue(f, n, value)`: the upvalue's name, or nothing when there is none.
fn setupvalue(vm: &mut Vm) -> Result<usize, LuaError> {
    let v = check_any(vm, 3, "setupvalue")?;
    let n = check_int(vm, 2, "setupvalue")?;
    let f = check_function(vm, 1, "setupvalue")?;
    let Some((name, _)) = upvalue(vm, f, n) else {
        return Ok(0);
    };
    // `upvalue` found it, so the index is in range.
    let ix = (n - 1) as usize;
    match f {
        Value::LuaFn(c) => {
            let u = vm.heap.get(c).upvals[ix];
            vm.upval_set(u, v);
        }
        Value::NativeFn(c) => vm.heap.get_mut(c).upvals[ix] = v,
        _ => {}
    }
    push_str(vm, name.as_bytes());
    Ok(1)
}

/// An identity for upvalue `n` of `f` (`lua_upvalueid`): the address of the shared
/// upvalue cell for Lua functions, an address inside the closure for native ones.
fn upvalue_id(vm: &Vm, f: Value, n: i64) -> Option<i64> {
    let ix = usize::try_from(n).ok()?.checked_sub(1)?;
    match f {
        Value::LuaFn(c) => vm.heap.get(c).upvals.get(ix).map(|u| u.addr() as i64),
        Value::NativeFn(c) => {
            let len = vm.heap.get(c).upvals.len();
            (ix < len).then(|| (c.addr() + ix) as i64)
        }
        _ => None,
    }
}

/// `checkupval` with an index check: the upvalue index of argument `argnup`.
fn check_upvalue(
    vm: &mut Vm,
    argf: usize,
    argnup: usize,
    fname: &str,
) -> Result<(Value, usize), LuaError> {
    let n = check_int(vm, argnup, fname)?;
    let f = check_function(vm, argf, fname)?;
    if upvalue_id(vm, f, n).is_none() {
        return Err(arg_error(vm, argnup, fname, "invalid upvalue index"));
    }
    Ok((f, (n - 1) as usize))
}

/// `debug.upvalueid(f, n)`: an integer identifying the upvalue (equal for shared ones), or
/// nil when there is no such upvalue.
fn upvalueid(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = check_int(vm, 2, "upvalueid")?;
    let f = check_function(vm, 1, "upvalueid")?;
    let id = upvalue_id(vm, f, n).map_or(Value::Nil, Value::Int);
    vm.push(id);
    Ok(1)
}

/// `debug.upvaluejoin(f1, n1, f2, n2)`: upvalue `n1` of `f1` becomes upvalue `n2` of `f2`.
fn upvaluejoin(vm: &mut Vm) -> Result<usize, LuaError> {
    let (f1, n1) = check_upvalue(vm, 1, 2, "upvaluejoin")?;
    let (f2, n2) = check_upvalue(vm, 3, 4, "upvaluejoin")?;
    let Value::LuaFn(c1) = f1 else {
        return Err(arg_error(vm, 1, "upvaluejoin", "Lua function expected"));
    };
    let Value::LuaFn(c2) = f2 else {
        return Err(arg_error(vm, 3, "upvaluejoin", "Lua function expected"));
    };
    let u = vm.heap.get(c2).upvals[n2];
    vm.heap.get_mut(c1).upvals[n1] = u;
    Ok(0)
}

// ----- metatables, registry, user values ---------------------------------------------------

/// `debug.getmetatable(v)`: the raw metatable, ignoring `__metatable`.
fn getmetatable(vm: &mut Vm) -> Result<usize, LuaError> {
    let v = check_any(vm, 1, "getmetatable")?;
    let mt = crate::runtime::meta::metatable(vm, v).map_or(Value::Nil, Value::Table);
    vm.push(mt);
    Ok(1)
}

/// `debug.setmetatable(v, mt)`: sets the metatable of a table or userdata, or the one all
/// values of `v`'s type share; returns `v`.
fn setmetatable(vm: &mut Vm) -> Result<usize, LuaError> {
    let mt = match vm.arg(1) {
        Value::Table(m) => Some(m),
        Value::Nil if vm.arg_count() >= 2 => None,
        _ => return Err(type_error(vm, 2, "setmetatable", "nil or table")),
    };
    let v = vm.arg(0);
    crate::runtime::meta::set_metatable(vm, v, mt);
    vm.push(v);
    Ok(1)
}

/// `debug.getregistry()`.
fn getregistry(vm: &mut Vm) -> Result<usize, LuaError> {
    vm.push(Value::Table(vm.registry));
    Ok(1)
}

/// `debug.getuservalue(u [, n])`: user value `n` and true; nil alone when `u` is not a
/// userdata or has no such user value.
fn getuservalue(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = opt_int(vm, 2, "getuservalue", 1)?;
    let Value::Userdata(u) = vm.arg(0) else {
        vm.push(Value::Nil);
        return Ok(1);
    };
    let slot = usize::try_from(n).ok().and_then(|n| n.checked_sub(1));
    match slot.and_then(|i| vm.heap.get(u).user_values.get(i).copied()) {
        Some(v) => {
            vm.push(v);
            vm.push(Value::Bool(true));
            Ok(2)
        }
        None => {
            vm.push(Value::Nil);
            Ok(1)
        }
    }
}

/// `debug.setuservalue(u, v [, n])`: sets user value `n`; returns `u`, or nil when there
/// is no such user value.
fn setuservalue(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = opt_int(vm, 3, "setuservalue", 1)?;
    let Value::Userdata(u) = vm.arg(0) else {
        return Err(type_error(vm, 1, "setuservalue", "userdata"));
    };
    let v = check_any(vm, 2, "setuservalue")?;
    let slot = usize::try_from(n).ok().and_then(|n| n.checked_sub(1));
    let done = match slot.and_then(|i| vm.heap.get_mut(u).user_values.get_mut(i)) {
        Some(s) => {
            *s = v;
            true
        }
        None => false,
    };
    vm.push(if done { Value::Userdata(u) } else { Value::Nil });
    Ok(1)
}

// ----- hooks ---------------------------------------------------------------------------

/// `debug.sethook([thread,] hook, mask [, count])`; no hook, or an empty mask with no
/// count, turns hooks off. The engines call the hook (see `runtime::instr`).
fn sethook(vm: &mut Vm) -> Result<usize, LuaError> {
    // `debug.sethook([thread,] hook, mask [, count])`: hooks are per thread.
    let (thread, a) = match vm.arg(0) {
        Value::Thread(t) => (Some(t), 1),
        _ => (None, 0),
    };
    if vm.arg(a).is_nil() {
        set_thread_hook(vm, thread, Value::Nil, 0, 0);
        return Ok(0);
    }
    let smask = check_str(vm, a + 2, "sethook")?;
    let f = check_function(vm, a + 1, "sethook")?;
    let count = opt_int(vm, a + 3, "sethook", 0)?;
    let given = vm.heap.str(smask);
    let mut mask = 0;
    for (c, bit) in [(b'c', MASK_CALL), (b'r', MASK_RET), (b'l', MASK_LINE)] {
        if given.contains(&c) {
            mask |= bit;
        }
    }
    let count = u32::try_from(count.max(0)).unwrap_or(u32::MAX);
    if count > 0 {
        mask |= MASK_COUNT;
    }
    set_thread_hook(vm, thread, f, mask, count);
    Ok(0)
}

/// Sets the hook of `thread` (the running thread when `None` or when it is the running
/// one; otherwise the hook saved in the suspended or normal thread).
fn set_thread_hook(
    vm: &mut Vm,
    thread: Option<crate::runtime::GcRef<crate::runtime::coro::Thread>>,
    f: Value,
    mask: u8,
    count: u32,
) {
    match thread {
        Some(t) if t != vm.coro.current => {
            let h = &mut vm.heap.get_mut(t).state.hook;
            let (f, mask) = if f.is_nil() || mask == 0 {
                (Value::Nil, 0)
            } else {
                (f, mask)
            };
            h.func = f;
            h.mask = mask;
            h.count = count;
            h.countdown = count;
        }
        _ => vm.set_hook(f, mask, count),
    }
}

/// `debug.gethook([thread])`: the hook, its mask and count, or nil when none is set.
fn gethook(vm: &mut Vm) -> Result<usize, LuaError> {
    let h = match vm.arg(0) {
        Value::Thread(t) if t != vm.coro.current => vm.heap.get(t).state.hook,
        _ => vm.instr.hook,
    };
    if h.mask == 0 {
        vm.push(Value::Nil);
        return Ok(1);
    }
    let mut mask = String::new();
    for (c, bit) in [('c', MASK_CALL), ('r', MASK_RET), ('l', MASK_LINE)] {
        if h.mask & bit != 0 {
            mask.push(c);
        }
    }
    let mask = vm.str_value(mask.as_bytes());
    vm.push(h.func);
    vm.push(mask);
    vm.push(Value::Int(i64::from(h.count)));
    Ok(3)
}

/// `debug.setcstacklimit(limit)`: deprecated in lua5.4, which ignores the limit and
/// returns its fixed one.
fn setcstacklimit(vm: &mut Vm) -> Result<usize, LuaError> {
    check_int(vm, 1, "setcstacklimit")?;
    vm.push(Value::Int(MAX_NATIVE_DEPTH as i64));
    Ok(1)
}

// ----- debug.debug -------------------------------------------------------------------------

/// `debug.debug()`: reads lines from stdin and runs each as a chunk, printing errors on
/// stderr, until a line `cont` or the end of input.
fn debug(vm: &mut Vm) -> Result<usize, LuaError> {
    use std::io::{BufRead, Write};
    let top = vm.stack.len();
    loop {
        super::base::flush_out(vm);
        eprint!("lua_debug> ");
        let _ = std::io::stderr().flush();
        let mut line = Vec::new();
        match std::io::stdin().lock().read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Ok(0),
            Ok(_) => {}
        }
        if line == b"cont\n" || line == b"cont" {
            return Ok(0);
        }
        let err = match super::load::load_chunk(vm, &line, "=(debug command)", b"t", false) {
            Err(msg) => Some(msg.into_bytes()),
            Ok(f) => {
                let nframes = vm.frames.len();
                vm.push(f);
                match vm.call(top, 0, 0) {
                    Ok(()) => None,
                    Err(e) => {
                        let e = vm.unwind_error(nframes, top, e, &mut |_, e| e);
                        let mut text = Vec::new();
                        match super::ops::tostring_bytes(vm, e.value, &mut text) {
                            Ok(()) => Some(text),
                            Err(_) => Some(b"(error object cannot be converted)".to_vec()),
                        }
                    }
                }
            }
        };
        vm.stack.truncate(top);
        if let Some(text) = err {
            let mut so = std::io::stderr().lock();
            let _ = so.write_all(&text);
            let _ = so.write_all(b"\n");
        }
    }
}

// ----- traceback -----------------------------------------------------------------------------

/// `debug.traceback([thread,] [msg [, level]])`: `msg`, a newline and the traceback from
/// `level` (default 1, the caller). A `msg` that is neither a string, a number nor nil is
/// returned untouched.
fn traceback(vm: &mut Vm) -> Result<usize, LuaError> {
    let (thread, _) = leading_thread(vm);
    let msg = vm.arg(0);
    let mut text = Vec::new();
    match msg {
        Value::Str(s) => text.extend_from_slice(vm.heap.str(s)),
        Value::Int(_) | Value::Float(_) => super::ops::tostring_bytes(vm, msg, &mut text)?,
        Value::Nil => {}
        _ => {
            vm.push(msg);
            return Ok(1);
        }
    }
    let level = opt_int(vm, 2, "traceback", if thread.is_some() { 0 } else { 1 })?;
    if !msg.is_nil() {
        text.push(b'\n');
    }
    let level = usize::try_from(level).unwrap_or(usize::MAX);
    match thread {
        Some(co) => {
            let tb = coro::with_thread_view(vm, co, |vm| traceback_from(vm, level));
            // A coroutine's first frame is its body: no host call below it.
            let tb = tb.strip_suffix("\n\t[C]: in ?").unwrap_or(&tb);
            text.extend_from_slice(tb.as_bytes());
        }
        None => text.extend_from_slice(traceback_from(vm, level).as_bytes()),
    }
    push_str(vm, &text);
    Ok(1)
}
