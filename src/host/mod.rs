//! The host: builds a ready [`Vm`] (standard library plus an engine), loads Lua source or
//! stack bytecode into it, runs a main function, and turns uncaught errors into lua5.4's
//! report (`MSG` plus a `stack traceback:`).
//!
//! Public surface:
//! - [`Options`], [`EngineKind`]: what the command line (or an embedder) chooses;
//! - [`new_vm`]: a `Vm` with [`crate::stdlib::open_libs`] and the chosen engine;
//! - [`load_source`], [`load_bytecode`], [`load_file`]: chunks to main-function values;
//! - [`run_main`]: calls a main function, attaching a traceback to an uncaught error;
//! - [`error_text`]: the text lua5.4's standalone interpreter prints for an error value;
//! - [`set_args`]: the global `arg` table;
//! - [`error_report`]: that text plus the traceback where lua.c's message handler adds one;
//! - [`run_on_big_stack`]: runs a closure on a thread with a large native stack, so deep
//!   native re-entry (up to `MAX_NATIVE_DEPTH`) and the parser's nesting limit are safe;
//! - [`repl`]: the interactive loop (`apogee -i`), driven through a [`repl::Console`];
//! - [`sandbox`]: the restricted library set of `--sandbox` ([`sandbox::apply`]).

pub mod repl;
pub mod sandbox;
mod stats;
mod traceback;

pub use stats::{DynStats, OpCount, PairCount, ProcSize, Stats, TOP_PAIRS};
pub use traceback::{call_site_name, traceback, traceback_from};

use crate::bytecode::{self, Module, MULTI};
use crate::runtime::number::{fmt_num, Num};
use crate::runtime::table::Table;
use crate::runtime::vm::Engine;
use crate::runtime::{ops, LuaError, StaticError, Value, Vm};

/// Which engine runs Lua code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EngineKind {
    /// The stack engine: executes stack bytecode directly (the baseline and oracle).
    Stack,
    /// The register interpreter.
    #[default]
    Register,
    /// The register interpreter with the Cranelift tier.
    Jit,
}

impl EngineKind {
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Stack => "stack",
            EngineKind::Register => "register",
            EngineKind::Jit => "jit",
        }
    }
}

/// How to build and run a VM.
#[derive(Clone, Debug)]
pub struct Options {
    pub engine: EngineKind,
    /// Calls or loop iterations before a proc is compiled (JIT engine only).
    pub jit_threshold: u32,
    /// Collect at every safepoint after an allocation.
    pub gc_stress: bool,
    /// Heap limit in bytes ("not enough memory" past it).
    pub memory_limit: Option<usize>,
    /// Warnings on (`-W`): errors in finalizers are reported on stderr.
    pub warnings: bool,
    /// Ignore environment variables (`-E`): `package.path` and `package.cpath` take their
    /// defaults instead of `LUA_PATH`/`LUA_CPATH` (the host also skips `LUA_INIT`).
    pub ignore_env: bool,
    /// Restrict the libraries to the [`sandbox`] set.
    pub sandbox: bool,
    /// CPU limit for untrusted code: past this many dispatched instructions every further
    /// instruction raises "instruction limit exceeded" (`runtime::instr`). `pcall` can
    /// catch the error, but the budget stays exhausted, so the script cannot run on: the
    /// error reaches the host. Native (JIT) code does not run while a limit is set.
    pub instruction_limit: Option<u64>,
    /// Collect the dynamic counters of `--stats` (per-opcode histogram, opcode pairs,
    /// moves, constant loads): interpreted instructions only.
    pub dyn_counters: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            engine: EngineKind::Register,
            jit_threshold: 50,
            gc_stress: false,
            memory_limit: None,
            warnings: false,
            ignore_env: false,
            sandbox: false,
            instruction_limit: None,
            dyn_counters: false,
        }
    }
}

