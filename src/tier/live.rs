//! Which registers the interpreter may still read at each pc of a proc's register code,
//! for the JIT's exits (`apogee_jit::ir::Function::exit_live`): native code need not
//! write a dead register back before handing the frame over at that pc.
//!
//! The translator puts local slot `i` in register `i` (docs/register-isa.md). A local
//! variable is live wherever it is in scope (its stack-bytecode `start_pc..end_pc`):
//! debug functions and hooks may read it there, closures capture it, and to-be-closed
//! variables are locals; in a proc without local information (stripped), every local
//! slot is live everywhere. On top of that, a backward dataflow over the code finds the
//! registers some path reads before certainly overwriting (temporaries, and slots out of
//! any local's scope, like a numeric `for`'s internal counters). An instruction reads
//! the registers it uses and kills only the ones it certainly overwrites; anything the
//! model does not know (a word that does not decode, a register range up to the top of
//! a multiple-result pack) reads every register from there up, so the answer errs
//! towards live.
//!
//! A value lua5.4 would show for a register out of every local's scope through
//! `debug.getlocal` (a "(temporary)") may then be an older one; that is the one
//! difference, and the values of temporaries are not specified.

use crate::bytecode::Proto;
use crate::isa::{flags, Instr};

/// A register set (bit `r % 64` of word `r / 64`).
pub type Regs = [u64; 4];

/// What one instruction does with the registers.
struct Effect {
    /// Registers read.
    reads: Regs,
    /// Registers certainly written before the next instruction.
    kills: Regs,
}

fn put(set: &mut Regs, r: u32) {
    if r < 256 {
        set[(r / 64) as usize] |= 1 << (r % 64);
    }
}

fn put_range(set: &mut Regs, lo: u32, hi_inclusive: u32) {
    for r in lo..=hi_inclusive.min(255) {
        put(set, r);
    }
}

/// Every register from `lo` up.
fn put_from(set: &mut Regs, lo: u32) {
    put_range(set, lo, 255);
}

