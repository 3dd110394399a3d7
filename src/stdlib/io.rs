//! The io library: `io.open`, `io.close`, `io.read`, `io.write`, `io.lines`, `io.input`,
//! `io.output`, `io.popen`, `io.tmpfile`, `io.type`, `io.flush`, the standard files, and
//! the file methods (`close flush lines read seek setvbuf write`).
//!
//! A file is a full userdata whose payload is its [`FileState`] (so the userdata owns the
//! OS handle) and whose metatable is the shared file metatable (`__name = "FILE*"`,
//! methods in `__index`, `__gc` and `__close` close it, `__tostring` gives `file (0x...)`
//! or `file (closed)`). A function recognises a file by its payload's type, as liolib's
//! `luaL_checkudata` does by its metatable. Writes to standard output go through `vm.out`
//! (the buffer `print` uses, flushed by [`flush_out`]) so the two keep their order; writes
//! to standard error flush it first.
//!
//! Differences from lua5.4 that remain: `io.popen` flushes our standard output buffer
//! before starting the command; files and pipes are unbuffered (`setvbuf` only affects
//! standard output).

use std::io::SeekFrom;
use std::process::{Command, Stdio};

use super::base::{flush_out, write_out};
use super::iofile::{self, FileState, Stream, VBuf};
use super::{
    arg_error, check_any, check_str, get_field, is_none, is_none_or_nil, native_closure,
    native_upval, new_lib, opt_int, opt_str, push_str, set_field, type_error,
};
use crate::runtime::number::{write_float_conv, Num};
use crate::runtime::table::Table;
use crate::runtime::userdata::Userdata;
use crate::runtime::{GcRef, LuaError, Value, Vm};

/// A Lua file object: a userdata whose payload is a [`FileState`].
type Handle = GcRef<Userdata>;

/// Registry keys (the metatable's key is liolib's `LUA_FILEHANDLE`).
const META_KEY: &str = "FILE*";
const INPUT_KEY: &str = "apogee.io.input";
const OUTPUT_KEY: &str = "apogee.io.output";

/// liolib's `MAXARGLINE`: formats `lines` accepts.
const MAX_LINE_FORMATS: usize = 250;

pub fn open(vm: &mut Vm) {
    let reg = vm.registry;
    let io = new_lib(
        vm,
        "io",
        &[
            ("io.close", io_close),
            ("io.flush", io_flush),
            ("io.input", io_input),
            ("io.lines", io_lines),
            ("io.open", io_open),
            ("io.output", io_output),
            ("io.popen", io_popen),
            ("io.read", io_read),
            ("io.tmpfile", io_tmpfile),
            ("io.type", io_type),
            ("io.write", io_write),
        ],
    );

    // The file metatable: methods in `__index`, as liolib's `createmeta`. Methods are
    // not reachable from `package.loaded`, so lua5.4 names them '?' in messages.
    let meta = vm.heap.alloc(Table::new());
    let methods = vm.heap.alloc(Table::new());
    let method_fns: &[(&str, crate::runtime::function::NativeFnPtr)] = &[
        ("close", f_close),
        ("flush", f_flush),
        ("lines", f_lines),
        ("read", f_read),
        ("seek", f_seek),
        ("setvbuf", f_setvbuf),
        ("write", f_write),
    ];
    for &(name, f) in method_fns {
        let v = vm.native_fn("?", f);
        set_field(vm, methods, name, v);
    }
    set_field(vm, meta, "__index", Value::Table(methods));
    let name = vm.str_value(b"FILE*");
    set_field(vm, meta, "__name", name);
    let gc = vm.native_fn("?", f_gc);
    set_field(vm, meta, "__gc", gc);
    set_field(vm, meta, "__close", gc);
    let ts = vm.native_fn("?", f_tostring);
    set_field(vm, meta, "__tostring", ts);
    set_field(vm, reg, META_KEY, Value::Table(meta));

    let stdin = new_file(vm, Stream::Stdin);
    let stdout = new_file(vm, Stream::Stdout);
    let stderr = new_file(vm, Stream::Stderr);
    set_field(vm, io, "stdin", stdin);
    set_field(vm, io, "stdout", stdout);
    set_field(vm, io, "stderr", stderr);
    set_field(vm, reg, INPUT_KEY, stdin);
    set_field(vm, reg, OUTPUT_KEY, stdout);
}

