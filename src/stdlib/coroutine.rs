//! The `coroutine` library, over [`crate::runtime::coro`] (stackful coroutines).
//!
//! Messages and results follow lua5.4: `resume` returns `false, msg` for a dead or
//! non-suspended coroutine and for an error inside it; a `wrap` function re-raises the
//! error, prefixing a string with its caller's position (`luaL_where(L, 1)`).

use super::{native_closure, native_upval, new_lib, type_error};
use crate::runtime::coro::{self, Status, Thread};
use crate::runtime::{GcRef, LuaError, Value, Vm};

/// Installs the `coroutine` table.
pub fn open(vm: &mut Vm) {
    new_lib(
        vm,
        "coroutine",
        &[
            ("coroutine.create", create),
            ("coroutine.resume", resume),
            ("coroutine.yield", yield_),
            ("coroutine.status", status),
            ("coroutine.wrap", wrap),
            ("coroutine.isyieldable", isyieldable),
            ("coroutine.running", running),
            ("coroutine.close", close),
        ],
    );
}

fn check_function(vm: &mut Vm, n: usize, fname: &str) -> Result<Value, LuaError> {
    match vm.arg(n - 1) {
        v @ (Value::LuaFn(_) | Value::NativeFn(_)) => Ok(v),
        _ => Err(type_error(vm, n, fname, "function")),
    }
}

fn check_thread(vm: &mut Vm, n: usize, fname: &str) -> Result<GcRef<Thread>, LuaError> {
    match vm.arg(n - 1) {
        Value::Thread(t) => Ok(t),
        _ => Err(type_error(vm, n, fname, "thread")),
    }
}

/// The arguments of the running native from index `from` (0-based) on, into transit.
fn args_to_transfer(vm: &mut Vm, from: usize) {
    let start = (vm.native_base() + from).min(vm.stack.len());
    let Vm { stack, coro, .. } = vm;
    coro.transfer.clear();
    coro.transfer.extend_from_slice(&stack[start..]);
}

/// Pushes the values in transit as results; returns how many.
fn push_transfer(vm: &mut Vm) -> Result<usize, LuaError> {
    let n = vm.coro.transfer.len();
    vm.check_stack(vm.stack.len() + n)
        .map_err(|_| vm.lib_error("too many results to resume"))?;
    let Vm { stack, coro, .. } = vm;
    stack.extend_from_slice(&coro.transfer);
    coro.transfer.clear();
    Ok(n)
}

fn create(vm: &mut Vm) -> Result<usize, LuaError> {
    let f = check_function(vm, 1, "create")?;
    let t = coro::create(vm, f);
    vm.push(Value::Thread(t));
    Ok(1)
}

fn resume(vm: &mut Vm) -> Result<usize, LuaError> {
    let co = check_thread(vm, 1, "resume")?;
    args_to_transfer(vm, 1);
    match coro::resume(vm, co, false) {
        Ok(()) => {
            vm.push(Value::Bool(true));
            Ok(push_transfer(vm)? + 1)
        }
        Err(e) => {
            vm.coro.transfer.clear();
            vm.push(Value::Bool(false));
            vm.push(e.value);
            Ok(2)
        }
    }
}

/// The function `coroutine.wrap` returns: resumes its coroutine (upvalue 1).
fn wrap_call(vm: &mut Vm) -> Result<usize, LuaError> {
    let Value::Thread(co) = native_upval(vm, 0) else {
        return Err(vm.lib_error("cannot resume dead coroutine"));
    };
    args_to_transfer(vm, 0);
    match coro::resume(vm, co, false) {
        Ok(()) => push_transfer(vm),
        Err(e) => {
            vm.coro.transfer.clear();
            // A dead coroutine is closed at once (its pending `__close` run with the
            // error, which they may replace), as lua5.4's `auxwrap` does.
            let e = if vm.heap.get(co).status == Status::Dead && !e.is_close_signal() {
                match coro::close(vm, co) {
                    Err(v) => LuaError::new(v),
                    Ok(()) => e,
                }
            } else {
                e
            };
            let is_memory_error = e.value.raw_eq(&vm.heap.memory_error_value());
            match e.value {
                Value::Str(s) if !is_memory_error && !e.is_close_signal() => {
                    let mut msg = vm.where_(1).into_bytes();
                    msg.extend_from_slice(vm.heap.str(s));
                    let v = vm.str_value(&msg);
                    Err(LuaError::new(v))
                }
                _ => Err(e),
            }
        }
    }
}

fn wrap(vm: &mut Vm) -> Result<usize, LuaError> {
    let f = check_function(vm, 1, "wrap")?;
    let t = coro::create(vm, f);
    let w = native_closure(vm, "wrap", wrap_call, &[Value::Thread(t)]);
    vm.push(w);
    Ok(1)
}

fn yield_(vm: &mut Vm) -> Result<usize, LuaError> {
    args_to_transfer(vm, 0);
    if let Err(e) = coro::yield_now(vm) {
        vm.coro.transfer.clear();
        return Err(e);
    }
    // The results replace the arguments.
    let base = vm.native_base();
    vm.stack.truncate(base);
    push_transfer(vm)
}

fn status(vm: &mut Vm) -> Result<usize, LuaError> {
    let co = check_thread(vm, 1, "status")?;
    let name = if co == vm.coro.current {
        "running"
    } else {
        vm.heap.get(co).status.name()
    };
    let v = vm.str_value(name.as_bytes());
    vm.push(v);
    Ok(1)
}

fn isyieldable(vm: &mut Vm) -> Result<usize, LuaError> {
    let co = if super::is_none(vm, 1) {
        vm.coro.current
    } else {
        check_thread(vm, 1, "isyieldable")?
    };
    let y = coro::is_yieldable(vm, co);
    vm.push(Value::Bool(y));
    Ok(1)
}

fn running(vm: &mut Vm) -> Result<usize, LuaError> {
    let cur = vm.coro.current;
    vm.push(Value::Thread(cur));
    vm.push(Value::Bool(cur == vm.coro.main));
    Ok(2)
}

fn close(vm: &mut Vm) -> Result<usize, LuaError> {
    let co = check_thread(vm, 1, "close")?;
    let status = if co == vm.coro.current {
        Status::Running
    } else {
        vm.heap.get(co).status
    };
    match status {
        Status::Running => Err(vm.lib_error("cannot close a running coroutine")),
        Status::Normal => Err(vm.lib_error("cannot close a normal coroutine")),
        Status::Suspended | Status::Dead => match coro::close(vm, co) {
            Ok(()) => {
                vm.push(Value::Bool(true));
                Ok(1)
            }
            Err(v) => {
                vm.push(Value::Bool(false));
                vm.push(v);
                Ok(2)
            }
        },
    }
}
