//! A restricted library set for untrusted code (`apogee --sandbox`, or [`apply`] from an
//! embedder). Applied after [`crate::stdlib::open_libs`], before any Lua code runs: it
//! removes or replaces globals rather than changing the libraries themselves.
//!
//! What a sandboxed program cannot do:
//! - touch files or processes: `io`, `dofile`, `loadfile` and `debug` are gone; `os`
//!   keeps only `clock`, `time`, `date` and `difftime` (no `exit`, `getenv`, `remove`,
//!   `rename`, `tmpname`, `execute`...);
//! - load bytecode: `load` is a wrapper that forces mode `"t"` (binary chunks fail with
//!   lua5.4's "attempt to load a binary chunk (mode is 't')");
//! - load modules from files: `package.searchers` keeps only the preload searcher, and
//!   `package.searchpath` is gone (it probes the file system);
//! - `string.dump` is gone.
//!
//! `package.loaded` is updated to match, so `require "io"` cannot bring a removed library
//! back. Everything else (string, table, math, utf8, coroutine if present, pcall, error,
//! setmetatable, collectgarbage...) is unchanged.

use crate::bytecode::MULTI;
use crate::runtime::table::Table;
use crate::runtime::{LuaError, Value, Vm};
use crate::stdlib::package::LOADED_KEY;
use crate::stdlib::{get_field, native_closure, native_upval, set_field};

/// The `os` functions a sandbox keeps: they read the clock and format dates only.
const OS_KEPT: &[&str] = &["clock", "time", "date", "difftime"];

/// Global functions a sandbox removes.
const GLOBALS_REMOVED: &[&str] = &["dofile", "loadfile", "io", "debug"];

/// Restricts `vm`'s globals to the sandbox set described in the module documentation.
/// Call it once, after the standard library is open and before running code.
pub fn apply(vm: &mut Vm) {
    let g = vm.globals;
    let reg = vm.registry;
    let loaded = match get_field(vm, reg, LOADED_KEY) {
        Value::Table(t) => Some(t),
        _ => None,
    };
    for &name in GLOBALS_REMOVED {
        set_field(vm, g, name, Value::Nil);
        if let Some(l) = loaded {
            set_field(vm, l, name, Value::Nil);
        }
    }

    // A fresh `os` with the harmless functions only.
    let os = vm.heap.alloc(Table::new());
    vm.stack.push(Value::Table(os)); // rooted while we build it
    if let Value::Table(old) = get_field(vm, g, "os") {
        for &name in OS_KEPT {
            let f = get_field(vm, old, name);
            set_field(vm, os, name, f);
        }
    }
    set_field(vm, g, "os", Value::Table(os));
    if let Some(l) = loaded {
        set_field(vm, l, "os", Value::Table(os));
    }
    vm.stack.pop();

    if let Value::Table(s) = get_field(vm, g, "string") {
        set_field(vm, s, "dump", Value::Nil);
    }

    if let Value::Table(pkg) = get_field(vm, g, "package") {
        set_field(vm, pkg, "searchpath", Value::Nil);
        set_field(vm, pkg, "loadlib", Value::Nil);
        if let Value::Table(searchers) = get_field(vm, pkg, "searchers") {
            // Keep [1] (preload); drop the file searchers. Cleared from the end so the
            // sequence stays a sequence.
            let n = vm.heap.get(searchers).len();
            for i in (2..=n).rev() {
                let grew = vm.heap.get_mut(searchers).set_int(i, Value::Nil);
                vm.heap.note_growth(grew);
            }
        }
    }

    let original = get_field(vm, g, "load");
    if !original.is_nil() {
        let wrapped = native_closure(vm, "load", text_only_load, &[original]);
        set_field(vm, g, "load", wrapped);
    }
}

/// `load(chunk [, chunkname [, mode [, env]]])` with `mode` forced to `"t"`: calls the
/// original `load` (upvalue 1) with the same chunk, name and environment.
fn text_only_load(vm: &mut Vm) -> Result<usize, LuaError> {
    let original = native_upval(vm, 0);
    let n = vm.arg_count();
    let mut args = vec![vm.arg(0), vm.arg(1), vm.str_value(b"t")];
    if n >= 4 {
        args.push(vm.arg(3));
    }
    // A nil chunkname is `load`'s default name, as if the argument were absent.
    let func = vm.stack.len();
    vm.stack.push(original);
    vm.stack.extend_from_slice(&args);
    vm.call(func, args.len(), MULTI)?;
    Ok(vm.stack.len() - func)
}