// ----- handles --------------------------------------------------------------------------------

fn registry_table(vm: &mut Vm, key: &str) -> Option<GcRef<Table>> {
    let reg = vm.registry;
    match get_field(vm, reg, key) {
        Value::Table(t) => Some(t),
        _ => None,
    }
}

/// A new Lua file object for `stream`.
fn new_file(vm: &mut Vm, stream: Stream) -> Value {
    let meta = registry_table(vm, META_KEY);
    vm.new_userdata(Userdata::new(FileState::new(stream)), meta)
}

/// The file object `v` (open or closed), `None` for anything else: a userdata with a
/// file payload whose metatable is still the file metatable (`luaL_testudata`, so
/// `debug.setmetatable` can turn a file into something else, as in lua5.4).
fn handle_of(vm: &mut Vm, v: Value) -> Option<Handle> {
    let Value::Userdata(u) = v else { return None };
    let ud = vm.heap.get(u);
    if !ud.is::<FileState>() {
        return None;
    }
    let meta = ud.meta;
    (meta.is_some() && meta == registry_table(vm, META_KEY)).then_some(u)
}

/// Runs `op` on the state of file `h`; `None` if `h` is not a file.
fn with_file<R>(vm: &mut Vm, h: Handle, op: impl FnOnce(&mut FileState) -> R) -> Option<R> {
    vm.heap.get_mut(h).payload_mut::<FileState>().map(op)
}

fn is_closed(vm: &mut Vm, h: Handle) -> bool {
    with_file(vm, h, |f| f.is_closed()).unwrap_or(true)
}

/// Argument `n` as a file handle of any state (`luaL_checkudata(L, n, "FILE*")`).
fn check_handle(vm: &mut Vm, n: usize, fname: &str) -> Result<Handle, LuaError> {
    match handle_of(vm, vm.arg(n - 1)) {
        Some(h) => Ok(h),
        None => Err(type_error(vm, n, fname, "FILE*")),
    }
}

/// Argument `n` as an open file (liolib's `tofile`).
fn check_open(vm: &mut Vm, n: usize, fname: &str) -> Result<Handle, LuaError> {
    let h = check_handle(vm, n, fname)?;
    if is_closed(vm, h) {
        return Err(vm.lib_error("attempt to use a closed file"));
    }
    Ok(h)
}

/// The default input or output file (liolib's `getiofile`).
fn default_file(vm: &mut Vm, key: &str, what: &str) -> Result<(Value, Handle), LuaError> {
    let reg = vm.registry;
    let f = get_field(vm, reg, key);
    match handle_of(vm, f) {
        Some(h) if !is_closed(vm, h) => Ok((f, h)),
        _ => Err(vm.lib_error(&format!("default {what} file is closed"))),
    }
}

/// Pushes `nil, "[name: ]message", errno` (`luaL_fileresult` on failure).
fn push_failure(vm: &mut Vm, e: &std::io::Error, name: Option<&[u8]>) -> usize {
    let (msg, code) = iofile::describe(e);
    let mut text = Vec::new();
    if let Some(name) = name {
        text.extend_from_slice(name);
        text.extend_from_slice(b": ");
    }
    text.extend_from_slice(msg.as_bytes());
    vm.push(Value::Nil);
    push_str(vm, &text);
    vm.push(Value::Int(code));
    3
}

/// Pushes `true` or the failure triple (`luaL_fileresult`).
fn push_result(vm: &mut Vm, r: std::io::Result<()>) -> usize {
    match r {
        Ok(()) => {
            vm.push(Value::Bool(true));
            1
        }
        Err(e) => push_failure(vm, &e, None),
    }
}

fn bytes_of(vm: &Vm, s: GcRef<crate::runtime::string::LuaStr>) -> Vec<u8> {
    vm.heap.str(s).to_vec()
}

fn path_of(bytes: &[u8]) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    std::path::PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

// ----- opening --------------------------------------------------------------------------------

/// liolib's `l_checkmode`: `[rwa]%+?b*`.
fn valid_mode(mode: &[u8]) -> bool {
    match mode.split_first() {
        Some((c, rest)) if b"rwa".contains(c) => {
            let rest = rest.strip_prefix(b"+").unwrap_or(rest);
            rest.iter().all(|&c| c == b'b')
        }
        _ => false,
    }
}

