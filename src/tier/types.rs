//! Register tags known before each instruction: a forward dataflow over the proc's
//! register code (unfused words), used by `lower.rs` to drop tag checks.
//!
//! A fact "R[r] holds an integer (float, table) before pc" is derived from constants,
//! loads of numbers, arithmetic results, numeric for loops (see [`LoopKind`]) and
//! table accesses, and holds on every path native code takes to pc: native arithmetic
//! continues only on numbers and table accesses only on tables (anything else exits to
//! the interpreter, where a metamethod may produce any value). Instructions native code
//! always exits at (`NewTable`) may state what the interpreter leaves behind them: native
//! code continues after them only through an entry, which checks. Anything that may run other
//! Lua code (calls, and every instruction not modelled here) forgets every fact, since a
//! callee may change a caller's locals (`debug.setlocal`). Every entry into native code
//! past pc 0 checks the facts at its pc (`lower.rs`) and exits if one does not hold, so
//! a frame the interpreter ran (or changed behind the analysis's back) never reaches
//! code that relies on a wrong fact.

use crate::isa::Instr;
use crate::runtime::Value;

/// What is known of a register's tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Known {
    Any,
    Int,
    Float,
    /// A table (native code goes past a table access only when its operand is one).
    Table,
}

fn meet(a: Known, b: Known) -> Known {
    if a == b {
        a
    } else {
        Known::Any
    }
}

/// How native code runs a numeric `for` loop (by the pc of its `ForPrep` and of its
/// `ForLoop`, see [`Facts::kinds`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopKind {
    /// Decided at run time by the tags (an unpaired `ForLoop`, or the first pass).
    Dyn,
    /// An integer loop: `ForPrep` exits unless the initial value and the step are
    /// integers, and `ForLoop` unless its three counters are; so all four slots hold
    /// integers in the body.
    Int,
    /// A float loop: `ForPrep` exits when the initial value and the step are both
    /// integers, and `ForLoop` unless its three counters are floats.
    Float,
}

/// The result of [`infer`].
pub struct Facts {
    /// The register tags known before each pc (`None`: not reached from pc 0).
    pub before: Vec<Option<Vec<Known>>>,
    /// By pc: the kind of the loop of a `ForPrep` or `ForLoop` there (`Dyn` elsewhere).
    pub kinds: Vec<LoopKind>,
}

/// Dataflow passes [`infer`] runs at most while the loop kinds settle.
const MAX_PASSES: usize = 4;

/// The facts before each pc, for `nregs` registers, and the kind of each numeric loop.
/// A loop is `Float` when the facts before its `ForPrep` know a float initial value or
/// step, else `Int` (speculated when they are unknown: a float loop then runs in the
/// interpreter); since the kinds change the facts, the passes repeat until the kinds
/// settle (at most [`MAX_PASSES`]; the facts returned are always those of the kinds
/// returned, so the kinds only decide speed, never correctness).
///
/// `spec` holds the kinds speculated on at each pc (`tier::spec`): the lowering guards
/// them there, so native code past a speculated site has them as facts. Without
/// `speculate_loops`, a loop whose initial value or step is unknown stays `Dyn` (code
/// recompiled because its speculation kept failing, `ProcJit::note_exit`).
pub fn infer(
    words: &[u32],
    consts: &[Value],
    nregs: usize,
    spec: &[Option<Known>],
    speculate_loops: bool,
) -> Facts {
    let pairs = pair_loops(words);
    let mut kinds = vec![LoopKind::Dyn; words.len()];
    let mut before = dataflow(words, consts, nregs, &kinds, spec);
    for _ in 1..MAX_PASSES {
        let next = decide_kinds(words, &pairs, &before, speculate_loops);
        if next == kinds {
            break;
        }
        kinds = next;
        before = dataflow(words, consts, nregs, &kinds, spec);
    }
    Facts { before, kinds }
}

/// For each `ForPrep` pc, the pc of its `ForLoop`: the word before the `ForPrep`'s skip
/// target, a `ForLoop` on the same registers jumping back to just after the `ForPrep`.
fn pair_loops(words: &[u32]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (pc, &w) in words.iter().enumerate() {
        let Ok(Instr::ForPrep { a, sbx }) = Instr::decode(w) else {
            continue;
        };
        let Some(q) = usize::try_from(pc as i64 + i64::from(sbx.0)).ok() else {
            continue;
        };
        if let Some(Ok(Instr::ForLoop { a: la, sbx: lsbx })) =
            words.get(q).map(|&w| Instr::decode(w))
        {
            if la.0 == a.0 && q as i64 + 1 + i64::from(lsbx.0) == pc as i64 + 1 && q > pc {
                pairs.push((pc, q));
            }
        }
    }
    pairs
}

fn decide_kinds(
    words: &[u32],
    pairs: &[(usize, usize)],
    before: &[Option<Vec<Known>>],
    speculate: bool,
) -> Vec<LoopKind> {
    let mut kinds = vec![LoopKind::Dyn; words.len()];
    for &(p, q) in pairs {
        let Some(Ok(Instr::ForPrep { a, .. })) = words.get(p).map(|&w| Instr::decode(w)) else {
            continue;
        };
        let s = usize::from(a.0);
        let fact = |r: usize| {
            before
                .get(p)
                .and_then(|f| f.as_ref())
                .and_then(|f| f.get(r))
                .copied()
                .unwrap_or(Known::Any)
        };
        let kind = if fact(s) == Known::Float || fact(s + 2) == Known::Float {
            LoopKind::Float
        } else if speculate || (fact(s) == Known::Int && fact(s + 2) == Known::Int) {
            LoopKind::Int
        } else {
            LoopKind::Dyn
        };
        kinds[p] = kind;
        kinds[q] = kind;
    }
    kinds
}