/// Native stack size of the VM thread.
pub const VM_THREAD_STACK: usize = 256 << 20;

/// The engine value for `kind`, and a note when the request could not be honoured as asked.
pub fn engine_for(kind: EngineKind) -> (Engine, Option<&'static str>) {
    match kind {
        EngineKind::Stack => (crate::stack::engine(), None),
        EngineKind::Register => (crate::interp::engine(), None),
        #[cfg(feature = "jit")]
        EngineKind::Jit => (crate::tier::engine(), None),
        #[cfg(not(feature = "jit"))]
        EngineKind::Jit => (
            crate::interp::engine(),
            Some("built without the `jit` feature; ran the register interpreter"),
        ),
    }
}

/// A VM with the standard library and the engine `opts` asks for. The second value is a
/// note for the user when the engine had to be substituted.
pub fn new_vm(opts: &Options) -> (Vm, Option<&'static str>) {
    let mut vm = Vm::new();
    let (engine, note) = engine_for(opts.engine);
    vm.engine = engine;
    #[cfg(feature = "jit")]
    crate::tier::set_threshold(opts.jit_threshold);
    vm.heap.stress = opts.gc_stress;
    vm.heap.set_limit(opts.memory_limit);
    vm.heap.warnings = opts.warnings;
    crate::stdlib::open_libs(&mut vm);
    vm.set_instruction_limit(opts.instruction_limit);
    vm.collect_dyn_counters(opts.dyn_counters);
    if opts.dyn_counters {
        // `--stats` also reports every loaded proc's static code size.
        vm.loaded_protos = Some(Vec::new());
    }
    if opts.ignore_env {
        ignore_env(&mut vm);
    }
    if opts.sandbox {
        sandbox::apply(&mut vm);
    }
    (vm, note)
}

/// Resets `package.path` and `package.cpath` to their defaults (lua5.4 `-E`: the package
/// library ignores `LUA_PATH` and `LUA_CPATH`).
fn ignore_env(vm: &mut Vm) {
    use crate::stdlib::package::{CPATH_DEFAULT, PATH_DEFAULT};
    use crate::stdlib::{get_field, set_field};
    let g = vm.globals;
    if let Value::Table(pkg) = get_field(vm, g, "package") {
        let path = vm.str_value(PATH_DEFAULT.as_bytes());
        set_field(vm, pkg, "path", path);
        let cpath = vm.str_value(CPATH_DEFAULT.as_bytes());
        set_field(vm, pkg, "cpath", cpath);
    }
}

/// An error value from a message without position (load errors).
fn static_error(vm: &mut Vm, e: StaticError) -> LuaError {
    vm.error_plain(&e.0)
}

/// Compiles the contents of a script file (a first line starting with `#` is skipped).
pub fn compile(src: &[u8], chunkname: &str) -> Result<Module, StaticError> {
    crate::frontend::compile(src, chunkname)
}

/// Loads a verified module and returns its main function.
pub fn load_module(vm: &mut Vm, module: Module) -> Result<Value, LuaError> {
    vm.load_module(module).map_err(|e| static_error(vm, e))
}

/// Compiles and loads a string chunk (as `load` and `-e` do: no `#` line skip).
/// `chunkname` is in Lua form (`@file.lua`, `=stdin`, or the source text itself). Errors
/// are lua5.4's syntax error messages.
pub fn load_source(vm: &mut Vm, src: &[u8], chunkname: &str) -> Result<Value, LuaError> {
    let module =
        crate::frontend::compile_string(src, chunkname).map_err(|e| static_error(vm, e))?;
    load_module(vm, module)
}