/// Opens `name` as `fopen` would with a mode `valid_mode` accepted.
fn open_path(name: &[u8], mode: &[u8]) -> std::io::Result<std::fs::File> {
    let plus = mode.contains(&b'+');
    let mut o = std::fs::OpenOptions::new();
    match mode.first() {
        Some(b'w') => o.write(true).create(true).truncate(true).read(plus),
        Some(b'a') => o.append(true).create(true).read(plus),
        _ => o.read(true).write(plus),
    };
    o.open(path_of(name))
}

fn io_open(vm: &mut Vm) -> Result<usize, LuaError> {
    let name = check_str(vm, 1, "open")?;
    let mode = opt_str(vm, 2, "open")?;
    let name = bytes_of(vm, name);
    let mode = mode.map_or(b"r".to_vec(), |m| bytes_of(vm, m));
    if !valid_mode(&mode) {
        return Err(arg_error(vm, 2, "open", "invalid mode"));
    }
    match open_path(&name, &mode) {
        Ok(f) => {
            let v = new_file(vm, Stream::File(f));
            vm.push(v);
            Ok(1)
        }
        Err(e) => Ok(push_failure(vm, &e, Some(&name))),
    }
}

/// Opens a file or raises "cannot open file 'x' (reason)" (liolib's `opencheckfile`).
fn open_or_raise(vm: &mut Vm, name: &[u8], mode: &[u8]) -> Result<Value, LuaError> {
    match open_path(name, mode) {
        Ok(f) => Ok(new_file(vm, Stream::File(f))),
        Err(e) => {
            let (msg, _) = iofile::describe(&e);
            let name = String::from_utf8_lossy(name);
            Err(vm.lib_error(&format!("cannot open file '{name}' ({msg})")))
        }
    }
}

fn io_popen(vm: &mut Vm) -> Result<usize, LuaError> {
    let prog = check_str(vm, 1, "popen")?;
    let mode = opt_str(vm, 2, "popen")?;
    let prog = bytes_of(vm, prog);
    let mode = mode.map_or(b"r".to_vec(), |m| bytes_of(vm, m));
    let reading = match mode.as_slice() {
        b"r" => true,
        b"w" => false,
        _ => return Err(arg_error(vm, 2, "popen", "invalid mode")),
    };
    // The command shares our standard output: let what we wrote so far come first.
    flush_out(vm);
    use std::os::unix::ffi::OsStrExt;
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg(std::ffi::OsStr::from_bytes(&prog));
    if reading {
        cmd.stdout(Stdio::piped());
    } else {
        cmd.stdin(Stdio::piped());
    }
    match cmd.spawn() {
        Ok(child) => {
            let stream = if reading {
                Stream::PipeRead(child)
            } else {
                Stream::PipeWrite(child)
            };
            let v = new_file(vm, stream);
            vm.push(v);
            Ok(1)
        }
        Err(e) => Ok(push_failure(vm, &e, Some(&prog))),
    }
}

/// A new anonymous file opened for update: created under the temporary directory and
/// unlinked at once, as `tmpfile` does.
fn io_tmpfile(vm: &mut Vm) -> Result<usize, LuaError> {
    let mut last_err = None;
    for attempt in 0..100u32 {
        let path = std::env::temp_dir().join(format!(
            "apogee_tmp_{}_{}_{}",
            std::process::id(),
            iofile::unique_id(),
            attempt
        ));
        let r = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path);
        match r {
            Ok(f) => {
                let _ = std::fs::remove_file(&path);
                let v = new_file(vm, Stream::File(f));
                vm.push(v);
                return Ok(1);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Ok(push_failure(vm, &e, None)),
        }
    }
    let e = last_err.unwrap_or_else(|| std::io::Error::from_raw_os_error(iofile::EINVAL));
    Ok(push_failure(vm, &e, None))
}

// ----- closing --------------------------------------------------------------------------------

