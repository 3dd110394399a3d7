//! The `apogee` command line: `apogee [options] [script [args]]`, exactly as `lua5.4`
//! (lua.c 5.4) behaves, with `apogee` where lua5.4 prints its program name, plus a few
//! long options of our own (`--engine`, `--sandbox`, `--stats`...; see `--help`).
//!
//! The order of work is lua.c's `pmain`: parse the options (a bad one prints the usage
//! and fails before anything runs); print the version for `-v`/`-i`; build the VM and the
//! global `arg`; run `LUA_INIT_5_4` or `LUA_INIT` (unless `-E`); run `-e`, `-l` and `-W`
//! in command-line order; run the script with the positive entries of `arg` as `...`;
//! then the REPL for `-i`, or, with no script, `-e` or `-v`, the REPL when stdin is a
//! terminal and stdin as a script otherwise. Any error ends the run with status 1.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use apogee::bytecode::{self, Module};
use apogee::host::repl::{self, Console};
use apogee::host::{self, EngineKind, Options, Stats};
use apogee::runtime::{LuaError, Value, Vm};
use apogee::stdlib::base::flush_out;
use apogee::stdlib::{get_field, set_field};

const VERSION_LINE: &str = concat!("apogee ", env!("CARGO_PKG_VERSION"), " (Lua 5.4)");

/// lua.c's usage text (after its first line, which names the bad option).
const USAGE: &str = "usage: apogee [options] [script [args]]
Available options are:
  -e stat   execute string 'stat'
  -i        enter interactive mode after executing 'script'
  -l mod    require library 'mod' into global 'mod'
  -l g=mod  require library 'mod' into global 'g'
  -v        show version information
  -E        ignore environment variables
  -W        turn warnings on
  --        stop handling options
  -         stop handling options and execute stdin
";

/// Our own options, shown by `--help` after lua.c's.
const OWN_OPTIONS: &str = "apogee's own options (before the script, like the others):
  --engine E          engine that runs Lua code: stack, register (default) or jit
  --jit               same as --engine jit
  --jit-threshold N   calls or loop iterations before the JIT compiles a proc (default 50)
  --memory-limit B    heap limit in bytes; past it allocation raises \"not enough memory\"
  --instruction-limit N
                      stop the script after N instructions with the error \"instruction
                      limit exceeded\" (it cannot be caught for good: pcall returns, but
                      the next instruction raises it again); no JIT code runs under it
  --gc-stress         collect garbage at every safepoint (testing)
  --sandbox           restricted libraries for untrusted code: no io, no os but
                      clock/time/date/difftime, no dofile/loadfile/debug/string.dump,
                      load only of source text, require only of package.preload
  --stats             print run counters on stderr after the run, with the executed
                      opcode histogram and the 30 most frequent opcode pairs
                      (interpreted instructions only: JIT code does not count),
                      and the static code size of every proc loaded
  --stats-json FILE   write run counters as JSON to FILE
  --dump FORM         print the disassembly (stack or register) of the program and exit
  --compile OUT       compile the program to stack bytecode (OUT.sbc binary, OUT.json
                      JSON) and exit
  --help              show this help
A script ending in .sbc or .json (or starting with the binary header) is loaded as
stack bytecode. The environment variables LUA_INIT_5_4, LUA_INIT, LUA_PATH_5_4,
LUA_PATH, LUA_CPATH_5_4 and LUA_CPATH are used as lua5.4 uses them.
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DumpForm {
    Stack,
    Register,
}

/// `-e`, `-l` and `-W` run in command-line order, after `LUA_INIT`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Action {
    Exec(String),
    Library(String),
    WarningsOn,
}

/// The parsed command line.
#[derive(Clone, Debug)]
struct Cli {
    actions: Vec<Action>,
    /// Some `-e` was given (lua.c's `has_e`: then stdin is not run by default).
    has_exec: bool,
    version: bool,
    interactive: bool,
    ignore_env: bool,
    /// Index of the script in `argv`.
    script: Option<usize>,
    engine: EngineKind,
    jit_threshold: u32,
    memory_limit: Option<usize>,
    instruction_limit: Option<u64>,
    gc_stress: bool,
    sandbox: bool,
    stats: bool,
    stats_json: Option<PathBuf>,
    dump: Option<DumpForm>,
    compile: Option<PathBuf>,
    help: bool,
}

