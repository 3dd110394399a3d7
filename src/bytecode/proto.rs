//! Procs (function prototypes) and modules: the unit a compiler produces and the VM loads.

use super::op::Op;
use serde::{Deserialize, Serialize};

/// A constant of a proc's constant table. Strings are byte strings, as in Lua.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Constant {
    Nil,
    Bool(bool),
    Int(i64),
    Float(#[serde(with = "crate::bytecode::json::serde_float")] f64),
    Str(#[serde(with = "crate::bytecode::serde_bytes")] Vec<u8>),
}

/// Where a closure finds one of its upvalues when it is created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpvalDesc {
    /// True: the enclosing proc's local slot `index`; false: the enclosing closure's
    /// upvalue `index`.
    pub in_parent_local: bool,
    pub index: u16,
    /// The variable's name, for debug information and error messages.
    pub name: String,
}

/// A named local variable and the instruction range where it is live (debug information).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalInfo {
    pub name: String,
    pub slot: u16,
    /// First instruction where the variable is visible.
    pub start_pc: u32,
    /// First instruction where it is no longer visible.
    pub end_pc: u32,
}

/// A proc: the stack bytecode of one Lua function.
///
/// Invariants (checked by the verifier on every load): the operand-stack depth before each
/// instruction is statically known and the same along every path; `max_stack` bounds it;
/// every index (local, constant, upvalue, child proc, jump target) is in range; `lines`
/// has one entry per instruction, or is empty in a *stripped* proc (see [`Proto::strip`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proto {
    /// Line where the function was defined (0 for the main chunk).
    pub line_defined: u32,
    /// Line of its `end` (0 for the main chunk).
    pub last_line: u32,
    /// Fixed parameters; they occupy local slots `0..num_params`.
    pub num_params: u8,
    pub is_vararg: bool,
    /// Local slots (parameters included).
    pub num_locals: u16,
    /// Maximum operand-stack depth.
    pub max_stack: u16,
    pub upvals: Vec<UpvalDesc>,
    pub consts: Vec<Constant>,
    pub code: Vec<Op>,
    /// Source line of each instruction; empty when stripped (lines then read as unknown,
    /// -1, as in lua5.4).
    pub lines: Vec<u32>,
    pub locals: Vec<LocalInfo>,
    pub protos: Vec<Proto>,
}

impl Proto {
    /// Drops the debug information of this proc and all procs nested in it, as
    /// `string.dump(f, true)` does: the line table, local names and upvalue names.
    /// Iterative, so that no nesting depth can overflow the Rust stack.
    pub fn strip(&mut self) {
        let mut todo: Vec<&mut Proto> = vec![self];
        while let Some(p) = todo.pop() {
            p.lines = Vec::new();
            p.locals = Vec::new();
            for u in &mut p.upvals {
                u.name = String::new();
            }
            todo.extend(p.protos.iter_mut());
        }
    }

    /// True when the proc has no line table (see [`Proto::strip`]).
    pub fn is_stripped(&self) -> bool {
        self.lines.is_empty()
    }
}

/// A compiled chunk: its display name (for messages, e.g. `script.lua`) and main proc.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// The chunk name as Lua keeps it (`@script.lua`, `=stdin`, or the source text).
    pub chunkname: String,
    pub main: Proto,
}