/// The register code of every proc of `module` (main first, children in pre-order), as
/// `--dump register` prints it: a header per proc, then the disassembly.
pub fn disassemble_register(module: &Module) -> Result<String, StaticError> {
    use std::fmt::Write;
    let mut out = String::new();
    // Explicit stack: no recursion over the proc tree.
    let mut pending: Vec<(&bytecode::Proto, String)> = vec![(&module.main, String::new())];
    while let Some((p, path)) = pending.pop() {
        let code = crate::translate::translate_proto(p, crate::translate::TranslateOptions::ALL)
            .map_err(|e| StaticError(e.0))?;
        let mut consts = p.consts.clone();
        consts.extend_from_slice(&code.extra_consts);
        let kind = if path.is_empty() {
            "main".to_string()
        } else {
            format!("function {path}")
        };
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{kind} <{}:{},{}> registers={} code={}",
            module.chunkname,
            p.line_defined,
            p.last_line,
            code.frame_size,
            code.code.len()
        );
        out.push_str(&crate::isa::disassemble(&code, Some(&consts)));
        for (i, c) in p.protos.iter().enumerate().rev() {
            let cpath = if path.is_empty() {
                i.to_string()
            } else {
                format!("{path}.{i}")
            };
            pending.push((c, cpath));
        }
    }
    Ok(out)
}

/// True when `bytes` look like the binary bytecode form (its magic number).
pub fn is_sbc(bytes: &[u8]) -> bool {
    bytes.starts_with(&bytecode::binary::SBC_MAGIC)
}

/// Parses bytecode (the binary form if `bytes` starts with its magic number, else the
/// JSON form), verifies it, and loads it. Malformed input is an error, never run.
pub fn read_bytecode(bytes: &[u8]) -> Result<Module, StaticError> {
    let module = if is_sbc(bytes) {
        bytecode::read_sbc(bytes)?
    } else {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| StaticError("bad JSON bytecode: not UTF-8".into()))?;
        bytecode::read_json(text)?
    };
    bytecode::verify(&module)?;
    Ok(module)
}

/// Loads `.sbc` or `.json` bytecode (see [`read_bytecode`]).
pub fn load_bytecode(vm: &mut Vm, bytes: &[u8]) -> Result<Value, LuaError> {
    let module = read_bytecode(bytes).map_err(|e| static_error(vm, e))?;
    load_module(vm, module)
}

/// True when a script path names a bytecode file (by extension).
pub fn is_bytecode_path(path: &str) -> bool {
    path.ends_with(".sbc") || path.ends_with(".json")
}

/// Reads a file (or stdin for `None`) and loads it: bytecode for `.sbc`/`.json` names or
/// a binary bytecode header, Lua source otherwise (chunk name `@path` or `=stdin`).
pub fn load_file(vm: &mut Vm, path: Option<&str>) -> Result<Value, LuaError> {
    use std::io::Read;
    let (bytes, chunkname) = match path {
        Some(p) => match std::fs::read(p) {
            Ok(b) => (b, format!("@{p}")),
            Err(e) => {
                let msg = format!("cannot open {p}: {}", io_error_text(&e));
                return Err(vm.error_plain(&msg));
            }
        },
        None => {
            let mut b = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut b) {
                let msg = format!("cannot read stdin: {}", io_error_text(&e));
                return Err(vm.error_plain(&msg));
            }
            (b, "=stdin".to_string())
        }
    };
    if is_sbc(&bytes) || path.is_some_and(is_bytecode_path) {
        return load_bytecode(vm, &bytes);
    }
    let module = compile(&bytes, &chunkname).map_err(|e| static_error(vm, e))?;
    load_module(vm, module)
}

/// The C library's `strerror` text for common errors (Rust adds " (os error N)").
pub fn io_error_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Builds the global `arg` table: `argv[script_index]` at index 0, the script's arguments
/// at 1.., the interpreter and its options at negative indices (lua.c's `createargtable`).
pub fn set_args(vm: &mut Vm, argv: &[String], script_index: usize) {
    let t = vm.heap.alloc(Table::new());
    // Push the table first so it is rooted (no safepoint runs here, but stay safe).
    vm.stack.push(Value::Table(t));
    for (i, a) in argv.iter().enumerate() {
        let v = vm.str_value(a.as_bytes());
        let grew = vm
            .heap
            .get_mut(t)
            .set_int(i as i64 - script_index as i64, v);
        vm.heap.note_growth(grew);
    }
    let g = vm.globals;
    crate::stdlib::set_field(vm, g, "arg", Value::Table(t));
    vm.stack.pop();
}

