//! Loading chunks at run time: `load`, `loadfile`, `dofile` (lua5.4's `lbaselib.c` and
//! `luaL_loadfilex`), and the shared [`load_chunk`] / [`load_file_chunk`] that `require`
//! uses too.
//!
//! A chunk is text (Lua source, compiled by [`crate::frontend`]) or binary: our `.sbc`
//! stack bytecode, recognised like lua5.4 recognises its binary chunks, by a first byte of
//! ESC. Binary chunks are never trusted: [`crate::bytecode::read_sbc`] then
//! [`crate::bytecode::verify()`] must both accept them before anything runs. The `mode`
//! argument (`"t"`, `"b"`, `"bt"`) restricts what may be loaded.
//!
//! Failures to load are returned as `nil, message` (never raised), with lua5.4's texts:
//! syntax errors as the compiler reports them, `attempt to load a text chunk (mode is
//! 'b')`, `cannot open NAME: No such file or directory`, `reader function must return a
//! string`.

use super::{check_str, is_none, opt_str, type_error};
use crate::bytecode::{self, MULTI};
use crate::runtime::function::UpVal;
use crate::runtime::{LuaError, Value, Vm};

pub fn open(vm: &mut Vm) {
    vm.register("load", load);
    vm.register("loadfile", loadfile);
    vm.register("dofile", dofile);
}

/// Loads `bytes` as a chunk named `chunkname` (Lua form: `@file`, `=name`, or the source
/// text) if `mode` allows its kind, and returns the main function, its first upvalue set
/// to the globals. The value is not rooted: store it on the stack before any safepoint.
/// A first line starting with `#` is skipped when `skip_comment` (files).
pub fn load_chunk(
    vm: &mut Vm,
    bytes: &[u8],
    chunkname: &str,
    mode: &[u8],
    skip_comment: bool,
) -> Result<Value, String> {
    let body = if skip_comment {
        &bytes[binary_start(bytes)..]
    } else {
        bytes
    };
    let binary = body.first() == Some(&bytecode::binary::SBC_MAGIC[0]);
    let (kind, letter) = if binary {
        ("binary", b'b')
    } else {
        ("text", b't')
    };
    if !mode.contains(&letter) {
        return Err(format!(
            "attempt to load a {kind} chunk (mode is '{}')",
            String::from_utf8_lossy(mode)
        ));
    }
    let module = if binary {
        bytecode::read_sbc(body)
            .and_then(|m| bytecode::verify(&m).map(|()| m))
            .map_err(|e| {
                let why = e.0.strip_prefix("bad binary format: ").unwrap_or(&e.0);
                format!("{}: bad binary format ({why})", binary_name(chunkname))
            })?
    } else if skip_comment {
        crate::frontend::compile(bytes, chunkname).map_err(|e| e.0)?
    } else {
        crate::frontend::compile_string(bytes, chunkname).map_err(|e| e.0)?
    };
    vm.load_module(module).map_err(|e| e.0)
}

/// Where a binary chunk starts in a file: after a UTF-8 byte-order mark and a first line
/// starting with `#` (lua5.4's `skipcomment`); 0 when neither is there.
fn binary_start(bytes: &[u8]) -> usize {
    let mut i = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    if bytes.get(i) == Some(&b'#') {
        while i < bytes.len() && bytes[i] != b'\n' {
            i += 1;
        }
        i = (i + 1).min(bytes.len());
    }
    i
}

/// The name lua5.4's undump uses in its messages.
fn binary_name(chunkname: &str) -> &str {
    match chunkname.as_bytes().first() {
        Some(b'@' | b'=') => &chunkname[1..],
        Some(&c) if c == bytecode::binary::SBC_MAGIC[0] => "binary string",
        _ => chunkname,
    }
}

/// Reads and loads a file (stdin for `None`) as `luaL_loadfilex` does: chunk name `@path`
/// or `=stdin`, a `#` first line skipped.
pub fn load_file_chunk(vm: &mut Vm, path: Option<&str>, mode: &[u8]) -> Result<Value, String> {
    use std::io::Read;
    let (bytes, chunkname) = match path {
        Some(p) => match std::fs::read(p) {
            Ok(b) => (b, format!("@{p}")),
            Err(e) => {
                let what = if e.kind() == std::io::ErrorKind::IsADirectory {
                    "read"
                } else {
                    "open"
                };
                return Err(format!(
                    "cannot {what} {p}: {}",
                    crate::host::io_error_text(&e)
                ));
            }
        },
        None => {
            let mut b = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut b) {
                return Err(format!(
                    "cannot read stdin: {}",
                    crate::host::io_error_text(&e)
                ));
            }
            (b, "=stdin".to_string())
        }
    };
    load_chunk(vm, &bytes, &chunkname, mode, true)
}

/// Sets the first upvalue of a freshly loaded main function (its `_ENV`).
fn set_env(vm: &mut Vm, f: Value, env: Value) {
    if let Value::LuaFn(c) = f {
        if let Some(&u) = vm.heap.get(c).upvals.first() {
            *vm.heap.get_mut(u) = UpVal::Closed(env);
        }
    }
}