impl Default for Cli {
    fn default() -> Self {
        Cli {
            actions: Vec::new(),
            has_exec: false,
            version: false,
            interactive: false,
            ignore_env: false,
            script: None,
            engine: EngineKind::Register,
            jit_threshold: 50,
            memory_limit: None,
            instruction_limit: None,
            gc_stress: false,
            sandbox: false,
            stats: false,
            stats_json: None,
            dump: None,
            compile: None,
            help: false,
        }
    }
}

/// Why the command line was refused; printed (with the usage) as lua.c prints it.
#[derive(Debug, PartialEq, Eq)]
enum ParseError {
    Unrecognized(String),
    NeedsArgument(String),
    BadValue {
        option: String,
        value: String,
        expected: &'static str,
    },
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Unrecognized(o) => write!(f, "unrecognized option '{o}'"),
            ParseError::NeedsArgument(o) => write!(f, "'{o}' needs argument"),
            ParseError::BadValue {
                option,
                value,
                expected,
            } => write!(f, "bad value '{value}' for '{option}' ({expected})"),
        }
    }
}

/// Parses `argv` (with `argv[0]`) as lua.c's `collectargs` does: options up to the first
/// argument that does not start with `-`, or `-` (stdin), or what follows `--`. `-e` and
/// `-l` take their value attached (`-eprint(1)`) or as the next argument, which must not
/// start with `-`. Our long options take `--opt value` or `--opt=value`.
fn parse_args(argv: &[String]) -> Result<Cli, ParseError> {
    let mut cli = Cli::default();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        if a == "-" || !a.starts_with('-') {
            cli.script = Some(i);
            return Ok(cli);
        }
        if a == "--" {
            cli.script = (i + 1 < argv.len()).then_some(i + 1);
            return Ok(cli);
        }
        if let Some(long) = a.strip_prefix("--") {
            i = parse_long(&mut cli, argv, i, long)?;
            continue;
        }
        // A non-ASCII second character is no option of ours or lua.c's.
        let Some(rest) = a.get(2..) else {
            return Err(ParseError::Unrecognized(a.into()));
        };
        match a.as_bytes()[1] {
            b'E' | b'W' | b'i' | b'v' if !rest.is_empty() => {
                return Err(ParseError::Unrecognized(a.into()))
            }
            b'E' => cli.ignore_env = true,
            b'W' => cli.actions.push(Action::WarningsOn),
            b'i' => {
                cli.interactive = true;
                cli.version = true; // -i implies -v
            }
            b'v' => cli.version = true,
            b'e' | b'l' => {
                let value = if !rest.is_empty() {
                    rest.to_string()
                } else {
                    match argv.get(i + 1) {
                        Some(v) if !v.starts_with('-') => {
                            i += 1;
                            v.clone()
                        }
                        _ => return Err(ParseError::NeedsArgument(a.into())),
                    }
                };
                if a.as_bytes()[1] == b'e' {
                    cli.has_exec = true;
                    cli.actions.push(Action::Exec(value));
                } else {
                    cli.actions.push(Action::Library(value));
                }
            }
            _ => return Err(ParseError::Unrecognized(a.into())),
        }
        i += 1;
    }
    Ok(cli)
}

