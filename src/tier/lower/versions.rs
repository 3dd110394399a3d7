//! Float versions of straight-line code (see [`Versions`]).

use super::*;

/// The pcs [`Versions`] never makes versions of: jump targets, the pcs after jumps,
/// and loop headers (so loops are not copied), and pc 0. A call's return point may have
/// versions: the call's native paths reach them, its entry the plain code.
pub(super) fn version_joins(words: &[u32], entries: &[Option<bool>]) -> Vec<bool> {
    let mut j = super::jump_targets(words, false);
    j.truncate(words.len());
    for (pc, e) in entries.iter().enumerate() {
        if *e == Some(true) {
            if let Some(x) = j.get_mut(pc) {
                *x = true;
            }
        }
    }
    if let Some(x) = j.first_mut() {
        *x = true;
    }
    j
}

/// Float versions of straight-line code, which know more tags than the analysis
/// (`types`) can. An arithmetic instruction whose operands have unknown tags branches
/// on them, and each path learns something that is lost where the paths merge again
/// at the next pc. So each pc inside a run of straight-line code may have, besides its
/// plain code, a float version: the code reached when every arithmetic instruction
/// since the run's start took its two-floats path (or its integer path, when that was
/// certain), knowing that its operands and result are floats, until something writes
/// them (an instruction that may run Lua code forgets everything; an inline
/// `math.sqrt` keeps it all). Every other path (integers, mixed numbers, helpers)
/// continues in the plain code of the next pc, whose facts hold on every path; entries
/// and jumps reach only plain code; loops are not copied (a loop header starts a run).
/// A pc's plain code stands for its float version when the latter knows nothing more.
/// So the code at most doubles, and only the versions jumped to are made.
#[derive(Default)]
pub(super) struct Versions {
    /// By pc: what its float version knows besides `Lower::known` (empty: none).
    pub(super) fctx: Vec<Vec<(u32, Known)>>,
    /// By pc: its float version's block, once asked for.
    pub(super) fblocks: Vec<Option<BlockId>>,
    /// Float versions asked for and not lowered yet.
    pub(super) pending: Vec<usize>,
}

/// The registers an instruction that continues at the next pc may have written.
pub(super) enum Written {
    /// `R[lo..=hi]` (`lo > hi`: none).
    Regs(u32, u32),
    /// Any register (calls, and instructions not modelled).
    All,
}

pub(super) fn written(ins: Option<Instr>) -> Written {
    let one = |a: u8| Written::Regs(a.into(), a.into());
    let Some(ins) = ins else {
        return Written::All;
    };
    match ins {
        Instr::Move { a, .. }
        | Instr::LoadI { a, .. }
        | Instr::LoadF { a, .. }
        | Instr::LoadK { a, .. }
        | Instr::LoadTrue { a }
        | Instr::LoadFalse { a }
        | Instr::GetUpval { a, .. }
        | Instr::GetTabUp { a, .. }
        | Instr::GetTable { a, .. }
        | Instr::GetI { a, .. }
        | Instr::GetField { a, .. }
        | Instr::Add { a, .. }
        | Instr::Sub { a, .. }
        | Instr::Mul { a, .. }
        | Instr::Div { a, .. }
        | Instr::IDiv { a, .. }
        | Instr::Mod { a, .. }
        | Instr::Pow { a, .. }
        | Instr::AddK { a, .. }
        | Instr::SubK { a, .. }
        | Instr::MulK { a, .. }
        | Instr::DivK { a, .. }
        | Instr::IDivK { a, .. }
        | Instr::ModK { a, .. }
        | Instr::PowK { a, .. }
        | Instr::AddI { a, .. }
        | Instr::BAnd { a, .. }
        | Instr::BOr { a, .. }
        | Instr::BXor { a, .. }
        | Instr::Shl { a, .. }
        | Instr::Shr { a, .. }
        | Instr::BAndK { a, .. }
        | Instr::BOrK { a, .. }
        | Instr::BXorK { a, .. }
        | Instr::ShlK { a, .. }
        | Instr::ShrK { a, .. }
        | Instr::BNot { a, .. }
        | Instr::Len { a, .. }
        | Instr::Unm { a, .. }
        | Instr::Not { a, .. } => one(a.0),
        Instr::LoadNil { a, b } => Written::Regs(a.0.into(), u32::from(a.0) + b.0),
        Instr::SetTable { .. }
        | Instr::SetI { .. }
        | Instr::SetField { .. }
        | Instr::SetUpval { .. }
        | Instr::Jmp { .. } => Written::Regs(1, 0),
        _ => Written::All,
    }
}

