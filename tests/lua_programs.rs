//! Golden-output conformance suite: every `tests/lua/NAME.lua` runs on every engine
//! configuration and must reproduce what `lua5.4` produced when the goldens were recorded
//! (by `tests/record-goldens.sh`, never by hand).
//!
//! For each program the goldens are:
//! - `NAME.stdout`: the exact stdout bytes;
//! - `NAME.status`: two lines, the exit status, then the first stderr line with the leading
//!   `lua5.4: ` removed (an empty line when stderr was empty).
//!
//! Each run is `apogee <engine flags> NAME.lua` with cwd `tests/lua` and stdin null, so chunk
//! names in messages (`NAME.lua:3: ...`) match the oracle's. Our first stderr line is
//! compared after removing a leading `apogee: `.
//!
//! Environment:
//! - `APOGEE_LUA_FILTER=substr` runs only programs whose name contains `substr`;
//! - `APOGEE_LUA_CONFIGS=stack,register` runs only the named configurations
//!   (`stack`, `register`, `jit`, each with a `-gc` suffix for `--gc-stress`, and
//!   `jit-warm`: the JIT at threshold 5, compiling on type feedback);
//! - `APOGEE_LUA_TIMEOUT=seconds` changes the per-run time limit (default 60).

use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// A run that takes longer than this is killed and reported as a failure
/// (`APOGEE_LUA_TIMEOUT=seconds` overrides it).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Programs run concurrently on this many threads (the machine is small and shared).
const THREADS: usize = 2;
/// Prefix our CLI puts before an uncaught error message.
const OUR_PREFIX: &[u8] = b"apogee: ";

/// One way of running a program: a name for reports and filters, and the CLI flags.
struct Config {
    name: &'static str,
    flags: &'static [&'static str],
    /// Only exists when the `jit` cargo feature is enabled.
    needs_jit: bool,
}

const CONFIGS: &[Config] = &[
    Config {
        name: "stack",
        flags: &["--engine", "stack"],
        needs_jit: false,
    },
    Config {
        name: "register",
        flags: &["--engine", "register"],
        needs_jit: false,
    },
    Config {
        name: "jit",
        flags: &["--engine", "jit", "--jit-threshold", "0"],
        needs_jit: true,
    },
    Config {
        // Compiled after a few calls or loop iterations, on type feedback: speculation,
        // its failures and recompilation (`tier::spec`).
        name: "jit-warm",
        flags: &["--engine", "jit", "--jit-threshold", "5"],
        needs_jit: true,
    },
    Config {
        name: "stack-gc",
        flags: &["--engine", "stack", "--gc-stress"],
        needs_jit: false,
    },
    Config {
        name: "register-gc",
        flags: &["--engine", "register", "--gc-stress"],
        needs_jit: false,
    },
    Config {
        name: "jit-gc",
        flags: &["--engine", "jit", "--jit-threshold", "0", "--gc-stress"],
        needs_jit: true,
    },
];

/// Every configuration this build supports, in report order.
fn all_configs() -> Vec<&'static Config> {
    CONFIGS
        .iter()
        .filter(|c| cfg!(feature = "jit") || !c.needs_jit)
        .collect()
}

/// The configurations selected by `APOGEE_LUA_CONFIGS` (all when unset or empty).
fn selected_configs() -> Result<Vec<&'static Config>, String> {
    let configs = all_configs();
    let wanted = match std::env::var("APOGEE_LUA_CONFIGS") {
        Ok(v) if !v.trim().is_empty() => v,
        _ => return Ok(configs),
    };
    let names: Vec<&str> = wanted
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    for name in &names {
        if !configs.iter().any(|c| c.name == *name) {
            let known: Vec<&str> = configs.iter().map(|c| c.name).collect();
            return Err(format!(
                "APOGEE_LUA_CONFIGS names unknown configuration {name:?}; known: {}",
                known.join(",")
            ));
        }
    }
    Ok(configs
        .into_iter()
        .filter(|c| names.contains(&c.name))
        .collect())
}

fn lua_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("lua")
}

/// Sorted file stems in `dir` having extension `ext`.
fn stems_with_ext(dir: &Path, ext: &str) -> Vec<String> {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut stems: Vec<String> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            if path.extension()? != ext || !path.is_file() {
                return None;
            }
            Some(path.file_stem()?.to_str()?.to_owned())
        })
        .collect();
    stems.sort();
    stems
}