/// The effect of the instruction in `word` (a superinstruction's first part: the
/// caller unfuses words).
fn effect(word: u32) -> Effect {
    let mut e = Effect {
        reads: [0; 4],
        kills: [0; 4],
    };
    let Ok(ins) = Instr::decode(word) else {
        put_from(&mut e.reads, 0);
        return e;
    };
    let (r, k) = (&mut e.reads, &mut e.kills);
    let reg = |x: crate::isa::Reg| u32::from(x.0);
    match ins {
        Instr::Move { a, b }
        | Instr::Unm { a, b }
        | Instr::BNot { a, b }
        | Instr::Not { a, b }
        | Instr::Len { a, b }
        | Instr::GetI { a, b, .. }
        | Instr::GetField { a, b, .. }
        | Instr::AddK { a, b, .. }
        | Instr::SubK { a, b, .. }
        | Instr::MulK { a, b, .. }
        | Instr::ModK { a, b, .. }
        | Instr::PowK { a, b, .. }
        | Instr::DivK { a, b, .. }
        | Instr::IDivK { a, b, .. }
        | Instr::BAndK { a, b, .. }
        | Instr::BOrK { a, b, .. }
        | Instr::BXorK { a, b, .. }
        | Instr::ShlK { a, b, .. }
        | Instr::ShrK { a, b, .. }
        | Instr::AddI { a, b, .. } => {
            put(r, reg(b));
            put(k, reg(a));
        }
        Instr::GetTable { a, b, c }
        | Instr::Add { a, b, c }
        | Instr::Sub { a, b, c }
        | Instr::Mul { a, b, c }
        | Instr::Mod { a, b, c }
        | Instr::Pow { a, b, c }
        | Instr::Div { a, b, c }
        | Instr::IDiv { a, b, c }
        | Instr::BAnd { a, b, c }
        | Instr::BOr { a, b, c }
        | Instr::BXor { a, b, c }
        | Instr::Shl { a, b, c }
        | Instr::Shr { a, b, c } => {
            put(r, reg(b));
            put(r, reg(c));
            put(k, reg(a));
        }
        Instr::LoadI { a, .. }
        | Instr::LoadF { a, .. }
        | Instr::LoadK { a, .. }
        | Instr::LoadKx { a }
        | Instr::LoadFalse { a }
        | Instr::LoadTrue { a }
        | Instr::GetUpval { a, .. }
        | Instr::GetTabUp { a, .. }
        | Instr::NewTable { a, .. }
        | Instr::Closure { a, .. } => put(k, reg(a)),
        Instr::LoadNil { a, b } => put_range(k, reg(a), reg(a) + b.0),
        Instr::SetUpval { a, .. } | Instr::Tbc { a } | Instr::Return1 { a } => put(r, reg(a)),
        Instr::SetTabUp { c, .. } => put(r, reg(c)),
        Instr::SetTable { a, b, c } => {
            put(r, reg(a));
            put(r, reg(b));
            put(r, reg(c));
        }
        Instr::SetI { a, c, .. } | Instr::SetField { a, c, .. } => {
            put(r, reg(a));
            put(r, reg(c));
        }
        Instr::Self_ { a, b, .. } => {
            put(r, reg(b));
            put(k, reg(a));
            put(k, reg(a) + 1);
        }
        Instr::Concat { a, b } => {
            put_range(r, reg(a), reg(a) + b.0.max(1) - 1);
            put(k, reg(a));
        }
        Instr::Eq { a, b, .. } | Instr::Lt { a, b, .. } | Instr::Le { a, b, .. } => {
            put(r, reg(a));
            put(r, reg(b));
        }
        Instr::EqK { a, .. }
        | Instr::EqI { a, .. }
        | Instr::LtI { a, .. }
        | Instr::LeI { a, .. }
        | Instr::GtI { a, .. }
        | Instr::GeI { a, .. }
        | Instr::Test { a, .. } => put(r, reg(a)),
        // Writes `R[A]` only when it jumps.
        Instr::TestSet { b, .. } => put(r, reg(b)),
        Instr::Call { a, b, c } => {
            match b.0 {
                0 => put_from(r, reg(a)),
                n => put_range(r, reg(a), reg(a) + n - 1),
            }
            if c.0 > 1 {
                put_range(k, reg(a), reg(a) + c.0 - 2);
            }
        }
        Instr::TailCall { a, b } | Instr::Return { a, b } | Instr::SetList { a, b } => match b.0 {
            0 => put_from(r, reg(a)),
            n => put_range(r, reg(a), reg(a) + n),
        },
        Instr::Return0 {} | Instr::Jmp { .. } | Instr::ExtraArg { .. } => {}
        // The internal counters; the control variable `R[A+3]` is only written.
        Instr::ForPrep { a, .. } | Instr::ForLoop { a, .. } => put_range(r, reg(a), reg(a) + 2),
        Instr::TForCall { a, c } => {
            put_range(r, reg(a), reg(a) + 3);
            if c.0 > 0 {
                put_range(k, reg(a) + 4, reg(a) + 3 + c.0);
            }
        }
        Instr::TForLoop { a, .. } => put_range(r, reg(a), reg(a) + 4),
        Instr::VarArg { a, c } => {
            if c.0 > 1 {
                put_range(k, reg(a), reg(a) + c.0 - 2);
            }
        }
        Instr::Close { a } => put_from(r, reg(a)),
        // Anything else (superinstructions arrive unfused): reads everything.
        _ => put_from(r, 0),
    }
    e
}

/// One way control may go on after an instruction: the pc (`None` for a jump outside
/// the code, which is then taken as reading everything), and a register the
/// instruction certainly writes on that way only (a numeric `for`'s control variable,
/// set when the loop body runs).
type Succ = (Option<usize>, Option<u32>);

/// The ways control may go on right after `pc`.
fn successors(words: &[u32], pc: usize) -> Vec<Succ> {
    let at = |p: i64| usize::try_from(p).ok().filter(|&p| p < words.len());
    let next = pc as i64 + 1;
    let Ok(ins) = Instr::decode(words[pc]) else {
        return vec![(None, None)];
    };
    let info = ins.info();
    let mut out = Vec::new();
    match ins {
        Instr::Jmp { sj } => out.push((at(next + i64::from(sj.0)), None)),
        // Into the body (the next word), with the control variable set.
        Instr::ForPrep { a, sbx } => {
            out.push((at(next + i64::from(sbx.0)), None));
            out.push((at(next), Some(u32::from(a.0) + 3)));
            return out;
        }
        // Back into the body (the jump), with the control variable set.
        Instr::ForLoop { a, sbx } => {
            out.push((at(next + i64::from(sbx.0)), Some(u32::from(a.0) + 3)));
            out.push((at(next), None));
            return out;
        }
        Instr::TForLoop { sbx, .. } => out.push((at(next + i64::from(sbx.0)), None)),
        _ => {}
    }
    if info.has(flags::COND) {
        // The guarded `Jmp` at pc + 1, or the word after it.
        out.push((at(next), None));
        out.push((at(next + 1), None));
    } else if !info.has(flags::ENDS) {
        out.push((at(next), None));
    }
    out
}

/// The local variables in scope at each register pc.
pub struct Scopes {
    by_pc: Vec<Regs>,
    /// For pcs beyond `by_pc`: every local slot.
    all: Regs,
}