impl Lower<'_> {
    /// To the next pc, `pc`, in its float version, when the code being lowered is the
    /// current pc's float version and the path taken is the one that version continues
    /// on (see `float_contexts`); otherwise to its plain code.
    pub(super) fn goto_float(&mut self, pc: usize) {
        if !self.fmode || pc != self.cur + 1 {
            self.goto_plain(pc);
            return;
        }
        match self.float_block(pc) {
            Some(b) => self.b.jump(b),
            None => self.goto_plain(pc),
        }
    }

    /// `pc`'s float version (made on first use), or `None` when it is the plain code.
    fn float_block(&mut self, pc: usize) -> Option<BlockId> {
        if self.vers.fctx.get(pc).is_none_or(|c| c.is_empty()) {
            return None;
        }
        if let Some(Some(b)) = self.vers.fblocks.get(pc) {
            return Some(*b);
        }
        let b = self.b.block();
        if let Some(x) = self.vers.fblocks.get_mut(pc) {
            *x = Some(b);
        }
        self.vers.pending.push(pc);
        Some(b)
    }
}

/// Whether an arithmetic operator certainly takes its integer path, given the operand
/// tags `fact` knows.
fn int_certain_with(op: Arith, x: Opnd, y: Opnd, fact: impl Fn(Reg) -> Known) -> bool {
    let int = |o: Opnd| match o {
        Opnd::Reg(r) => fact(r) == Known::Int,
        Opnd::Int(_) => true,
        Opnd::Float(_) => false,
    };
    !matches!(op, Arith::Div | Arith::Pow) && int(x) && int(y)
}