/// What a program is expected to do, read from its goldens.
struct Golden {
    stdout: Vec<u8>,
    status: i32,
    error_line: Vec<u8>,
}

fn read_golden(dir: &Path, name: &str) -> Result<Golden, String> {
    let stdout_path = dir.join(format!("{name}.stdout"));
    let status_path = dir.join(format!("{name}.status"));
    let stdout = fs::read(&stdout_path).map_err(|e| format!("{}: {e}", stdout_path.display()))?;
    let status_text =
        fs::read(&status_path).map_err(|e| format!("{}: {e}", status_path.display()))?;
    let mut lines = status_text.split(|&b| b == b'\n');
    let first = lines.next().unwrap_or_default();
    let status = std::str::from_utf8(first)
        .ok()
        .and_then(|s| s.trim().parse::<i32>().ok())
        .ok_or_else(|| {
            format!(
                "{}: first line is not an exit status",
                status_path.display()
            )
        })?;
    let error_line = lines.next().unwrap_or_default().to_vec();
    Ok(Golden {
        stdout,
        status,
        error_line,
    })
}

/// The outcome of one run of our binary.
struct Run {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: ExitStatus,
}

/// Reads a pipe to its end on its own thread, so a chatty child never blocks on a full pipe.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut pipe) = pipe {
            // A read error just truncates the capture; the comparison then reports it.
            let _ = pipe.read_to_end(&mut buf);
        }
        buf
    })
}