/// Closes handle `h` (open) and pushes the results of `close` (liolib's `aux_close`).
fn close_handle(vm: &mut Vm, h: Handle) -> usize {
    let standard = with_file(vm, h, |f| {
        matches!(
            f.stream,
            Some(Stream::Stdin | Stream::Stdout | Stream::Stderr)
        )
    })
    .unwrap_or(false);
    if standard {
        vm.push(Value::Nil);
        push_str(vm, b"cannot close standard file");
        return 2;
    }
    match with_file(vm, h, |f| f.close()) {
        Some(Ok(Some(status))) => {
            let (ok, what, code) = match status {
                Ok(code) => (code == 0, "exit", code),
                Err(sig) => (false, "signal", sig),
            };
            vm.push(if ok { Value::Bool(true) } else { Value::Nil });
            push_str(vm, what.as_bytes());
            vm.push(Value::Int(i64::from(code)));
            3
        }
        Some(Err(e)) => push_failure(vm, &e, None),
        Some(Ok(None)) | None => {
            vm.push(Value::Bool(true));
            1
        }
    }
}

/// `io.close([file])`: without a file, the default output as it is (liolib's `io_close`
/// uses it directly, so a closed one gives "attempt to use a closed file").
fn io_close(vm: &mut Vm) -> Result<usize, LuaError> {
    if is_none(vm, 1) {
        let reg = vm.registry;
        let out = get_field(vm, reg, OUTPUT_KEY);
        vm.push(out);
    }
    let h = check_open(vm, 1, "close")?;
    Ok(close_handle(vm, h))
}

fn f_close(vm: &mut Vm) -> Result<usize, LuaError> {
    let h = check_open(vm, 1, "close")?;
    Ok(close_handle(vm, h))
}

/// `__gc` and `__close`: closes the file unless it is closed or standard.
fn f_gc(vm: &mut Vm) -> Result<usize, LuaError> {
    let h = check_handle(vm, 1, "?")?;
    if !is_closed(vm, h) {
        let base = vm.stack.len();
        close_handle(vm, h);
        vm.stack.truncate(base);
    }
    Ok(0)
}

fn f_tostring(vm: &mut Vm) -> Result<usize, LuaError> {
    let v = vm.arg(0);
    let h = check_handle(vm, 1, "tostring")?;
    let text = if is_closed(vm, h) {
        "file (closed)".to_string()
    } else {
        format!("file ({:#x})", v.object_addr().unwrap_or(0))
    };
    push_str(vm, text.as_bytes());
    Ok(1)
}

fn io_type(vm: &mut Vm) -> Result<usize, LuaError> {
    let v = check_any(vm, 1, "type")?;
    match handle_of(vm, v) {
        Some(h) => {
            let s: &[u8] = if is_closed(vm, h) {
                b"closed file"
            } else {
                b"file"
            };
            push_str(vm, s);
        }
        None => vm.push(Value::Nil),
    }
    Ok(1)
}

// ----- default files --------------------------------------------------------------------------

/// `io.input([file])` / `io.output([file])` (liolib's `g_iofile`).
fn set_default(vm: &mut Vm, key: &str, mode: &[u8], fname: &str) -> Result<usize, LuaError> {
    if !is_none_or_nil(vm, 1) {
        let f = match vm.arg(0) {
            v @ (Value::Str(_) | Value::Int(_) | Value::Float(_)) => {
                let mut name = Vec::new();
                super::ops::tostring_bytes(vm, v, &mut name)?;
                open_or_raise(vm, &name, mode)?
            }
            v => {
                check_open(vm, 1, fname)?;
                v
            }
        };
        let reg = vm.registry;
        set_field(vm, reg, key, f);
    }
    let reg = vm.registry;
    let cur = get_field(vm, reg, key);
    vm.push(cur);
    Ok(1)
}

fn io_input(vm: &mut Vm) -> Result<usize, LuaError> {
    set_default(vm, INPUT_KEY, b"r", "input")
}

fn io_output(vm: &mut Vm) -> Result<usize, LuaError> {
    set_default(vm, OUTPUT_KEY, b"w", "output")
}

// ----- writing --------------------------------------------------------------------------------

/// The buffering mode of `h` if it is standard output (written through `vm.out`).
fn stdout_mode(vm: &mut Vm, h: Handle) -> Option<VBuf> {
    with_file(vm, h, |f| match f.stream {
        Some(Stream::Stdout) => Some(f.vbuf),
        _ => None,
    })
    .flatten()
}

