//! Measurements for the stack-versus-register research report (`docs/RESEARCH.md`, made by
//! `benches/research.sh` through the `apogee-research` binary).
//!
//! Public surface:
//! - [`stack_op_bytes`]: the size of one stack instruction in the binary form (`.sbc`);
//! - [`StaticSize`], [`static_size`]: static code size of a module, stack and register;
//! - [`Engine`], [`RunResult`], [`run_program`]: runs a chunk once on one engine (and,
//!   for the register engine, one set of translator passes) and returns the dispatched
//!   instruction count, the time of the run and what it printed; [`run_program_counted`]
//!   also collects the dynamic counters ([`Executed`]: moves, constant loads, the
//!   per-opcode histogram), in a run too slow to time;
//! - [`translate_time`]: translation time of a module, in nanoseconds per stack instruction;
//! - [`PASSES`]: the pass configurations the report compares;
//! - [`report`]: the Markdown report and the SVG chart built from the measurements.
//!
//! Counting rules. *Dispatched instructions* are `vm.counters.instructions`, which both
//! engines count once per instruction they decode and execute (the register engine counts
//! an `ExtraArg` or the `Jmp` after a conditional only when it dispatches it as its own
//! word). *Stack bytes* are the opcode byte plus the operand encodings of each instruction
//! (constants, line tables and names are not counted, on either side). *Register bytes*
//! are 4 per word (`ExtraArg` words included); constants the translator adds
//! (`RegCode::extra_consts`) are not counted. *Moves* and *constant loads* executed are
//! defined in `runtime::instr::DynCounters`: register `Move`; stack `GetLocal`/`SetLocal`;
//! register `LoadK`/`LoadKx`/`LoadI`/`LoadF`/`LoadTrue`/`LoadFalse`/`LoadNil`; stack
//! `PushConst`/`PushInt`/`PushTrue`/`PushFalse`/`PushNil`.

pub mod report;

use std::time::{Duration, Instant};

use crate::bytecode::binary::Operand;
use crate::bytecode::{Module, Op, Proto};
use crate::host::{self, EngineKind, Options};
use crate::isa::{Instr, Opcode};
use crate::translate::{translate_proto, TranslateOptions};

macro_rules! define_op_bytes {
    ($( $(#[$doc:meta])* $name:ident { $($field:ident : $ty:ty),* } = ($pops:expr, $pushes:expr), $sem:literal; )*) => {
        /// The bytes one stack instruction takes in the binary form: its opcode byte and
        /// its operands, each as [`Operand::encode`] writes it.
        pub fn stack_op_bytes(op: &Op) -> usize {
            let mut out = Vec::with_capacity(16);
            out.push(crate::bytecode::binary::opcode(op));
            match *op {
                $( Op::$name { $($field),* } => { $( Operand::encode($field, &mut out); )* } )*
            }
            out.len()
        }
    };
}

crate::for_each_stack_op!(define_op_bytes);

/// Static code size of a module (every proc, called or not).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StaticSize {
    pub procs: usize,
    pub stack_instrs: usize,
    pub stack_bytes: usize,
    pub reg_words: usize,
    pub reg_bytes: usize,
    /// `Move` words in the register code (static, not executed).
    pub reg_moves: usize,
}

impl StaticSize {
    /// Register bytes over stack bytes, minus one, in percent.
    pub fn growth_pct(&self) -> f64 {
        pct_change(self.reg_bytes as f64, self.stack_bytes as f64)
    }
}

/// `(new / old - 1) * 100`, 0 when `old` is 0.
pub fn pct_change(new: f64, old: f64) -> f64 {
    if old == 0.0 {
        0.0
    } else {
        (new / old - 1.0) * 100.0
    }
}

/// Every proc of a module, main first, children in pre-order (explicit stack: no recursion).
pub fn procs(module: &Module) -> Vec<&Proto> {
    let mut out = Vec::new();
    let mut pending = vec![&module.main];
    while let Some(p) = pending.pop() {
        out.push(p);
        pending.extend(p.protos.iter().rev());
    }
    out
}

/// Static sizes of `module`, its register code translated with `opts`.
pub fn static_size(module: &Module, opts: TranslateOptions) -> Result<StaticSize, String> {
    let mut s = StaticSize::default();
    for p in procs(module) {
        s.procs += 1;
        s.stack_instrs += p.code.len();
        s.stack_bytes += p.code.iter().map(stack_op_bytes).sum::<usize>();
        let code = translate_proto(p, opts).map_err(|e| e.0)?;
        s.reg_words += code.code.len();
        s.reg_bytes += 4 * code.code.len();
        s.reg_moves += code
            .code
            .iter()
            .filter(|&&w| {
                // A superinstruction whose first part is a `Move` counts as one.
                let w = crate::isa::unfuse_word(w);
                matches!(Instr::decode(w), Ok(i) if i.opcode() == Opcode::Move)
            })
            .count();
    }
    Ok(s)
}

/// Which engine a run uses; the register engine with its translator passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Stack,
    Register(TranslateOptions),
}