/// One long option at `argv[i]` (`long` is its text after `--`); returns the index of
/// the next argument.
fn parse_long(cli: &mut Cli, argv: &[String], i: usize, long: &str) -> Result<usize, ParseError> {
    let (name, inline) = match long.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (long, None),
    };
    let option = format!("--{name}");
    let takes_value = matches!(
        name,
        "engine"
            | "jit-threshold"
            | "memory-limit"
            | "instruction-limit"
            | "stats-json"
            | "dump"
            | "compile"
    );
    if !takes_value {
        if inline.is_some() {
            return Err(ParseError::Unrecognized(argv[i].clone()));
        }
        match name {
            "jit" => cli.engine = EngineKind::Jit,
            "gc-stress" => cli.gc_stress = true,
            "sandbox" => cli.sandbox = true,
            "stats" => cli.stats = true,
            "help" => cli.help = true,
            _ => return Err(ParseError::Unrecognized(argv[i].clone())),
        }
        return Ok(i + 1);
    }
    let (value, next) = match inline {
        Some(v) => (v, i + 1),
        None => match argv.get(i + 1) {
            Some(v) => (v.clone(), i + 2),
            None => return Err(ParseError::NeedsArgument(option)),
        },
    };
    let bad = |expected| ParseError::BadValue {
        option: option.clone(),
        value: value.clone(),
        expected,
    };
    match name {
        "engine" => {
            cli.engine = match value.as_str() {
                "stack" => EngineKind::Stack,
                "register" => EngineKind::Register,
                "jit" => EngineKind::Jit,
                _ => return Err(bad("stack, register or jit")),
            }
        }
        "jit-threshold" => {
            cli.jit_threshold = value.parse().map_err(|_| bad("a count"))?;
        }
        "memory-limit" => {
            cli.memory_limit = Some(value.parse().map_err(|_| bad("a number of bytes"))?);
        }
        "instruction-limit" => {
            cli.instruction_limit = Some(value.parse().map_err(|_| bad("a count"))?);
        }
        "stats-json" => cli.stats_json = Some(value.into()),
        "dump" => {
            cli.dump = Some(match value.as_str() {
                "stack" => DumpForm::Stack,
                "register" => DumpForm::Register,
                _ => return Err(bad("stack or register")),
            })
        }
        _ => cli.compile = Some(value.into()),
    }
    Ok(next)
}

fn main() {
    let argv: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cli = match parse_args(&argv) {
        Ok(c) => c,
        Err(e) => {
            eprint!("apogee: {e}\n{USAGE}");
            std::process::exit(1);
        }
    };
    if cli.help {
        print!("{USAGE}{OWN_OPTIONS}");
        return;
    }
    let code = host::run_on_big_stack(move || run(cli, argv));
    std::process::exit(code);
}

fn run(cli: Cli, argv: Vec<String>) -> i32 {
    let script_path = cli.script.map(|i| argv[i].clone());
    if cli.version {
        println!("{VERSION_LINE}");
    }
    if cli.compile.is_some() || cli.dump.is_some() {
        let first_exec = cli.actions.iter().find_map(|a| match a {
            Action::Exec(s) => Some(s.as_str()),
            _ => None,
        });
        let module = match read_module(script_path.as_deref(), first_exec) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("apogee: {e}");
                return 1;
            }
        };
        return match (&cli.compile, cli.dump) {
            (Some(out), _) => compile_to(&module, out),
            (None, Some(form)) => dump(&module, form),
            (None, None) => 0,
        };
    }
    let opts = Options {
        engine: cli.engine,
        jit_threshold: cli.jit_threshold,
        gc_stress: cli.gc_stress,
        memory_limit: cli.memory_limit,
        warnings: false,
        ignore_env: cli.ignore_env,
        sandbox: cli.sandbox,
        instruction_limit: cli.instruction_limit,
        dyn_counters: cli.stats || cli.stats_json.is_some(),
    };
    let (mut vm, note) = host::new_vm(&opts);
    host::set_args(&mut vm, &argv, cli.script.unwrap_or(0));
    // lua.c runs everything inside one protected call of its `pmain`: one native level,
    // so that "C stack overflow" comes at the same depth as with lua5.4.
    vm.native_depth += 1;
    vm.native_stack_budget = host::VM_THREAD_STACK / 2;
    let status = match run_program(&mut vm, &cli, &argv) {
        Ok(()) => 0,
        Err(e) => report(&mut vm, e),
    };
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

/// Everything after the VM is built, in lua.c's order; the first error ends it.
fn run_program(vm: &mut Vm, cli: &Cli, argv: &[String]) -> Result<(), LuaError> {
    if !cli.ignore_env {
        run_lua_init(vm)?;
    }
    for action in &cli.actions {
        match action {
            Action::Exec(chunk) => {
                let f = host::load_source(vm, chunk.as_bytes(), "=(command line)")?;
                host::run_main(vm, f, &[])?;
            }
            Action::Library(spec) => require_into_global(vm, spec)?,
            Action::WarningsOn => vm.heap.warnings = true,
        }
    }
    if let Some(i) = cli.script {
        let path = argv[i].as_str();
        // `-` is stdin, unless it comes after `--` (then it is a file named "-").
        let stdin = path == "-" && argv[i - 1] != "--";
        let f = host::load_file(vm, (!stdin).then_some(path))?;
        let args = script_args(vm)?;
        host::run_main(vm, f, &args)?;
    }
    if cli.interactive {
        run_repl(vm);
    } else if cli.script.is_none() && !cli.has_exec && !cli.version {
        if std::io::stdin().is_terminal() {
            println!("{VERSION_LINE}");
            run_repl(vm);
        } else {
            let f = host::load_file(vm, None)?;
            host::run_main(vm, f, &[])?;
        }
    }
    Ok(())
}