/// Writes to handle `h`; `stdout` is [`stdout_mode`] of `h`: standard output goes to
/// `vm.out` as `print` does.
fn write_bytes(vm: &mut Vm, h: Handle, stdout: Option<VBuf>, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(vbuf) = stdout {
        write_out(vm, bytes);
        if vbuf == VBuf::No || (vbuf == VBuf::Line && bytes.contains(&b'\n')) {
            flush_out(vm);
        }
        return Ok(());
    }
    // Standard error and anything else: keep stdout's earlier text first.
    flush_out(vm);
    with_file(vm, h, |f| f.write(bytes))
        .unwrap_or_else(|| Err(std::io::Error::from_raw_os_error(iofile::EBADF)))
}

/// Writes arguments `first..` (0-based) to `h`, then pushes `file` or the failure triple
/// (liolib's `g_write`). Numbers are written as `%d` / `%.14g`.
fn g_write(vm: &mut Vm, h: Handle, file: Value, first: usize) -> Result<usize, LuaError> {
    let n = vm.arg_count();
    let mut status = Ok(());
    let mut buf = Vec::new();
    let stdout = stdout_mode(vm, h);
    for i in first..n {
        buf.clear();
        match vm.arg(i) {
            Value::Int(x) => buf.extend_from_slice(x.to_string().as_bytes()),
            Value::Float(f) => {
                if f.is_sign_negative() {
                    buf.push(b'-');
                }
                write_float_conv(f, b'g', Some(14), false, &mut buf);
            }
            Value::Str(s) => buf.extend_from_slice(vm.heap.str(s)),
            _ => return Err(type_error(vm, i + 1, "write", "string")),
        }
        // Like C's `status = status && fwrite(...)`: stop writing after a failure.
        if status.is_ok() {
            status = write_bytes(vm, h, stdout, &buf);
        }
    }
    match status {
        Ok(()) => {
            vm.push(file);
            Ok(1)
        }
        Err(e) => Ok(push_failure(vm, &e, None)),
    }
}

fn io_write(vm: &mut Vm) -> Result<usize, LuaError> {
    let (f, h) = default_file(vm, OUTPUT_KEY, "output")?;
    g_write(vm, h, f, 0)
}

fn f_write(vm: &mut Vm) -> Result<usize, LuaError> {
    let h = check_open(vm, 1, "write")?;
    let f = vm.arg(0);
    g_write(vm, h, f, 1)
}

fn flush_handle(vm: &mut Vm, h: Handle) -> usize {
    // Files and pipes are unbuffered; only standard output has anything to flush.
    flush_out(vm);
    let _ = h;
    push_result(vm, Ok(()))
}

fn io_flush(vm: &mut Vm) -> Result<usize, LuaError> {
    let (_, h) = default_file(vm, OUTPUT_KEY, "output")?;
    Ok(flush_handle(vm, h))
}

fn f_flush(vm: &mut Vm) -> Result<usize, LuaError> {
    let h = check_open(vm, 1, "flush")?;
    Ok(flush_handle(vm, h))
}

// ----- reading --------------------------------------------------------------------------------

/// One read format.
enum Format {
    Count(u64),
    Number,
    Line { keep_nl: bool },
    All,
}

/// Parses a format value; `argno` and `fname` are for messages.
fn parse_format(vm: &mut Vm, v: Value, argno: usize, fname: &str) -> Result<Format, LuaError> {
    match v {
        Value::Int(_) | Value::Float(_) => match super::ops::to_integer(vm, v) {
            // `(size_t)` of a negative count: read everything.
            Some(n) => Ok(Format::Count(n as u64)),
            None => Err(arg_error(
                vm,
                argno,
                fname,
                "number has no integer representation",
            )),
        },
        Value::Str(s) => {
            let p = vm.heap.str(s);
            let p = p.strip_prefix(b"*").unwrap_or(p);
            match p.first() {
                Some(b'n') => Ok(Format::Number),
                Some(b'l') => Ok(Format::Line { keep_nl: false }),
                Some(b'L') => Ok(Format::Line { keep_nl: true }),
                Some(b'a') => Ok(Format::All),
                _ => Err(arg_error(vm, argno, fname, "invalid format")),
            }
        }
        _ => {
            let got = super::type_name_of(vm, v);
            Err(arg_error(
                vm,
                argno,
                fname,
                &format!("string expected, got {got}"),
            ))
        }
    }
}