fn timeout() -> Duration {
    std::env::var("APOGEE_LUA_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(DEFAULT_TIMEOUT, Duration::from_secs)
}

/// Waits for `child`, killing it once `limit` has passed. `Ok(None)` means it timed out.
fn wait_with_timeout(child: &mut Child, limit: Duration) -> std::io::Result<Option<ExitStatus>> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if start.elapsed() >= limit {
            // The child may exit between try_wait and kill; either way we reap it below.
            let _ = child.kill();
            child.wait()?;
            return Ok(None);
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

fn run_program(dir: &Path, name: &str, config: &Config) -> Result<Run, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_apogee"))
        .args(config.flags)
        .arg(format!("{name}.lua"))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start apogee: {e}"))?;
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let limit = timeout();
    let waited =
        wait_with_timeout(&mut child, limit).map_err(|e| format!("waiting for apogee: {e}"))?;
    let Some(status) = waited else {
        // Leave the readers detached: a grandchild could still hold the pipes open.
        return Err(format!("timed out after {} s (killed)", limit.as_secs()));
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    Ok(Run {
        stdout,
        stderr,
        status,
    })
}

fn first_line(bytes: &[u8]) -> &[u8] {
    bytes.split(|&b| b == b'\n').next().unwrap_or_default()
}

fn show(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

/// Describes how two outputs first differ: the line number and both lines.
fn first_difference(expected: &[u8], got: &[u8]) -> String {
    let exp: Vec<&[u8]> = expected.split(|&b| b == b'\n').collect();
    let act: Vec<&[u8]> = got.split(|&b| b == b'\n').collect();
    for i in 0..exp.len().max(act.len()) {
        match (exp.get(i), act.get(i)) {
            (Some(e), Some(a)) if e == a => continue,
            (e, a) => {
                let fmt =
                    |l: Option<&&[u8]>| l.map_or_else(|| "<end of output>".to_owned(), |l| show(l));
                return format!("line {}: expected {}, got {}", i + 1, fmt(e), fmt(a));
            }
        }
    }
    // Same lines but different bytes cannot happen with split; keep a fallback anyway.
    format!("expected {} bytes, got {} bytes", expected.len(), got.len())
}

/// Compares one run against the goldens; returns every difference found.
fn check(golden: &Golden, run: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    match run.status.code() {
        Some(code) if code == golden.status => {}
        Some(code) => problems.push(format!(
            "exit status: expected {}, got {code}",
            golden.status
        )),
        None => problems.push(format!("crashed: {}", describe_signal(&run.status))),
    }
    if run.stdout != golden.stdout {
        problems.push(format!(
            "stdout: {}",
            first_difference(&golden.stdout, &run.stdout)
        ));
    }
    let line = first_line(&run.stderr);
    let line = line.strip_prefix(OUR_PREFIX).unwrap_or(line);
    if line != golden.error_line.as_slice() {
        problems.push(format!(
            "error line: expected {}, got {}",
            show(&golden.error_line),
            show(line)
        ));
    }
    problems
}

#[cfg(unix)]
fn describe_signal(status: &ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(sig) => format!("killed by signal {sig}"),
        None => format!("no exit code ({status})"),
    }
}

#[cfg(not(unix))]
fn describe_signal(status: &ExitStatus) -> String {
    format!("no exit code ({status})")
}

/// The directive a program carries (in a comment, anywhere) to be left out of the
/// `--gc-stress` configurations. Only for programs whose point is a deliberately huge
/// value stack (runaway recursion), where a full collection at every safepoint makes the
/// run quadratic; the reason must follow the directive in the same comment.
const NO_GC_STRESS: &str = "apogee-test: no-gc-stress";

fn no_gc_stress(dir: &Path, name: &str) -> bool {
    std::fs::read(dir.join(format!("{name}.lua")))
        .map(|src| {
            src.windows(NO_GC_STRESS.len())
                .any(|w| w == NO_GC_STRESS.as_bytes())
        })
        .unwrap_or(false)
}

#[test]
fn lua_programs_match_goldens() {
    let dir = lua_dir();
    let configs = selected_configs().unwrap_or_else(|e| panic!("{e}"));
    let filter = std::env::var("APOGEE_LUA_FILTER").unwrap_or_default();
    let programs: Vec<String> = stems_with_ext(&dir, "lua")
        .into_iter()
        .filter(|n| n.contains(filter.as_str()))
        .collect();
    assert!(
        !programs.is_empty(),
        "no Lua programs selected (filter {filter:?})"
    );

    // Goldens are read once per program; a missing golden is itself a reported mismatch.
    let mut jobs = Vec::new();
    let mut failures = Vec::new();
    for name in &programs {
        match read_golden(&dir, name) {
            Ok(golden) => {
                let golden = std::sync::Arc::new(golden);
                let skip_gc = no_gc_stress(&dir, name);
                for config in &configs {
                    if skip_gc && config.name.ends_with("-gc") {
                        continue;
                    }
                    jobs.push((name.as_str(), config, std::sync::Arc::clone(&golden)));
                }
            }
            Err(e) => failures.push(format!("{name}: bad goldens: {e}")),
        }
    }
    let total_runs = jobs.len();
    // Jobs are taken from the back, so reverse to run in name order.
    jobs.reverse();
    let queue = Mutex::new(jobs);
    let failures = Mutex::new(failures);

    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| loop {
                let job = queue.lock().unwrap_or_else(|p| p.into_inner()).pop();
                let Some((name, config, golden)) = job else {
                    break;
                };
                let problems = match run_program(&dir, name, config) {
                    Ok(run) => check(&golden, &run),
                    Err(e) => vec![e],
                };
                if !problems.is_empty() {
                    let mut report = format!("{name} [{}]:", config.name);
                    for p in problems {
                        let _ = write!(report, "\n    {p}");
                    }
                    failures
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(report);
                }
            });
        }
    });

    let mut failures = failures.into_inner().unwrap_or_else(|p| p.into_inner());
    if !failures.is_empty() {
        failures.sort();
        panic!(
            "{} of {} runs ({} programs x {} configurations) did not match their goldens:\n{}",
            failures.len(),
            total_runs,
            programs.len(),
            configs.len(),
            failures.join("\n")
        );
    }
}

#[test]
fn every_program_has_goldens_and_every_golden_a_program() {
    let dir = lua_dir();
    let programs = stems_with_ext(&dir, "lua");
    let mut problems = Vec::new();
    for ext in ["stdout", "status"] {
        let goldens = stems_with_ext(&dir, ext);
        for name in &programs {
            if goldens.binary_search(name).is_err() {
                problems.push(format!("{name}.lua has no {name}.{ext}"));
            }
        }
        for name in &goldens {
            if programs.binary_search(name).is_err() {
                problems.push(format!("{name}.{ext} has no {name}.lua"));
            }
        }
    }
    for name in &programs {
        if let Err(e) = read_golden(&dir, name) {
            if dir.join(format!("{name}.status")).exists() {
                problems.push(e);
            }
        }
    }
    assert!(
        problems.is_empty(),
        "goldens out of step with programs (re-record with tests/record-goldens.sh):\n{}",
        problems.join("\n")
    );
    assert!(
        programs.len() >= 100,
        "expected at least 100 programs, found {}",
        programs.len()
    );
}
