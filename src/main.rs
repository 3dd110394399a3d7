//! The `apogee` command line: `apogee [options] [script [args]]`, like `lua5.4`.
//!
//! Options come first; the first argument that is not an option (or `-`, or whatever
//! follows `--`) is the script and everything after it belongs to the script. So the
//! command line is split by hand at the script, and only the options part goes to clap.

use std::io::IsTerminal;
use std::path::PathBuf;

use apogee::bytecode::{self, Module};
use apogee::host::{self, EngineKind, Options, Stats};
use apogee::runtime::{LuaError, Value, Vm};
use apogee::stdlib::base::flush_out;
use clap::{CommandFactory, Parser, ValueEnum};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum EngineArg {
    Stack,
    Register,
    Jit,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum DumpArg {
    Stack,
    Register,
}

/// A virtual machine for Lua 5.4 (stack bytecode, register interpreter, Cranelift JIT).
#[derive(Parser, Debug)]
#[command(
    name = "apogee",
    override_usage = "apogee [options] [script [args]]",
    disable_version_flag = true,
    after_help = "A script ending in .sbc or .json is loaded as stack bytecode. \
                  '-' as the script reads stdin; '--' stops handling options."
)]
struct Cli {
    /// Execute string 'stat' (may be repeated; run in order, before the script)
    #[arg(short = 'e', value_name = "stat")]
    exec: Vec<String>,
    /// Show version information
    #[arg(short = 'v')]
    version: bool,
    /// Enter interactive mode after running the script (not available yet)
    #[arg(short = 'i')]
    interactive: bool,
    /// Ignore environment variables (accepted for compatibility; no effect)
    #[arg(short = 'E')]
    ignore_env: bool,
    /// Turn warnings on (e.g. errors in __gc finalizers)
    #[arg(short = 'W')]
    warnings: bool,
    /// The engine that runs Lua code
    #[arg(long, value_enum, default_value = "register")]
    engine: EngineArg,
    /// Same as --engine jit
    #[arg(long)]
    jit: bool,
    /// Calls or loop iterations before the JIT compiles a proc
    #[arg(long, value_name = "N", default_value_t = 50)]
    jit_threshold: u32,
    /// Heap limit in bytes; past it allocation raises a catchable "not enough memory"
    #[arg(long, value_name = "BYTES")]
    memory_limit: Option<usize>,
    /// Collect garbage at every safepoint (testing)
    #[arg(long)]
    gc_stress: bool,
    /// Print run counters on stderr after the run
    #[arg(long)]
    stats: bool,
    /// Write run counters as JSON to FILE
    #[arg(long, value_name = "FILE")]
    stats_json: Option<PathBuf>,
    /// Print the disassembly of every proc of the program and exit
    #[arg(long, value_enum, value_name = "FORM")]
    dump: Option<DumpArg>,
    /// Compile the program to stack bytecode (OUT.sbc binary, OUT.json JSON) and exit
    #[arg(long, value_name = "OUT")]
    compile: Option<PathBuf>,
}

/// The option spellings that consume the next argument (`-e stat`, `--engine stack`).
fn options_taking_values() -> Vec<String> {
    let cmd = Cli::command();
    let mut out = Vec::new();
    for a in cmd.get_arguments() {
        if !a.get_action().takes_values() {
            continue;
        }
        if let Some(s) = a.get_short() {
            out.push(format!("-{s}"));
        }
        if let Some(l) = a.get_long() {
            out.push(format!("--{l}"));
        }
    }
    out
}

/// Splits `argv` at the script: the options part (with `argv[0]`, for clap) and the
/// index of the script in `argv`, if there is one.
fn split_argv(argv: &[String], takes_value: &[String]) -> (Vec<String>, Option<usize>) {
    let mut opts = vec![argv.first().cloned().unwrap_or_else(|| "apogee".into())];
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" {
            return (opts, (i + 1 < argv.len()).then_some(i + 1));
        }
        if a == "-" || !a.starts_with('-') {
            return (opts, Some(i));
        }
        opts.push(a.clone());
        if takes_value.iter().any(|t| t == a) && i + 1 < argv.len() {
            opts.push(argv[i + 1].clone());
            i += 1;
        }
        i += 1;
    }
    (opts, None)
}

