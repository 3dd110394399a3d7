//! The run summary of `--stats` / `--stats-json`.
//!
//! Besides the run counters, a run with dynamic counters on (`Options::dyn_counters`, set
//! by both flags) reports what the interpreter loops executed (`runtime::instr`): the
//! per-opcode histogram, register moves and constant loads, and the most frequent opcode
//! pairs (previous, current), for choosing superinstructions. These count interpreted
//! instructions only: native (JIT) code does not count.

use serde::Serialize;

use crate::runtime::Vm;

/// How many opcode pairs the summary and the JSON list.
pub const TOP_PAIRS: usize = 30;

/// Executions of one opcode.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct OpCount {
    pub op: String,
    pub count: u64,
}

/// Executions of opcode `op` right after opcode `prev` in the same frame.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PairCount {
    pub prev: String,
    pub op: String,
    pub count: u64,
}

/// What the interpreter loops executed (see the module documentation).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct DynStats {
    /// `"stack"` or `"register"`: the instruction set the opcodes are named in.
    pub isa: String,
    /// Moves executed: register `Move`; stack `GetLocal` and `SetLocal`.
    pub moves: u64,
    /// Constant loads executed: register `LoadK`, `LoadKx`, `LoadI`, `LoadF`, `LoadTrue`,
    /// `LoadFalse`, `LoadNil`; stack `PushConst`, `PushInt`, `PushTrue`, `PushFalse`,
    /// `PushNil`.
    pub const_loads: u64,
    /// Every executed opcode, most frequent first.
    pub opcodes: Vec<OpCount>,
    /// The [`TOP_PAIRS`] most frequent opcode pairs, most frequent first.
    pub top_pairs: Vec<PairCount>,
}

/// Counters of one run.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Stats {
    pub engine: String,
    pub instructions: u64,
    pub calls: u64,
    pub gc_collections: u64,
    pub procs_compiled: u64,
    pub native_entries: u64,
    pub guard_exits: u64,
    pub osr_entries: u64,
    pub jit_compile_us: u64,
    /// Present when dynamic counters were collected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dynamic: Option<DynStats>,
    /// Static code size of every proc loaded (when `Vm::loaded_protos` recorded them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub static_code: Vec<ProcSize>,
}

/// The static size of one proc: its stack bytecode and its register code (translated
/// with the current translator options, whichever engine ran).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ProcSize {
    /// `main chunk` or `function <source:line>`, as tracebacks name procs.
    pub proc: String,
    pub stack_instrs: usize,
    pub stack_bytes: usize,
    pub reg_words: usize,
    pub reg_bytes: usize,
}

impl ProcSize {
    /// The sizes of every proc `vm` recorded.
    pub fn all(vm: &Vm) -> Vec<ProcSize> {
        let Some(list) = &vm.loaded_protos else {
            return Vec::new();
        };
        let opts = crate::interp::translate_options();
        list.iter()
            .map(|&p| {
                let p = vm.heap.get(p);
                let bc = &p.bc;
                let reg_words = crate::translate::translate_proto(bc, opts)
                    .map(|c| c.code.len())
                    .unwrap_or(0);
                ProcSize {
                    proc: if bc.line_defined == 0 {
                        format!("main chunk <{}>", p.source)
                    } else {
                        format!("function <{}:{}>", p.source, bc.line_defined)
                    },
                    stack_instrs: bc.code.len(),
                    stack_bytes: bc.code.iter().map(crate::research::stack_op_bytes).sum(),
                    reg_words,
                    reg_bytes: 4 * reg_words,
                }
            })
            .collect()
    }
}

impl DynStats {
    /// The dynamic counters of `vm`, if it collects them.
    pub fn of(vm: &Vm) -> Option<DynStats> {
        let c = vm.instr.counters.as_deref()?;
        Some(DynStats {
            isa: match c.isa {
                crate::runtime::instr::Isa::Stack => "stack",
                crate::runtime::instr::Isa::Register => "register",
            }
            .to_string(),
            moves: c.moves,
            const_loads: c.const_loads,
            opcodes: c
                .histogram()
                .into_iter()
                .map(|(op, count)| OpCount {
                    op: op.to_string(),
                    count,
                })
                .collect(),
            top_pairs: c
                .top_pairs(TOP_PAIRS)
                .into_iter()
                .map(|(prev, op, count)| PairCount {
                    prev: prev.to_string(),
                    op: op.to_string(),
                    count,
                })
                .collect(),
        })
    }
}

impl Stats {
    /// The counters of `vm` so far.
    pub fn of(vm: &Vm) -> Stats {
        let c = &vm.counters;
        Stats {
            engine: vm.engine.name.to_string(),
            instructions: c.instructions,
            calls: c.calls,
            gc_collections: vm.heap.stats.collections,
            procs_compiled: c.procs_compiled,
            native_entries: c.native_entries,
            guard_exits: c.guard_exits,
            osr_entries: c.osr_entries,
            jit_compile_us: c.jit_compile_us,
            dynamic: DynStats::of(vm),
            static_code: ProcSize::all(vm),
        }
    }

    /// A readable multi-line summary.
    pub fn summary(&self) -> String {
        let rows: [(&str, String); 9] = [
            ("engine", self.engine.clone()),
            ("instructions", self.instructions.to_string()),
            ("calls", self.calls.to_string()),
            ("gc collections", self.gc_collections.to_string()),
            ("procs compiled", self.procs_compiled.to_string()),
            ("native entries", self.native_entries.to_string()),
            ("guard exits", self.guard_exits.to_string()),
            ("osr entries", self.osr_entries.to_string()),
            ("jit compile time", format!("{} us", self.jit_compile_us)),
        ];
        let mut out = String::from("apogee stats:\n");
        for (k, v) in rows {
            out.push_str(&format!("  {k:<17}{v}\n"));
        }
        if let Some(d) = &self.dynamic {
            let total: u64 = d.opcodes.iter().map(|o| o.count).sum();
            let pct = |n: u64| {
                if total == 0 {
                    0.0
                } else {
                    n as f64 * 100.0 / total as f64
                }
            };
            out.push_str(&format!(
                "  {:<17}{} ({:.1}%)\n",
                "moves",
                d.moves,
                pct(d.moves)
            ));
            out.push_str(&format!(
                "  {:<17}{} ({:.1}%)\n",
                "constant loads",
                d.const_loads,
                pct(d.const_loads)
            ));
            out.push_str(&format!(
                "  executed opcodes ({} instruction set, interpreted only):\n",
                d.isa
            ));
            for o in &d.opcodes {
                out.push_str(&format!(
                    "    {:<15}{:>14} {:>6.2}%\n",
                    o.op,
                    o.count,
                    pct(o.count)
                ));
            }
            out.push_str(&format!(
                "  top {TOP_PAIRS} opcode pairs (previous -> current):\n"
            ));
            for p in &d.top_pairs {
                let pair = format!("{} -> {}", p.prev, p.op);
                out.push_str(&format!("    {pair:<30}{:>14}\n", p.count));
            }
        }
        if !self.static_code.is_empty() {
            out.push_str(
                "  static code size per proc (stack instrs/bytes, register words/bytes):\n",
            );
            for p in &self.static_code {
                out.push_str(&format!(
                    "    {:<40}{:>7} {:>8} {:>7} {:>8}\n",
                    p.proc, p.stack_instrs, p.stack_bytes, p.reg_words, p.reg_bytes
                ));
            }
        }
        out
    }

    /// The same as a JSON object.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }
}
