//! Register tags known before each instruction: a forward dataflow over the proc's
//! register code (unfused words), used by `lower.rs` to drop tag checks.
//!
//! A fact "R[r] holds an integer (float) before pc" is derived from constants, loads of
//! numbers and arithmetic results, and holds on every path native code takes to pc:
//! native arithmetic continues only on numbers (anything else exits to the
//! interpreter, where a metamethod may produce any value). Anything that may run other
//! Lua code (calls, and every instruction not modelled here) forgets every fact, since a
//! callee may change a caller's locals (`debug.setlocal`). Every entry into native code
//! past pc 0 checks the facts at its pc (`lower.rs`) and exits if one does not hold, so
//! a frame the interpreter ran (or changed behind the analysis's back) never reaches
//! code that relies on a wrong fact.

use crate::isa::Instr;
use crate::runtime::Value;

/// What is known of a register's tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    Any,
    Int,
    Float,
}

fn meet(a: Known, b: Known) -> Known {
    if a == b {
        a
    } else {
        Known::Any
    }
}

/// The facts before each pc (`None`: not reached from pc 0 by the analysis), for
/// `nregs` registers. Bounded: each state only moves down a lattice of height 2 per
/// register, so the worklist empties after at most `words * nregs * 2` updates.
///
/// `spec` holds the kinds speculated on at each pc (`tier::spec`): the lowering guards
/// them there, so native code past a speculated site has them as facts.
pub fn infer(
    words: &[u32],
    consts: &[Value],
    nregs: usize,
    spec: &[Option<Known>],
) -> Vec<Option<Vec<Known>>> {
    let n = words.len();
    let mut state: Vec<Option<Vec<Known>>> = vec![None; n];
    if n == 0 {
        return state;
    }
    state[0] = Some(vec![Known::Any; nregs]);
    let mut work = vec![0usize];
    let mut queued = vec![false; n];
    queued[0] = true;
    while let Some(pc) = work.pop() {
        queued[pc] = false;
        let Some(before) = state[pc].clone() else {
            continue;
        };
        let ins = Instr::decode(words[pc]).ok();
        let after = match (ins, spec.get(pc).copied().flatten()) {
            (Some(i), Some(k)) => {
                // Guarded operands hold `k` from the site on; a guarded read's result too.
                let (ops, read) = super::spec::guarded_regs(i);
                let mut before = before;
                for r in ops {
                    if let Some(x) = before.get_mut(usize::from(r)) {
                        *x = k;
                    }
                }
                let mut after = transfer(ins, &before, consts);
                if let Some(x) = read.and_then(|r| after.get_mut(usize::from(r))) {
                    *x = k;
                }
                after
            }
            _ => transfer(ins, &before, consts),
        };
        for succ in successors(ins, pc) {
            let Some(slot) = state.get_mut(succ) else {
                continue;
            };
            let changed = match slot {
                None => {
                    *slot = Some(after.clone());
                    true
                }
                Some(old) => {
                    let mut c = false;
                    for (o, &a) in old.iter_mut().zip(&after) {
                        let m = meet(*o, a);
                        if m != *o {
                            *o = m;
                            c = true;
                        }
                    }
                    c
                }
            };
            if changed && !queued[succ] {
                queued[succ] = true;
                work.push(succ);
            }
        }
    }
    state
}

fn successors(ins: Option<Instr>, pc: usize) -> Vec<usize> {
    let next = pc + 1;
    let rel = |off: i64| usize::try_from(next as i64 + off).ok();
    match ins {
        Some(Instr::Jmp { sj }) => rel(i64::from(sj.0)).into_iter().collect(),
        Some(Instr::ForPrep { sbx, .. } | Instr::ForLoop { sbx, .. }) => {
            let mut v = vec![next];
            v.extend(rel(i64::from(sbx.0)));
            v
        }
        Some(Instr::Return { .. } | Instr::Return0 {} | Instr::Return1 { .. }) => vec![],
        // Conditionals fall through to their `Jmp` or skip it.
        Some(
            Instr::Eq { .. }
            | Instr::Lt { .. }
            | Instr::Le { .. }
            | Instr::EqK { .. }
            | Instr::EqI { .. }
            | Instr::LtI { .. }
            | Instr::LeI { .. }
            | Instr::GtI { .. }
            | Instr::GeI { .. }
            | Instr::Test { .. }
            | Instr::TestSet { .. },
        ) => vec![next, next + 1],
        // Anything else continues (an unknown word exits in native code; the interpreter
        // may go on at pc + 1 or jump, which the other cases cover conservatively below).
        _ => vec![next],
    }
}

fn num_const(consts: &[Value], k: u32) -> Known {
    match consts.get(k as usize) {
        Some(Value::Int(_)) => Known::Int,
        Some(Value::Float(_)) => Known::Float,
        _ => Known::Any,
    }
}

