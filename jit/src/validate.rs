//! The IR validator: rejects malformed functions with an error, never panics.
//!
//! What it checks: at least one block and one entry; every block and variable
//! reference exists; every block is terminated; operand and result types fit
//! each instruction; register indices are at most [`MAX_REG`]; helper calls
//! match their signature (at most [`MAX_HELPER_ARGS`] parameters, at most one
//! result, a nonzero address); `I8` constants fit a byte; unsigned conditions
//! are not used on floats. Lowering relies on these facts and on nothing else.

use std::fmt;

use crate::ir::{
    BlockId, Callee, Cond, Function, Inst, IntBinOp, Reg, Terminator, Type, Var, MAX_HELPER_ARGS,
    MAX_REG,
};

/// Why a function is malformed, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IrError {
    /// The block, when the error is inside one.
    pub block: Option<BlockId>,
    /// The instruction index inside the block (`None` for the terminator or
    /// function-level errors).
    pub inst: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for IrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.block, self.inst) {
            (Some(b), Some(i)) => write!(f, "{b}, inst {i}: {}", self.message),
            (Some(b), None) => write!(f, "{b}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for IrError {}

struct Checker<'f> {
    func: &'f Function,
    block: Option<BlockId>,
    inst: Option<usize>,
}

type Check = Result<(), IrError>;

impl Checker<'_> {
    fn err<T>(&self, message: String) -> Result<T, IrError> {
        Err(IrError {
            block: self.block,
            inst: self.inst,
            message,
        })
    }

    fn ty(&self, v: Var) -> Result<Type, IrError> {
        match self.func.var_type(v) {
            Some(t) => Ok(t),
            None => self.err(format!("variable {v} is not declared")),
        }
    }

    fn want(&self, v: Var, want: Type) -> Check {
        let t = self.ty(v)?;
        if t != want {
            return self.err(format!("variable {v} has type {t}, expected {want}"));
        }
        Ok(())
    }

    fn same(&self, vars: &[Var]) -> Result<Type, IrError> {
        let Some((&first, rest)) = vars.split_first() else {
            return self.err("no operands".to_string());
        };
        let t = self.ty(first)?;
        for &v in rest {
            let u = self.ty(v)?;
            if u != t {
                return self.err(format!("{v} has type {u} but {first} has type {t}"));
            }
        }
        Ok(t)
    }

    fn reg(&self, r: Reg) -> Check {
        if r.0 > MAX_REG {
            return self.err(format!("register {r} is beyond the limit {MAX_REG}"));
        }
        Ok(())
    }

    fn block_ref(&self, b: BlockId) -> Check {
        if b.0 as usize >= self.func.blocks.len() {
            return self.err(format!("block {b} does not exist"));
        }
        Ok(())
    }

    fn inst(&self, inst: &Inst) -> Check {
        use Type::*;
        match inst {
            Inst::Iconst { dst, value } => match self.ty(*dst)? {
                I64 => Ok(()),
                I8 if (-128..=255).contains(value) => Ok(()),
                I8 => self.err(format!("constant {value} does not fit i8")),
                F64 => self.err(format!("iconst into f64 variable {dst}")),
            },
            Inst::Fconst { dst, .. } => self.want(*dst, F64),
            Inst::Copy { dst, src } => self.same(&[*dst, *src]).map(|_| ()),
            Inst::LoadTag { dst, reg } | Inst::LoadBool { dst, reg } => {
                self.reg(*reg)?;
                self.want(*dst, I8)
            }
            Inst::LoadInt { dst, reg } | Inst::RegAddr { dst, reg } => {
                self.reg(*reg)?;
                self.want(*dst, I64)
            }
            Inst::LoadFloat { dst, reg } => {
                self.reg(*reg)?;
                self.want(*dst, F64)
            }
            Inst::StoreTag { reg, .. } => self.reg(*reg),
            Inst::StoreInt { reg, src } => {
                self.reg(*reg)?;
                self.want(*src, I64)
            }
            Inst::StoreFloat { reg, src } => {
                self.reg(*reg)?;
                self.want(*src, F64)
            }
            Inst::StoreBool { reg, src } => {
                self.reg(*reg)?;
                self.want(*src, I8)
            }
            Inst::StoreValue { reg, src, .. } => {
                self.reg(*reg)?;
                match self.ty(*src)? {
                    I64 | F64 => Ok(()),
                    t => self.err(format!("variable {src} has type {t}, expected i64 or f64")),
                }
            }
            Inst::CopySlot { dst, src } => {
                self.reg(*dst)?;
                self.reg(*src)
            }
            Inst::LoadSlot { w0, w1, reg } | Inst::StoreSlot { reg, w0, w1 } => {
                self.reg(*reg)?;
                self.want(*w0, I64)?;
                self.want(*w1, I64)
            }
            Inst::Load { dst, addr, .. } => {
                self.want(*addr, I64)?;
                self.ty(*dst).map(|_| ())
            }
            Inst::Store { addr, src, .. } => {
                self.want(*addr, I64)?;
                self.ty(*src).map(|_| ())
            }
            Inst::DepthOk { dst } => self.want(*dst, I8),
            Inst::CtxPtr { dst } | Inst::VmPtr { dst } => self.want(*dst, I64),
            Inst::IntBin { op, dst, a, b } => {
                let t = self.same(&[*dst, *a, *b])?;
                let byte_ok = matches!(
                    op,
                    IntBinOp::Add | IntBinOp::Sub | IntBinOp::And | IntBinOp::Or | IntBinOp::Xor
                );
                match t {
                    I64 => Ok(()),
                    I8 if byte_ok => Ok(()),
                    _ => self.err(format!("integer operation {op:?} on type {t}")),
                }
            }
            Inst::IntUn { dst, src, .. } => {
                self.want(*dst, I64)?;
                self.want(*src, I64)
            }
            Inst::FloatBin { dst, a, b, .. } => {
                self.want(*dst, F64)?;
                self.want(*a, F64)?;
                self.want(*b, F64)
            }
            Inst::FloatUn { dst, src, .. } => {
                self.want(*dst, F64)?;
                self.want(*src, F64)
            }
            Inst::IntCmp { dst, a, b, .. } => {
                self.want(*dst, I8)?;
                match self.same(&[*a, *b])? {
                    I64 | I8 => Ok(()),
                    F64 => self.err("integer comparison of floats".to_string()),
                }
            }
            Inst::FloatCmp { cond, dst, a, b } => {
                self.want(*dst, I8)?;
                self.want(*a, F64)?;
                self.want(*b, F64)?;
                if matches!(cond, Cond::Ult | Cond::Ule) {
                    return self.err(format!("condition {cond:?} is not valid on floats"));
                }
                Ok(())
            }
            Inst::BoolNot { dst, src } => {
                self.want(*dst, I8)?;
                self.want(*src, I8)
            }
            Inst::Extend8 { dst, src } => {
                self.want(*dst, I64)?;
                self.want(*src, I8)
            }
            Inst::IntToFloat { dst, src } => {
                self.want(*dst, F64)?;
                self.want(*src, I64)
            }
            Inst::FloatToInt { dst, ok, src } => {
                self.want(*dst, I64)?;
                self.want(*ok, I8)?;
                self.want(*src, F64)?;
                if dst == ok {
                    return self.err("float_to_int writes the same variable twice".to_string());
                }
                Ok(())
            }
            Inst::Select { dst, cond, a, b } => {
                self.want(*cond, I8)?;
                self.same(&[*dst, *a, *b]).map(|_| ())
            }
            Inst::Guard { cond, .. } => self.want(*cond, I8),
            Inst::Fuel { .. } => Ok(()),
            Inst::CallHelper {
                addr,
                sig,
                args,
                results,
                ..
            } => {
                if *addr == 0 {
                    return self.err("helper address is null".to_string());
                }
                if sig.params.len() > MAX_HELPER_ARGS {
                    return self.err(format!(
                        "helper has {} parameters, at most {MAX_HELPER_ARGS} allowed",
                        sig.params.len()
                    ));
                }
                if sig.results.len() > 1 {
                    return self.err("helper has more than one result".to_string());
                }
                if args.len() != sig.params.len() {
                    return self.err(format!(
                        "helper takes {} arguments, {} given",
                        sig.params.len(),
                        args.len()
                    ));
                }
                if results.len() != sig.results.len() {
                    return self.err(format!(
                        "helper returns {} results, {} variables given",
                        sig.results.len(),
                        results.len()
                    ));
                }
                for (&v, &t) in args.iter().zip(&sig.params) {
                    self.want(v, t)?;
                }
                for (&v, &t) in results.iter().zip(&sig.results) {
                    self.want(v, t)?;
                }
                Ok(())
            }
            Inst::CallNative {
                callee,
                window,
                result,
                ..
            } => {
                if *callee == Callee::Addr(0) {
                    return self.err("native callee address is null".to_string());
                }
                if let Callee::Dyn(v) = callee {
                    self.want(*v, I64)?;
                }
                self.reg(*window)?;
                self.want(*result, I64)
            }
            Inst::ExitIfNonzero { code } => self.want(*code, I64),
        }
    }

    fn term(&self, term: &Terminator) -> Check {
        match term {
            Terminator::Jump(b) => self.block_ref(*b),
            Terminator::Branch {
                cond,
                then_to,
                else_to,
            } => {
                self.want(*cond, Type::I8)?;
                self.block_ref(*then_to)?;
                self.block_ref(*else_to)
            }
            Terminator::Return { .. } | Terminator::Exit { .. } => Ok(()),
            Terminator::ReturnCode { code, .. } => self.want(*code, Type::I64),
        }
    }
}

/// Checks that `func` is well formed (see the module docs).
pub fn validate(func: &Function) -> Result<(), IrError> {
    let mut c = Checker {
        func,
        block: None,
        inst: None,
    };
    if func.blocks.is_empty() {
        return c.err("function has no blocks".to_string());
    }
    if func.blocks.len() > u32::MAX as usize / 2 || func.vars.len() > u32::MAX as usize / 2 {
        return c.err("function is too large".to_string());
    }
    if func.entries.is_empty() {
        return c.err("function has no entry point".to_string());
    }
    if func.entries.len() > u32::MAX as usize {
        return c.err("too many entry points".to_string());
    }
    for &e in &func.entries {
        c.block_ref(e)?;
    }
    for (i, block) in func.blocks.iter().enumerate() {
        c.block = Some(BlockId(i as u32));
        for (j, inst) in block.insts.iter().enumerate() {
            c.inst = Some(j);
            c.inst(inst)?;
        }
        c.inst = None;
        match &block.term {
            Some(t) => c.term(t)?,
            None => return c.err("block is not terminated".to_string()),
        }
    }
    Ok(())
}
