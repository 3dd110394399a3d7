//! Per-site type feedback: what the JIT engine's interpreter saw at each arithmetic and
//! comparison instruction (the kinds of its operands) and at each table read (the kind
//! of the value read). The JIT tier speculates on a site that saw one kind only
//! (`tier::lower`): it guards that kind and drops the code for the others, so that the
//! types of the values computed from it are known downstream.
//!
//! One byte of flags per register-code word, only ever or-ed into: a proc that saw a
//! kind once at a site keeps it for good (so code recompiled after a failed speculation
//! no longer speculates there). The plain register engine records nothing.

use std::cell::Cell;

use crate::runtime::Value;

/// Integers (both operands, or the value read).
pub const INT: u8 = 1;
/// Floats.
pub const FLOAT: u8 = 2;
/// One integer and one float operand.
pub const MIXED: u8 = 4;
/// Anything else (strings, tables, nil...).
pub const OTHER: u8 = 8;

/// The flags of a proc's sites, indexed by register pc.
pub struct Feedback {
    sites: Box<[Cell<u8>]>,
}

#[inline(always)]
fn kind(v: &Value) -> u8 {
    match v {
        Value::Int(_) => INT,
        Value::Float(_) => FLOAT,
        _ => OTHER,
    }
}

impl Feedback {
    /// No site seen yet, for a proc of `words` register-code words.
    pub fn new(words: usize) -> Feedback {
        Feedback {
            sites: (0..words).map(|_| Cell::new(0)).collect(),
        }
    }

    /// Notes the operands of the binary instruction at `pc`.
    #[inline(always)]
    pub fn pair(&self, pc: usize, x: &Value, y: &Value) {
        let k = match (kind(x), kind(y)) {
            (a, b) if a == b => a,
            (INT, FLOAT) | (FLOAT, INT) => MIXED,
            _ => OTHER,
        };
        self.or(pc, k);
    }

    /// Notes the value read (or the operand) of the instruction at `pc`.
    #[inline(always)]
    pub fn one(&self, pc: usize, v: &Value) {
        self.or(pc, kind(v));
    }

    #[inline(always)]
    fn or(&self, pc: usize, k: u8) {
        if let Some(s) = self.sites.get(pc) {
            s.set(s.get() | k);
        }
    }

    /// The flags seen at `pc` (0: never executed by the interpreter).
    pub fn at(&self, pc: usize) -> u8 {
        self.sites.get(pc).map_or(0, Cell::get)
    }
}