impl Scopes {
    /// From the stack proc's local variables and the stack pc each register word
    /// implements (`RegCode::stack_pcs`): a local counts at a register pc whose stack pc
    /// is in its scope, as for the debug functions there (a word that also stands for
    /// later, folded stack instructions, like a `for`'s preparation followed by its
    /// body's operand pushes, is not in the scope those start).
    pub fn new(p: &Proto, stack_pcs: &[u32]) -> Scopes {
        let mut all: Regs = [0; 4];
        if p.num_locals > 0 {
            put_range(&mut all, 0, u32::from(p.num_locals) - 1);
        }
        if p.locals.is_empty() {
            return Scopes {
                by_pc: Vec::new(),
                all,
            };
        }
        let by_pc = stack_pcs
            .iter()
            .map(|&sp| {
                let mut set = [0; 4];
                for l in &p.locals {
                    if (l.start_pc..l.end_pc).contains(&sp) {
                        put(&mut set, u32::from(l.slot));
                    }
                }
                set
            })
            .collect();
        Scopes { by_pc, all }
    }

    /// Every local slot live at every pc (for tests, and procs without scopes).
    #[cfg(test)]
    pub fn everywhere(num_locals: u32) -> Scopes {
        let mut all: Regs = [0; 4];
        if num_locals > 0 {
            put_range(&mut all, 0, num_locals - 1);
        }
        Scopes {
            by_pc: Vec::new(),
            all,
        }
    }

    fn at(&self, pc: usize) -> &Regs {
        self.by_pc.get(pc).unwrap_or(&self.all)
    }
}

/// For each pc of `words` (unfused register code), the registers its instruction
/// certainly writes (`apogee_jit::ir::Function::helper_writes`).
pub fn written_registers(words: &[u32]) -> Vec<Regs> {
    words.iter().map(|&w| effect(w).kills).collect()
}

/// For each pc of `words` (unfused register code), the registers live before it: the
/// locals in scope there, and the registers some path from there reads before certainly
/// overwriting.
pub fn live_registers(words: &[u32], scopes: &Scopes) -> Vec<Regs> {
    let n = words.len();
    let effects: Vec<Effect> = words.iter().map(|&w| effect(w)).collect();
    let succs: Vec<Vec<Succ>> = (0..n).map(|pc| successors(words, pc)).collect();
    let mut everything: Regs = [0; 4];
    put_from(&mut everything, 0);
    let mut live: Vec<Regs> = (0..n).map(|pc| *scopes.at(pc)).collect();
    let mut changed = true;
    // Backward dataflow to a fixpoint: sets only grow, so it ends (at most 256 * n
    // changes).
    while changed {
        changed = false;
        for pc in (0..n).rev() {
            let mut out = [0u64; 4];
            for &(s, written) in &succs[pc] {
                let mut add = match s {
                    Some(s) => live[s],
                    None => everything,
                };
                if let Some(r) = written.filter(|&r| r < 256) {
                    add[(r / 64) as usize] &= !(1 << (r % 64));
                }
                for w in 0..4 {
                    out[w] |= add[w];
                }
            }
            let e = &effects[pc];
            let scope = scopes.at(pc);
            let mut new = [0u64; 4];
            for w in 0..4 {
                new[w] = e.reads[w] | (out[w] & !e.kills[w]) | scope[w];
            }
            if new != live[pc] {
                live[pc] = new;
                changed = true;
            }
        }
    }
    live
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::isa::{Count, Imm, Reg};

    fn has(set: &Regs, r: u32) -> bool {
        set[(r / 64) as usize] >> (r % 64) & 1 == 1
    }

    fn enc(i: Instr) -> u32 {
        i.encode().expect("encodes")
    }

    /// A temporary is live from its write to its read, and dead after; locals are
    /// always live; a multiple-result pack keeps everything above its start live.
    #[test]
    fn temporaries_live_between_write_and_read() {
        let words = [
            enc(Instr::LoadI {
                a: Reg(3),
                sbx: Imm(1),
            }),
            enc(Instr::Add {
                a: Reg(0),
                b: Reg(0),
                c: Reg(3),
            }),
            enc(Instr::Call {
                a: Reg(2),
                b: Count(0),
                c: Count(1),
            }),
            enc(Instr::Return0 {}),
        ];
        let live = live_registers(&words, &Scopes::everywhere(2));
        assert!(has(&live[0], 0) && has(&live[0], 1));
        assert!(!has(&live[0], 3), "written before read");
        assert!(has(&live[1], 3), "read by the Add");
        // The Call reads everything from R[2] up (B = 0).
        assert!(has(&live[2], 2) && has(&live[2], 200));
        assert!(has(&live[1], 4), "live through the Add towards the Call");
        assert!(!has(&live[3], 3) && has(&live[3], 1));
    }
}
