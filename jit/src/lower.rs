//! Lowering of a validated [`Function`] to Cranelift IR.
//!
//! Shape of the generated function `fn(ctx) -> u64`:
//!
//! ```text
//! dispatch:  sel = ctx.entry; base = ctx.base
//!            sel == 0 ? entries[0] : (ctx.entry = 0;
//!                                     sel == 1 ? entries[1] : ... : bad_entry)
//! b0..bn:    one Cranelift block per IR block, in order
//! exits:     cold blocks, one per distinct side exit, each `return code`
//! ```
//!
//! The window base lives in a Cranelift `Variable` so that it can be redefined
//! (reloaded from `ctx.base`) after every call; every slot access uses the
//! current definition. IR variables map one-to-one to Cranelift `Variable`s.

use std::collections::HashMap;

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    self as clif, types, AbiParam, BlockArg, FuncRef, InstBuilder, MemFlagsData, Signature,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};

use crate::abi::{
    make_code, CTX_BASE, CTX_DEPTH, CTX_ENTRY, CTX_FUEL, CTX_MAX_DEPTH, CTX_VM, KIND_BAD_ENTRY,
    KIND_EXIT, KIND_PREEMPT, KIND_RETURN, PAYLOAD_OFFSET, TAG_OFFSET, VALUE_SIZE,
};
use crate::ir::{
    BlockId, Callee, Cond, FloatBinOp, FloatUnOp, Function, HelperSig, Inst, IntBinOp, IntUnOp,
    Reg, Terminator, Type, Var, DEPTH_CHECKED,
};
use crate::promote::{self, Bits, Kind, State};

