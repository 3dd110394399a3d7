//! Speculation from type feedback (`interp::feedback`): which sites the lowering
//! specialises to one operand kind.
//!
//! A site is speculated on when the interpreter saw exactly one kind there:
//! - arithmetic (`Add`..`Pow`, their `K` forms, `AddI`) and order comparisons (`Lt`, `Le`
//!   and the immediate forms): the kind of the register operands. With a constant
//!   operand the flags describe the pair, so one integer and one float (`MIXED`) still
//!   tells the register's kind. The lowering then guards the registers' tags (exiting at
//!   the site, where the interpreter redoes the instruction and notes the new kind) and
//!   emits only that kind's code;
//! - table reads (`GetTable`, `GetI`, `GetField`, `GetTabUp`): the kind of the value read.
//!   The lowering guards the result's tag after the read (exiting at the next
//!   instruction, as the read is done).
//!
//! `types::infer` takes the speculated kinds as facts: after a speculated site, its
//! registers have the kind guarded. So values computed from speculated operands have
//! known types, their own tag checks disappear, and no integer/float merge is left.
//! Code whose speculation keeps failing is recompiled (`ProcJit::note_exit`), the second
//! time without speculating on reads (a failed read guard does not update the feedback)
//! nor on numeric loops being integer loops, the third time without speculation.

use super::types::Known;
use crate::interp::feedback::{self, Feedback};
use crate::isa::Instr;
use crate::runtime::Value;

/// What to speculate on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub arith: bool,
    pub reads: bool,
    /// Numeric for loops with unknown bounds compiled as integer loops
    /// (`types::LoopKind`).
    pub loops: bool,
}

/// The kind of the constant `k`, if it is a number.
fn const_kind(consts: &[Value], k: u32) -> Option<Known> {
    match consts.get(k as usize)? {
        Value::Int(_) => Some(Known::Int),
        Value::Float(_) => Some(Known::Float),
        _ => None,
    }
}

/// The register kind of a site whose flags are `f`, all of whose operands are registers.
fn regs_kind(f: u8) -> Option<Known> {
    match f {
        feedback::INT => Some(Known::Int),
        feedback::FLOAT => Some(Known::Float),
        _ => None,
    }
}

/// The kind of the register operand of a site whose other operand is a constant of kind
/// `c`.
fn reg_with_const(f: u8, c: Option<Known>) -> Option<Known> {
    match (f, c?) {
        (feedback::INT, Known::Int) => Some(Known::Int),
        (feedback::FLOAT, Known::Float) => Some(Known::Float),
        (feedback::MIXED, Known::Int) => Some(Known::Float),
        (feedback::MIXED, Known::Float) => Some(Known::Int),
        _ => None,
    }
}

/// What a site that can be speculated on guards.
enum Site {
    /// Arithmetic or a comparison on two registers.
    Regs([u8; 2]),
    /// Arithmetic or a comparison on a register and a constant: `K[k]`, or an integer
    /// immediate (`None`).
    RegAndConst(u8, Option<u32>),
    /// A table read into the register.
    Read(u8),
}

/// The site `ins` is, if it can be speculated on.
fn site(ins: Instr) -> Option<Site> {
    Some(match ins {
        Instr::Add { b, c, .. }
        | Instr::Sub { b, c, .. }
        | Instr::Mul { b, c, .. }
        | Instr::Div { b, c, .. }
        | Instr::IDiv { b, c, .. }
        | Instr::Mod { b, c, .. }
        | Instr::Pow { b, c, .. } => Site::Regs([b.0, c.0]),
        Instr::Lt { a, b, .. } | Instr::Le { a, b, .. } => Site::Regs([a.0, b.0]),
        Instr::AddK { b, c, .. }
        | Instr::SubK { b, c, .. }
        | Instr::MulK { b, c, .. }
        | Instr::DivK { b, c, .. }
        | Instr::IDivK { b, c, .. }
        | Instr::ModK { b, c, .. }
        | Instr::PowK { b, c, .. } => Site::RegAndConst(b.0, Some(c.0)),
        Instr::AddI { b, .. } => Site::RegAndConst(b.0, None),
        Instr::LtI { a, .. }
        | Instr::LeI { a, .. }
        | Instr::GtI { a, .. }
        | Instr::GeI { a, .. } => Site::RegAndConst(a.0, None),
        Instr::GetTable { a, .. }
        | Instr::GetI { a, .. }
        | Instr::GetField { a, .. }
        | Instr::GetTabUp { a, .. } => Site::Read(a.0),
        _ => return None,
    })
}

/// The speculated kind at each pc (`None`: none), from `fb` under `policy`.
pub fn speculate(
    words: &[u32],
    consts: &[Value],
    fb: Option<&Feedback>,
    policy: Policy,
) -> Vec<Option<Known>> {
    let Some(fb) = fb else {
        return vec![None; words.len()];
    };
    words
        .iter()
        .enumerate()
        .map(|(pc, &w)| {
            let f = fb.at(pc);
            if f == 0 {
                return None;
            }
            match site(Instr::decode(w).ok()?)? {
                Site::Regs(_) if policy.arith => regs_kind(f),
                Site::RegAndConst(_, k) if policy.arith => {
                    let kind = match k {
                        Some(k) => const_kind(consts, k),
                        None => Some(Known::Int),
                    };
                    reg_with_const(f, kind)
                }
                Site::Read(_) if policy.reads => regs_kind(f),
                _ => None,
            }
        })
        .collect()
}

/// The registers a speculated arithmetic or comparison site guards (its register
/// operands), or, for a read, its destination (`None` in the second place: the guard is
/// on the value read).
pub fn guarded_regs(ins: Instr) -> (Vec<u8>, Option<u8>) {
    match site(ins) {
        Some(Site::Regs(r)) => (r.to_vec(), None),
        Some(Site::RegAndConst(r, _)) => (vec![r], None),
        Some(Site::Read(a)) => (Vec::new(), Some(a)),
        None => (Vec::new(), None),
    }
}
