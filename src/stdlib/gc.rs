//! `collectgarbage`, the script's view of the collector (see [`crate::runtime::heap`]).
//!
//! The collector is one stop-the-world mark-and-sweep, so a "step" always finishes a
//! cycle; the mode and tunables are kept and reported as lua5.4 reports them (a step
//! returns true in incremental mode, false in generational mode, as a small heap does
//! in lua5.4). Inside a
//! finalizer every option fails (returns nil), as in Lua 5.4.4.

use super::{arg_error, opt_int, opt_str};
use crate::runtime::heap::GcMode;
use crate::runtime::{LuaError, Value, Vm};

const NAME: &str = "collectgarbage";

pub fn open(vm: &mut Vm) {
    vm.register(NAME, collectgarbage);
    // lua.c switches its state to generational mode at startup; the standard library
    // stands for that here, so that mode switches report what lua5.4 reports.
    vm.heap.mode = GcMode::Generational;
}

/// Lua's `lua_gc` arguments are C `int`s.
fn opt_c_int(vm: &mut Vm, n: usize) -> Result<i32, LuaError> {
    Ok(opt_int(vm, n, NAME, 0)? as i32)
}

fn collectgarbage(vm: &mut Vm) -> Result<usize, LuaError> {
    let opt = match opt_str(vm, 1, NAME)? {
        Some(s) => String::from_utf8_lossy(vm.heap.str(s)).into_owned(),
        None => "collect".to_string(),
    };
    const OPTIONS: [&str; 10] = [
        "stop",
        "restart",
        "collect",
        "count",
        "step",
        "setpause",
        "setstepmul",
        "isrunning",
        "generational",
        "incremental",
    ];
    if !OPTIONS.contains(&opt.as_str()) {
        let msg = format!("invalid option '{opt}'");
        return Err(arg_error(vm, 1, NAME, &msg));
    }
    // Arguments are checked before the collector refuses (as lbaselib reads them first).
    let (a, b) = match opt.as_str() {
        "step" | "setpause" | "setstepmul" => (opt_c_int(vm, 2)?, 0),
        "generational" | "incremental" => {
            let a = opt_c_int(vm, 2)?;
            let b = opt_c_int(vm, 3)?;
            if opt == "incremental" {
                opt_c_int(vm, 4)?; // step size: no meaning for this collector
            }
            (a, b)
        }
        _ => (0, 0),
    };
    if vm.heap.in_finalizer {
        vm.push(Value::Nil);
        return Ok(1);
    }
    let r = match opt.as_str() {
        "collect" => {
            vm.collect_garbage();
            Value::Int(0)
        }
        "step" => {
            // A step of a stop-the-world collector is a whole cycle. lua5.4 reports the
            // end of a cycle, which never shows in generational mode (its collector stays
            // in the propagate state between steps).
            vm.collect_garbage();
            Value::Bool(vm.heap.mode == GcMode::Incremental)
        }
        "count" => Value::Float(vm.heap.bytes() as f64 / 1024.0),
        "stop" => {
            vm.heap.set_stopped(true);
            Value::Int(0)
        }
        "restart" => {
            vm.heap.set_stopped(false);
            Value::Int(0)
        }
        "isrunning" => Value::Bool(!vm.heap.is_stopped()),
        "setpause" => Value::Int(vm.heap.set_pause(a) as i64),
        "setstepmul" => Value::Int(vm.heap.set_stepmul(a) as i64),
        _ => {
            let (mode, old) = if opt == "incremental" {
                if a != 0 {
                    vm.heap.set_pause(a);
                }
                if b != 0 {
                    vm.heap.set_stepmul(b);
                }
                (GcMode::Incremental, vm.heap.mode)
            } else {
                (GcMode::Generational, vm.heap.mode)
            };
            vm.heap.mode = mode;
            vm.str_value(old.name().as_bytes())
        }
    };
    vm.push(r);
    Ok(1)
}