/// The Cranelift signature of a compiled function's entry.
pub(crate) fn entry_signature(call_conv: CallConv) -> Signature {
    let mut sig = Signature::new(call_conv);
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

fn clif_type(t: Type) -> clif::Type {
    match t {
        Type::I64 => types::I64,
        Type::F64 => types::F64,
        Type::I8 => types::I8,
    }
}

fn abi_param(t: Type) -> AbiParam {
    match t {
        // C callers and callees of `u8`/`bool` expect them zero-extended.
        Type::I8 => AbiParam::new(types::I8).uext(),
        _ => AbiParam::new(clif_type(t)),
    }
}

fn helper_signature(sig: &HelperSig, call_conv: CallConv) -> Signature {
    let mut s = Signature::new(call_conv);
    s.params.extend(sig.params.iter().map(|&t| abi_param(t)));
    s.returns.extend(sig.results.iter().map(|&t| abi_param(t)));
    s
}

fn int_cc(c: Cond) -> IntCC {
    match c {
        Cond::Eq => IntCC::Equal,
        Cond::Ne => IntCC::NotEqual,
        Cond::Lt => IntCC::SignedLessThan,
        Cond::Le => IntCC::SignedLessThanOrEqual,
        Cond::Gt => IntCC::SignedGreaterThan,
        Cond::Ge => IntCC::SignedGreaterThanOrEqual,
        Cond::Ult => IntCC::UnsignedLessThan,
        Cond::Ule => IntCC::UnsignedLessThanOrEqual,
    }
}

/// Float conditions: all ordered except `Ne` (see `ir::Cond`). The validator
/// rejects `Ult`/`Ule` on floats; they map to ordered conditions anyway so
/// that this function is total.
fn float_cc(c: Cond) -> FloatCC {
    match c {
        Cond::Eq => FloatCC::Equal,
        Cond::Ne => FloatCC::NotEqual,
        Cond::Lt | Cond::Ult => FloatCC::LessThan,
        Cond::Le | Cond::Ule => FloatCC::LessThanOrEqual,
        Cond::Gt => FloatCC::GreaterThan,
        Cond::Ge => FloatCC::GreaterThanOrEqual,
    }
}

fn slot_offset(reg: Reg, field: i32) -> i32 {
    // MAX_REG * 16 + 8 < 2^29, checked by the validator.
    (reg.0 as i32) * VALUE_SIZE + field
}

/// Memory accesses to slots and to the context: aligned and never trapping,
/// by the caller's contract on `ctx` and the window.
fn mem() -> MemFlagsData {
    MemFlagsData::trusted()
}

struct Lowerer<'a, 'b> {
    b: FunctionBuilder<'b>,
    func: &'a Function,
    call_conv: CallConv,
    self_ref: FuncRef,
    ctx: clif::Value,
    base: Variable,
    vars: Vec<Variable>,
    blocks: Vec<clif::Block>,
    /// Side-exit blocks by raw return code, filled in at the end.
    exits: HashMap<u64, clif::Block>,
    /// The block returning its one `i64` parameter, if needed.
    ret_param: Option<clif::Block>,
    /// Flags of register-slot tag and payload accesses (see [`slot_regions`]).
    tag_mem: MemFlagsData,
    pay_mem: MemFlagsData,
    /// Promoted cells (`promote`): each cell's `I64` variable (the tag word, or the
    /// payload as an integer word) and, for payload cells, its `F64` variable.
    word: Vec<Variable>,
    fpay: Vec<Variable>,
    /// Registers below this are promoted (0: promotion off).
    limit: u32,
    /// The cells' state at the point being lowered, and at the start of each IR block.
    state: State,
    ins: Vec<State>,
    /// The cells each IR block may look at before overwriting them (`promote`).
    needed: Vec<Bits>,
    /// `iconst.i64 tag` for the small tag numbers, defined in the dispatch block (one
    /// value per tag, so that phis of a tag stored on every path fold away).
    tags: Vec<clif::Value>,
    /// By IR variable: used in one block only, written there before any read
    /// ([`block_local_vars`]); such a variable is its current SSA value (`vals`) rather
    /// than a Cranelift `Variable`.
    local: Vec<bool>,
    vals: Vec<Option<clif::Value>>,
}

/// Which variables of `func` live within one block: every read and write is in one
/// block, and a write comes before the first read. Most IR variables are such
/// temporaries; lowering them as plain SSA values instead of `cranelift_frontend`
/// `Variable`s keeps the frontend's side tables (variables x blocks) small: with every
/// variable a `Variable`, compiling a 7,500-word proc took 1.7 s and 2.4 GB.
fn block_local_vars(func: &Function) -> Vec<bool> {
    const NONE: u32 = u32::MAX;
    let n = func.vars.len();
    let mut home = vec![NONE; n];
    let mut local = vec![true; n];
    // The block in which a variable was last written (so "written before read here").
    let mut written_in = vec![NONE; n];
    for (bi, block) in func.blocks.iter().enumerate() {
        let bi = bi as u32;
        let mut visit = |v: Var, def: bool| {
            let i = v.0 as usize;
            if i >= n {
                return;
            }
            if home[i] == NONE {
                home[i] = bi;
            } else if home[i] != bi {
                local[i] = false;
            }
            if def {
                written_in[i] = bi;
            } else if written_in[i] != bi {
                local[i] = false;
            }
        };
        for inst in &block.insts {
            inst.for_each_var(&mut visit);
        }
        if let Some(v) = block.term.as_ref().and_then(Terminator::var) {
            visit(v, false);
        }
    }
    local
}

/// Memory flags for the tag words and for the payload words of register slots: two alias
/// regions of their own, disjoint from each other and from every other access (the IR
/// writes slots only through slot instructions: `ir::Inst::RegAddr`), so that Cranelift
/// forwards a value stored to a slot to later loads of it and drops repeated loads, until
/// the next call (calls may write any slot). Other accesses (context, helpers' memory,
/// `Load`/`Store`) have no region and are ordered with everything.
fn slot_regions(func: &mut clif::Function) -> (MemFlagsData, MemFlagsData) {
    let tag = func.dfg.alias_regions.insert(clif::AliasRegionData {
        user_id: 1,
        description: "slot tags".into(),
    });
    let pay = func.dfg.alias_regions.insert(clif::AliasRegionData {
        user_id: 2,
        description: "slot payloads".into(),
    });
    (
        mem().with_alias_region(Some(tag)),
        mem().with_alias_region(Some(pay)),
    )
}

/// Lowers `func` (which must have passed the validator) into `out`, whose
/// signature must be [`entry_signature`]. `self_ref` is how the function
/// refers to itself for `Callee::SelfFn`.
pub(crate) fn lower_function(
    func: &Function,
    out: &mut clif::Function,
    fctx: &mut FunctionBuilderContext,
    call_conv: CallConv,
    self_ref: FuncRef,
    frontend_config: TargetFrontendConfig,
    promote: bool,
) {
    // Unpromoted (the reference mode), every slot access is ordered with every other.
    let (tag_mem, pay_mem) = if promote {
        slot_regions(out)
    } else {
        (mem(), mem())
    };
    let mut b = FunctionBuilder::new(out, fctx);
    let dispatch = b.create_block();
    b.append_block_params_for_function_params(dispatch);
    b.switch_to_block(dispatch);
    let ctx = b.block_params(dispatch)[0];
    let base = b.declare_var(types::I64);
    let local = block_local_vars(func);
    let vars = func
        .vars
        .iter()
        .map(|&t| b.declare_var(clif_type(t)))
        .collect();
    let blocks = func.blocks.iter().map(|_| b.create_block()).collect();
    let limit = if promote { promote::MAX_PROMOTED } else { 0 };
    let promote::Analysis { ins, needed, cells } = promote::analyze(func, limit);
    let word = (0..cells).map(|_| b.declare_var(types::I64)).collect();
    let fpay = (0..cells).map(|_| b.declare_var(types::F64)).collect();
    let mut l = Lowerer {
        b,
        func,
        call_conv,
        self_ref,
        ctx,
        base,
        vars,
        blocks,
        exits: HashMap::new(),
        ret_param: None,
        tag_mem,
        pay_mem,
        word,
        fpay,
        limit,
        state: State::empty(cells),
        ins,
        needed,
        tags: Vec::new(),
        vals: vec![None; local.len()],
        local,
    };
    l.dispatch();
    for (i, block) in func.blocks.iter().enumerate() {
        l.b.switch_to_block(l.blocks[i]);
        l.state = l.ins[i].clone();
        for inst in &block.insts {
            l.inst(inst);
            l.state.step(func, limit, inst);
        }
        if let Some(t) = &block.term {
            l.term(t);
        }
    }
    l.finish_exits();
    l.b.seal_all_blocks();
    l.b.finalize(frontend_config);
}

impl Lowerer<'_, '_> {
    fn var(&self, v: Var) -> Variable {
        self.vars[v.0 as usize]
    }

    fn get(&mut self, v: Var) -> clif::Value {
        let i = v.0 as usize;
        if self.local.get(i).copied().unwrap_or(false) {
            if let Some(val) = self.vals[i] {
                return val;
            }
            // Unreachable for a block-local variable (written before read); a variable
            // never written reads as zero.
            return match self.func.var_type(v) {
                Some(Type::F64) => self.b.ins().f64const(0.0),
                Some(Type::I8) => self.b.ins().iconst(types::I8, 0),
                _ => self.b.ins().iconst(types::I64, 0),
            };
        }
        let var = self.var(v);
        self.b.use_var(var)
    }

    fn def(&mut self, v: Var, val: clif::Value) {
        let i = v.0 as usize;
        if self.local.get(i).copied().unwrap_or(false) {
            self.vals[i] = Some(val);
            return;
        }
        let var = self.var(v);
        self.b.def_var(var, val);
    }

    fn base(&mut self) -> clif::Value {
        self.b.use_var(self.base)
    }

    fn reload_base(&mut self) {
        let base = self.b.ins().load(types::I64, mem(), self.ctx, CTX_BASE);
        self.b.def_var(self.base, base);
    }

    fn iconst(&mut self, v: i64) -> clif::Value {
        self.b.ins().iconst(types::I64, v)
    }

    /// A cold block that returns `code`; one per distinct code.
    fn exit_block(&mut self, code: u64) -> clif::Block {
        if let Some(&blk) = self.exits.get(&code) {
            return blk;
        }
        let blk = self.b.create_block();
        self.b.set_cold_block(blk);
        self.exits.insert(code, blk);
        blk
    }

    /// Branches to the exit returning `code` when `cond` is nonzero and
    /// continues in a fresh block otherwise. The exit flushes the dirty cells first
    /// (then it is a block of its own; exits with nothing to flush are shared).
    fn exit_if(&mut self, cond: clif::Value, code: u64, pc: u32) {
        if !self.exit_flush(Some(pc)).is_empty() {
            let c = self.iconst(code as i64);
            self.flush_and_return_if(cond, c, Some(pc));
            return;
        }
        let cont = self.b.create_block();
        let exit = self.exit_block(code);
        self.b.ins().brif(cond, exit, &[], cont, &[]);
        self.b.switch_to_block(cont);
    }

    /// Branches, when `cond` is nonzero, to a cold block of its own that writes the dirty
    /// cells back (those of registers live at `pc`, if given) and returns `code`;
    /// continues in a fresh block otherwise.
    fn flush_and_return_if(&mut self, cond: clif::Value, code: clif::Value, pc: Option<u32>) {
        let exit = self.b.create_block();
        self.b.set_cold_block(exit);
        let cont = self.b.create_block();
        self.b.ins().brif(cond, exit, &[], cont, &[]);
        self.b.switch_to_block(exit);
        self.flush_for_exit(pc);
        self.b.ins().return_(&[code]);
        self.b.switch_to_block(cont);
    }

    /// The offset of a cell's word in the window.
    fn cell_offset(c: usize) -> i32 {
        let field = if promote::is_tag(c) {
            TAG_OFFSET
        } else {
            PAYLOAD_OFFSET
        };
        slot_offset(Reg((c / 2) as u32), field)
    }

    /// Writes the cells in `cells` back to the window, from their variables as `float`
    /// says they are held. With `fence`, the stores have no alias region (Cranelift
    /// orders them with every access: for memory that `Load`s through a `RegAddr`
    /// address read next).
    fn flush(&mut self, cells: &Bits, float: &Bits, fence: bool) {
        for c in cells.iter() {
            let base = self.base();
            let off = Self::cell_offset(c);
            let (v, mut flags) = if promote::is_tag(c) {
                (self.b.use_var(self.word[c]), self.tag_mem)
            } else if float.has(c) {
                (self.b.use_var(self.fpay[c]), self.pay_mem)
            } else {
                (self.b.use_var(self.word[c]), self.pay_mem)
            };
            if fence {
                flags = mem();
            }
            self.b.ins().store(flags, v, base, off);
        }
    }

    /// The dirty cells an exit to `pc` writes back: those of the registers live there
    /// (`Function::exit_live`), or all of them (`None`: a return, a propagated code).
    fn exit_flush(&self, pc: Option<u32>) -> Bits {
        let mut cells = self.state.dirty.clone();
        if let Some(pc) = pc {
            cells.intersect(&promote::exit_needs(self.func, self.word.len(), pc));
        }
        cells
    }

    /// Writes back what an exit to `pc` needs ([`Lowerer::exit_flush`]).
    fn flush_for_exit(&mut self, pc: Option<u32>) {
        let cells = self.exit_flush(pc);
        let float = self.state.float.clone();
        self.flush(&cells, &float, false);
    }

    /// A barrier (`promote`): flushes, then drops every cell. `fence` as for
    /// [`Lowerer::flush`].
    fn barrier(&mut self, fence: bool) {
        let (dirty, float) = (self.state.dirty.clone(), self.state.float.clone());
        self.flush(&dirty, &float, fence);
        self.state.drop_all();
    }

    /// Loads a cell from the window into its variable, as `kind` for a payload.
    fn load_cell(&mut self, c: usize, kind: Kind) -> clif::Value {
        let base = self.base();
        let off = Self::cell_offset(c);
        if promote::is_tag(c) {
            let v = self.b.ins().load(types::I64, self.tag_mem, base, off);
            self.b.def_var(self.word[c], v);
            v
        } else if kind == Kind::Float {
            let v = self.b.ins().load(types::F64, self.pay_mem, base, off);
            self.b.def_var(self.fpay[c], v);
            v
        } else {
            let v = self.b.ins().load(types::I64, self.pay_mem, base, off);
            self.b.def_var(self.word[c], v);
            v
        }
    }

    /// Emits what going from the current state to `to` needs (see `promote`).
    fn reconcile(&mut self, to: BlockId) {
        let i = to.0 as usize;
        let to = &self.ins[i].clone();
        let from = self.state.clone();
        let flush = promote::edge_flush(&from, to, &self.needed[i]);
        self.flush(&flush, &from.float, false);
        for c in to.valid.minus(&from.valid).iter() {
            let kind = if to.float.has(c) {
                Kind::Float
            } else {
                Kind::Int
            };
            self.load_cell(c, kind);
        }
        for c in to.valid.iter() {
            if !from.valid.has(c) || from.float.has(c) == to.float.has(c) {
                continue;
            }
            if to.float.has(c) {
                let w = self.b.use_var(self.word[c]);
                let f = self.b.ins().bitcast(types::F64, MemFlagsData::new(), w);
                self.b.def_var(self.fpay[c], f);
            } else {
                let f = self.b.use_var(self.fpay[c]);
                let w = self.b.ins().bitcast(types::I64, MemFlagsData::new(), f);
                self.b.def_var(self.word[c], w);
            }
        }
    }

    /// The Cranelift block to branch to for IR block `to` from the current state: `to`'s
    /// own block, or a new block holding the reconciling code (filled in by
    /// [`Lowerer::fill_edges`]).
    fn edge_target(
        &mut self,
        to: BlockId,
        pending: &mut Vec<(clif::Block, BlockId)>,
    ) -> clif::Block {
        let target = self.blocks[to.0 as usize];
        let i = to.0 as usize;
        if promote::edge_is_empty(&self.state, &self.ins[i], &self.needed[i]) {
            return target;
        }
        let blk = self.b.create_block();
        pending.push((blk, to));
        blk
    }

    /// Fills the edge blocks of [`Lowerer::edge_target`] (the state is still the
    /// predecessor's).
    fn fill_edges(&mut self, pending: Vec<(clif::Block, BlockId)>) {
        for (blk, to) in pending {
            self.b.switch_to_block(blk);
            self.reconcile(to);
            let target = self.blocks[to.0 as usize];
            self.b.ins().jump(target, &[]);
        }
    }

    /// The `I64` tag word of `reg` (from its variable when promoted).
    fn tag_word(&mut self, reg: Reg) -> clif::Value {
        match promote::tag_cell(self.limit, reg) {
            Some(c) if self.state.valid.has(c) => self.b.use_var(self.word[c]),
            Some(c) => self.load_cell(c, Kind::Int),
            None => {
                let base = self.base();
                self.b
                    .ins()
                    .load(types::I64, self.tag_mem, base, slot_offset(reg, TAG_OFFSET))
            }
        }
    }

    /// The payload of `reg` as `kind` (`I64` or `F64`).
    fn payload(&mut self, reg: Reg, kind: Kind) -> clif::Value {
        let Some(c) = promote::pay_cell(self.limit, reg) else {
            let ty = if kind == Kind::Float {
                types::F64
            } else {
                types::I64
            };
            let base = self.base();
            return self
                .b
                .ins()
                .load(ty, self.pay_mem, base, slot_offset(reg, PAYLOAD_OFFSET));
        };
        if !self.state.valid.has(c) {
            return self.load_cell(c, kind);
        }
        match (self.state.float.has(c), kind) {
            (true, Kind::Float) => self.b.use_var(self.fpay[c]),
            (false, Kind::Int) => self.b.use_var(self.word[c]),
            (true, Kind::Int) => {
                let f = self.b.use_var(self.fpay[c]);
                self.b.ins().bitcast(types::I64, MemFlagsData::new(), f)
            }
            (false, Kind::Float) => {
                let w = self.b.use_var(self.word[c]);
                self.b.ins().bitcast(types::F64, MemFlagsData::new(), w)
            }
        }
    }

    /// `reg`'s tag word := `v` (`I64`).
    fn set_tag_word(&mut self, reg: Reg, v: clif::Value) {
        match promote::tag_cell(self.limit, reg) {
            Some(c) => self.b.def_var(self.word[c], v),
            None => {
                let base = self.base();
                self.b
                    .ins()
                    .store(self.tag_mem, v, base, slot_offset(reg, TAG_OFFSET));
            }
        }
    }

    /// `reg`'s payload := `v` (`I64` for `Kind::Int`, `F64` for `Kind::Float`).
    fn set_payload(&mut self, reg: Reg, v: clif::Value, kind: Kind) {
        match promote::pay_cell(self.limit, reg) {
            Some(c) if kind == Kind::Float => self.b.def_var(self.fpay[c], v),
            Some(c) => self.b.def_var(self.word[c], v),
            None => {
                let base = self.base();
                self.b
                    .ins()
                    .store(self.pay_mem, v, base, slot_offset(reg, PAYLOAD_OFFSET));
            }
        }
    }

    /// `iconst.i64 tag`, shared when the tag is small.
    fn tag_const(&mut self, tag: u8) -> clif::Value {
        match self.tags.get(usize::from(tag)) {
            Some(&v) => v,
            None => self.b.ins().iconst(types::I64, i64::from(tag)),
        }
    }

    fn dispatch(&mut self) {
        let sel = self.b.ins().load(types::I32, mem(), self.ctx, CTX_ENTRY);
        self.reload_base();
        self.tags = (0..16)
            .map(|t| self.b.ins().iconst(types::I64, t))
            .collect();
        let entries = self.func.entries.clone();
        let mut pending = Vec::new();
        // Entry 0 (every native call) straight away: `ctx.entry` is 0 and stays so. Any
        // other id is reset to 0 (see `JitContext::entry`), out of line.
        let mut rest = &entries[..];
        if let Some((&first, others)) = entries.split_first() {
            let target = self.edge_target(first, &mut pending);
            let other = self.b.create_block();
            self.b.set_cold_block(other);
            self.b.ins().brif(sel, other, &[], target, &[]);
            self.b.switch_to_block(other);
            rest = others;
        }
        let zero = self.b.ins().iconst(types::I32, 0);
        self.b.ins().store(mem(), zero, self.ctx, CTX_ENTRY);
        let skip = entries.len() - rest.len();
        for (k, e) in rest.iter().enumerate() {
            let k = k + skip;
            let target = self.edge_target(*e, &mut pending);
            let next = self.b.create_block();
            let hit = self.b.ins().icmp_imm_s(IntCC::Equal, sel, k as i64);
            self.b.ins().brif(hit, target, &[], next, &[]);
            self.b.switch_to_block(next);
        }
        // No entry matched: report the id.
        let wide = self.b.ins().uextend(types::I64, sel);
        let shifted = self.b.ins().ishl_imm_s(wide, 32);
        let code = self.b.ins().bor_imm_u(shifted, KIND_BAD_ENTRY as i64);
        self.b.ins().return_(&[code]);
        self.fill_edges(pending);
    }

    fn finish_exits(&mut self) {
        let mut exits: Vec<(u64, clif::Block)> = self.exits.drain().collect();
        exits.sort_by_key(|&(code, _)| code);
        for (code, blk) in exits {
            self.b.switch_to_block(blk);
            let c = self.iconst(code as i64);
            self.b.ins().return_(&[c]);
        }
        if let Some(blk) = self.ret_param {
            self.b.switch_to_block(blk);
            let code = self.b.block_params(blk)[0];
            self.b.ins().return_(&[code]);
        }
    }

    fn int_bin(&mut self, op: IntBinOp, a: clif::Value, b: clif::Value) -> clif::Value {
        match op {
            IntBinOp::Add => self.b.ins().iadd(a, b),
            IntBinOp::Sub => self.b.ins().isub(a, b),
            IntBinOp::Mul => self.b.ins().imul(a, b),
            IntBinOp::And => self.b.ins().band(a, b),
            IntBinOp::Or => self.b.ins().bor(a, b),
            IntBinOp::Xor => self.b.ins().bxor(a, b),
            IntBinOp::Shl => self.b.ins().ishl(a, b),
            IntBinOp::ShrU => self.b.ins().ushr(a, b),
            IntBinOp::ShrS => self.b.ins().sshr(a, b),
            IntBinOp::ShlSigned => {
                let left = self.b.ins().ishl(a, b);
                let neg_b = self.b.ins().ineg(b);
                let right = self.b.ins().ushr(a, neg_b);
                let is_neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, b, 0);
                let shifted = self.b.ins().select(is_neg, right, left);
                let too_left = self
                    .b
                    .ins()
                    .icmp_imm_s(IntCC::SignedGreaterThanOrEqual, b, 64);
                let too_right = self
                    .b
                    .ins()
                    .icmp_imm_s(IntCC::SignedLessThanOrEqual, b, -64);
                let out = self.b.ins().bor(too_left, too_right);
                let zero = self.iconst(0);
                self.b.ins().select(out, zero, shifted)
            }
            IntBinOp::DivU => {
                let is_0 = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
                let one = self.iconst(1);
                let safe_b = self.b.ins().select(is_0, one, b);
                let q = self.b.ins().udiv(a, safe_b);
                let zero = self.iconst(0);
                self.b.ins().select(is_0, zero, q)
            }
            IntBinOp::FloorDiv | IntBinOp::FloorMod => {
                // Division by 0 or -1 is replaced by division by 1 so that
                // `sdiv`/`srem` can never trap; the results are fixed below.
                let is_m1 = self.b.ins().icmp_imm_s(IntCC::Equal, b, -1);
                let is_0 = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
                let bad = self.b.ins().bor(is_m1, is_0);
                let one = self.iconst(1);
                let safe_b = self.b.ins().select(bad, one, b);
                let q = self.b.ins().sdiv(a, safe_b);
                let r = self.b.ins().srem(a, safe_b);
                // Truncated and floor results differ when the remainder is
                // nonzero and its sign differs from the divisor's.
                let r_nz = self.b.ins().icmp_imm_s(IntCC::NotEqual, r, 0);
                let signs = self.b.ins().bxor(r, b);
                let differ = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, signs, 0);
                let adjust = self.b.ins().band(r_nz, differ);
                if op == IntBinOp::FloorDiv {
                    let zero = self.iconst(0);
                    let q1 = self.b.ins().iadd_imm_s(q, -1);
                    let q = self.b.ins().select(adjust, q1, q);
                    let neg_a = self.b.ins().ineg(a);
                    let q = self.b.ins().select(is_m1, neg_a, q);
                    self.b.ins().select(is_0, zero, q)
                } else {
                    let rb = self.b.ins().iadd(r, b);
                    let r = self.b.ins().select(adjust, rb, r);
                    // With b replaced by 1, r is already 0 for b in {0, -1}.
                    r
                }
            }
        }
    }

    fn inst(&mut self, inst: &Inst) {
        match inst {
            Inst::Iconst { dst, value } => {
                // Cranelift wants narrow immediates zero-extended.
                let v = match self.func.var_type(*dst) {
                    Some(Type::I8) => self.b.ins().iconst(types::I8, *value & 0xff),
                    _ => self.b.ins().iconst(types::I64, *value),
                };
                self.def(*dst, v);
            }
            Inst::Fconst { dst, value } => {
                let v = self.b.ins().f64const(*value);
                self.def(*dst, v);
            }
            Inst::Copy { dst, src } => {
                let v = self.get(*src);
                self.def(*dst, v);
            }
            Inst::LoadTag { dst, reg } => {
                // The whole tag word (its upper bytes are 0 in every valid value).
                let w = self.tag_word(*reg);
                let v = self.b.ins().ireduce(types::I8, w);
                self.def(*dst, v);
            }
            Inst::LoadInt { dst, reg } => {
                let v = self.payload(*reg, Kind::Int);
                self.def(*dst, v);
            }
            Inst::LoadFloat { dst, reg } => {
                let v = self.payload(*reg, Kind::Float);
                self.def(*dst, v);
            }
            Inst::LoadBool { dst, reg } => {
                let w = self.payload(*reg, Kind::Int);
                let byte = self.b.ins().ireduce(types::I8, w);
                let v = self.b.ins().icmp_imm_s(IntCC::NotEqual, byte, 0);
                self.def(*dst, v);
            }
            Inst::StoreTag { reg, tag } => {
                // The whole word (the runtime's tag is a 64-bit word).
                let t = self.tag_const(*tag);
                self.set_tag_word(*reg, t);
            }
            Inst::StoreInt { reg, src } => {
                let v = self.get(*src);
                self.set_payload(*reg, v, Kind::Int);
            }
            Inst::StoreFloat { reg, src } => {
                let v = self.get(*src);
                self.set_payload(*reg, v, Kind::Float);
            }
            Inst::StoreValue { reg, tag, src } => {
                // The payload keeps its own type (an `F64` stays a float).
                let v = self.get(*src);
                let kind = match self.func.var_type(*src) {
                    Some(Type::F64) => Kind::Float,
                    _ => Kind::Int,
                };
                let t = self.tag_const(*tag);
                self.set_tag_word(*reg, t);
                self.set_payload(*reg, v, kind);
            }
            Inst::StoreBool { reg, src } => {
                let v = self.get(*src);
                let norm = self.b.ins().icmp_imm_s(IntCC::NotEqual, v, 0);
                let wide = self.b.ins().uextend(types::I64, norm);
                self.set_payload(*reg, wide, Kind::Int);
            }
            Inst::CopySlot { dst, src } => {
                let lo = self.tag_word(*src);
                // The payload moves in whichever variable holds it.
                let kind = match promote::pay_cell(self.limit, *src) {
                    Some(c) if self.state.valid.has(c) && self.state.float.has(c) => Kind::Float,
                    _ => Kind::Int,
                };
                let hi = self.payload(*src, kind);
                self.set_tag_word(*dst, lo);
                self.set_payload(*dst, hi, kind);
            }
            Inst::LoadSlot { w0, w1, reg } => {
                let lo = self.tag_word(*reg);
                let hi = self.payload(*reg, Kind::Int);
                self.def(*w0, lo);
                self.def(*w1, hi);
            }
            Inst::StoreSlot { reg, w0, w1 } => {
                let (lo, hi) = (self.get(*w0), self.get(*w1));
                self.set_tag_word(*reg, lo);
                self.set_payload(*reg, hi, Kind::Int);
            }
            Inst::RegAddr { dst, reg } => {
                // The address escapes: the window must be current, and later reads reload.
                self.barrier(true);
                let base = self.base();
                let v = self
                    .b
                    .ins()
                    .iadd_imm_s(base, i64::from(slot_offset(*reg, 0)));
                self.def(*dst, v);
            }
            Inst::Load { dst, addr, offset } => {
                let ty = clif_type(self.func.var_type(*dst).unwrap_or(Type::I64));
                let a = self.get(*addr);
                let v = self.b.ins().load(ty, mem(), a, *offset);
                self.def(*dst, v);
            }
            Inst::Store { addr, offset, src } => {
                let a = self.get(*addr);
                let v = self.get(*src);
                self.b.ins().store(mem(), v, a, *offset);
            }
            Inst::DepthOk { dst } => {
                let ctx = self.ctx;
                let depth = self.b.ins().load(types::I32, mem(), ctx, CTX_DEPTH);
                let max = self.b.ins().load(types::I32, mem(), ctx, CTX_MAX_DEPTH);
                let v = self.b.ins().icmp(IntCC::UnsignedLessThan, depth, max);
                self.def(*dst, v);
            }
            Inst::CtxPtr { dst } => {
                let ctx = self.ctx;
                self.def(*dst, ctx);
            }
            Inst::VmPtr { dst } => {
                let v = self.b.ins().load(types::I64, mem(), self.ctx, CTX_VM);
                self.def(*dst, v);
            }
            Inst::IntBin { op, dst, a, b } => {
                let (a, b) = (self.get(*a), self.get(*b));
                let v = self.int_bin(*op, a, b);
                self.def(*dst, v);
            }
            Inst::IntUn { op, dst, src } => {
                let s = self.get(*src);
                let v = match op {
                    IntUnOp::Neg => self.b.ins().ineg(s),
                    IntUnOp::Not => self.b.ins().bnot(s),
                };
                self.def(*dst, v);
            }
            Inst::FloatBin { op, dst, a, b } => {
                let (a, b) = (self.get(*a), self.get(*b));
                let v = match op {
                    FloatBinOp::Add => self.b.ins().fadd(a, b),
                    FloatBinOp::Sub => self.b.ins().fsub(a, b),
                    FloatBinOp::Mul => self.b.ins().fmul(a, b),
                    FloatBinOp::Div => self.b.ins().fdiv(a, b),
                };
                self.def(*dst, v);
            }
            Inst::FloatUn { op, dst, src } => {
                let s = self.get(*src);
                let v = match op {
                    FloatUnOp::Neg => self.b.ins().fneg(s),
                    FloatUnOp::Abs => self.b.ins().fabs(s),
                    FloatUnOp::Sqrt => self.b.ins().sqrt(s),
                    FloatUnOp::Floor => self.b.ins().floor(s),
                    FloatUnOp::Ceil => self.b.ins().ceil(s),
                    FloatUnOp::Trunc => self.b.ins().trunc(s),
                };
                self.def(*dst, v);
            }
            Inst::IntCmp { cond, dst, a, b } => {
                let (a, b) = (self.get(*a), self.get(*b));
                let v = self.b.ins().icmp(int_cc(*cond), a, b);
                self.def(*dst, v);
            }
            Inst::FloatCmp { cond, dst, a, b } => {
                let (a, b) = (self.get(*a), self.get(*b));
                let v = self.b.ins().fcmp(float_cc(*cond), a, b);
                self.def(*dst, v);
            }
            Inst::BoolNot { dst, src } => {
                let s = self.get(*src);
                let v = self.b.ins().icmp_imm_s(IntCC::Equal, s, 0);
                self.def(*dst, v);
            }
            Inst::Extend8 { dst, src } => {
                let s = self.get(*src);
                let v = self.b.ins().uextend(types::I64, s);
                self.def(*dst, v);
            }
            Inst::IntToFloat { dst, src } => {
                let s = self.get(*src);
                let v = self.b.ins().fcvt_from_sint(types::F64, s);
                self.def(*dst, v);
            }
            Inst::FloatToInt { dst, ok, src } => {
                // Exact iff converting back gives the same float and the
                // float is below 2^63 (where the saturating conversion
                // would give i64::MAX, which converts back to 2^63).
                let s = self.get(*src);
                let i = self.b.ins().fcvt_to_sint_sat(types::I64, s);
                let back = self.b.ins().fcvt_from_sint(types::F64, i);
                let same = self.b.ins().fcmp(FloatCC::Equal, back, s);
                let limit = self.b.ins().f64const(9_223_372_036_854_775_808.0);
                let below = self.b.ins().fcmp(FloatCC::LessThan, s, limit);
                let good = self.b.ins().band(same, below);
                self.def(*dst, i);
                self.def(*ok, good);
            }
            Inst::Select { dst, cond, a, b } => {
                let c = self.get(*cond);
                let (a, b) = (self.get(*a), self.get(*b));
                let v = self.b.ins().select(c, a, b);
                self.def(*dst, v);
            }
            Inst::Guard { cond, exit_pc } => {
                let c = self.get(*cond);
                let failed = self.b.ins().icmp_imm_s(IntCC::Equal, c, 0);
                self.exit_if(failed, make_code(KIND_EXIT, *exit_pc), *exit_pc);
            }
            Inst::Fuel { amount, exit_pc } => {
                let fuel = self.b.ins().load(types::I64, mem(), self.ctx, CTX_FUEL);
                let left = self.b.ins().iadd_imm_s(fuel, -i64::from(*amount));
                self.b.ins().store(mem(), left, self.ctx, CTX_FUEL);
                let out = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, left, 0);
                self.exit_if(out, make_code(KIND_PREEMPT, *exit_pc), *exit_pc);
            }
            Inst::CallHelper {
                addr,
                sig,
                args,
                results,
                ..
            } => {
                self.barrier(false);
                let csig = helper_signature(sig, self.call_conv);
                let sigref = self.b.import_signature(csig);
                let callee = self.iconst(*addr as i64);
                let argv: Vec<clif::Value> = args.iter().map(|&a| self.get(a)).collect();
                let call = self.b.ins().call_indirect(sigref, callee, &argv);
                let outs: Vec<clif::Value> = self.b.inst_results(call).to_vec();
                for (&r, v) in results.iter().zip(outs) {
                    self.def(r, v);
                }
                self.reload_base();
            }
            Inst::CallNative {
                callee,
                window,
                result,
                exit_pc,
            } => self.call_native(*callee, *window, *result, *exit_pc),
            Inst::ExitIfNonzero { code } => {
                let c = self.get(*code);
                if !self.state.dirty.is_empty() {
                    self.flush_and_return_if(c, c, None);
                    return;
                }
                let ret = match self.ret_param {
                    Some(blk) => blk,
                    None => {
                        let blk = self.b.create_block();
                        self.b.append_block_param(blk, types::I64);
                        self.b.set_cold_block(blk);
                        self.ret_param = Some(blk);
                        blk
                    }
                };
                let cont = self.b.create_block();
                self.b.ins().brif(c, ret, &[BlockArg::Value(c)], cont, &[]);
                self.b.switch_to_block(cont);
            }
        }
    }

    fn call_native(&mut self, callee: Callee, window: Reg, result: Var, exit_pc: u32) {
        self.barrier(false);
        let ctx = self.ctx;
        let depth = self.b.ins().load(types::I32, mem(), ctx, CTX_DEPTH);
        if exit_pc != DEPTH_CHECKED {
            let max = self.b.ins().load(types::I32, mem(), ctx, CTX_MAX_DEPTH);
            let too_deep = self
                .b
                .ins()
                .icmp(IntCC::UnsignedGreaterThanOrEqual, depth, max);
            self.exit_if(too_deep, make_code(KIND_EXIT, exit_pc), exit_pc);
        }
        let deeper = self.b.ins().iadd_imm_s(depth, 1);
        self.b.ins().store(mem(), deeper, ctx, CTX_DEPTH);
        let shift = i64::from(slot_offset(window, 0));
        let base = self.base();
        let callee_base = self.b.ins().iadd_imm_s(base, shift);
        self.b.ins().store(mem(), callee_base, ctx, CTX_BASE);
        // `ctx.entry` is 0 already (`JitContext::entry`): the callee starts at entry 0.
        let call = match callee {
            Callee::SelfFn => self.b.ins().call(self.self_ref, &[ctx]),
            Callee::Addr(addr) => {
                let sigref = self.b.import_signature(entry_signature(self.call_conv));
                let target = self.iconst(addr as i64);
                self.b.ins().call_indirect(sigref, target, &[ctx])
            }
            Callee::Dyn(v) => {
                let sigref = self.b.import_signature(entry_signature(self.call_conv));
                let target = self.get(v);
                self.b.ins().call_indirect(sigref, target, &[ctx])
            }
        };
        let code = self.b.inst_results(call)[0];
        // The callee leaves the depth as it found it (one above ours): counting down
        // rather than storing `depth` keeps nothing live across the call.
        let now = self.b.ins().load(types::I32, mem(), ctx, CTX_DEPTH);
        let back = self.b.ins().iadd_imm_s(now, -1);
        self.b.ins().store(mem(), back, ctx, CTX_DEPTH);
        // The callee may have moved the stack: its final base locates ours.
        let after = self.b.ins().load(types::I64, mem(), ctx, CTX_BASE);
        let ours = self.b.ins().iadd_imm_s(after, -shift);
        self.b.ins().store(mem(), ours, ctx, CTX_BASE);
        self.b.def_var(self.base, ours);
        self.def(result, code);
    }

    fn term(&mut self, t: &Terminator) {
        match t {
            Terminator::Jump(to) => {
                self.reconcile(*to);
                let to = self.blocks[to.0 as usize];
                self.b.ins().jump(to, &[]);
            }
            Terminator::Branch {
                cond,
                then_to,
                else_to,
            } => {
                let c = self.get(*cond);
                let mut pending = Vec::new();
                let t = self.edge_target(*then_to, &mut pending);
                let e = self.edge_target(*else_to, &mut pending);
                self.b.ins().brif(c, t, &[], e, &[]);
                self.fill_edges(pending);
            }
            Terminator::Return { value } => {
                let pc = self.func.return_pcs.iter().find(|&&(v, _)| v == *value);
                self.flush_for_exit(pc.map(|&(_, pc)| pc));
                let c = self.iconst(make_code(KIND_RETURN, *value) as i64);
                self.b.ins().return_(&[c]);
            }
            Terminator::ReturnCode { code, live_pc } => {
                self.flush_for_exit(*live_pc);
                let c = self.get(*code);
                self.b.ins().return_(&[c]);
            }
            Terminator::Exit { pc } => {
                self.flush_for_exit(Some(*pc));
                let c = self.iconst(make_code(KIND_EXIT, *pc) as i64);
                self.b.ins().return_(&[c]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::block_local_vars;
    use crate::ir::{Cond, IntBinOp, Reg, Type};
    use crate::Builder;

    /// Temporaries written and read in one block are block-local; a variable read in
    /// another block, or read before it is written, is not.
    #[test]
    fn block_local_variables() {
        let mut b = Builder::new("locals");
        let carried = b.var(Type::I64);
        let early = b.var(Type::I64);
        let next = b.block();
        let x = b.load_int(Reg(0));
        let y = b.int_bin(IntBinOp::Add, x, x);
        b.set(carried, y);
        let z = b.int_bin(IntBinOp::Add, early, y);
        b.set(early, z);
        b.jump(next);
        b.switch_to(next);
        let c = b.icmp(Cond::Eq, carried, carried);
        b.branch(c, next, next);
        let f = b.finish().expect("valid");
        let local = block_local_vars(&f);
        assert!(!local[carried.0 as usize], "read in another block");
        assert!(!local[early.0 as usize], "read before written");
        for v in [x, y, z, c] {
            assert!(local[v.0 as usize], "{v} is a temporary");
        }
    }
}