/// The result of an arithmetic operator in native code, which only continues past it
/// when both operands are numbers (`float`: `/` and `^`, whose result is then always a
/// float; a float operand makes any result a float).
fn arith(x: Known, y: Known, float: bool) -> Known {
    match (x, y) {
        _ if float => Known::Float,
        (Known::Float, _) | (_, Known::Float) => Known::Float,
        (Known::Int, Known::Int) => Known::Int,
        _ => Known::Any,
    }
}

fn transfer(ins: Option<Instr>, s: &[Known], consts: &[Value]) -> Vec<Known> {
    let mut o = s.to_vec();
    let get = |r: u8| s.get(usize::from(r)).copied().unwrap_or(Known::Any);
    let set = |o: &mut Vec<Known>, r: usize, k: Known| {
        if let Some(x) = o.get_mut(r) {
            *x = k;
        }
    };
    let Some(ins) = ins else {
        return vec![Known::Any; s.len()];
    };
    match ins {
        Instr::Move { a, b } => set(&mut o, a.0.into(), get(b.0)),
        Instr::LoadI { a, .. } => set(&mut o, a.0.into(), Known::Int),
        Instr::LoadF { a, .. } => set(&mut o, a.0.into(), Known::Float),
        Instr::LoadK { a, bx } => set(&mut o, a.0.into(), num_const(consts, bx.0)),
        Instr::LoadNil { a, b } => {
            for r in usize::from(a.0)..=usize::from(a.0) + b.0 as usize {
                set(&mut o, r, Known::Any);
            }
        }
        Instr::LoadTrue { a }
        | Instr::LoadFalse { a }
        | Instr::GetUpval { a, .. }
        | Instr::GetTabUp { a, .. }
        | Instr::GetTable { a, .. }
        | Instr::GetI { a, .. }
        | Instr::GetField { a, .. }
        | Instr::Len { a, .. }
        | Instr::Not { a, .. }
        | Instr::TestSet { a, .. } => set(&mut o, a.0.into(), Known::Any),
        Instr::Add { a, b, c }
        | Instr::Sub { a, b, c }
        | Instr::Mul { a, b, c }
        | Instr::Mod { a, b, c }
        | Instr::IDiv { a, b, c } => set(&mut o, a.0.into(), arith(get(b.0), get(c.0), false)),
        Instr::Div { a, b, c } | Instr::Pow { a, b, c } => {
            set(&mut o, a.0.into(), arith(get(b.0), get(c.0), true))
        }
        Instr::AddK { a, b, c }
        | Instr::SubK { a, b, c }
        | Instr::MulK { a, b, c }
        | Instr::ModK { a, b, c }
        | Instr::IDivK { a, b, c } => set(
            &mut o,
            a.0.into(),
            arith(get(b.0), num_const(consts, c.0), false),
        ),
        Instr::DivK { a, b, c } | Instr::PowK { a, b, c } => set(
            &mut o,
            a.0.into(),
            arith(get(b.0), num_const(consts, c.0), true),
        ),
        Instr::AddI { a, b, .. } => set(&mut o, a.0.into(), arith(get(b.0), Known::Int, false)),
        Instr::Unm { a, b } => set(&mut o, a.0.into(), get(b.0)),
        // Bitwise results are integers whatever the operands were.
        Instr::BAnd { a, .. }
        | Instr::BOr { a, .. }
        | Instr::BXor { a, .. }
        | Instr::Shl { a, .. }
        | Instr::Shr { a, .. }
        | Instr::BAndK { a, .. }
        | Instr::BOrK { a, .. }
        | Instr::BXorK { a, .. }
        | Instr::ShlK { a, .. }
        | Instr::ShrK { a, .. }
        | Instr::BNot { a, .. } => set(&mut o, a.0.into(), Known::Int),
        Instr::ForPrep { a, .. } | Instr::ForLoop { a, .. } => {
            // An integer loop (integer start and step) has an integer control variable;
            // `ForLoop` keeps all four slots integers. `ForPrep` leaves the limit as it
            // was when it skips the loop, so that slot is forgotten there.
            let s0 = usize::from(a.0);
            let int = get(a.0) == Known::Int && s.get(s0 + 2) == Some(&Known::Int);
            let k = if int { Known::Int } else { Known::Any };
            for r in s0..s0 + 4 {
                set(&mut o, r, k);
            }
            if matches!(ins, Instr::ForPrep { .. }) {
                set(&mut o, s0 + 1, Known::Any);
            }
        }
        Instr::Eq { .. }
        | Instr::Lt { .. }
        | Instr::Le { .. }
        | Instr::EqK { .. }
        | Instr::EqI { .. }
        | Instr::LtI { .. }
        | Instr::LeI { .. }
        | Instr::GtI { .. }
        | Instr::GeI { .. }
        | Instr::Test { .. }
        | Instr::Jmp { .. }
        | Instr::SetTable { .. }
        | Instr::SetI { .. }
        | Instr::SetField { .. }
        | Instr::Return { .. }
        | Instr::Return0 {}
        | Instr::Return1 { .. } => {}
        _ => return vec![Known::Any; s.len()],
    }
    o
}
