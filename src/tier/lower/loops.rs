//! Numeric `for` loops: `ForPrep` and `ForLoop` by the loop's `types::LoopKind`.

use super::*;

impl Lower<'_> {
    fn kind(&self, pc: usize) -> LoopKind {
        self.kinds.get(pc).copied().unwrap_or(LoopKind::Dyn)
    }

    /// Exits at `pc` unless each of the registers has tag `tag` (checking only those
    /// whose tag is not known).
    fn guard_tags(&mut self, pc: usize, regs: &[Reg], tag: u8) {
        for &r in regs {
            let known = matches!(
                (self.fact(r), tag),
                (Known::Int, TAG_INT) | (Known::Float, TAG_FLOAT)
            );
            if !known {
                self.b.guard_tag(r, tag, pc as u32);
            }
        }
    }

    /// The integer `R[r]` holds at `pc` when a `LoadI` wrote it a few words before, with
    /// nothing in between that may write it or be jumped to.
    fn const_step(&self, pc: usize, r: u32) -> Option<i64> {
        let joins = &self.joins;
        for q in (pc.saturating_sub(8)..pc).rev() {
            if joins.get(q + 1) != Some(&false) {
                return None;
            }
            let ins = self.words.get(q).and_then(|&w| Instr::decode(w).ok());
            if let Some(Instr::LoadI { a, sbx }) = ins {
                if u32::from(a.0) == r {
                    return Some(i64::from(sbx.0));
                }
            }
            match written(ins) {
                Written::All => return None,
                Written::Regs(lo, hi) if lo <= r && r <= hi => return None,
                Written::Regs(..) => {}
            }
        }
        None
    }

    /// `ForPrep` of the loop in `R[s..s+4]`, skipping to `skip` when it does not run.
    /// Integer loops (`LoopKind::Int`) exit unless the initial value and the step are
    /// integers and prepare inline when the limit is one too (`ops::for_prep`: `R[s+1]`
    /// becomes the iteration count, `R[s+3]` the control variable); float loops exit on
    /// an integer initial value and step; the rest goes through the helper.
    pub(super) fn for_prep(&mut self, pc: usize, s: u32, skip: usize) {
        let skip_to = self.block_or_exit(skip);
        let run_to = self.block_or_exit(pc + 1);
        let kind = self.kind(pc);
        let (init, limit, step) = (Reg(s), Reg(s + 1), Reg(s + 2));
        let slow = self.b.block();
        match kind {
            LoopKind::Int | LoopKind::Dyn => {
                let ok = if kind == LoopKind::Int {
                    self.guard_tags(pc, &[init, step], TAG_INT);
                    self.tags_are(&[Opnd::Reg(limit)], TAG_INT)
                } else {
                    let ops = [init, limit, step].map(Opnd::Reg);
                    self.tags_are(&ops, TAG_INT)
                };
                let fast = self.b.block();
                self.b.branch(ok, fast, slow);
                self.b.switch_to(fast);
                // A step loaded by a `LoadI` just before (`for i = a, b` or `for i = a, b,
                // -1`) is a known non-zero constant: its sign picks the code, and a step
                // of 1 needs no division.
                if let Some(k) = self.const_step(pc, s + 2).filter(|&k| k != 0) {
                    let b = &mut self.b;
                    let init = b.load_int(init);
                    let lim = b.load_int(limit);
                    self.store_int(Reg(s + 3), init);
                    let b = &mut self.b;
                    let (lo, hi) = if k > 0 { (init, lim) } else { (lim, init) };
                    let skip = b.icmp(Cond::Gt, lo, hi);
                    let count_blk = b.block();
                    b.branch(skip, skip_to, count_blk);
                    b.switch_to(count_blk);
                    let diff = b.int_bin(IntBinOp::Sub, hi, lo);
                    let count = match k.unsigned_abs() {
                        1 => diff,
                        m => {
                            let d = b.iconst(m as i64);
                            b.int_bin(IntBinOp::DivU, diff, d)
                        }
                    };
                    self.store_int(limit, count);
                    self.b.jump(run_to);
                } else {
                    let b = &mut self.b;
                    let step = b.load_int(step);
                    let zero = b.iconst(0);
                    let nz = b.icmp(Cond::Ne, step, zero);
                    let fast = b.block();
                    b.branch(nz, fast, slow);
                    b.switch_to(fast);
                    let init = b.load_int(init);
                    let lim = b.load_int(limit);
                    self.store_int(Reg(s + 3), init);
                    let b = &mut self.b;
                    let up = b.icmp(Cond::Gt, step, zero);
                    let past_up = b.icmp(Cond::Gt, init, lim);
                    let past_down = b.icmp(Cond::Lt, init, lim);
                    let skip = b.select(up, past_up, past_down);
                    let count_blk = b.block();
                    b.branch(skip, skip_to, count_blk);
                    b.switch_to(count_blk);
                    let d_up = b.int_bin(IntBinOp::Sub, lim, init);
                    let d_down = b.int_bin(IntBinOp::Sub, init, lim);
                    let diff = b.select(up, d_up, d_down);
                    let neg = b.int_un(IntUnOp::Neg, step);
                    let div = b.select(up, step, neg);
                    let count = b.int_bin(IntBinOp::DivU, diff, div);
                    self.store_int(limit, count);
                    self.b.jump(run_to);
                }
            }
            LoopKind::Float => {
                let ii = self.tags_are(&[Opnd::Reg(init), Opnd::Reg(step)], TAG_INT);
                let not = self.b.bool_not(ii);
                self.b.guard(not, pc as u32);
                self.b.jump(slow);
            }
        }
        // Anything else (float limits, floats, strings, errors) through the helper; with
        // an integer initial value and step it makes an integer loop, else a float one.
        self.b.switch_to(slow);
        let st = self.helper_at(Some(pc), native::for_prep, i64::from(s), 0, 0);
        let ex = self.b.iconst(native::FOR_EXIT);
        let ok = self.b.icmp(Cond::Ne, st, ex);
        self.b.guard(ok, pc as u32);
        let sk = self.b.iconst(native::FOR_SKIP);
        let c = self.b.icmp(Cond::Eq, st, sk);
        let run = self.b.block();
        self.b.branch(c, skip_to, run);
        // The helper set the control variable to the initial value; writing it again
        // here tells register promotion (`promote::needed_in`) that the value before
        // the helper is not looked at in the body.
        self.b.switch_to(run);
        self.b.copy_slot(Reg(s + 3), Reg(s));
        self.b.jump(run_to);
    }

    /// `ForLoop` of the loop in `R[s..s+4]`, back to `target` while it runs. An integer
    /// (float) loop exits unless its counters are integers (floats), checking only those
    /// not known; `LoopKind::Dyn` branches on the tags.
    pub(super) fn for_loop(&mut self, pc: usize, s: u32, target: usize) {
        let done = self.block_or_exit(pc + 1);
        let counters = [Reg(s), Reg(s + 1), Reg(s + 2)];
        let (int_blk, flt_blk) = match self.kind(pc) {
            LoopKind::Int => {
                self.guard_tags(pc, &counters, TAG_INT);
                (self.b.current(), None)
            }
            LoopKind::Float => (None, self.b.current()),
            LoopKind::Dyn => {
                // One branch on the three tags, skipping those known to be integers
                // (anything else takes the float path, whose guards exit on non-floats).
                let is_int = self.tags_are(&counters.map(Opnd::Reg), TAG_INT);
                let int_blk = self.b.block();
                let flt_blk = self.b.block();
                self.b.branch(is_int, int_blk, flt_blk);
                (Some(int_blk), Some(flt_blk))
            }
        };
        // Integer loop: R[s+1] holds the remaining iteration count.
        if let Some(blk) = int_blk {
            self.b.switch_to(blk);
            let b = &mut self.b;
            let idx = b.load_int(Reg(s));
            let count = b.load_int(Reg(s + 1));
            let zero = b.iconst(0);
            let more = b.icmp(Cond::Ne, count, zero);
            let body = b.block();
            b.branch(more, body, done);
            b.switch_to(body);
            let step = b.load_int(Reg(s + 2));
            let i = b.int_bin(IntBinOp::Add, idx, step);
            let one = b.iconst(1);
            let c1 = b.int_bin(IntBinOp::Sub, count, one);
            b.store_int(Reg(s), i);
            b.store_int(Reg(s + 1), c1);
            self.store_int(Reg(s + 3), i);
            self.goto(target);
        }
        // Float loop (`ops::for_step`): idx += step; go on while within the limit.
        if let Some(blk) = flt_blk {
            self.b.switch_to(blk);
            self.guard_tags(pc, &counters, TAG_FLOAT);
            let b = &mut self.b;
            let idx = b.load_float(Reg(s));
            let limit = b.load_float(Reg(s + 1));
            let step = b.load_float(Reg(s + 2));
            let i = b.float_bin(FloatBinOp::Add, idx, step);
            let fz = b.fconst(0.0);
            let up = b.fcmp(Cond::Lt, fz, step);
            let below = b.fcmp(Cond::Le, i, limit);
            let above = b.fcmp(Cond::Le, limit, i);
            let go = b.select(up, below, above);
            let fbody = b.block();
            b.branch(go, fbody, done);
            b.switch_to(fbody);
            b.store_float(Reg(s), i);
            self.store_float(Reg(s + 3), i);
            self.goto(target);
        }
    }
}