/// What one format read.
enum Got {
    Bytes(Vec<u8>),
    Num(Num),
    Fail,
}

/// Reads `formats` from `h` and pushes the results (liolib's `g_read`): one value per
/// format up to the first that fails, which gives nil; on an I/O error, the failure
/// triple instead. Format `k` is reported as argument `first_argno + k`.
fn g_read(
    vm: &mut Vm,
    h: Handle,
    formats: &[Value],
    first_argno: usize,
    fname: &str,
) -> Result<usize, LuaError> {
    let default = [Value::Nil];
    let (formats, implicit) = if formats.is_empty() {
        (&default[..], true)
    } else {
        (formats, false)
    };
    let mut pushed = 0;
    for (k, &fv) in formats.iter().enumerate() {
        let fmt = if implicit {
            Format::Line { keep_nl: false }
        } else {
            parse_format(vm, fv, first_argno + k, fname)?
        };
        let r = with_file(vm, h, |f| -> std::io::Result<Got> {
            Ok(match fmt {
                Format::Count(0) => {
                    if f.test_eof()? {
                        Got::Bytes(Vec::new())
                    } else {
                        Got::Fail
                    }
                }
                Format::Count(n) => f.read_chars(n)?.map_or(Got::Fail, Got::Bytes),
                Format::Number => f.read_number()?.map_or(Got::Fail, Got::Num),
                Format::Line { keep_nl } => f.read_line(keep_nl)?.map_or(Got::Fail, Got::Bytes),
                Format::All => Got::Bytes(f.read_all()?),
            })
        })
        .unwrap_or_else(|| Err(std::io::Error::from_raw_os_error(iofile::EBADF)));
        match r {
            Ok(Got::Bytes(b)) => push_str(vm, &b),
            Ok(Got::Num(Num::Int(i))) => vm.push(Value::Int(i)),
            Ok(Got::Num(Num::Float(x))) => vm.push(Value::Float(x)),
            Ok(Got::Fail) => {
                vm.push(Value::Nil);
                return Ok(pushed + 1);
            }
            Err(e) => {
                let len = vm.stack.len();
                vm.stack.truncate(len - pushed);
                return Ok(push_failure(vm, &e, None));
            }
        }
        pushed += 1;
    }
    Ok(pushed)
}

fn io_read(vm: &mut Vm) -> Result<usize, LuaError> {
    let (_, h) = default_file(vm, INPUT_KEY, "input")?;
    let base = vm.native_base();
    let formats = vm.stack[base..].to_vec();
    g_read(vm, h, &formats, 1, "read")
}

fn f_read(vm: &mut Vm) -> Result<usize, LuaError> {
    let h = check_open(vm, 1, "read")?;
    let base = vm.native_base();
    let formats = vm.stack[base + 1..].to_vec();
    g_read(vm, h, &formats, 2, "read")
}

fn f_seek(vm: &mut Vm) -> Result<usize, LuaError> {
    let h = check_open(vm, 1, "seek")?;
    let whence = opt_str(vm, 2, "seek")?;
    let whence = whence.map_or(b"cur".to_vec(), |s| bytes_of(vm, s));
    let offset = opt_int(vm, 3, "seek", 0)?;
    let pos = match whence.as_slice() {
        b"set" => {
            if offset < 0 {
                let e = std::io::Error::from_raw_os_error(iofile::EINVAL);
                return Ok(push_failure(vm, &e, None));
            }
            SeekFrom::Start(offset as u64)
        }
        b"cur" => SeekFrom::Current(offset),
        b"end" => SeekFrom::End(offset),
        other => {
            let msg = format!("invalid option '{}'", String::from_utf8_lossy(other));
            return Err(arg_error(vm, 2, "seek", &msg));
        }
    };
    // Standard output's position includes what `vm.out` holds.
    flush_out(vm);
    match with_file(vm, h, |f| f.seek(pos)) {
        Some(Ok(p)) => {
            vm.push(Value::Int(p as i64));
            Ok(1)
        }
        Some(Err(e)) => Ok(push_failure(vm, &e, None)),
        None => Ok(push_result(vm, Ok(()))),
    }
}