/// What a counted run executed (see the module documentation for the definitions).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Executed {
    pub moves: u64,
    pub const_loads: u64,
    /// `(opcode, count)`, most frequent first.
    pub histogram: Vec<(String, u64)>,
    /// The most frequent pairs of consecutively dispatched opcodes `(first, second,
    /// count)`, most frequent first (at most [`crate::host::TOP_PAIRS`]).
    pub pairs: Vec<(String, String, u64)>,
}

/// One run of a program.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// Instructions dispatched (`vm.counters.instructions`) by the main function's run.
    pub instructions: u64,
    /// Wall time of the run (loading and compiling excluded; lazy translation included).
    pub elapsed: Duration,
    /// CPU time of the running thread over the same span, where the OS reports it
    /// ([`thread_cpu_time`]); unlike wall time it does not grow while other jobs hold the CPU.
    pub cpu: Option<Duration>,
    /// What the program printed.
    pub output: Vec<u8>,
    /// The dynamic counters, for [`run_program_counted`].
    pub executed: Option<Executed>,
}

/// Compiles `src` and runs it once on `engine` with `args` as `arg[1..]`. The register
/// passes are set on the calling thread (`interp::set_translate_options`) before the run
/// and reset to all-on afterwards. Call this on a thread with a large native stack
/// ([`host::run_on_big_stack`]).
pub fn run_program(
    src: &[u8],
    chunkname: &str,
    args: &[String],
    engine: Engine,
) -> Result<RunResult, String> {
    run_engine(src, chunkname, args, engine, false)
}

/// [`run_program`] with the dynamic counters on ([`RunResult::executed`]); the engines run
/// their instrumented loops, so the time is not comparable with [`run_program`]'s.
pub fn run_program_counted(
    src: &[u8],
    chunkname: &str,
    args: &[String],
    engine: Engine,
) -> Result<RunResult, String> {
    run_engine(src, chunkname, args, engine, true)
}

fn run_engine(
    src: &[u8],
    chunkname: &str,
    args: &[String],
    engine: Engine,
    counted: bool,
) -> Result<RunResult, String> {
    let kind = match engine {
        Engine::Stack => EngineKind::Stack,
        Engine::Register(opts) => {
            crate::interp::set_translate_options(opts);
            EngineKind::Register
        }
    };
    let result = run_with(src, chunkname, args, kind, counted);
    crate::interp::set_translate_options(TranslateOptions::ALL);
    result
}

