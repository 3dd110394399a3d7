//! `apogee-research`: measures the stack engine against the register interpreter on the
//! benchmark programs and writes `docs/RESEARCH.md` and `docs/research.svg`.
//!
//! Usage: `apogee-research [--runs N] [--reps N] [--benches DIR] [--out DIR]`
//! (`benches/research.sh` builds it in release mode and runs it with the defaults).
//! Everything runs in this process, on one thread with a large native stack, so the
//! translator passes can be switched per run (`interp::set_translate_options`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use apogee::research::report::{self, BenchResult, Report};
use apogee::research::{self, median, Engine, PASSES};
use apogee::translate::TranslateOptions;

/// Size arguments (`arg[1]`) used for the report: each run takes 0.2-0.4 s of CPU time.
/// A benchmark not listed here runs with its own default size.
const SIZES: &[(&str, &str)] = &[
    ("fib", "31"),
    ("mandelbrot", "400"),
    ("nbody", "75000"),
    ("numeric_loop", "3000"),
    ("sieve", "200000"),
    ("spectral_norm", "250"),
];

struct Args {
    runs: usize,
    reps: u32,
    benches: PathBuf,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        runs: 7,
        reps: 100,
        benches: PathBuf::from("benches"),
        out: PathBuf::from("docs"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--runs" => a.runs = value()?.parse().map_err(|_| "bad --runs".to_string())?,
            "--reps" => a.reps = value()?.parse().map_err(|_| "bad --reps".to_string())?,
            "--benches" => a.benches = PathBuf::from(value()?),
            "--out" => a.out = PathBuf::from(value()?),
            "-h" | "--help" => {
                return Err(
                    "usage: apogee-research [--runs N] [--reps N] [--benches DIR] [--out DIR]"
                        .into(),
                )
            }
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    if a.runs == 0 || a.reps == 0 {
        return Err("--runs and --reps must be at least 1".into());
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("apogee-research: {e}");
            return ExitCode::from(2);
        }
    };
    match apogee::host::run_on_big_stack(move || run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("apogee-research: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let mut names: Vec<String> = std::fs::read_dir(&args.benches)
        .map_err(|e| format!("cannot read {}: {e}", args.benches.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.strip_suffix(".lua").map(str::to_string)
        })
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(format!("no .lua programs in {}", args.benches.display()));
    }
    let mut benches = Vec::new();
    for name in &names {
        eprintln!("apogee-research: {name}");
        benches.push(measure(args, name)?);
    }
    let report = Report {
        benches,
        runs: args.runs,
        translate_reps: args.reps,
        command: "benches/research.sh".to_string(),
        machine: machine_note(),
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    write(&args.out.join("RESEARCH.md"), &report::markdown(&report))?;
    write(&args.out.join("research.svg"), &report::svg(&report))?;
    let s = report.summary();
    println!(
        "geomeans: {:.1}% dispatched instructions eliminated, {:.2}x speed-up, {:+.1}% code bytes, {:.0} ns/instruction to translate",
        s.eliminated_pct, s.speedup, s.growth_pct, s.translate_ns
    );
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn measure(args: &Args, name: &str) -> Result<BenchResult, String> {
    let path = args.benches.join(format!("{name}.lua"));
    let src = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let chunkname = format!("@benches/{name}.lua");
    let size = SIZES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s);
    let prog_args: Vec<String> = size.iter().map(|s| s.to_string()).collect();
    let module = apogee::frontend::compile(&src, &chunkname).map_err(|e| e.0)?;
    let run = |engine| research::run_program(&src, &chunkname, &prog_args, engine);
    let counted = |engine| -> Result<research::Executed, String> {
        let r = research::run_program_counted(&src, &chunkname, &prog_args, engine)?;
        Ok(r.executed.unwrap_or_default())
    };

    // Reference output and counts (also warms caches before the timed runs).
    let stack = run(Engine::Stack)?;
    let mut pass_counts = Vec::new();
    let mut pass_sizes = Vec::new();
    for (pass, opts) in PASSES {
        let r = run(Engine::Register(opts))?;
        if r.output != stack.output {
            return Err(format!(
                "{name}: register engine ({pass}) printed {:?}, stack engine {:?}",
                String::from_utf8_lossy(&r.output),
                String::from_utf8_lossy(&stack.output)
            ));
        }
        pass_counts.push(r.instructions);
        pass_sizes.push(research::static_size(&module, opts)?);
    }
    if pass_counts.first() == pass_counts.last() {
        eprintln!(
            "apogee-research: warning: {name}: the same count with all passes off and on; \
             did set_translate_options take effect?"
        );
    }

    // Timed runs, interleaved, the order alternating from round to round.
    let mut stack_times = Vec::new();
    let mut reg_times = Vec::new();
    let mut reg_count = 0;
    let mut stack_count = stack.instructions;
    let mut cpu_clock = true;
    for round in 0..args.runs {
        let order = if round % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for is_stack in order {
            if is_stack {
                let r = run(Engine::Stack)?;
                check_stable(name, "stack", stack_count, r.instructions)?;
                stack_count = r.instructions;
                stack_times.push(r.cpu.unwrap_or(r.elapsed).as_secs_f64());
                cpu_clock &= r.cpu.is_some();
            } else {
                let r = run(Engine::Register(TranslateOptions::ALL))?;
                if round > 0 {
                    check_stable(name, "register", reg_count, r.instructions)?;
                }
                reg_count = r.instructions;
                reg_times.push(r.cpu.unwrap_or(r.elapsed).as_secs_f64());
                cpu_clock &= r.cpu.is_some();
            }
        }
    }
    eprintln!(
        "apogee-research: {name}: median {} time stack {:.3} s, register {:.3} s",
        if cpu_clock { "CPU" } else { "wall" },
        median(&stack_times),
        median(&reg_times)
    );
    let (translate_ns, _) = research::translate_time(&module, args.reps)?;
    let stack_exec = counted(Engine::Stack)?;
    let reg_exec = counted(Engine::Register(TranslateOptions::ALL))?;
    // The pairs superinstructions are chosen from: all passes on but superinstructions.
    let no_super = TranslateOptions {
        superinstructions: false,
        ..TranslateOptions::ALL
    };
    let pair_exec = counted(Engine::Register(no_super))?;
    Ok(BenchResult {
        name: name.to_string(),
        size: size.unwrap_or("default").to_string(),
        size_all: research::static_size(&module, TranslateOptions::ALL)?,
        stack_count,
        reg_count,
        stack_time: median(&stack_times),
        reg_time: median(&reg_times),
        pass_counts,
        pass_sizes,
        translate_ns,
        cpu_clock,
        stack_exec,
        reg_exec,
        pair_exec,
    })
}

/// Dispatch counts of a deterministic program must not change from run to run.
fn check_stable(name: &str, engine: &str, before: u64, now: u64) -> Result<(), String> {
    if before == now {
        Ok(())
    } else {
        Err(format!(
            "{name}: {engine} engine dispatched {now} instructions, {before} in an earlier run"
        ))
    }
}

/// Machine, toolchain and commit, for the report.
fn machine_note() -> Vec<String> {
    let sh = |prog: &str, args: &[&str]| -> String {
        Command::new(prog)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|| "unknown".to_string())
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get().to_string())
        .unwrap_or_else(|_| "?".to_string());
    let dirty = if sh("git", &["status", "--porcelain", "--", "src"]).is_empty() {
        ""
    } else {
        " (with uncommitted changes under src/)"
    };
    vec![
        format!("date: {}", sh("date", &["-u", "+%Y-%m-%d %H:%M UTC"])),
        format!(
            "commit: {}{dirty}",
            sh("git", &["rev-parse", "--short", "HEAD"])
        ),
        format!(
            "machine: {} ({cores} cores), {}",
            cpu,
            sh("uname", &["-srm"])
        ),
        format!(
            "toolchain: {}; release profile, default features",
            sh("rustc", &["--version"])
        ),
        format!(
            "sizes: {}",
            SIZES
                .iter()
                .map(|(n, s)| format!("{n} {s}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ]
}
