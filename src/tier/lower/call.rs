//! Calls: `math.sqrt` inline and frames pushed and popped by generated code.

use super::*;

impl Lower<'_> {
    /// `R[a] := R[a](R[a+1])` when `R[a]` is the native `math.sqrt` and `R[a+1]` a
    /// number: the square root inline, then on to `cont`; otherwise the current block
    /// continues (the call is made as usual).
    pub(super) fn sqrt_inline(&mut self, a: u8) {
        let Some((off, f)) = self.sqrt else {
            return;
        };
        let b = &mut self.b;
        let fr = reg(a);
        let tag = b.load_tag(fr);
        let tn = b.i8const(apogee_jit::abi::TAG_NATIVEFN);
        let is_native = b.icmp(Cond::Eq, tag, tn);
        let check = b.block();
        let other = b.block();
        b.branch(is_native, check, other);
        b.switch_to(check);
        let nc = b.load_int(fr);
        let fp = b.load(Type::I64, nc, off);
        let want = b.iconst(f);
        let same = b.icmp(Cond::Eq, fp, want);
        // The argument as a float: a known float as it is, else any number converted.
        let ar = Reg(u32::from(a) + 1);
        let (is_num, fval) = if self.fact(ar) == Known::Float {
            let b = &mut self.b;
            (b.i8const(1), b.load_float(ar))
        } else {
            let n = self.num(Opnd::Reg(ar));
            (n.is_num, n.fval)
        };
        let b = &mut self.b;
        let ok = b.int_bin(IntBinOp::And, same, is_num);
        let fast = b.block();
        b.branch(ok, fast, other);
        b.switch_to(fast);
        let r = b.float_un(FloatUnOp::Sqrt, fval);
        self.store_float(fr, r);
        // No Lua code ran: every tag known before the call still holds, and `R[a]` is a
        // float (the float version of the next pc knows it: `Lower::float_contexts`).
        self.goto_float(self.cur + 1);
        self.b.switch_to(other);
    }
}

// The result copy of `call_inline` scales a register index by 16 with a shift.
const _: () = assert!(apogee_jit::abi::VALUE_SIZE == 16);

// Return codes tell themselves by their top byte (`call_inline`). The codes compiled
// procs return are `Return` (top byte: the count plus 1, or 0 for a pack), `Exit` and
// `Preempt` (a register pc, below `MAX_WORDS`), `Error(0)` and `BadEntry` (an entry
// index, below `MAX_WORDS` too): all but `Return` have a zero top byte.
const _: () = assert!(MAX_WORDS < 1 << 24);

/// Results an inline call moves itself (more go through `call_pop`).
pub(super) const MAX_INLINE_RESULTS: u8 = 8;

