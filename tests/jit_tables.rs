//! Table stores compiled by the JIT against the memory limit: appending to one table in
//! a hot loop grows its array part only through the runtime (compiled code appends in
//! place only into spare capacity), which counts the growth and raises the catchable
//! "not enough memory" as the interpreters do.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_apogee"));
    for var in ["LUA_INIT", "LUA_INIT_5_4", "LUA_PATH", "LUA_PATH_5_4"] {
        c.env_remove(var);
    }
    c.args(args).output().expect("run apogee")
}

#[test]
fn compiled_appends_hit_the_memory_limit() {
    let appends =
        "local ok, e = pcall(function() local t = {} for i = 1, 1e8 do t[i] = i end end) \
                   print(ok, e) local t = {} for i = 1, 10 do t[i] = i end print(#t)";
    for threshold in ["0", "5", "100"] {
        let o = run(&[
            "--engine",
            "jit",
            "--jit-threshold",
            threshold,
            "--memory-limit",
            "50000000",
            "-e",
            appends,
        ]);
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            "false\tnot enough memory\n10\n",
            "threshold {threshold}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.status.success(), "threshold {threshold}");
    }
}

/// Under `--gc-stress` the compiled appends into spare capacity allocate nothing, and
/// the growth the runtime does still collects: the result is the interpreter's.
#[test]
fn compiled_appends_under_gc_stress() {
    let src = "local function f(n) local t = {} for i = 1, n do t[i] = {i} end \
               local s = 0 for i = 1, n do s = s + t[i][1] end return s, #t end \
               print(f(3000)) print(f(10))";
    for engine in ["register", "jit"] {
        let o = run(&[
            "--engine",
            engine,
            "--jit-threshold",
            "0",
            "--gc-stress",
            "-e",
            src,
        ]);
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            "4501500\t3000\n55\t10\n",
            "{engine}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
