//! A convenience builder for [`Function`]s.
//!
//! The builder appends to a *current block*. Value-producing methods create a
//! fresh variable for their result and return it; to assign an existing
//! variable (a loop counter, say) use [`Builder::set`] or [`Builder::inst`]
//! with an explicit `dst`. Misuse (no current block, appending to a
//! terminated block) never panics: it is remembered and reported by
//! [`Builder::finish`], which also runs the validator.

use crate::ir::{
    Block, BlockId, Callee, Cond, FloatBinOp, FloatUnOp, Function, HelperSig, Inst, IntBinOp,
    IntUnOp, Reg, Terminator, Type, Var,
};
use crate::validate::{validate, IrError};

/// Builds a [`Function`] block by block.
#[derive(Debug)]
pub struct Builder {
    func: Function,
    current: Option<BlockId>,
    error: Option<IrError>,
}

impl Builder {
    /// A function with one empty block `b0`, which is entry 0 and the
    /// current block.
    pub fn new(name: &str) -> Builder {
        Builder {
            func: Function {
                name: name.to_string(),
                vars: Vec::new(),
                blocks: vec![Block::default()],
                entries: vec![BlockId(0)],
                exit_live: Vec::new(),
                return_pcs: Vec::new(),
                helper_writes: Vec::new(),
            },
            current: Some(BlockId(0)),
            error: None,
        }
    }

    /// Declares a variable.
    pub fn var(&mut self, ty: Type) -> Var {
        let v = Var(self.func.vars.len() as u32);
        self.func.vars.push(ty);
        v
    }

    /// Creates an empty block (not current).
    pub fn block(&mut self) -> BlockId {
        let b = BlockId(self.func.blocks.len() as u32);
        self.func.blocks.push(Block::default());
        b
    }

    /// Makes `b` an extra (OSR) entry point; returns its entry id, the value
    /// to put in `JitContext::entry`.
    pub fn add_entry(&mut self, b: BlockId) -> u32 {
        self.func.entries.push(b);
        (self.func.entries.len() - 1) as u32
    }

    /// Continues appending at `b`.
    pub fn switch_to(&mut self, b: BlockId) {
        self.current = Some(b);
    }

