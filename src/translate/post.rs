//! Passes over finished register code: dead-move removal and superinstructions.
//!
//! Both run after the one-pass translation (`emit.rs`), on the register words, so they
//! see the code as the interpreter will run it.
//!
//! **Dead moves.** Backward liveness over the register code finds `Move` words whose
//! destination is not read on any path before it is written again, and deletes them
//! (jump offsets and side tables are rewritten). The analysis is conservative wherever a
//! register could be observed other than by the code itself:
//! - only moves into temporaries (registers at or above `num_locals`) are candidates: a
//!   local's register is what `debug.getlocal`/`debug.setlocal` and closures' upvalues see;
//! - every instruction that may run other code (flag `call`: calls, metamethods, which
//!   may use `debug.getlocal` on this frame), allocate (flag `alloc`: a collection may run
//!   a finalizer) or leave the frame (flag `ends`) counts as reading every register;
//! - a conditional write (`TestSet`, the loop instructions) counts as no write.
//!
//! Native code leaves to the interpreter at any pc with the whole register window written
//! back, so a register dead in the register code is dead for the JIT as well.
//!
//! **Superinstructions.** A word whose opcode, with the next word's, forms a pair in
//! [`crate::isa::FUSED`] gets the superinstruction's opcode byte; the next word stays as it
//! is (see `isa/fused.rs`). Pairs are taken greedily from the start, and never when the
//! second word is a jump target (so each superinstruction is entered only at its first
//! word).

use crate::isa::{flags, fuse, opnum, raw, Instr, JumpOffset, Opcode, RegCode, INFO};

/// A set of registers.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Regs([u64; 4]);

impl Regs {
    const ALL: Regs = Regs([u64::MAX; 4]);

    fn add(&mut self, r: usize) {
        if r < 256 {
            self.0[r / 64] |= 1 << (r % 64);
        }
    }

    fn add_range(&mut self, from: usize, to: usize) {
        for r in from..to.min(256) {
            self.add(r);
        }
    }

    fn has(&self, r: usize) -> bool {
        r < 256 && self.0[r / 64] & (1 << (r % 64)) != 0
    }

    fn union(self, o: Regs) -> Regs {
        Regs(std::array::from_fn(|i| self.0[i] | o.0[i]))
    }

    fn minus(self, o: Regs) -> Regs {
        Regs(std::array::from_fn(|i| self.0[i] & !o.0[i]))
    }
}

/// Registers a word reads (or may expose) and registers it always writes.
fn effect(w: u32) -> (Regs, Regs) {
    let mut r = Regs::default();
    let mut wr = Regs::default();
    let Ok(ins) = Instr::decode(w) else {
        return (Regs::ALL, wr);
    };
    let info = ins.info();
    if info.has(flags::CALL) || info.has(flags::ALLOC) || info.has(flags::ENDS) {
        return (Regs::ALL, wr);
    }
    let a = |x: crate::isa::Reg| x.0 as usize;
    match ins {
        Instr::Move { a: d, b } | Instr::Not { a: d, b } => {
            r.add(a(b));
            wr.add(a(d));
        }
        Instr::LoadI { a: d, .. }
        | Instr::LoadF { a: d, .. }
        | Instr::LoadK { a: d, .. }
        | Instr::LoadKx { a: d }
        | Instr::LoadFalse { a: d }
        | Instr::LoadTrue { a: d }
        | Instr::GetUpval { a: d, .. } => wr.add(a(d)),
        Instr::LoadNil { a: d, b } => wr.add_range(a(d), a(d) + b.0 as usize + 1),
        Instr::SetUpval { a: s, .. }
        | Instr::EqK { a: s, .. }
        | Instr::EqI { a: s, .. }
        | Instr::Test { a: s, .. } => r.add(a(s)),
        Instr::TestSet { b, .. } => r.add(a(b)),
        Instr::ForLoop { a: s, .. } => r.add_range(a(s), a(s) + 4),
        Instr::TForLoop { a: s, .. } => r.add_range(a(s), a(s) + 5),
        Instr::Jmp { .. } | Instr::ExtraArg { .. } | Instr::VarArg { .. } => {}
        // Anything else: as if it read every register.
        _ => r = Regs::ALL,
    }
    (r, wr)
}

/// The pcs control may go to after the word at `pc` (the `Jmp` after a conditional and
/// the `ExtraArg` after a wide op are words of their own, with no effect).
fn successors(code: &[u32], pc: usize, out: &mut Vec<usize>) {
    out.clear();
    let next = pc + 1;
    let rel = |off: isize| next.wrapping_add_signed(off);
    let w = code[pc];
    match raw::op(w) {
        opnum::Jmp => out.push(rel(raw::sj(w))),
        opnum::ForPrep | opnum::ForLoop | opnum::TForLoop => {
            out.push(next);
            out.push(rel(raw::sbx(w)));
        }
        op => {
            let f = INFO.get(op as usize).map_or(0, |i| i.flags);
            if f & flags::COND != 0 {
                out.push(next);
                out.push(next + 1);
            } else if f & flags::ENDS == 0 {
                out.push(next);
            }
        }
    }
}

