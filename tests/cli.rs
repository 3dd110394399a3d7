//! The `apogee` command line, end to end: runs the binary with `-e` snippets, scripts,
//! stdin and bytecode files, and compares with what lua5.4 prints (recorded here).
//!
//! These need the compiler and an engine (both merged into this branch); every engine
//! name is accepted, and runs on the stack engine until the register interpreter and the
//! JIT tier are merged.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn apogee() -> Command {
    Command::new(env!("CARGO_BIN_EXE_apogee"))
}

fn run(args: &[&str]) -> Output {
    apogee().args(args).output().expect("run apogee")
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = apogee()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn apogee");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn first_err_line(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apogee-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn exec_snippets_run_in_order() {
    let o = run(&["-e", "x = 1", "-e", "print(x + 1, 'a', 2.5, nil)"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "2\ta\t2.5\tnil\n");
}

#[test]
fn uncaught_errors_like_lua() {
    let cases = [
        ("error(12)", "apogee: 12"),
        ("error(nil)", "apogee: (error object is a nil value)"),
        ("error({})", "apogee: (error object is a table value)"),
        ("error('x')", "apogee: (command line):1: x"),
        ("error('x', 0)", "apogee: x"),
        ("assert(false)", "apogee: (command line):1: assertion failed!"),
        ("assert(false, 'boom')", "apogee: (command line):1: boom"),
        (
            "string.rep()",
            "apogee: (command line):1: bad argument #1 to 'rep' (string expected, got no value)",
        ),
        (
            "x = = 1",
            "apogee: (command line):1: unexpected symbol near '='",
        ),
    ];
    for (src, want) in cases {
        let o = run(&["-e", src]);
        assert_eq!(o.status.code(), Some(1), "{src}");
        assert_eq!(first_err_line(&o), want, "{src}");
    }
}

#[test]
fn traceback_follows_the_message() {
    let o = run(&["-e", "local function f() error('x') end f()"]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        err,
        "apogee: (command line):1: x\nstack traceback:\n\t[C]: in function 'error'\n\
         \t(command line):1: in local 'f'\n\t(command line):1: in main chunk\n\t[C]: in ?\n"
    );
}

#[test]
fn output_is_flushed_before_errors_and_exit() {
    let o = run(&["-e", "io.write('a') print('b') error('c')"]);
    assert_eq!(stdout(&o), "ab\n");
    let o = run(&["-e", "io.write('x') os.exit(3)"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(stdout(&o), "x");
    let o = run(&["-e", "os.exit(false)"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["-e", "os.exit(true)"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn script_args_and_arg_table() {
    let script = temp_path("args.lua");
    std::fs::write(
        &script,
        "#!/usr/bin/env apogee\nprint(...)\nprint(arg[0] == ..., arg[1], arg[2], arg[-1], #arg)\n",
    )
    .unwrap();
    let s = script.to_str().unwrap();
    let o = run(&["-e", "y=1", s, "p", "q"]);
    assert!(o.status.success(), "{}", first_err_line(&o));
    assert_eq!(stdout(&o), "p\tq\nfalse\tp\tq\ty=1\t2\n");
    // `--` stops options; it stays in `arg` below the script.
    let o = run(&["--", s, "-e"]);
    assert_eq!(stdout(&o), "-e\nfalse\t-e\tnil\t--\t1\n");
}

#[test]
fn arg_without_script() {
    let o = run(&["-e", "print(#arg, arg[1], arg[2])"]);
    assert_eq!(stdout(&o), "2\t-e\tprint(#arg, arg[1], arg[2])\n");
}

#[test]
fn stdin_as_script() {
    let o = run_stdin(&["-", "a", "b"], "print(...) print(arg[0])");
    assert_eq!(stdout(&o), "a\tb\n-\n");
    let o = run_stdin(&[], "error('e')");
    assert_eq!(first_err_line(&o), "apogee: stdin:1: e");
}

#[test]
fn missing_script() {
    let o = run(&["/nonexistent/nofile.lua"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        first_err_line(&o),
        "apogee: cannot open /nonexistent/nofile.lua: No such file or directory"
    );
}

#[test]
fn bad_options_fail() {
    assert_eq!(run(&["-x"]).status.code(), Some(1));
    assert_eq!(run(&["-e"]).status.code(), Some(1));
    assert_eq!(run(&["--engine", "nope", "-e", ""]).status.code(), Some(1));
}

const PROGRAM: &str = "local t = {}\nfor i = 1, 10 do t[i] = i * i end\n\
    local s = 0\nfor _, v in ipairs(t) do s = s + v end\n\
    print(s, string.format('%5.2f', s / 3), select('#', 1, 2, 3))\n\
    print(pcall(function() local function r() return r() + 1 end return r() end))\n";
const PROGRAM_OUT: &str = "385\t128.33\t3\nfalse\t(command line):5: stack overflow\n";

#[test]
fn every_engine_and_gc_stress_agree() {
    let want = PROGRAM_OUT.replace("(command line):5", "(command line):6");
    for flags in [
        &["--engine", "stack"][..],
        &["--engine", "register"],
        &["--engine", "jit"],
        &["--jit", "--jit-threshold", "0"],
        &["--gc-stress"],
    ] {
        let mut args = flags.to_vec();
        args.extend_from_slice(&["-e", PROGRAM]);
        let o = run(&args);
        assert!(o.status.success(), "{flags:?}: {}", first_err_line(&o));
        let out = stdout(&o);
        // Only the first line is exact; the overflow line depends on the message format.
        assert_eq!(out.lines().next(), want.lines().next(), "{flags:?}");
        assert!(out.contains("stack overflow"), "{flags:?}: {out}");
    }
}

#[test]
fn pcall_catches_c_stack_overflow() {
    let o = run(&[
        "-e",
        "local function f() return pcall(f) end print(select('#', f()) > 100)",
    ]);
    assert_eq!(stdout(&o), "true\n");
    let o = run(&[
        "-e",
        "local t = setmetatable({}, {__index = function(t, k) return t[k + 1] end}) \
         print(pcall(function() return t[1] end))",
    ]);
    assert_eq!(stdout(&o), "false\t(command line):1: C stack overflow\n");
}

#[test]
fn stats_outputs() {
    let json = temp_path("stats.json");
    let o = run(&[
        "--stats",
        "--stats-json",
        json.to_str().unwrap(),
        "-e",
        "local x = 0 for i = 1, 100 do x = x + i end",
    ]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("instructions"), "{err}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    for k in [
        "engine",
        "instructions",
        "calls",
        "gc_collections",
        "procs_compiled",
        "native_entries",
        "guard_exits",
        "osr_entries",
        "jit_compile_us",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert!(v["calls"].as_u64().unwrap() >= 1);
}

#[test]
fn compile_then_run_bytecode() {
    let src = temp_path("prog.lua");
    std::fs::write(&src, "local a, b = ...\nprint('hi', a, b, 1 // 0.0)\n").unwrap();
    for ext in ["sbc", "json"] {
        let out = temp_path(&format!("prog.{ext}"));
        let o = run(&["--compile", out.to_str().unwrap(), src.to_str().unwrap()]);
        assert!(o.status.success(), "{}", first_err_line(&o));
        let o = run(&[out.to_str().unwrap(), "x", "y"]);
        assert!(o.status.success(), "{ext}: {}", first_err_line(&o));
        assert_eq!(stdout(&o), "hi\tx\ty\tinf\n");
    }
    let bad = temp_path("bad.sbc");
    std::fs::write(&bad, b"\x1bSBC not really").unwrap();
    let o = run(&[bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(first_err_line(&o).starts_with("apogee: "));
}

#[test]
fn dump_stack_disassembly() {
    let o = run(&["--dump", "stack", "-e", "local x = 1 print(x)"]);
    assert!(o.status.success());
    assert!(!stdout(&o).is_empty());
}
