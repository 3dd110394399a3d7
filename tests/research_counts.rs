//! Pins the research counters: for one small deterministic program, the instructions the
//! stack engine and the register interpreter dispatch, and the static code sizes, are exact.
//!
//! If a deliberate change to the compiler, the translator or an engine's counting moves
//! these numbers, update them here (and regenerate docs/RESEARCH.md with
//! `benches/research.sh`); an unexplained change is a bug in a counter.

use apogee::bytecode::{binary, write_sbc, Module};
use apogee::research::{self, Engine, StaticSize};
use apogee::translate::TranslateOptions;

/// Integer arithmetic, a numeric `for`, a conditional, calls, table reads and writes, and
/// a `while` loop: no allocation after the first table, no dependence on the GC.
const PROGRAM: &str = r#"
local function f(n)
  local s = 0
  for i = 1, n do
    if i % 3 == 0 then s = s + i * 2 else s = s - 1 end
  end
  return s
end
local t = {}
for i = 1, 10 do t[i] = f(i) end
local sum, k = 0, 1
while k <= #t do
  sum = sum + t[k]
  k = k + 1
end
print(sum)
"#;

const CHUNK: &str = "=research_counts";

fn counts(engine: Engine) -> u64 {
    apogee::host::run_on_big_stack(move || {
        let r = research::run_program(PROGRAM.as_bytes(), CHUNK, &[], engine)
            .unwrap_or_else(|e| panic!("run failed: {e}"));
        assert_eq!(String::from_utf8_lossy(&r.output), "104\n");
        r.instructions
    })
}

#[test]
fn dispatched_counts_are_exact() {
    let stack = counts(Engine::Stack);
    let reg_all = counts(Engine::Register(TranslateOptions::ALL));
    let reg_none = counts(Engine::Register(TranslateOptions::NONE));
    assert_eq!(
        (stack, reg_all, reg_none),
        (STACK_COUNT, REG_ALL_COUNT, REG_NONE_COUNT),
        "(stack, register all passes, register no passes)"
    );
    // Stable from run to run.
    assert_eq!(counts(Engine::Stack), stack);
    assert_eq!(counts(Engine::Register(TranslateOptions::ALL)), reg_all);
}

// Derived by hand from `apogee --dump stack` / `--dump register` of PROGRAM:
// stack: f(n) runs 11 + 11n + 3*floor(n/3) instructions (prologue 9, per iteration 7 plus
// 7 or 4 for the branch, return 2), 760 for n = 1..10; main runs 254 (11 + 10*7 + 4 +
// 11*5 + 10*11 + 4). Register (all passes): f(n) runs 6 + 4n + 2*floor(n/3) (a conditional
// that jumps takes its `Jmp` word inline, uncounted; `ExtraArg` is never dispatched), 310;
// main runs 104: 124 before superinstructions, less one dispatch for each of the two pairs
// fused in its 10-iteration `for` loop (`MoveMove` for the callee and argument moves,
// `SetTableForLoop` for the store and the loop step); f has no fused pair (its `Add` is
// followed by a `Jmp`, its `ForLoop` is a jump target). Dead-move removal deletes nothing here.
const STACK_COUNT: u64 = 1014;
const REG_ALL_COUNT: u64 = 414;
const REG_NONE_COUNT: u64 = 1121;

fn module() -> Module {
    apogee::frontend::compile(PROGRAM.as_bytes(), CHUNK).expect("compiles")
}

#[test]
fn static_sizes_are_exact() {
    let m = module();
    let all = research::static_size(&m, TranslateOptions::ALL).expect("translates");
    let none = research::static_size(&m, TranslateOptions::NONE).expect("translates");
    assert_eq!(
        (all, none),
        (SIZE_ALL, SIZE_NONE),
        "(all passes, no passes)"
    );
}

const SIZE_ALL: StaticSize = StaticSize {
    procs: 2,
    stack_instrs: 72,
    stack_bytes: 155,
    reg_words: 39,
    reg_bytes: 156,
    reg_moves: 4,
};
const SIZE_NONE: StaticSize = StaticSize {
    procs: 2,
    stack_instrs: 72,
    stack_bytes: 155,
    reg_words: 82,
    reg_bytes: 328,
    reg_moves: 32,
};