fn run_with(
    src: &[u8],
    chunkname: &str,
    args: &[String],
    kind: EngineKind,
    counted: bool,
) -> Result<RunResult, String> {
    let opts = Options {
        engine: kind,
        dyn_counters: counted,
        ..Options::default()
    };
    let (mut vm, _) = host::new_vm(&opts);
    let mut argv = vec![chunkname.trim_start_matches('@').to_string()];
    argv.extend_from_slice(args);
    host::set_args(&mut vm, &argv, 0);
    let main = host::load_source(&mut vm, src, chunkname).map_err(|e| error_string(&mut vm, e))?;
    let vals: Vec<_> = args.iter().map(|a| vm.str_value(a.as_bytes())).collect();
    vm.counters.instructions = 0;
    let cpu_start = thread_cpu_time();
    let start = Instant::now();
    let r = host::run_main(&mut vm, main, &vals);
    let elapsed = start.elapsed();
    let cpu = match (cpu_start, thread_cpu_time()) {
        (Some(a), Some(b)) => b.checked_sub(a),
        _ => None,
    };
    if let Err(e) = r {
        return Err(error_string(&mut vm, e));
    }
    let executed = vm.instr.counters.as_deref().map(|c| Executed {
        moves: c.moves,
        const_loads: c.const_loads,
        histogram: c
            .histogram()
            .into_iter()
            .map(|(op, n)| (op.to_string(), n))
            .collect(),
        pairs: c
            .top_pairs(crate::host::TOP_PAIRS)
            .into_iter()
            .map(|(a, b, n)| (a.to_string(), b.to_string(), n))
            .collect(),
    });
    Ok(RunResult {
        instructions: vm.counters.instructions,
        elapsed,
        cpu,
        output: std::mem::take(&mut vm.out),
        executed,
    })
}

/// CPU time the calling thread has spent running: the first field of Linux's
/// `/proc/thread-self/schedstat` (in nanoseconds, but brought up to date only at scheduler
/// ticks and switches, so a few milliseconds behind: time spans of a tenth of a second or
/// more only). `None` where that file does not exist.
pub fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn error_string(vm: &mut crate::runtime::Vm, e: crate::runtime::LuaError) -> String {
    host::error_text(vm, e.value)
}

/// Translates every proc of `module` `reps` times with all passes on; returns the mean
/// nanoseconds per stack instruction (wall time: the whole measurement takes a few
/// milliseconds, below the resolution of [`thread_cpu_time`]) and the number of stack
/// instructions translated.
pub fn translate_time(module: &Module, reps: u32) -> Result<(f64, u64), String> {
    let ps = procs(module);
    let instrs: u64 = ps.iter().map(|p| p.code.len() as u64).sum();
    let start = Instant::now();
    for _ in 0..reps {
        for p in &ps {
            let code = translate_proto(p, TranslateOptions::ALL).map_err(|e| e.0)?;
            std::hint::black_box(&code);
        }
    }
    let ns = start.elapsed().as_nanos() as f64;
    let total = instrs * u64::from(reps);
    Ok((if total == 0 { 0.0 } else { ns / total as f64 }, total))
}

/// The pass configurations of the per-pass table: all off, each pass alone, all on but
/// the superinstructions, all on.
pub const PASSES: [(&str, TranslateOptions); 9] = [
    ("none", TranslateOptions::NONE),
    (
        "copy",
        TranslateOptions {
            copy_propagation: true,
            ..TranslateOptions::NONE
        },
    ),
    (
        "const",
        TranslateOptions {
            constant_operands: true,
            ..TranslateOptions::NONE
        },
    ),
    (
        "fusion",
        TranslateOptions {
            fusion: true,
            ..TranslateOptions::NONE
        },
    ),
    (
        "backward",
        TranslateOptions {
            backward_propagation: true,
            ..TranslateOptions::NONE
        },
    ),
    (
        "dead",
        TranslateOptions {
            dead_moves: true,
            ..TranslateOptions::NONE
        },
    ),
    (
        "super",
        TranslateOptions {
            superinstructions: true,
            ..TranslateOptions::NONE
        },
    ),
    (
        "all-super",
        TranslateOptions {
            superinstructions: false,
            ..TranslateOptions::ALL
        },
    ),
    ("all", TranslateOptions::ALL),
];

/// The geometric mean of positive values (1 for an empty list).
pub fn geomean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return 1.0;
    }
    (xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64).exp()
}

/// The median (0 for an empty list).
pub fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}