fn main() {
    let argv: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let (opt_args, script) = split_argv(&argv, &options_taking_values());
    let cli = match Cli::try_parse_from(&opt_args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                e.exit();
            }
            let _ = e.print();
            std::process::exit(1);
        }
    };
    let code = host::run_on_big_stack(move || run(cli, argv, script));
    std::process::exit(code);
}

const VERSION_LINE: &str = concat!("apogee ", env!("CARGO_PKG_VERSION"), " (Lua 5.4)");

fn run(cli: Cli, argv: Vec<String>, script: Option<usize>) -> i32 {
    let script_path = script.map(|i| argv[i].clone());
    if cli.version {
        println!("{VERSION_LINE}");
    }
    if let Some(out) = &cli.compile {
        return compile_to(script_path.as_deref(), &cli.exec, out);
    }
    if let Some(form) = cli.dump {
        return dump(script_path.as_deref(), &cli.exec, form);
    }
    let engine = match (cli.jit, cli.engine) {
        (true, _) | (_, EngineArg::Jit) => EngineKind::Jit,
        (_, EngineArg::Stack) => EngineKind::Stack,
        (_, EngineArg::Register) => EngineKind::Register,
    };
    let opts = Options {
        engine,
        jit_threshold: cli.jit_threshold,
        gc_stress: cli.gc_stress,
        memory_limit: cli.memory_limit,
        warnings: cli.warnings,
    };
    let (mut vm, note) = host::new_vm(&opts);
    host::set_args(&mut vm, &argv, script.unwrap_or(0));
    // lua.c runs everything inside one protected call of its `pmain`: one native level,
    // so that "C stack overflow" comes at the same depth as with lua5.4.
    vm.native_depth += 1;
    vm.native_stack_budget = host::VM_THREAD_STACK / 2;
    let status = run_program(&mut vm, &cli, &argv, script);
    vm.close(); // lua_close: the remaining finalizers run
    flush_out(&mut vm);
    if cli.stats || cli.stats_json.is_some() {
        let stats = Stats::of(&vm);
        if cli.stats {
            eprint!("{}", stats.summary());
            if let Some(n) = note {
                eprintln!("  note: {n}");
            }
        }
        if let Some(path) = &cli.stats_json {
            if let Err(e) = std::fs::write(path, stats.to_json() + "\n") {
                eprintln!("apogee: cannot write {}: {e}", path.display());
                return 1;
            }
        }
    }
    status
}

/// Runs the `-e` chunks, then the script (or stdin); 0 on success, 1 after reporting an
/// error.
fn run_program(vm: &mut Vm, cli: &Cli, argv: &[String], script: Option<usize>) -> i32 {
    for chunk in &cli.exec {
        let r = host::load_source(vm, chunk.as_bytes(), "=(command line)")
            .and_then(|f| host::run_main(vm, f, &[]));
        if let Err(e) = r {
            return report(vm, e);
        }
    }
    match script {
        Some(i) => {
            let path = argv[i].as_str();
            let f = match host::load_file(vm, (path != "-").then_some(path)) {
                Ok(f) => f,
                Err(e) => return report(vm, e),
            };
            // Script arguments: interned strings, rooted as soon as run_main pushes them
            // (no safepoint runs before that).
            let args: Vec<Value> = argv[i + 1..]
                .iter()
                .map(|a| vm.str_value(a.as_bytes()))
                .collect();
            if let Err(e) = host::run_main(vm, f, &args) {
                return report(vm, e);
            }
        }
        None if cli.exec.is_empty() && !cli.version => {
            if std::io::stdin().is_terminal() {
                println!("{VERSION_LINE}");
                println!("interactive mode is not available yet: give a script, -e or a pipe");
            } else {
                let r = host::load_file(vm, None).and_then(|f| host::run_main(vm, f, &[]));
                if let Err(e) = r {
                    return report(vm, e);
                }
            }
        }
        None => {}
    }
    if cli.interactive {
        println!("interactive mode (-i) is not available yet");
    }
    0
}