/// `stack_op_bytes` agrees with the `.sbc` writer: a one-instruction proc is exactly the
/// instruction's bytes plus its one line-delta byte longer than an empty proc, for every
/// instruction with its operands at their minimum and at their maximum.
#[test]
fn op_bytes_match_the_binary_writer() {
    let mut empty = apogee::frontend::compile(b"", CHUNK).expect("compiles");
    empty.main.code.clear();
    empty.main.lines.clear();
    empty.main.line_defined = 0;
    let base = write_sbc(&empty).len();
    for max in [false, true] {
        for op in binary::ops_at_limits(max) {
            let mut one = empty.clone();
            one.main.code = vec![op];
            one.main.lines = vec![0];
            let got = write_sbc(&one).len() - base;
            assert_eq!(got, research::stack_op_bytes(&op) + 1, "{op:?}");
        }
    }
}

/// The module-level sums are the per-proc sums of `stack_op_bytes`.
#[test]
fn stack_bytes_sum_over_procs() {
    let m = module();
    let s = research::static_size(&m, TranslateOptions::ALL).expect("translates");
    let procs = research::procs(&m);
    assert_eq!(s.procs, procs.len());
    let bytes: usize = procs
        .iter()
        .flat_map(|p| p.code.iter())
        .map(research::stack_op_bytes)
        .sum();
    assert_eq!(s.stack_bytes, bytes);
    assert_eq!(s.reg_bytes, 4 * s.reg_words);
}

/// The report's geomeans and verdicts follow from its inputs.
#[test]
fn report_geomeans_and_verdicts() {
    use apogee::research::report::{markdown, svg, BenchResult, Report};
    let size = StaticSize {
        procs: 1,
        stack_instrs: 10,
        stack_bytes: 100,
        reg_words: 30,
        reg_bytes: 120,
        reg_moves: 1,
    };
    let bench = |name: &str, stack: u64, reg: u64, speed: f64| BenchResult {
        name: name.to_string(),
        size: "1".to_string(),
        size_all: size,
        stack_count: stack,
        reg_count: reg,
        stack_time: speed,
        reg_time: 1.0,
        pass_counts: vec![reg; research::PASSES.len()],
        pass_sizes: vec![size; research::PASSES.len()],
        translate_ns: 50.0,
        cpu_clock: true,
        stack_exec: research::Executed {
            moves: stack / 4,
            const_loads: 7,
            histogram: vec![("GetLocal".to_string(), stack / 4)],
            pairs: Vec::new(),
        },
        reg_exec: research::Executed {
            moves: 3,
            const_loads: 2,
            histogram: vec![("Move".to_string(), 3)],
            pairs: Vec::new(),
        },
        pair_exec: research::Executed {
            histogram: vec![("Move".to_string(), 4)],
            pairs: vec![("Move".to_string(), "Move".to_string(), 1)],
            ..Default::default()
        },
    };
    let r = Report {
        // Register/stack count ratios 0.25 and 1.0: geomean 0.5, so 50% eliminated.
        benches: vec![bench("a", 400, 100, 4.0), bench("b", 100, 100, 1.0)],
        runs: 3,
        translate_reps: 1,
        command: "benches/research.sh".to_string(),
        machine: vec!["test".to_string()],
    };
    let s = r.summary();
    assert!((s.eliminated_pct - 50.0).abs() < 1e-9);
    assert!((s.speedup - 2.0).abs() < 1e-9);
    assert!((s.growth_pct - 20.0).abs() < 1e-9);
    let md = markdown(&r);
    assert!(md.contains("| dispatched instructions eliminated | 50.0% | >= 47% | met |"));
    assert!(md.contains("| code size growth, bytes | +20.0% | <= +25% | met |"));
    assert!(md.contains("benches/research.sh"));
    // 3 register moves for the 300 instructions eliminated in "a", none eliminated in "b".
    assert!(
        md.contains("| a | 100 (25.0%) | 3 (3.0%) | 0.010 | 7 (1.8%) | 2 (2.0%) |"),
        "{md}"
    );
    assert!(md.contains("| b | 25 (25.0%) | 3 (3.0%) | 0.000 |"), "{md}");
    assert!(!md.contains("no per-opcode counter"));
    // The pair table comes from the counted runs: 1 of 4 dispatches in each program.
    assert!(
        md.contains("| Move | Move (fused) | 25.0% | 25.0% | 25.0% |"),
        "{md}"
    );
    let chart = svg(&r);
    assert!(chart.starts_with("<svg ") && chart.trim_end().ends_with("</svg>"));
    assert_eq!(
        chart.matches("fill=\"#4878a8\"").count(),
        3,
        "two benchmarks and the geomean"
    );
}

fn executed(engine: Engine) -> research::Executed {
    apogee::host::run_on_big_stack(move || {
        let r = research::run_program_counted(PROGRAM.as_bytes(), CHUNK, &[], engine)
            .unwrap_or_else(|e| panic!("run failed: {e}"));
        assert_eq!(String::from_utf8_lossy(&r.output), "104\n");
        let ex = r.executed.expect("counted");
        // The histogram accounts for every dispatched instruction.
        assert_eq!(
            ex.histogram.iter().map(|(_, n)| n).sum::<u64>(),
            r.instructions
        );
        ex
    })
}