impl Lower<'_> {
    /// `R[a], ..., R[a+nres-1] := R[a](R[a+1], ..., R[a+nargs])` for a compiled Lua callee
    /// with `nargs` parameters, no varargs and no `Closure` (`ProcJit::call_plain`): pushes
    /// its frame, calls its code with `CallNative` and, when it returns at least `nres`
    /// values, moves them and pops the frame, all in generated code, as
    /// `native::call_push` and `native::call_pop` would. Goes to `general` before touching
    /// anything when a condition fails (not such a callee, native nesting at its bound, no
    /// spare frame capacity, the stack too short for the callee's window); any other
    /// outcome of the callee (a side exit, fewer results, an error) is finished by
    /// `call_pop`. Continues at `cont`, or `err` on an error.
    ///
    /// Each condition is a branch of its own (a compare and a jump, where combining them
    /// took set-byte instructions and an `and`). The callee gets its closure in
    /// `ctx.closure` (its upvalue reads start there) and the depth checked here
    /// (`ir::DEPTH_CHECKED`: `CallNative` does not check again). The call counter of
    /// `--stats` is kept only when dynamic counters are on (`CallLayout::count_calls`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn call_inline(
        &mut self,
        cl: CallLayout,
        pc: usize,
        a: u8,
        nargs: u8,
        nres: u8,
        cont: BlockId,
        general: BlockId,
        err: BlockId,
    ) {
        use super::native::{FRAME_SIZE, F_BASE, F_FUNC, F_KIND, F_PC_WORD, F_RES_WORD, F_TOP};
        let Some(np) = nargs.checked_add(1) else {
            self.b.jump(general);
            return;
        };
        let b = &mut self.b;
        // Goes on in a fresh block when `cond` holds, else to `general`.
        let check = |b: &mut apogee_jit::Builder, cond| {
            let blk = b.block();
            b.branch(cond, blk, general);
            b.switch_to(blk);
        };
        let fr = reg(a);
        let tag = b.load_tag(fr);
        let tl = b.i8const(apogee_jit::abi::TAG_LUAFN);
        let is_fn = b.icmp(Cond::Eq, tag, tl);
        check(b, is_fn);
        let clo = b.load_int(fr);
        let proto = b.load(Type::I64, clo, cl.cl_proto);
        // `ProcJit::call_plain` is the parameter count plus 1 exactly when the callee
        // has an entry (`call_entry`) and may be called this way.
        let plain = b.load(Type::I8, proto, cl.p_plain);
        let zero = b.iconst(0);
        let one = b.iconst(1);
        let np = b.i8const(np);
        let same = b.icmp(Cond::Eq, plain, np);
        check(b, same);
        let depth = b.depth_ok();
        check(b, depth);
        let vm = b.vm_ptr();
        let flen = b.load(Type::I64, vm, cl.vm_frames_len);
        let fcap = b.load(Type::I64, vm, cl.vm_frames_cap);
        let room = b.icmp(Cond::Ult, flen, fcap);
        check(b, room);
        let fptr = b.load(Type::I64, vm, cl.vm_frames_ptr);
        let fsz = b.iconst(i64::from(FRAME_SIZE));
        // The new frame's address `nf` (at index `flen`); the caller's frame is the one
        // below it, reached at negative offsets from `nf`.
        let off = b.int_bin(IntBinOp::Mul, flen, fsz);
        let nf = b.int_bin(IntBinOp::Add, fptr, off);
        let cbase = b.load(Type::I64, nf, F_BASE - FRAME_SIZE);
        let size = b.load(Type::I64, proto, cl.p_size);
        let va = b.iconst(a.into());
        // `top` as `(cbase + size) + (a + 1)`: a different expression from `func` and
        // `nbase` below, which are then computed where they are stored rather than kept
        // in registers across the checks.
        let a1 = b.iconst(i64::from(a) + 1);
        let top0 = b.int_bin(IntBinOp::Add, cbase, size);
        let top = b.int_bin(IntBinOp::Add, top0, a1);
        let slen = b.load(Type::I64, vm, cl.vm_stack_len);
        let fits = b.icmp(Cond::Ule, top, slen);
        check(b, fits);
        // The caller resumes after the call: `pc` is the low half of its pc word, whose
        // high half (`nvarargs`) is 0 unless the caller is vararg.
        let npc = b.iconst(pc as i64 + 1);
        let w = if self.fixed_args {
            npc
        } else {
            let pcw = b.load(Type::I64, nf, F_PC_WORD - FRAME_SIZE);
            let hi = b.iconst(!0xffff_ffff);
            let keep = b.int_bin(IntBinOp::And, pcw, hi);
            b.int_bin(IntBinOp::Or, keep, npc)
        };
        b.store(nf, F_PC_WORD - FRAME_SIZE, w);
        // The callee's frame, as `call_push` builds it.
        let func = b.int_bin(IntBinOp::Add, cbase, va);
        let nbase = b.int_bin(IntBinOp::Add, cbase, a1);
        b.store(nf, F_KIND, zero);
        b.store(nf, F_KIND + 8, clo);
        b.store(nf, F_FUNC, func);
        b.store(nf, F_BASE, nbase);
        b.store(nf, F_TOP, top);
        b.store(nf, F_PC_WORD, zero);
        let rw = b.iconst(i64::from(nres) | i64::from(crate::runtime::vm::FRAME_ENTRY) << 8);
        b.store(nf, F_RES_WORD, rw);
        let flen1 = b.int_bin(IntBinOp::Add, flen, one);
        b.store(vm, cl.vm_frames_len, flen1);
        let ent = b.load(Type::I64, proto, cl.p_entries);
        let ent1 = b.int_bin(IntBinOp::Add, ent, one);
        b.store(proto, cl.p_entries, ent1);
        if cl.count_calls {
            let calls = b.load(Type::I64, vm, cl.vm_calls);
            let calls1 = b.int_bin(IntBinOp::Add, calls, one);
            b.store(vm, cl.vm_calls, calls1);
        }
        if let Some(addr) = cl.native_calls {
            let counter = b.iconst(addr as i64);
            let n = b.load(Type::I64, counter, 0);
            let n1 = b.int_bin(IntBinOp::Add, n, one);
            b.store(counter, 0, n1);
        }
        let ctx = b.ctx_ptr();
        b.store(ctx, apogee_jit::abi::CTX_CLOSURE, clo);
        let window = Reg(u32::from(a) + 1);
        let entry = b.load(Type::I64, proto, cl.p_entry);
        let code = b.call_native(Callee::Dyn(entry), window, apogee_jit::ir::DEPTH_CHECKED);
        // A return of at least `nres` values (`ExitCode::Return`, `lower::ret_payload`):
        // the count plus 1, in the top byte, at least `nres + 1`. One unsigned compare
        // of the whole code says so, since no other code that tier-compiled code returns
        // has a nonzero top byte (see the assertion on `MAX_WORDS` above).
        let pop = b.block();
        let slow = b.block();
        let need = b.iconst((i64::from(nres) + 1) << 56);
        let enough = b.icmp(Cond::Ule, need, code);
        b.branch(enough, pop, slow);
        b.switch_to(pop);
        // The callee's frame is the top one again (a return pops every frame it pushed):
        // counting down keeps nothing live across the call.
        let vm = b.vm_ptr();
        let n = b.load(Type::I64, vm, cl.vm_frames_len);
        let n1 = b.int_bin(IntBinOp::Sub, n, one);
        b.store(vm, cl.vm_frames_len, n1);
        // `first * VALUE_SIZE`, from bits 48..56.
        let s44 = b.iconst(44);
        let f = b.int_bin(IntBinOp::ShrU, code, s44);
        let fmask = b.iconst(0xff << 4);
        let foff = b.int_bin(IntBinOp::And, f, fmask);
        let win = b.reg_addr(window);
        let src = b.int_bin(IntBinOp::Add, win, foff);
        // Forward copy: each destination is below its source.
        for k in 0..u32::from(nres) {
            let o = k as i32 * apogee_jit::abi::VALUE_SIZE;
            let w0 = b.load(Type::I64, src, o);
            let w1 = b.load(Type::I64, src, o + 8);
            b.store_slot(Reg(u32::from(a) + k), w0, w1);
        }
        // `vm.pack_end` is left alone: only a pack's consumer reads it, and this call's
        // result count is fixed.
        b.jump(cont);
        b.switch_to(slow);
        let ctx = b.ctx_ptr();
        // `call_pop` ignores its second and third arguments; `code` fills them (a
        // constant there would be kept in a register or spilled across the call).
        let sig = HelperSig::new(&[Type::I64; 4], &[Type::I64]);
        let st = b.call_helper(
            native::call_pop as Helper as usize,
            sig,
            &[ctx, code, code, code],
        );
        let st = st.first().copied().unwrap_or(zero);
        let okc = b.iconst(native::OK);
        let is_ok = b.icmp(Cond::Eq, st, okc);
        b.branch(is_ok, cont, err);
    }
}