/// One forward pass with the loop kinds fixed. Bounded: each state only moves down a
/// lattice of height 2 per register, so the worklist empties after at most
/// `words * nregs * 2` updates.
fn dataflow(
    words: &[u32],
    consts: &[Value],
    nregs: usize,
    kinds: &[LoopKind],
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
        let kind = kinds.get(pc).copied().unwrap_or(LoopKind::Dyn);
        // A speculated site's guarded operands hold the kind from the site on, and so
        // does a guarded read's result.
        let guarded = match (ins, spec.get(pc).copied().flatten()) {
            (Some(i), Some(k)) => Some((k, super::spec::guarded_regs(i))),
            _ => None,
        };
        let mut before = before;
        if let Some((k, (ops, _))) = &guarded {
            for &r in ops {
                if let Some(x) = before.get_mut(usize::from(r)) {
                    *x = *k;
                }
            }
        }
        for (succ, mut after) in edges(ins, pc, &before, consts, kind) {
            if let Some((k, (_, Some(r)))) = &guarded {
                if let Some(x) = after.get_mut(usize::from(*r)) {
                    *x = *k;
                }
            }
            let Some(slot) = state.get_mut(succ) else {
                continue;
            };
            let changed = match slot {
                None => {
                    *slot = Some(after);
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

/// The successors of the instruction at `pc` with the facts on each edge.
fn edges(
    ins: Option<Instr>,
    pc: usize,
    s: &[Known],
    consts: &[Value],
    kind: LoopKind,
) -> Vec<(usize, Vec<Known>)> {
    let next = pc + 1;
    let rel = |off: i64| usize::try_from(next as i64 + off).ok();
    let set = |o: &mut Vec<Known>, r: usize, k: Known| {
        if let Some(x) = o.get_mut(r) {
            *x = k;
        }
    };
    let get = |r: usize| s.get(r).copied().unwrap_or(Known::Any);
    match ins {
        Some(Instr::ForPrep { a, sbx }) => {
            let s0 = usize::from(a.0);
            // Into the body: the four slots of the prepared loop.
            let k = match kind {
                LoopKind::Int => Known::Int,
                LoopKind::Float => Known::Float,
                // The run-time choice (`ops::for_prep`): integer initial value and
                // step make an integer loop; a float one makes all four floats.
                LoopKind::Dyn => match (get(s0), get(s0 + 2)) {
                    (Known::Int, Known::Int) => Known::Int,
                    (Known::Float, _) | (_, Known::Float) => Known::Float,
                    _ => Known::Any,
                },
            };
            let mut run = s.to_vec();
            let mut skip = s.to_vec();
            for r in s0..s0 + 4 {
                set(&mut run, r, k);
                set(&mut skip, r, Known::Any);
            }
            let mut v = vec![(next, run)];
            v.extend(rel(i64::from(sbx.0)).map(|t| (t, skip)));
            v
        }
        Some(Instr::ForLoop { a, sbx }) => {
            let s0 = usize::from(a.0);
            let k = match kind {
                LoopKind::Int => Known::Int,
                LoopKind::Float => Known::Float,
                // `lower.rs` takes the integer path only on three integer counters
                // and the float path only on three floats.
                LoopKind::Dyn => match (get(s0), get(s0 + 2)) {
                    (Known::Int, Known::Int) if get(s0 + 1) == Known::Int => Known::Int,
                    (Known::Float, _) | (_, Known::Float) => Known::Float,
                    _ => Known::Any,
                },
            };
            // Leaving the loop writes nothing; going round writes the control variable.
            let mut done = s.to_vec();
            for r in s0..s0 + 3 {
                set(&mut done, r, k);
            }
            let mut back = done.clone();
            set(&mut back, s0 + 3, k);
            let mut v = vec![(next, done)];
            v.extend(rel(i64::from(sbx.0)).map(|t| (t, back)));
            v
        }
        _ => {
            let after = transfer(ins, s, consts);
            successors(ins, pc)
                .into_iter()
                .map(|t| (t, after.clone()))
                .collect()
        }
    }
}

fn successors(ins: Option<Instr>, pc: usize) -> Vec<usize> {
    let next = pc + 1;
    let rel = |off: i64| usize::try_from(next as i64 + off).ok();
    match ins {
        Some(Instr::Jmp { sj }) => rel(i64::from(sj.0)).into_iter().collect(),
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
        // Native code reads a table's fields only when it is a table (without
        // metatable, or with a non-nil value: no metamethod runs).
        Instr::GetTable { a, b, .. } | Instr::GetI { a, b, .. } | Instr::GetField { a, b, .. } => {
            set(&mut o, b.0.into(), Known::Table);
            set(&mut o, a.0.into(), Known::Any);
        }
        Instr::SetTable { a, .. } | Instr::SetI { a, .. } | Instr::SetField { a, .. } => {
            set(&mut o, a.0.into(), Known::Table)
        }
        Instr::LoadTrue { a }
        | Instr::LoadFalse { a }
        | Instr::GetUpval { a, .. }
        | Instr::GetTabUp { a, .. }
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
        // Native code exits at these (the interpreter runs them and native code starts
        // again only at an entry, which checks the facts there): what they leave in the
        // registers when the interpreter runs them is what the code after them relies on.
        Instr::NewTable { a, .. } => set(&mut o, a.0.into(), Known::Table),
        Instr::ExtraArg { .. } | Instr::SetList { .. } => {}
        // The length of a string, or of a table without metatable (anything else exits).
        Instr::Len { a, .. } => set(&mut o, a.0.into(), Known::Int),
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
        | Instr::Return { .. }
        | Instr::Return0 {}
        | Instr::Return1 { .. } => {}
        _ => return vec![Known::Any; s.len()],
    }
    o
}