fn hist(ex: &research::Executed) -> Vec<(&str, u64)> {
    ex.histogram.iter().map(|(o, n)| (o.as_str(), *n)).collect()
}

/// The dynamic counters (`--stats`) of PROGRAM: per-opcode histograms, moves and constant
/// loads, exact on both engines. The instrumented loops dispatch exactly what the plain
/// ones do, so the totals are `STACK_COUNT` and `REG_ALL_COUNT`.
#[test]
fn executed_histograms_and_moves_are_exact() {
    let stack = executed(Engine::Stack);
    assert_eq!(hist(&stack), STACK_HISTOGRAM);
    assert_eq!(
        (stack.moves, stack.const_loads),
        (STACK_MOVES, STACK_CONST_LOADS)
    );
    let reg = executed(Engine::Register(TranslateOptions::ALL));
    assert_eq!(hist(&reg), REG_HISTOGRAM);
    assert_eq!((reg.moves, reg.const_loads), (REG_MOVES, REG_CONST_LOADS));
}

// Recorded from `--stats-json`; spot-checked by hand against the dumps: register `LoadI`
// 35 = 3 per call of f (`s = 0`, the for start and step) + 5 in main (for start, limit
// folded, step; `sum, k = 0, 1`); `ModK`/`EqI` 55 = one per iteration of f (1 + ... + 10);
// the histograms sum to STACK_COUNT and REG_ALL_COUNT.
const STACK_MOVES: u64 = 370;
const STACK_CONST_LOADS: u64 = 210;
const STACK_HISTOGRAM: &[(&str, u64)] = &[
    ("GetLocal", 248),
    ("PushInt", 210),
    ("Arith", 145),
    ("SetLocal", 122),
    ("Compare", 66),
    ("JumpIfFalse", 66),
    ("ForLoop", 65),
    ("Jump", 25),
    ("Call", 11),
    ("ForPrep", 11),
    ("Return", 11),
    ("Unary", 11),
    ("GetTable", 10),
    ("SetTable", 10),
    ("Closure", 1),
    ("GetUpField", 1),
    ("NewTable", 1),
];
const REG_MOVES: u64 = 31;
const REG_CONST_LOADS: u64 = 35;
// With superinstructions (all passes on), f's `Move`+`Move` and main's `SetTable`+`ForLoop`
// pairs run as one dispatch each: `MoveMove` 10 (two of the 31 moves each, so `Move` 11),
// `SetTableForLoop` 10 (`ForLoop` 55 left); the histogram sums to REG_ALL_COUNT (414).
const REG_HISTOGRAM: &[(&str, u64)] = &[
    ("EqI", 55),
    ("ForLoop", 55),
    ("ModK", 55),
    ("SubK", 40),
    ("LoadI", 35),
    ("Add", 25),
    ("Jmp", 25),
    ("MulK", 15),
    ("Call", 11),
    ("ForPrep", 11),
    ("Le", 11),
    ("Len", 11),
    ("Move", 11),
    ("AddI", 10),
    ("GetTable", 10),
    ("MoveMove", 10),
    ("Return1", 10),
    ("SetTableForLoop", 10),
    ("Closure", 1),
    ("GetTabUp", 1),
    ("NewTable", 1),
    ("Return0", 1),
];

/// The most frequent register opcode pairs of PROGRAM (what the superinstruction work
/// reads from `--stats`): `ModK` then `EqI` once per iteration of f's loop.
#[test]
fn register_opcode_pairs_are_exact() {
    let pairs = apogee::host::run_on_big_stack(|| {
        let opts = apogee::host::Options {
            engine: apogee::host::EngineKind::Register,
            dyn_counters: true,
            ..Default::default()
        };
        let (mut vm, _) = apogee::host::new_vm(&opts);
        let f = apogee::host::load_source(&mut vm, PROGRAM.as_bytes(), CHUNK).expect("compiles");
        apogee::host::run_main(&mut vm, f, &[]).expect("runs");
        apogee::host::Stats::of(&vm)
            .dynamic
            .expect("counted")
            .top_pairs
    });
    let top: Vec<(&str, &str, u64)> = pairs
        .iter()
        .take(4)
        .map(|p| (p.prev.as_str(), p.op.as_str(), p.count))
        .collect();
    assert_eq!(
        top,
        [
            ("ModK", "EqI", 55),
            ("ForLoop", "ModK", 45),
            ("EqI", "SubK", 40),
            ("SubK", "ForLoop", 40)
        ]
    );
}