impl Lower<'_> {
    pub(super) fn int_certain(&self, op: Arith, x: Opnd, y: Opnd) -> bool {
        int_certain_with(op, x, y, |r| self.fact(r))
    }

    /// The arithmetic operator of `ins` as `arith` lowers it: operator, result and
    /// operands (`None` for other instructions and non-numeric constants).
    fn arith_parts(&self, ins: Instr) -> Option<(Arith, Reg, Opnd, Opnd)> {
        let rr = |op, a: u8, b: u8, c: u8| Some((op, reg(a), Opnd::Reg(reg(b)), Opnd::Reg(reg(c))));
        let rk = |op, a: u8, b: u8, k: u32| Some((op, reg(a), Opnd::Reg(reg(b)), self.knum(k)?));
        match ins {
            Instr::Add { a, b, c } => rr(Arith::Add, a.0, b.0, c.0),
            Instr::Sub { a, b, c } => rr(Arith::Sub, a.0, b.0, c.0),
            Instr::Mul { a, b, c } => rr(Arith::Mul, a.0, b.0, c.0),
            Instr::Div { a, b, c } => rr(Arith::Div, a.0, b.0, c.0),
            Instr::IDiv { a, b, c } => rr(Arith::IDiv, a.0, b.0, c.0),
            Instr::Mod { a, b, c } => rr(Arith::Mod, a.0, b.0, c.0),
            Instr::Pow { a, b, c } => rr(Arith::Pow, a.0, b.0, c.0),
            Instr::AddK { a, b, c } => rk(Arith::Add, a.0, b.0, c.0),
            Instr::SubK { a, b, c } => rk(Arith::Sub, a.0, b.0, c.0),
            Instr::MulK { a, b, c } => rk(Arith::Mul, a.0, b.0, c.0),
            Instr::DivK { a, b, c } => rk(Arith::Div, a.0, b.0, c.0),
            Instr::IDivK { a, b, c } => rk(Arith::IDiv, a.0, b.0, c.0),
            Instr::ModK { a, b, c } => rk(Arith::Mod, a.0, b.0, c.0),
            Instr::PowK { a, b, c } => rk(Arith::Pow, a.0, b.0, c.0),
            Instr::AddI { a, b, c } => Some((
                Arith::Add,
                reg(a.0),
                Opnd::Reg(reg(b.0)),
                Opnd::Int(i64::from(c.0)),
            )),
            _ => None,
        }
    }

    /// Whether the `Call` at `pc` tries `math.sqrt` inline (`Lower::sqrt_inline`).
    fn sqrt_call(&self, pc: usize, ins: Option<Instr>) -> bool {
        matches!(ins, Some(Instr::Call { b, c, .. }) if b.0 == 2 && c.0 == 2)
            && self.sqrt.is_some()
            && self.fused.call.get(pc) == Some(&None)
    }

    /// What each pc's float version knows besides the analysis ([`Versions`]): a
    /// forward walk over each run of straight-line code (`joins` start runs), following
    /// the path each instruction's float version continues on.
    pub(super) fn float_contexts(&self, joins: &[bool]) -> Vec<Vec<(u32, Known)>> {
        let n = self.words.len();
        let mut out = vec![Vec::new(); n];
        let mut cont: Vec<(u32, Known)> = Vec::new();
        for (pc, slot) in out.iter_mut().enumerate() {
            let ins = self.words.get(pc).and_then(|&w| Instr::decode(w).ok());
            let stat = self.known.get(pc).and_then(|s| s.as_ref());
            let fixed = |r: u32| {
                stat.and_then(|s| s.get(r as usize))
                    .copied()
                    .unwrap_or(Known::Any)
            };
            let mut ctx = std::mem::take(&mut cont);
            if pc == 0 || joins.get(pc) != Some(&false) || stat.is_none() {
                ctx.clear();
            }
            let sqrt = self.sqrt_call(pc, ins);
            if matches!(ins, Some(Instr::Call { .. })) && !sqrt {
                ctx.clear();
            }
            ctx.retain(|&(r, _)| fixed(r) == Known::Any);
            ctx.sort_unstable_by_key(|&(r, _)| r);
            let fact = |r: Reg| {
                ctx.iter()
                    .find(|(x, _)| *x == r.0)
                    .map_or_else(|| fixed(r.0), |&(_, k)| k)
            };
            let set = |l: &mut Vec<(u32, Known)>, r: u32, k: Known| match l
                .iter_mut()
                .find(|(x, _)| *x == r)
            {
                Some(e) => e.1 = k,
                None => l.push((r, k)),
            };
            let parts = ins.and_then(|i| self.arith_parts(i));
            cont = if let Some((op, a, x, y)) = parts {
                let mut l = ctx.clone();
                if int_certain_with(op, x, y, fact) {
                    set(&mut l, a.0, Known::Int);
                } else {
                    for o in [x, y] {
                        if let Opnd::Reg(r) = o {
                            set(&mut l, r.0, Known::Float);
                        }
                    }
                    set(&mut l, a.0, Known::Float);
                }
                l
            } else if let Some(Instr::Move { a, b }) = ins {
                let mut l = ctx.clone();
                l.retain(|&(r, _)| r != u32::from(a.0));
                let k = fact(reg(b.0));
                if k != Known::Any {
                    set(&mut l, a.0.into(), k);
                }
                l
            } else if let (true, Some(Instr::Call { a, .. })) = (sqrt, ins) {
                let mut l: Vec<(u32, Known)> = stat
                    .map(|s| {
                        s.iter()
                            .enumerate()
                            .filter(|(_, k)| **k != Known::Any)
                            .map(|(r, k)| (r as u32, *k))
                            .collect()
                    })
                    .unwrap_or_default();
                for &(r, k) in &ctx {
                    set(&mut l, r, k);
                }
                set(&mut l, a.0.into(), Known::Float);
                l
            } else {
                match written(ins) {
                    Written::All => Vec::new(),
                    Written::Regs(lo, hi) => {
                        let mut l = ctx.clone();
                        l.retain(|&(r, _)| r < lo || r > hi);
                        l
                    }
                }
            };
            *slot = ctx;
        }
        // Keep only what some instruction of the rest of the run checks (a subset of
        // what holds still holds; a fact carried from one pc to the next is needed at
        // both, so each version still knows what the next expects).
        // By register (registers are 8-bit, and `LoadNil` ranges stay below 512).
        let mut needed = vec![false; 512];
        for pc in (0..n).rev() {
            let ins = self.words.get(pc).and_then(|&w| Instr::decode(w).ok());
            match written(ins) {
                Written::All => needed.iter_mut().for_each(|x| *x = false),
                Written::Regs(lo, hi) => {
                    for r in lo..=hi.min(511) {
                        if let Some(x) = needed.get_mut(r as usize) {
                            *x = false;
                        }
                    }
                }
            }
            for r in tag_reads(ins) {
                if let Some(x) = needed.get_mut(r as usize) {
                    *x = true;
                }
            }
            if let Some(ctx) = out.get_mut(pc) {
                ctx.retain(|&(r, _)| needed.get(r as usize) == Some(&true));
            }
        }
        out
    }
}