/// Calls `f` with `args` as the main function of a chunk. On error the traceback (built
/// from the frames as they were at the raise) is attached to the error, and the frames,
/// stack and upvalues are reset so the VM can run another chunk.
pub fn run_main(vm: &mut Vm, f: Value, args: &[Value]) -> Result<Vec<Value>, LuaError> {
    let func = vm.stack.len();
    let nframes = vm.frames.len();
    let depth = vm.native_depth;
    vm.stack.push(f);
    vm.stack.extend_from_slice(args);
    match vm.call(func, args.len(), MULTI) {
        Ok(()) => {
            let results = vm.stack[func..].to_vec();
            vm.stack.truncate(func);
            Ok(results)
        }
        Err(mut e) => {
            e.traceback = Some(traceback(vm));
            vm.native_depth = depth;
            // Pending `__close` metamethods run with the error; one that raises replaces
            // it (with its own traceback).
            let e = vm.unwind_error(nframes, func, e, &mut |vm, mut e| {
                e.traceback = Some(traceback(vm));
                e
            });
            Err(e)
        }
    }
}

/// What lua5.4's standalone interpreter prints for an uncaught error value: strings and
/// numbers as text, a value whose metatable has `__tostring` through it, anything else as
/// `(error object is a X value)`.
pub fn error_text(vm: &mut Vm, v: Value) -> String {
    match v {
        Value::Str(s) => String::from_utf8_lossy(vm.heap.str(s)).into_owned(),
        Value::Int(i) => num_text(Num::Int(i)),
        Value::Float(f) => num_text(Num::Float(f)),
        _ => {
            if !ops::metafield(vm, v, b"__tostring").is_nil() {
                let mut out = Vec::new();
                if ops::tostring_bytes(vm, v, &mut out).is_ok() {
                    return String::from_utf8_lossy(&out).into_owned();
                }
            }
            format!("(error object is a {} value)", v.type_name())
        }
    }
}

/// What lua.c prints for an uncaught error `e` (after its `progname: ` prefix, which the
/// REPL leaves out): [`error_text`], followed by the traceback when lua.c's message handler
/// adds one, i.e. unless the error value is a non-string, non-number value with a
/// `__tostring` metamethod (whose result is then the whole report). Load errors carry no
/// traceback.
pub fn error_report(vm: &mut Vm, e: &LuaError) -> String {
    let msg = error_text(vm, e.value);
    let plain = matches!(e.value, Value::Str(_) | Value::Int(_) | Value::Float(_));
    let via_tostring = !plain && !ops::metafield(vm, e.value, b"__tostring").is_nil();
    match &e.traceback {
        Some(tb) if !via_tostring => format!("{msg}\n{tb}"),
        _ => msg,
    }
}

fn num_text(n: Num) -> String {
    let mut out = Vec::new();
    fmt_num(n, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs `f` on a new thread with a [`VM_THREAD_STACK`] native stack and returns its
/// result. A panic in `f` (a bug) is resumed on the calling thread.
pub fn run_on_big_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    let handle = std::thread::Builder::new()
        .name("apogee-vm".into())
        .stack_size(VM_THREAD_STACK)
        .spawn(f);
    match handle {
        Ok(h) => match h.join() {
            Ok(r) => r,
            Err(p) => std::panic::resume_unwind(p),
        },
        Err(e) => {
            eprintln!("apogee: cannot create the VM thread: {e}");
            std::process::exit(1)
        }
    }
}

#[cfg(test)]
mod tests;