/// `LUA_INIT_5_4`, else `LUA_INIT`: `@file` runs that file, anything else is a chunk
/// named `=LUA_INIT_5_4` / `=LUA_INIT`.
fn run_lua_init(vm: &mut Vm) -> Result<(), LuaError> {
    let (name, init) = match std::env::var_os("LUA_INIT_5_4") {
        Some(v) => ("LUA_INIT_5_4", v),
        None => match std::env::var_os("LUA_INIT") {
            Some(v) => ("LUA_INIT", v),
            None => return Ok(()),
        },
    };
    let init = init.to_string_lossy().into_owned();
    let f = match init.strip_prefix('@') {
        Some(file) => host::load_file(vm, Some(file))?,
        None => host::load_source(vm, init.as_bytes(), &format!("={name}"))?,
    };
    host::run_main(vm, f, &[])?;
    Ok(())
}

/// `-l mod` / `-l g=mod`: `g = require(mod)` (lua.c's `dolibrary`).
fn require_into_global(vm: &mut Vm, spec: &str) -> Result<(), LuaError> {
    let (global, module) = spec.split_once('=').unwrap_or((spec, spec));
    let g = vm.globals;
    let require = get_field(vm, g, "require");
    let name = vm.str_value(module.as_bytes());
    // `run_main` roots `require` and the name on the stack before anything can collect.
    let results = host::run_main(vm, require, &[name])?;
    let v = results.first().copied().unwrap_or(Value::Nil);
    set_field(vm, g, global, v);
    Ok(())
}

/// The script's `...`: `arg[1]` to `arg[#arg]` of the global `arg` as it is now (lua.c's
/// `pushargs`, so `LUA_INIT` or `-e` may have changed it).
fn script_args(vm: &mut Vm) -> Result<Vec<Value>, LuaError> {
    let g = vm.globals;
    let Value::Table(t) = get_field(vm, g, "arg") else {
        return Err(vm.error_plain("'arg' is not a table"));
    };
    let n = vm.heap.get(t).len();
    Ok((1..=n).map(|i| vm.heap.get(t).get_int(i)).collect())
}

/// Prints an uncaught error as lua5.4 does (after the program's own output) and gives
/// the exit status.
fn report(vm: &mut Vm, e: LuaError) -> i32 {
    flush_out(vm);
    let text = host::error_report(vm, &e);
    eprintln!("apogee: {text}");
    1
}

/// The REPL on a terminal (rustyline: line editing, history) or on a pipe (prompts and
/// the echoed input on stdout, as lua5.4 built with readline shows them).
fn run_repl(vm: &mut Vm) {
    if std::io::stdin().is_terminal() {
        match EditorConsole::new() {
            Some(mut c) => {
                repl::run(vm, &mut c);
                c.save_history();
                return;
            }
            None => eprintln!("apogee: cannot use the terminal for line editing"),
        }
    }
    let mut c = PipeConsole {
        input: std::io::stdin().lock(),
    };
    repl::run(vm, &mut c);
}

/// Lines from a non-terminal stdin. lua5.4 (with readline) prints the prompt and echoes
/// the line on stdout; so do we.
struct PipeConsole<R: BufRead> {
    input: R,
}

impl<R: BufRead> Console for PipeConsole<R> {
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(prompt.as_bytes());
        let _ = out.flush();
        let mut buf = Vec::new();
        match self.input.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => None,
            Ok(_) => {
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                }
                let line = String::from_utf8_lossy(&buf).into_owned();
                let _ = writeln!(out, "{line}");
                Some(line)
            }
        }
    }
}

/// A terminal with rustyline; history kept in memory and in `~/.apogee_history`.
struct EditorConsole {
    editor: rustyline::DefaultEditor,
    history_file: Option<PathBuf>,
}