/// Prints an uncaught error as lua5.4 does (after the program's own output) and gives
/// the exit status.
fn report(vm: &mut Vm, e: LuaError) -> i32 {
    flush_out(vm);
    let msg = host::error_text(vm, e.value);
    match &e.traceback {
        Some(tb) => eprintln!("apogee: {msg}\n{tb}"),
        None => eprintln!("apogee: {msg}"),
    }
    1
}

/// The program as a module: the script (source or bytecode), else the `-e` chunks (only
/// the first one), else stdin.
fn read_module(script: Option<&str>, exec: &[String]) -> Result<Module, String> {
    use std::io::Read;
    let (bytes, chunkname, path) = match (script, exec.first()) {
        (Some(p), _) if p != "-" => match std::fs::read(p) {
            Ok(b) => (b, format!("@{p}"), Some(p)),
            Err(e) => return Err(format!("cannot open {p}: {}", host::io_error_text(&e))),
        },
        (None, Some(chunk)) => (
            chunk.as_bytes().to_vec(),
            "=(command line)".to_string(),
            None,
        ),
        _ => {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            (b, "=stdin".to_string(), None)
        }
    };
    if host::is_sbc(&bytes) || path.is_some_and(host::is_bytecode_path) {
        return host::read_bytecode(&bytes).map_err(|e| e.0);
    }
    if chunkname != "=(command line)" {
        host::compile(&bytes, &chunkname).map_err(|e| e.0)
    } else {
        apogee::frontend::compile_string(&bytes, &chunkname).map_err(|e| e.0)
    }
}

fn compile_to(script: Option<&str>, exec: &[String], out: &PathBuf) -> i32 {
    let module = match read_module(script, exec) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("apogee: {e}");
            return 1;
        }
    };
    let bytes = if out.extension().is_some_and(|x| x == "json") {
        bytecode::write_json(&module).into_bytes()
    } else {
        bytecode::write_sbc(&module)
    };
    match std::fs::write(out, bytes) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("apogee: cannot write {}: {e}", out.display());
            1
        }
    }
}

fn dump(script: Option<&str>, exec: &[String], form: DumpArg) -> i32 {
    let module = match read_module(script, exec) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("apogee: {e}");
            return 1;
        }
    };
    match form {
        DumpArg::Stack => {
            print!("{}", bytecode::disassemble(&module));
            0
        }
        DumpArg::Register => match host::disassemble_register(&module) {
            Ok(text) => {
                print!("{text}");
                0
            }
            Err(e) => {
                eprintln!("apogee: {e}");
                1
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn split_at_script() {
        let tv = options_taking_values();
        assert!(tv.contains(&"-e".to_string()));
        assert!(tv.contains(&"--engine".to_string()));
        let argv = v(&[
            "apogee", "-e", "x=1", "--engine", "stack", "s.lua", "-e", "y",
        ]);
        let (opts, s) = split_argv(&argv, &tv);
        assert_eq!(opts, v(&["apogee", "-e", "x=1", "--engine", "stack"]));
        assert_eq!(s, Some(5));
        let argv = v(&["apogee", "--", "s.lua", "z"]);
        assert_eq!(split_argv(&argv, &tv), (v(&["apogee"]), Some(2)));
        let argv = v(&["apogee", "--gc-stress", "-", "a"]);
        assert_eq!(
            split_argv(&argv, &tv),
            (v(&["apogee", "--gc-stress"]), Some(2))
        );
        let argv = v(&["apogee", "-e"]);
        assert_eq!(split_argv(&argv, &tv), (v(&["apogee", "-e"]), None));
        let argv = v(&["apogee", "--"]);
        assert_eq!(split_argv(&argv, &tv), (v(&["apogee"]), None));
    }

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