/// Registers whose tags an instruction checks (or, for `Move`, passes on).
fn tag_reads(ins: Option<Instr>) -> Vec<u32> {
    let r = |x: u8| u32::from(x);
    match ins {
        Some(
            Instr::Add { b, c, .. }
            | Instr::Sub { b, c, .. }
            | Instr::Mul { b, c, .. }
            | Instr::Div { b, c, .. }
            | Instr::IDiv { b, c, .. }
            | Instr::Mod { b, c, .. }
            | Instr::Pow { b, c, .. }
            | Instr::BAnd { b, c, .. }
            | Instr::BOr { b, c, .. }
            | Instr::BXor { b, c, .. }
            | Instr::Shl { b, c, .. }
            | Instr::Shr { b, c, .. }
            | Instr::GetTable { b, c, .. },
        ) => vec![r(b.0), r(c.0)],
        Some(
            Instr::AddK { b, .. }
            | Instr::SubK { b, .. }
            | Instr::MulK { b, .. }
            | Instr::DivK { b, .. }
            | Instr::IDivK { b, .. }
            | Instr::ModK { b, .. }
            | Instr::PowK { b, .. }
            | Instr::AddI { b, .. }
            | Instr::BAndK { b, .. }
            | Instr::BOrK { b, .. }
            | Instr::BXorK { b, .. }
            | Instr::ShlK { b, .. }
            | Instr::ShrK { b, .. }
            | Instr::BNot { b, .. }
            | Instr::Unm { b, .. }
            | Instr::Move { b, .. },
        ) => vec![r(b.0)],
        Some(Instr::Eq { a, b, .. } | Instr::Lt { a, b, .. } | Instr::Le { a, b, .. }) => {
            vec![r(a.0), r(b.0)]
        }
        Some(
            Instr::LtI { a, .. }
            | Instr::LeI { a, .. }
            | Instr::GtI { a, .. }
            | Instr::GeI { a, .. }
            | Instr::EqI { a, .. },
        ) => vec![r(a.0)],
        Some(Instr::SetTable { b, .. }) => vec![r(b.0)],
        Some(Instr::ForLoop { a, .. } | Instr::ForPrep { a, .. }) => {
            vec![r(a.0), r(a.0) + 1, r(a.0) + 2, r(a.0) + 3]
        }
        Some(Instr::Call { a, .. }) => vec![r(a.0) + 1],
        _ => Vec::new(),
    }
}