impl EditorConsole {
    fn new() -> Option<Self> {
        let mut editor = rustyline::DefaultEditor::new().ok()?;
        let history_file =
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".apogee_history"));
        if let Some(f) = &history_file {
            let _ = editor.load_history(f);
        }
        Some(EditorConsole {
            editor,
            history_file,
        })
    }

    fn save_history(&mut self) {
        if let Some(f) = &self.history_file {
            let _ = self.editor.save_history(f);
        }
    }
}

impl Console for EditorConsole {
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        use rustyline::error::ReadlineError;
        match self.editor.readline(prompt) {
            Ok(line) => Some(line),
            // Ctrl-C discards what was typed on this line.
            Err(ReadlineError::Interrupted) => Some(String::new()),
            Err(_) => None,
        }
    }

    fn add_history(&mut self, entry: &str) {
        let _ = self.editor.add_history_entry(entry);
    }
}

/// The program as a module: the script (source or bytecode), else the first `-e` chunk,
/// else stdin.
fn read_module(script: Option<&str>, exec: Option<&str>) -> Result<Module, String> {
    use std::io::Read;
    let (bytes, chunkname, path) = match (script, exec) {
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

fn compile_to(module: &Module, out: &PathBuf) -> i32 {
    let bytes = if out.extension().is_some_and(|x| x == "json") {
        bytecode::write_json(module).into_bytes()
    } else {
        bytecode::write_sbc(module)
    };
    match std::fs::write(out, bytes) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("apogee: cannot write {}: {e}", out.display());
            1
        }
    }
}

fn dump(module: &Module, form: DumpForm) -> i32 {
    match form {
        DumpForm::Stack => {
            print!("{}", bytecode::disassemble(module));
            0
        }
        DumpForm::Register => match host::disassemble_register(module) {
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
        std::iter::once("apogee")
            .chain(args.iter().copied())
            .map(String::from)
            .collect()
    }

    fn parse(args: &[&str]) -> Result<Cli, ParseError> {
        parse_args(&v(args))
    }

    #[test]
    fn script_position() {
        assert_eq!(
            parse(&["-e", "x=1", "s.lua", "-e"]).unwrap().script,
            Some(3)
        );
        assert_eq!(parse(&["--", "s.lua", "z"]).unwrap().script, Some(2));
        assert_eq!(parse(&["--gc-stress", "-", "a"]).unwrap().script, Some(2));
        assert_eq!(parse(&["--"]).unwrap().script, None);
        assert_eq!(parse(&["--engine", "stack", "s"]).unwrap().script, Some(3));
        assert_eq!(parse(&["--engine=stack", "s"]).unwrap().script, Some(2));
    }

    #[test]
    fn lua_options() {
        let c = parse(&["-eprint(1)", "-l", "g=string", "-W", "-lm", "-E", "-i"]).unwrap();
        assert_eq!(
            c.actions,
            [
                Action::Exec("print(1)".into()),
                Action::Library("g=string".into()),
                Action::WarningsOn,
                Action::Library("m".into()),
            ]
        );
        assert!(c.has_exec && c.ignore_env && c.interactive && c.version);
        assert!(!parse(&["-l", "m"]).unwrap().has_exec);
    }

    #[test]
    fn bad_options() {
        use ParseError::*;
        let un = |s: &str| Err(Unrecognized(s.into()));
        assert_eq!(parse(&["-x"]).map(|_| ()), un("-x"));
        assert_eq!(parse(&["-ix"]).map(|_| ()), un("-ix"));
        assert_eq!(parse(&["---"]).map(|_| ()), un("---"));
        assert_eq!(parse(&["--nope"]).map(|_| ()), un("--nope"));
        assert_eq!(parse(&["--jit=1"]).map(|_| ()), un("--jit=1"));
        let needs = |s: &str| Err(NeedsArgument(s.into()));
        assert_eq!(parse(&["-e"]).map(|_| ()), needs("-e"));
        assert_eq!(parse(&["-e", "-x"]).map(|_| ()), needs("-e"));
        assert_eq!(parse(&["-l"]).map(|_| ()), needs("-l"));
        assert_eq!(parse(&["--engine"]).map(|_| ()), needs("--engine"));
        assert!(matches!(parse(&["--engine", "x"]), Err(BadValue { .. })));
        assert!(matches!(
            parse(&["--jit-threshold", "-1"]),
            Err(BadValue { .. })
        ));
    }
}