fn f_setvbuf(vm: &mut Vm) -> Result<usize, LuaError> {
    let h = check_open(vm, 1, "setvbuf")?;
    let mode = check_str(vm, 2, "setvbuf")?;
    let mode = match vm.heap.str(mode) {
        b"no" => VBuf::No,
        b"full" => VBuf::Full,
        b"line" => VBuf::Line,
        other => {
            let msg = format!("invalid option '{}'", String::from_utf8_lossy(other));
            return Err(arg_error(vm, 2, "setvbuf", &msg));
        }
    };
    opt_int(vm, 3, "setvbuf", 0)?;
    with_file(vm, h, |f| f.vbuf = mode);
    if mode == VBuf::No {
        flush_out(vm);
    }
    Ok(push_result(vm, Ok(())))
}

// ----- lines ----------------------------------------------------------------------------------

/// Pushes the `lines` iterator over the file at argument 1 with formats from argument 2 on
/// (liolib's `aux_lines`). Upvalues: file, close-at-end flag, formats.
fn push_lines_iter(vm: &mut Vm, file: Value, toclose: bool) -> Result<(), LuaError> {
    let base = vm.native_base();
    let nfmt = vm.stack.len().saturating_sub(base + 1);
    if nfmt > MAX_LINE_FORMATS {
        return Err(arg_error(
            vm,
            MAX_LINE_FORMATS + 2,
            "lines",
            "too many arguments",
        ));
    }
    let mut upvals = vec![file, Value::Bool(toclose)];
    upvals.extend_from_slice(&vm.stack[base + 1..]);
    let it = native_closure(vm, "?", lines_iter, &upvals);
    vm.push(it);
    Ok(())
}

/// The `lines` iterator (liolib's `io_readline`).
fn lines_iter(vm: &mut Vm) -> Result<usize, LuaError> {
    let file = native_upval(vm, 0);
    let toclose = native_upval(vm, 1).truthy();
    let h = match handle_of(vm, file) {
        Some(h) if !is_closed(vm, h) => h,
        _ => return Err(vm.lib_error("file is already closed")),
    };
    let formats: Vec<Value> = match vm.frames.last().map(|f| f.kind) {
        Some(crate::runtime::vm::FrameKind::Native(n)) => vm.heap.get(n).upvals[2..].to_vec(),
        _ => Vec::new(),
    };
    let n = g_read(vm, h, &formats, 2, "?")?;
    let top = vm.stack.len();
    let first = vm.stack[top - n];
    if first.truthy() {
        return Ok(n);
    }
    if n > 1 {
        let msg = vm.stack[top - n + 1];
        let mut text = Vec::new();
        super::ops::tostring_bytes(vm, msg, &mut text)?;
        return Err(vm.lib_error(&String::from_utf8_lossy(&text)));
    }
    vm.stack.truncate(top - n);
    if toclose {
        let base = vm.stack.len();
        close_handle(vm, h);
        vm.stack.truncate(base);
    }
    Ok(0)
}

fn io_lines(vm: &mut Vm) -> Result<usize, LuaError> {
    if is_none(vm, 1) {
        vm.push(Value::Nil);
    }
    if vm.arg(0).is_nil() {
        let reg = vm.registry;
        let f = get_field(vm, reg, INPUT_KEY);
        let base = vm.native_base();
        vm.stack[base] = f;
        check_open(vm, 1, "lines")?;
        push_lines_iter(vm, f, false)?;
        return Ok(1);
    }
    let name = check_str(vm, 1, "lines")?;
    let name = bytes_of(vm, name);
    let f = open_or_raise(vm, &name, b"r")?;
    let base = vm.native_base();
    vm.stack[base] = f;
    push_lines_iter(vm, f, true)?;
    vm.push(Value::Nil);
    vm.push(Value::Nil);
    vm.push(f);
    Ok(4)
}

fn f_lines(vm: &mut Vm) -> Result<usize, LuaError> {
    check_open(vm, 1, "lines")?;
    let f = vm.arg(0);
    push_lines_iter(vm, f, false)?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::valid_mode;

    #[test]
    fn modes() {
        for m in ["r", "w", "a", "r+", "w+", "a+", "rb", "r+b", "wbb", "a+b"] {
            assert!(valid_mode(m.as_bytes()), "{m}");
        }
        for m in ["", "x", "rb+", "r++", "+", "rw", "r+x"] {
            assert!(!valid_mode(m.as_bytes()), "{m}");
        }
    }
}
