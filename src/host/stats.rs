//! The run summary of `--stats` / `--stats-json`.

use serde::Serialize;

use crate::runtime::Vm;

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
        out
    }

    /// The same as a JSON object.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }
}