    /// The current block.
    pub fn current(&self) -> Option<BlockId> {
        self.current
    }

    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(IrError {
                block: self.current,
                inst: None,
                message,
            });
        }
    }

    fn current_block(&mut self) -> Option<&mut Block> {
        let Some(b) = self.current else {
            self.fail("no current block".to_string());
            return None;
        };
        let terminated = match self.func.blocks.get(b.0 as usize) {
            None => {
                self.fail(format!("current block {b} does not exist"));
                return None;
            }
            Some(block) => block.term.is_some(),
        };
        if terminated {
            self.fail(format!("block {b} is already terminated"));
            return None;
        }
        self.func.blocks.get_mut(b.0 as usize)
    }

    /// Appends a raw instruction to the current block.
    pub fn inst(&mut self, inst: Inst) {
        if let Some(block) = self.current_block() {
            block.insts.push(inst);
        }
    }

    /// Ends the current block; there is no current block afterwards.
    pub fn terminate(&mut self, term: Terminator) {
        if let Some(block) = self.current_block() {
            block.term = Some(term);
        }
        self.current = None;
    }

    /// Sets the registers live after an exit to each pc (see [`Function::exit_live`]).
    pub fn set_exit_live(&mut self, live: Vec<[u64; 4]>) {
        self.func.exit_live = live;
    }

    /// Validates and returns the function.
    pub fn finish(self) -> Result<Function, IrError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        validate(&self.func)?;
        Ok(self.func)
    }

    /// Returns the function without validating it (for tests of the
    /// validator and for callers that validate later).
    pub fn finish_unchecked(self) -> Function {
        self.func
    }

    // ---- values -------------------------------------------------------

    /// A new `I64` constant.
    pub fn iconst(&mut self, value: i64) -> Var {
        let dst = self.var(Type::I64);
        self.inst(Inst::Iconst { dst, value });
        dst
    }

    /// A new `I8` constant (a boolean or a tag).
    pub fn i8const(&mut self, value: u8) -> Var {
        let dst = self.var(Type::I8);
        self.inst(Inst::Iconst {
            dst,
            value: i64::from(value),
        });
        dst
    }

    /// A new `F64` constant.
    pub fn fconst(&mut self, value: f64) -> Var {
        let dst = self.var(Type::F64);
        self.inst(Inst::Fconst { dst, value });
        dst
    }

    /// `dst = src`.
    pub fn set(&mut self, dst: Var, src: Var) {
        self.inst(Inst::Copy { dst, src });
    }

    fn typed(&mut self, v: Var, default: Type) -> Type {
        self.func.var_type(v).unwrap_or(default)
    }

    // ---- register slots -----------------------------------------------

    /// The tag of `R[reg]`.
    pub fn load_tag(&mut self, reg: Reg) -> Var {
        let dst = self.var(Type::I8);
        self.inst(Inst::LoadTag { dst, reg });
        dst
    }

    /// The integer payload of `R[reg]`.
    pub fn load_int(&mut self, reg: Reg) -> Var {
        let dst = self.var(Type::I64);
        self.inst(Inst::LoadInt { dst, reg });
        dst
    }

    /// The float payload of `R[reg]`.
    pub fn load_float(&mut self, reg: Reg) -> Var {
        let dst = self.var(Type::F64);
        self.inst(Inst::LoadFloat { dst, reg });
        dst
    }

    /// The boolean payload of `R[reg]`.
    pub fn load_bool(&mut self, reg: Reg) -> Var {
        let dst = self.var(Type::I8);
        self.inst(Inst::LoadBool { dst, reg });
        dst
    }

    /// Sets the tag of `R[reg]`.
    pub fn store_tag(&mut self, reg: Reg, tag: u8) {
        self.inst(Inst::StoreTag { reg, tag });
    }

    /// Sets the integer payload of `R[reg]`.
    pub fn store_int(&mut self, reg: Reg, src: Var) {
        self.inst(Inst::StoreInt { reg, src });
    }

    /// Sets the float payload of `R[reg]`.
    pub fn store_float(&mut self, reg: Reg, src: Var) {
        self.inst(Inst::StoreFloat { reg, src });
    }

    /// Sets the boolean payload of `R[reg]`.
    pub fn store_bool(&mut self, reg: Reg, src: Var) {
        self.inst(Inst::StoreBool { reg, src });
    }

    /// `R[reg] = (tag, src)` as one 16-byte store (`src: I64` or `F64`).
    pub fn store_value(&mut self, reg: Reg, tag: u8, src: Var) {
        self.inst(Inst::StoreValue { reg, tag, src });
    }

    /// `R[dst] = R[src]`.
    pub fn copy_slot(&mut self, dst: Reg, src: Reg) {
        self.inst(Inst::CopySlot { dst, src });
    }

    /// The address of `R[reg]` (valid until the next call).
    pub fn reg_addr(&mut self, reg: Reg) -> Var {
        let dst = self.var(Type::I64);
        self.inst(Inst::RegAddr { dst, reg });
        dst
    }

    /// A new variable of type `ty` loaded from `addr + offset` (see `Inst::Load`).
    pub fn load(&mut self, ty: Type, addr: Var, offset: i32) -> Var {
        let dst = self.var(ty);
        self.inst(Inst::Load { dst, addr, offset });
        dst
    }

    /// `*(addr + offset) = src` (see `Inst::Store`).
    pub fn store(&mut self, addr: Var, offset: i32, src: Var) {
        self.inst(Inst::Store { addr, offset, src });
    }

    /// The tag word and payload word of `R[reg]` (see `Inst::LoadSlot`).
    pub fn load_slot(&mut self, reg: Reg) -> (Var, Var) {
        let w0 = self.var(Type::I64);
        let w1 = self.var(Type::I64);
        self.inst(Inst::LoadSlot { w0, w1, reg });
        (w0, w1)
    }

    /// `R[reg] = (w0, w1)` (see `Inst::StoreSlot`).
    pub fn store_slot(&mut self, reg: Reg, w0: Var, w1: Var) {
        self.inst(Inst::StoreSlot { reg, w0, w1 });
    }

    /// `ctx.depth < ctx.max_depth` (see `Inst::DepthOk`).
    pub fn depth_ok(&mut self) -> Var {
        let dst = self.var(Type::I8);
        self.inst(Inst::DepthOk { dst });
        dst
    }

    /// The `JitContext` pointer.
    pub fn ctx_ptr(&mut self) -> Var {
        let dst = self.var(Type::I64);
        self.inst(Inst::CtxPtr { dst });
        dst
    }

    /// `ctx.vm`.
    pub fn vm_ptr(&mut self) -> Var {
        let dst = self.var(Type::I64);
        self.inst(Inst::VmPtr { dst });
        dst
    }

    // ---- arithmetic ---------------------------------------------------

    /// `a op b` on integers; the result has `a`'s type.
    pub fn int_bin(&mut self, op: IntBinOp, a: Var, b: Var) -> Var {
        let ty = self.typed(a, Type::I64);
        let dst = self.var(ty);
        self.inst(Inst::IntBin { op, dst, a, b });
        dst
    }

    /// `op a` on integers.
    pub fn int_un(&mut self, op: IntUnOp, src: Var) -> Var {
        let dst = self.var(Type::I64);
        self.inst(Inst::IntUn { op, dst, src });
        dst
    }

    /// `a op b` on floats.
    pub fn float_bin(&mut self, op: FloatBinOp, a: Var, b: Var) -> Var {
        let dst = self.var(Type::F64);
        self.inst(Inst::FloatBin { op, dst, a, b });
        dst
    }

    /// `op a` on floats.
    pub fn float_un(&mut self, op: FloatUnOp, src: Var) -> Var {
        let dst = self.var(Type::F64);
        self.inst(Inst::FloatUn { op, dst, src });
        dst
    }

    /// Integer comparison.
    pub fn icmp(&mut self, cond: Cond, a: Var, b: Var) -> Var {
        let dst = self.var(Type::I8);
        self.inst(Inst::IntCmp { cond, dst, a, b });
        dst
    }

    /// Float comparison.
    pub fn fcmp(&mut self, cond: Cond, a: Var, b: Var) -> Var {
        let dst = self.var(Type::I8);
        self.inst(Inst::FloatCmp { cond, dst, a, b });
        dst
    }

    /// Boolean negation.
    pub fn bool_not(&mut self, src: Var) -> Var {
        let dst = self.var(Type::I8);
        self.inst(Inst::BoolNot { dst, src });
        dst
    }

    /// Zero-extends a byte.
    pub fn extend8(&mut self, src: Var) -> Var {
        let dst = self.var(Type::I64);
        self.inst(Inst::Extend8 { dst, src });
        dst
    }

    /// Integer to float.
    pub fn int_to_float(&mut self, src: Var) -> Var {
        let dst = self.var(Type::F64);
        self.inst(Inst::IntToFloat { dst, src });
        dst
    }

    /// Exact float to integer: `(value, ok)`.
    pub fn float_to_int(&mut self, src: Var) -> (Var, Var) {
        let dst = self.var(Type::I64);
        let ok = self.var(Type::I8);
        self.inst(Inst::FloatToInt { dst, ok, src });
        (dst, ok)
    }

    /// `cond ? a : b`.
    pub fn select(&mut self, cond: Var, a: Var, b: Var) -> Var {
        let ty = self.typed(a, Type::I64);
        let dst = self.var(ty);
        self.inst(Inst::Select { dst, cond, a, b });
        dst
    }

    // ---- exits and calls ----------------------------------------------

    /// Exits to the interpreter at `exit_pc` unless `cond` holds.
    pub fn guard(&mut self, cond: Var, exit_pc: u32) {
        self.inst(Inst::Guard { cond, exit_pc });
    }

    /// Exits at `exit_pc` unless `R[reg]` has tag `tag`.
    pub fn guard_tag(&mut self, reg: Reg, tag: u8, exit_pc: u32) {
        let t = self.load_tag(reg);
        let want = self.i8const(tag);
        let ok = self.icmp(Cond::Eq, t, want);
        self.guard(ok, exit_pc);
    }

    /// Spends `amount` fuel; preempts at `exit_pc` when it runs out.
    pub fn fuel(&mut self, amount: u32, exit_pc: u32) {
        self.inst(Inst::Fuel { amount, exit_pc });
    }

    /// Calls a helper; returns fresh variables holding its results.
    pub fn call_helper(&mut self, addr: usize, sig: HelperSig, args: &[Var]) -> Vec<Var> {
        self.call_helper_at(None, addr, sig, args)
    }

    /// [`Builder::call_helper`] for a helper that looks only at the registers live at
    /// `live_pc` (see `Inst::CallHelper`).
    pub fn call_helper_at(
        &mut self,
        live_pc: Option<u32>,
        addr: usize,
        sig: HelperSig,
        args: &[Var],
    ) -> Vec<Var> {
        let results: Vec<Var> = sig.results.iter().map(|&t| self.var(t)).collect();
        self.inst(Inst::CallHelper {
            addr,
            sig,
            args: args.to_vec(),
            results: results.clone(),
            live_pc,
        });
        results
    }

    /// Calls a compiled function on the window starting at `window`; returns
    /// the raw exit code.
    pub fn call_native(&mut self, callee: Callee, window: Reg, exit_pc: u32) -> Var {
        let result = self.var(Type::I64);
        self.inst(Inst::CallNative {
            callee,
            window,
            result,
            exit_pc,
        });
        result
    }

    /// Leaves with `code` if it is not 0.
    pub fn exit_if_nonzero(&mut self, code: Var) {
        self.inst(Inst::ExitIfNonzero { code });
    }

    // ---- terminators --------------------------------------------------

    /// `jump to`.
    pub fn jump(&mut self, to: BlockId) {
        self.terminate(Terminator::Jump(to));
    }

    /// `branch cond, then_to, else_to`.
    pub fn branch(&mut self, cond: Var, then_to: BlockId, else_to: BlockId) {
        self.terminate(Terminator::Branch {
            cond,
            then_to,
            else_to,
        });
    }

    /// Returns `ExitCode::Return(value)`.
    pub fn ret(&mut self, value: u32) {
        self.terminate(Terminator::Return { value });
    }

    /// Returns `ExitCode::Return(value)`, after which the interpreter carries on at `pc`
    /// (see [`Function::return_pcs`]).
    pub fn ret_at(&mut self, value: u32, pc: u32) {
        if !self.func.return_pcs.iter().any(|&(v, _)| v == value) {
            self.func.return_pcs.push((value, pc));
        }
        self.ret(value);
    }

    /// Returns the raw code in `code`.
    pub fn ret_code(&mut self, code: Var) {
        self.terminate(Terminator::ReturnCode {
            code,
            live_pc: None,
        });
    }

    /// Returns the raw code in `code`, after which nothing looks at registers other than
    /// those live at `pc` (an error raised there: see `Terminator::ReturnCode`).
    pub fn ret_code_at(&mut self, code: Var, pc: u32) {
        self.terminate(Terminator::ReturnCode {
            code,
            live_pc: Some(pc),
        });
    }

    /// Exits to the interpreter at `pc`.
    pub fn exit(&mut self, pc: u32) {
        self.terminate(Terminator::Exit { pc });
    }
}