/// Deletes `Move` words into temporaries (registers `num_locals` and up) whose value is
/// never read. Returns how many were deleted.
pub fn remove_dead_moves(code: &mut RegCode, num_locals: usize) -> usize {
    let n = code.code.len();
    let candidate = |w: u32| w as u8 == opnum::Move && raw::a(w) >= num_locals;
    if !code.code.iter().any(|&w| candidate(w)) {
        return 0;
    }
    let effects: Vec<(Regs, Regs)> = code.code.iter().map(|&w| effect(w)).collect();
    let mut succs: Vec<[usize; 2]> = Vec::with_capacity(n);
    let mut succ = Vec::new();
    for pc in 0..n {
        successors(&code.code, pc, &mut succ);
        // At most two successors; `usize::MAX` for none (past every table).
        succs.push([
            succ.first().copied().unwrap_or(usize::MAX),
            succ.get(1).copied().unwrap_or(usize::MAX),
        ]);
    }
    let mut live_in = vec![Regs::default(); n + 1];
    let mut live_out = vec![Regs::default(); n];
    // Past the end (a malformed fall-through) everything is live.
    live_in[n] = Regs::ALL;
    let mut changed = true;
    while changed {
        changed = false;
        for pc in (0..n).rev() {
            let mut out = Regs::default();
            for s in succs[pc] {
                if s != usize::MAX {
                    out = out.union(live_in.get(s).copied().unwrap_or(Regs::ALL));
                }
            }
            let (r, w) = effects[pc];
            let inn = r.union(out.minus(w));
            live_out[pc] = out;
            if inn != live_in[pc] {
                live_in[pc] = inn;
                changed = true;
            }
        }
    }
    let keep: Vec<bool> = (0..n)
        .map(|pc| {
            let w = code.code[pc];
            !candidate(w) || live_out[pc].has(raw::a(w))
        })
        .collect();
    let removed = keep.iter().filter(|k| !**k).count();
    if removed > 0 {
        delete_words(code, &keep);
    }
    removed
}

/// Keeps the words where `keep` is true, retargeting every jump (a jump to a deleted word
/// goes to the next word kept).
fn delete_words(code: &mut RegCode, keep: &[bool]) {
    let n = code.code.len();
    // new_pc[pc]: the index word `pc` gets, or the next kept word's for deleted ones.
    let mut new_pc = vec![0usize; n + 1];
    let mut k = 0;
    for pc in 0..n {
        new_pc[pc] = k;
        if keep[pc] {
            k += 1;
        }
    }
    new_pc[n] = k;
    let retarget = |pc: usize, off: i32| -> i32 {
        let target = (pc as i64 + 1 + i64::from(off)).clamp(0, n as i64) as usize;
        (new_pc[target] as i64 - (new_pc[pc] as i64 + 1)) as i32
    };
    let mut out = RegCode {
        frame_size: code.frame_size,
        extra_consts: std::mem::take(&mut code.extra_consts),
        ..RegCode::default()
    };
    for pc in (0..n).filter(|&pc| keep[pc]) {
        let w = code.code[pc];
        let moved = match Instr::decode(w) {
            Ok(Instr::Jmp { sj }) => Instr::Jmp {
                sj: JumpOffset(retarget(pc, sj.0)),
            }
            .encode()
            .ok(),
            Ok(Instr::ForPrep { a, sbx }) => Instr::ForPrep {
                a,
                sbx: JumpOffset(retarget(pc, sbx.0)),
            }
            .encode()
            .ok(),
            Ok(Instr::ForLoop { a, sbx }) => Instr::ForLoop {
                a,
                sbx: JumpOffset(retarget(pc, sbx.0)),
            }
            .encode()
            .ok(),
            Ok(Instr::TForLoop { a, sbx }) => Instr::TForLoop {
                a,
                sbx: JumpOffset(retarget(pc, sbx.0)),
            }
            .encode()
            .ok(),
            _ => None,
        };
        // Offsets only shrink, so re-encoding cannot fail; keep the word if it did.
        out.code.push(moved.unwrap_or(w));
        out.stack_pcs.push(code.stack_pcs[pc]);
        out.lines.push(code.lines[pc]);
    }
    *code = out;
}

/// Pcs some jump goes to (not counting falling through).
fn jump_targets(code: &[u32]) -> Vec<bool> {
    let n = code.len();
    let mut t = vec![false; n + 1];
    let mut succ = Vec::new();
    for pc in 0..n {
        successors(code, pc, &mut succ);
        for &s in &succ {
            if s != pc + 1 {
                if let Some(m) = t.get_mut(s) {
                    *m = true;
                }
            }
        }
    }
    t
}

/// Rewrites pairs of words into superinstructions. Returns how many were formed.
pub fn fuse_superinstructions(code: &mut RegCode) -> usize {
    let ops: Vec<Option<Opcode>> = code
        .code
        .iter()
        .map(|&w| Opcode::from_u8(w as u8))
        .collect();
    let any = ops.windows(2).any(|p| match (p[0], p[1]) {
        (Some(x), Some(y)) => fuse(x, y).is_some(),
        _ => false,
    });
    if !any {
        return 0;
    }
    let targets = jump_targets(&code.code);
    let mut formed = 0;
    let mut pc = 0;
    while pc + 1 < code.code.len() {
        let pair = match (ops[pc], ops[pc + 1]) {
            (Some(x), Some(y)) if !targets[pc + 1] => fuse(x, y),
            _ => None,
        };
        match pair {
            Some(s) => {
                code.code[pc] = (code.code[pc] & !0xff) | s as u32;
                formed += 1;
                pc += 2;
            }
            None => pc += 1,
        }
    }
    formed
}