/// Pushes `load`'s results: the function (with `env` as its `_ENV` when given), or
/// `nil, message`.
fn push_loaded(vm: &mut Vm, r: Result<Value, String>, env: Option<Value>) -> usize {
    match r {
        Ok(f) => {
            vm.push(f);
            if let Some(env) = env {
                set_env(vm, f, env);
            }
            1
        }
        Err(msg) => {
            vm.push(Value::Nil);
            let m = vm.str_value(msg.as_bytes());
            vm.push(m);
            2
        }
    }
}

/// The optional `mode` argument `n` (default `"bt"`).
fn mode_arg(vm: &mut Vm, n: usize, fname: &str) -> Result<Vec<u8>, LuaError> {
    Ok(match opt_str(vm, n, fname)? {
        Some(s) => vm.heap.str(s).to_vec(),
        None => b"bt".to_vec(),
    })
}

/// Lua strings as Rust chunk names (the compiler's names are `&str`).
fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `load(chunk [, chunkname [, mode [, env]]])`.
fn load(vm: &mut Vm) -> Result<usize, LuaError> {
    let mode = mode_arg(vm, 3, "load")?;
    let env = (!is_none(vm, 4)).then(|| vm.arg(3));
    let chunk = vm.arg(0);
    let r = match chunk {
        Value::Str(_) | Value::Int(_) | Value::Float(_) => {
            let s = check_str(vm, 1, "load")?;
            let src = vm.heap.str(s).to_vec();
            let name = match opt_str(vm, 2, "load")? {
                Some(n) => lossy(vm.heap.str(n)),
                None => lossy(&src),
            };
            load_chunk(vm, &src, &name, &mode, false)
        }
        Value::LuaFn(_) | Value::NativeFn(_) => {
            let name = match opt_str(vm, 2, "load")? {
                Some(n) => lossy(vm.heap.str(n)),
                None => "=(load)".to_string(),
            };
            match read_pieces(vm, chunk) {
                Ok(src) => load_chunk(vm, &src, &name, &mode, false),
                Err(msg) => {
                    // The reader's error value goes back as it is (lua5.4 returns the
                    // error object of the failed protected parse).
                    vm.push(Value::Nil);
                    vm.push(msg);
                    return Ok(2);
                }
            }
        }
        _ => return Err(type_error(vm, 1, "load", "function")),
    };
    Ok(push_loaded(vm, r, env))
}

/// Calls the reader function until it returns nil or an empty string, concatenating the
/// pieces. An error (raised by the reader, or a piece that is not a string) is returned as
/// its error value, the frames of a failed call undone.
fn read_pieces(vm: &mut Vm, reader: Value) -> Result<Vec<u8>, Value> {
    let mut src = Vec::new();
    let nframes = vm.frames.len();
    let top = vm.stack.len();
    loop {
        let r = match vm.call_value(reader, &[], 1) {
            Ok(r) => r.first().copied().unwrap_or(Value::Nil),
            Err(e) => {
                let e = vm.unwind_error(nframes, top, e, &mut |_, e| e);
                return Err(e.value);
            }
        };
        match r {
            Value::Nil => return Ok(src),
            Value::Str(s) => {
                let piece = vm.heap.str(s);
                if piece.is_empty() {
                    return Ok(src);
                }
                src.extend_from_slice(piece);
            }
            Value::Int(_) | Value::Float(_) => {
                let mut buf = Vec::new();
                // Numbers are strings to the reader protocol (`lua_tolstring`).
                if super::ops::tostring_bytes(vm, r, &mut buf).is_err() || buf.is_empty() {
                    return Ok(src);
                }
                src.extend_from_slice(&buf);
            }
            _ => {
                let e = vm.lib_error("reader function must return a string");
                return Err(e.value);
            }
        }
    }
}

/// `loadfile([filename [, mode [, env]]])`.
fn loadfile(vm: &mut Vm) -> Result<usize, LuaError> {
    let path = opt_str(vm, 1, "loadfile")?.map(|s| lossy(vm.heap.str(s)));
    let mode = mode_arg(vm, 2, "loadfile")?;
    let env = (!is_none(vm, 3)).then(|| vm.arg(2));
    let r = load_file_chunk(vm, path.as_deref(), &mode);
    Ok(push_loaded(vm, r, env))
}

/// `dofile([filename])`: loads and calls the file; every error propagates.
fn dofile(vm: &mut Vm) -> Result<usize, LuaError> {
    let path = opt_str(vm, 1, "dofile")?.map(|s| lossy(vm.heap.str(s)));
    let f = match load_file_chunk(vm, path.as_deref(), b"bt") {
        Ok(f) => f,
        Err(msg) => return Err(vm.error_plain(&msg)),
    };
    let func = vm.stack.len();
    vm.push(f);
    vm.call_yieldable(func, 0, MULTI)?; // yieldable, as lua5.4's lua_callk
    Ok(vm.stack.len() - func)
}
