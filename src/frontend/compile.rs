//! The compiler: resolved AST -> stack bytecode.
//!
//! Every local already has its fixed slot (from scope resolution), so the compiler's work
//! is to emit instructions in evaluation order while tracking the operand-stack depth,
//! which it knows exactly at every point: that is the invariant the verifier checks and the
//! translator relies on. Expressions leave exactly one value, or a *pack* when a call or
//! `...` ends a list (see `bytecode::op`).
//!
//! Recursion follows the AST's right and inner operands only; left-leaning chains of
//! binary operators (`a + b + c + ...`) and of suffixes (`a.b.c`, `f()()`, `o:m():m()`),
//! which the parser builds without nesting limits, are walked iteratively so no source
//! can overflow the Rust stack here.

use std::collections::HashMap;

use super::ast::{self, BinOp, Expr, ExprKind, Function, LocalId, Stat, StatKind, TableItem};
use crate::bytecode::{
    ArithOp, CmpOp, ConstIdx, Constant, LocalInfo, LocalSlot, Module, Op, Proto, ProtoIdx, Target,
    UnOp, UpvalDesc, UpvalIdx, MULTI,
};
use crate::runtime::StaticError;

/// Lua flushes list items of a table constructor every 50 values (`LFIELDS_PER_FLUSH`).
const FIELDS_PER_FLUSH: u32 = 50;
/// Registers available to a proc (locals plus operand stack), the register ISA's limit.
const MAX_REGISTERS: u32 = 255;

/// Compiles a parsed chunk.
pub fn compile_chunk(chunk: &ast::Chunk) -> Result<Module, StaticError> {
    let main = FuncCompiler::new(&chunk.main, &chunk.display_name).compile()?;
    Ok(Module {
        chunkname: chunk.chunkname.clone(),
        main,
    })
}

struct LoopCtx {
    /// Jumps to patch to the loop's exit.
    breaks: Vec<usize>,
}

struct FuncCompiler<'a> {
    f: &'a Function,
    source: &'a str,
    code: Vec<Op>,
    lines: Vec<u32>,
    consts: Vec<Constant>,
    str_consts: HashMap<Vec<u8>, u32>,
    float_consts: HashMap<u64, u32>,
    protos: Vec<Proto>,
    depth: u32,
    max_depth: u32,
    /// Locals in scope, in declaration order, with the index of their debug record.
    active: Vec<(LocalId, usize)>,
    debug_locals: Vec<LocalInfo>,
    loops: Vec<LoopCtx>,
    label_pcs: Vec<Option<u32>>,
    /// (instruction index, label) of gotos to patch.
    goto_patches: Vec<(usize, usize)>,
    line: u32,
}

fn arith_of(op: BinOp) -> Option<ArithOp> {
    Some(match op {
        BinOp::Add => ArithOp::Add,
        BinOp::Sub => ArithOp::Sub,
        BinOp::Mul => ArithOp::Mul,
        BinOp::Div => ArithOp::Div,
        BinOp::IDiv => ArithOp::IDiv,
        BinOp::Mod => ArithOp::Mod,
        BinOp::Pow => ArithOp::Pow,
        BinOp::BAnd => ArithOp::BAnd,
        BinOp::BOr => ArithOp::BOr,
        BinOp::BXor => ArithOp::BXor,
        BinOp::Shl => ArithOp::Shl,
        BinOp::Shr => ArithOp::Shr,
        _ => return None,
    })
}

fn cmp_of(op: BinOp) -> Option<CmpOp> {
    Some(match op {
        BinOp::Eq => CmpOp::Eq,
        BinOp::Ne => CmpOp::Ne,
        BinOp::Lt => CmpOp::Lt,
        BinOp::Le => CmpOp::Le,
        BinOp::Gt => CmpOp::Gt,
        BinOp::Ge => CmpOp::Ge,
        _ => return None,
    })
}

impl<'a> FuncCompiler<'a> {
    fn new(f: &'a Function, source: &'a str) -> Self {
        FuncCompiler {
            f,
            source,
            code: Vec::new(),
            lines: Vec::new(),
            consts: Vec::new(),
            str_consts: HashMap::new(),
            float_consts: HashMap::new(),
            protos: Vec::new(),
            depth: 0,
            max_depth: 0,
            active: Vec::new(),
            debug_locals: Vec::new(),
            loops: Vec::new(),
            label_pcs: vec![None; f.labels.len()],
            goto_patches: Vec::new(),
            line: f.line_defined,
        }
    }

    fn compile(mut self) -> Result<Proto, StaticError> {
        for &p in &self.f.params {
            self.activate(p);
        }
        // The function's own block needs no `Close`: the final `Return` closes upvalues
        // and to-be-closed variables (at the `end` line, as lua5.4 reports errors there).
        let mark = self.active.len();
        for s in &self.f.body.stats {
            self.stat(s)?;
        }
        self.deactivate_to(mark);
        let end_line = if self.f.last_line_defined > 0 {
            self.f.last_line_defined
        } else {
            self.line
        };
        self.line = end_line;
        self.emit(Op::Return {
            count: 0,
            pack: false,
        });
        for (at, label) in std::mem::take(&mut self.goto_patches) {
            let pc = self.label_pcs[label].ok_or_else(|| {
                StaticError(format!("{}: internal error: unplaced label", self.source))
            })?;
            self.patch(at, pc);
        }
        let end = self.code.len() as u32;
        for (_, ix) in std::mem::take(&mut self.active) {
            if let Some(l) = self.debug_locals.get_mut(ix) {
                l.end_pc = end;
            }
        }
        let num_locals = self.f.num_slots;
        if num_locals as u32 + self.max_depth > MAX_REGISTERS {
            return Err(StaticError(format!(
                "{}:{}: function or expression needs too many registers",
                self.source, self.f.line_defined
            )));
        }
        let upvals = self
            .f
            .upvalues
            .iter()
            .map(|u| match u.source {
                ast::UpvalSource::ParentLocal(id) => UpvalDesc {
                    in_parent_local: true,
                    index: id.0 as u16, // fixed to the parent's slot by the parent
                    name: u.name.clone(),
                },
                ast::UpvalSource::ParentUpvalue(id) => UpvalDesc {
                    in_parent_local: false,
                    index: id.0 as u16,
                    name: u.name.clone(),
                },
                ast::UpvalSource::Env => UpvalDesc {
                    in_parent_local: false,
                    index: 0,
                    name: u.name.clone(),
                },
            })
            .collect();
        Ok(Proto {
            line_defined: self.f.line_defined,
            last_line: self.f.last_line_defined,
            num_params: self.f.params.len() as u8,
            is_vararg: self.f.is_vararg,
            num_locals,
            max_stack: self.max_depth as u16,
            upvals,
            consts: self.consts,
            code: self.code,
            lines: self.lines,
            locals: self.debug_locals,
            protos: self.protos,
        })
    }

    // ----- emission -------------------------------------------------------------------

    fn emit(&mut self, op: Op) -> usize {
        let (pops, pushes) = op.stack_effect();
        self.depth = self.depth.saturating_sub(pops) + pushes;
        self.max_depth = self.max_depth.max(self.depth);
        self.code.push(op);
        self.lines.push(self.line);
        self.code.len() - 1
    }

    fn pc(&self) -> u32 {
        self.code.len() as u32
    }

    fn patch(&mut self, at: usize, to: u32) {
        let t = Target(to);
        match &mut self.code[at] {
            Op::Jump { target }
            | Op::JumpIfFalse { target }
            | Op::JumpIfTrue { target }
            | Op::JumpIfFalseKeep { target }
            | Op::JumpIfTrueKeep { target } => *target = t,
            Op::ForPrep { exit, .. } => *exit = t,
            Op::ForLoop { body, .. } | Op::TForLoop { body, .. } => *body = t,
            _ => {}
        }
    }

    fn jump_here(&mut self, at: usize) {
        let pc = self.pc();
        self.patch(at, pc);
    }

    fn slot(&self, id: LocalId) -> LocalSlot {
        LocalSlot(self.f.locals[id.0 as usize].slot)
    }

    fn str_const(&mut self, s: &[u8]) -> ConstIdx {
        if let Some(&i) = self.str_consts.get(s) {
            return ConstIdx(i);
        }
        let i = self.consts.len() as u32;
        self.consts.push(Constant::Str(s.to_vec()));
        self.str_consts.insert(s.to_vec(), i);
        ConstIdx(i)
    }

    fn float_const(&mut self, f: f64) -> ConstIdx {
        if let Some(&i) = self.float_consts.get(&f.to_bits()) {
            return ConstIdx(i);
        }
        let i = self.consts.len() as u32;
        self.consts.push(Constant::Float(f));
        self.float_consts.insert(f.to_bits(), i);
        ConstIdx(i)
    }

    fn activate(&mut self, id: LocalId) {
        let l = &self.f.locals[id.0 as usize];
        if l.ctc {
            // No debug entry: `debug.getlocal` does not see it (as in lua5.4).
            self.active.push((id, usize::MAX));
            return;
        }
        self.debug_locals.push(LocalInfo {
            name: l.name.clone(),
            slot: l.slot,
            start_pc: self.pc(),
            end_pc: u32::MAX,
        });
        self.active.push((id, self.debug_locals.len() - 1));
    }

    fn deactivate_to(&mut self, n: usize) {
        let end = self.pc();
        while self.active.len() > n {
            let (_, ix) = self.active.pop().expect("non-empty");
            if let Some(l) = self.debug_locals.get_mut(ix) {
                l.end_pc = end;
            }
        }
    }

    // ----- statements -----------------------------------------------------------------

    fn block(&mut self, b: &ast::Block) -> Result<(), StaticError> {
        let mark = self.active.len();
        for s in &b.stats {
            self.stat(s)?;
        }
        self.end_block(b, mark);
        Ok(())
    }

    fn end_block(&mut self, b: &ast::Block, mark: usize) {
        let ends = matches!(self.code.last(), Some(op) if op.ends_block())
            && matches!(
                b.stats.last(),
                Some(Stat {
                    kind: StatKind::Return(_),
                    ..
                })
            );
        if b.needs_close && !ends {
            self.emit(Op::Close {
                slot: LocalSlot(b.level),
            });
        }
        self.deactivate_to(mark);
    }

    fn stat(&mut self, s: &Stat) -> Result<(), StaticError> {
        self.line = s.line;
        match &s.kind {
            StatKind::Call(e) => self.call(e, 0)?,
            StatKind::Assign { targets, values } => self.assign(targets, values)?,
            StatKind::Local { vars, values } => {
                // A trailing compile-time constant is neither evaluated nor stored (the
                // parser made it one only when its value is a constant expression).
                let stored = match vars.last() {
                    Some(&v) if self.f.locals[v.0 as usize].ctc => vars.len() - 1,
                    _ => vars.len(),
                };
                let values = if stored < vars.len() {
                    &values[..stored]
                } else {
                    &values[..]
                };
                self.explist(values, stored as u32)?;
                for &v in vars[..stored].iter().rev() {
                    let slot = self.slot(v);
                    self.emit(Op::SetLocal { slot });
                }
                for &v in vars {
                    self.activate(v);
                    if self.f.locals[v.0 as usize].attrib == ast::Attrib::Close {
                        let slot = self.slot(v);
                        self.emit(Op::Tbc { slot });
                    }
                }
            }
            StatKind::LocalFunction { var, func } => {
                self.activate(*var);
                self.closure(func)?;
                let slot = self.slot(*var);
                self.emit(Op::SetLocal { slot });
            }
            StatKind::Function { target, func } => {
                self.assign_one(target, |c| c.closure(func))?;
            }
            StatKind::Do(b) => self.block(b)?,
            StatKind::While { cond, body } => {
                let start = self.pc();
                self.expr(cond)?;
                let exit = self.emit(Op::JumpIfFalse { target: Target(0) });
                self.loops.push(LoopCtx { breaks: Vec::new() });
                self.block(body)?;
                // The jump back keeps the body's last line, as lua5.4's does (line hooks
                // see no extra event for the `while` line before the condition's).
                self.emit(Op::Jump {
                    target: Target(start),
                });
                self.jump_here(exit);
                self.end_loop();
            }
            StatKind::Repeat { body, cond } => {
                let start = self.pc();
                self.loops.push(LoopCtx { breaks: Vec::new() });
                let mark = self.active.len();
                for st in &body.stats {
                    self.stat(st)?;
                }
                self.line = cond.line;
                self.expr(cond)?;
                if body.needs_close {
                    let out = self.emit(Op::JumpIfTrue { target: Target(0) });
                    self.emit(Op::Close {
                        slot: LocalSlot(body.level),
                    });
                    self.emit(Op::Jump {
                        target: Target(start),
                    });
                    self.jump_here(out);
                    self.emit(Op::Close {
                        slot: LocalSlot(body.level),
                    });
                } else {
                    self.emit(Op::JumpIfFalse {
                        target: Target(start),
                    });
                }
                self.deactivate_to(mark);
                self.end_loop();
            }
            StatKind::If {
                clauses,
                else_block,
            } => {
                let mut to_end = Vec::new();
                for (i, (cond, body)) in clauses.iter().enumerate() {
                    self.line = cond.line;
                    self.expr(cond)?;
                    let next = self.emit(Op::JumpIfFalse { target: Target(0) });
                    self.block(body)?;
                    let last = i + 1 == clauses.len() && else_block.is_none();
                    if !last && !matches!(self.code.last(), Some(op) if op.ends_block()) {
                        to_end.push(self.emit(Op::Jump { target: Target(0) }));
                    }
                    self.jump_here(next);
                }
                if let Some(b) = else_block {
                    self.block(b)?;
                }
                for j in to_end {
                    self.jump_here(j);
                }
            }
            StatKind::NumericFor {
                control,
                var,
                start,
                limit,
                step,
                body,
            } => {
                self.expr(start)?;
                self.expr(limit)?;
                match step {
                    Some(e) => self.expr(e)?,
                    None => {
                        self.emit(Op::PushInt { value: 1 });
                    }
                }
                for &c in control.iter().rev() {
                    let slot = self.slot(c);
                    self.emit(Op::SetLocal { slot });
                }
                let base = self.slot(control[0]);
                let mark = self.active.len();
                for &c in control {
                    self.activate(c);
                }
                self.line = s.line;
                let prep = self.emit(Op::ForPrep {
                    base,
                    exit: Target(0),
                });
                let body_pc = self.pc();
                self.loops.push(LoopCtx { breaks: Vec::new() });
                let inner = self.active.len();
                self.activate(*var);
                for st in &body.stats {
                    self.stat(st)?;
                }
                self.end_block(body, inner);
                self.line = s.line;
                self.emit(Op::ForLoop {
                    base,
                    body: Target(body_pc),
                });
                self.jump_here(prep);
                self.end_loop();
                self.deactivate_to(mark);
            }
            StatKind::GenericFor {
                control,
                vars,
                exprs,
                do_line,
                body,
            } => {
                self.explist(exprs, 4)?;
                for &c in control.iter().rev() {
                    let slot = self.slot(c);
                    self.emit(Op::SetLocal { slot });
                }
                let base = self.slot(control[0]);
                let mark = self.active.len();
                for &c in control {
                    self.activate(c);
                }
                self.line = s.line;
                // The fourth value is to-be-closed (lua5.4's `forlist`): marked here,
                // closed by the `Close` after the loop (breaks, gotos out and returns
                // close it on their own way out).
                let closing = self.slot(control[3]);
                self.line = *do_line;
                self.emit(Op::Tbc { slot: closing });
                self.line = s.line;
                let to_call = self.emit(Op::Jump { target: Target(0) });
                let body_pc = self.pc();
                self.loops.push(LoopCtx { breaks: Vec::new() });
                let inner = self.active.len();
                for &v in vars {
                    self.activate(v);
                }
                for st in &body.stats {
                    self.stat(st)?;
                }
                self.end_block(body, inner);
                self.line = s.line;
                self.jump_here(to_call);
                self.emit(Op::TForCall {
                    base,
                    nvars: vars.len() as u8,
                });
                self.emit(Op::TForLoop {
                    base,
                    body: Target(body_pc),
                });
                self.end_loop();
                self.emit(Op::Close { slot: base });
                self.deactivate_to(mark);
            }
            StatKind::Return(values) => self.ret(values)?,
            StatKind::Break(id) => {
                let g = &self.f.gotos[id.0 as usize];
                if g.needs_close {
                    self.emit(Op::Close {
                        slot: LocalSlot(g.target_level),
                    });
                }
                let j = self.emit(Op::Jump { target: Target(0) });
                match self.loops.last_mut() {
                    Some(l) => l.breaks.push(j),
                    None => {
                        return Err(StaticError(format!(
                            "{}:{}: break outside a loop at line {}",
                            self.source, g.line, g.line
                        )))
                    }
                }
            }
            StatKind::Goto(id) => {
                let g = &self.f.gotos[id.0 as usize];
                let ast::GotoTarget::Label(label) = g.target else {
                    return Err(StaticError(format!(
                        "{}:{}: internal error: goto without a label",
                        self.source, g.line
                    )));
                };
                if g.needs_close {
                    self.emit(Op::Close {
                        slot: LocalSlot(g.target_level),
                    });
                }
                let j = self.emit(Op::Jump { target: Target(0) });
                self.goto_patches.push((j, label.0 as usize));
            }
            StatKind::Label(id) => {
                self.label_pcs[id.0 as usize] = Some(self.pc());
            }
        }
        Ok(())
    }

    fn end_loop(&mut self) {
        let l = self.loops.pop().expect("loop context");
        for j in l.breaks {
            self.jump_here(j);
        }
    }

    fn ret(&mut self, values: &[Expr]) -> Result<(), StaticError> {
        if let [single] = values {
            if matches!(
                single.kind,
                ExprKind::Call { .. } | ExprKind::MethodCall { .. }
            ) && !self.has_tbc()
            {
                let (argc, pack) = self.call_prefix(single)?;
                self.line = single.line;
                self.emit(Op::TailCall { argc, pack });
                return Ok(());
            }
        }
        let (count, pack) = self.push_list(values)?;
        self.emit(Op::Return { count, pack });
        Ok(())
    }

    fn has_tbc(&self) -> bool {
        self.active
            .iter()
            .any(|(id, _)| self.f.locals[id.0 as usize].attrib == ast::Attrib::Close)
    }

    /// `targets = values`: all values are evaluated before any store.
    fn assign(&mut self, targets: &[Expr], values: &[Expr]) -> Result<(), StaticError> {
        if let ([target], [value]) = (targets, values) {
            return self.assign_one(target, |c| c.expr(value));
        }
        // Evaluate every target's table and key first, left to right.
        enum Place {
            Local(LocalSlot),
            Upval(UpvalIdx),
            UpField(UpvalIdx, ConstIdx),
            FieldAt(u16, ConstIdx),
            TableAt(u16),
        }
        let mut places = Vec::with_capacity(targets.len());
        for t in targets {
            self.line = t.line;
            let place = match &t.kind {
                ExprKind::Local(id) => Place::Local(self.slot(*id)),
                ExprKind::Upvalue(id) => Place::Upval(UpvalIdx(id.0 as u16)),
                ExprKind::Global { env, name } => {
                    let key = self.str_const(name.as_bytes());
                    match env {
                        ast::EnvVar::Upvalue(u) => Place::UpField(UpvalIdx(u.0 as u16), key),
                        ast::EnvVar::Local(l) => {
                            let d = self.depth as u16;
                            let slot = self.slot(*l);
                            self.emit(Op::GetLocal { slot });
                            Place::FieldAt(d, key)
                        }
                    }
                }
                ExprKind::Index { obj, key } => {
                    let d = self.depth as u16;
                    self.expr(obj)?;
                    if let ExprKind::Str(s) = &key.kind {
                        let k = self.str_const(s);
                        Place::FieldAt(d, k)
                    } else {
                        self.expr(key)?;
                        Place::TableAt(d)
                    }
                }
                _ => {
                    return Err(StaticError(format!(
                        "{}:{}: syntax error (cannot assign to this expression)",
                        self.source, t.line
                    )))
                }
            };
            places.push(place);
        }
        let prefix = self.depth;
        self.explist(values, targets.len() as u32)?;
        for (place, t) in places.iter().zip(targets).rev() {
            self.line = t.line;
            match *place {
                Place::Local(slot) => self.emit(Op::SetLocal { slot }),
                Place::Upval(idx) => self.emit(Op::SetUpval { idx }),
                Place::UpField(upval, key) => self.emit(Op::SetUpField { upval, key }),
                Place::FieldAt(depth, key) => self.emit(Op::SetFieldAt { depth, key }),
                Place::TableAt(depth) => self.emit(Op::SetTableAt { depth }),
            };
        }
        if prefix > 0 {
            self.emit(Op::Pop { n: prefix as u8 });
        }
        Ok(())
    }

    /// A single store `target = <value>`, where `value` pushes one value.
    fn assign_one(
        &mut self,
        target: &Expr,
        value: impl FnOnce(&mut Self) -> Result<(), StaticError>,
    ) -> Result<(), StaticError> {
        match &target.kind {
            ExprKind::Local(id) => {
                value(self)?;
                let slot = self.slot(*id);
                self.emit(Op::SetLocal { slot });
            }
            ExprKind::Upvalue(id) => {
                value(self)?;
                self.emit(Op::SetUpval {
                    idx: UpvalIdx(id.0 as u16),
                });
            }
            ExprKind::Global { env, name } => {
                let key = self.str_const(name.as_bytes());
                match env {
                    ast::EnvVar::Upvalue(u) => {
                        value(self)?;
                        self.line = target.line;
                        self.emit(Op::SetUpField {
                            upval: UpvalIdx(u.0 as u16),
                            key,
                        });
                    }
                    ast::EnvVar::Local(l) => {
                        let slot = self.slot(*l);
                        self.emit(Op::GetLocal { slot });
                        value(self)?;
                        self.line = target.line;
                        self.emit(Op::SetField { key });
                    }
                }
            }
            ExprKind::Index { obj, key } => {
                self.expr(obj)?;
                if let ExprKind::Str(s) = &key.kind {
                    let k = self.str_const(s);
                    value(self)?;
                    self.line = target.line;
                    self.emit(Op::SetField { key: k });
                } else {
                    self.expr(key)?;
                    value(self)?;
                    self.line = target.line;
                    self.emit(Op::SetTable {});
                }
            }
            _ => {
                return Err(StaticError(format!(
                    "{}:{}: syntax error (cannot assign to this expression)",
                    self.source, target.line
                )))
            }
        }
        Ok(())
    }

    // ----- expression lists -----------------------------------------------------------

    /// Pushes exactly `want` values from `values`, Lua-style: extra values are evaluated
    /// and dropped, missing ones are nil, and a final call or `...` supplies as many as
    /// needed.
    fn explist(&mut self, values: &[Expr], want: u32) -> Result<(), StaticError> {
        let n = values.len() as u32;
        for (i, v) in values.iter().enumerate() {
            let i = i as u32;
            let last = i + 1 == n;
            if last && v.is_multi() && want >= n {
                let k = want - i; // values this expression must supply
                self.multi(v, k as u8)?;
                return Ok(());
            }
            self.expr(v)?;
            if i >= want {
                self.emit(Op::Pop { n: 1 });
            }
        }
        if want > n {
            self.emit(Op::PushNil {
                n: (want - n) as u8,
            });
        }
        Ok(())
    }

    /// Pushes all values of a list; a final call or `...` leaves a pack.
    /// Returns (fixed count, pack).
    fn push_list(&mut self, values: &[Expr]) -> Result<(u8, bool), StaticError> {
        let n = values.len();
        for (i, v) in values.iter().enumerate() {
            if i + 1 == n && v.is_multi() {
                self.multi(v, MULTI)?;
                return Ok(((n - 1) as u8, true));
            }
            self.expr(v)?;
        }
        Ok((n as u8, false))
    }

    /// A call or `...` producing `count` values (`MULTI`: a pack).
    fn multi(&mut self, e: &Expr, count: u8) -> Result<(), StaticError> {
        match &e.kind {
            ExprKind::Vararg => {
                self.line = e.line;
                self.emit(Op::VarArg { count });
                Ok(())
            }
            _ => self.call(e, count),
        }
    }

    // ----- expressions ----------------------------------------------------------------

    /// Pushes the function and arguments of a call; returns (argc, pack).
    fn call_prefix(&mut self, e: &Expr) -> Result<(u8, bool), StaticError> {
        match &e.kind {
            ExprKind::Call { func: prefix, .. } | ExprKind::MethodCall { obj: prefix, .. } => {
                self.expr(prefix)?;
                self.call_args(e)
            }
            _ => Err(self.not_a_call(e)),
        }
    }

    /// With the called value (or method receiver) pushed, pushes the rest of call `e`'s
    /// operands; returns (argc, pack).
    fn call_args(&mut self, e: &Expr) -> Result<(u8, bool), StaticError> {
        match &e.kind {
            ExprKind::Call { args, .. } => self.push_list(args),
            ExprKind::MethodCall { method, args, .. } => {
                let key = self.str_const(method.as_bytes());
                self.line = e.line;
                self.emit(Op::Method { key });
                let (argc, pack) = self.push_list(args)?;
                Ok((argc + 1, pack))
            }
            _ => Err(self.not_a_call(e)),
        }
    }

    fn not_a_call(&self, e: &Expr) -> StaticError {
        StaticError(format!(
            "{}:{}: internal error: not a call",
            self.source, e.line
        ))
    }

    fn call(&mut self, e: &Expr, results: u8) -> Result<(), StaticError> {
        self.suffix_chain(e, results)
    }

    /// A prefix expression with its suffixes (`a.b[k]:m(x)(y)`), a left-leaning chain
    /// the parser builds without nesting limits: the innermost prefix is pushed first,
    /// then each index or call is applied outwards, iteratively. `results` is for the
    /// outermost node when it is a call (inner calls yield one value).
    fn suffix_chain(&mut self, e: &Expr, results: u8) -> Result<(), StaticError> {
        let mut spine = Vec::new();
        let mut cur = e;
        while let ExprKind::Index { obj: prefix, .. }
        | ExprKind::Call { func: prefix, .. }
        | ExprKind::MethodCall { obj: prefix, .. } = &cur.kind
        {
            spine.push(cur);
            cur = prefix;
        }
        self.expr(cur)?;
        for node in spine.into_iter().rev() {
            match &node.kind {
                ExprKind::Index { key, .. } => {
                    self.line = node.line;
                    if let ExprKind::Str(s) = &key.kind {
                        let k = self.str_const(s);
                        self.emit(Op::GetField { key: k });
                    } else {
                        self.expr(key)?;
                        self.line = node.line;
                        self.emit(Op::GetTable {});
                    }
                }
                _ => {
                    let (argc, pack) = self.call_args(node)?;
                    self.line = node.line;
                    // Only the outermost call (`e` itself) may want other than one value.
                    let results = if std::ptr::eq(node, e) { results } else { 1 };
                    self.emit(Op::Call {
                        argc,
                        pack,
                        results,
                    });
                }
            }
        }
        Ok(())
    }

    fn closure(&mut self, func: &Function) -> Result<(), StaticError> {
        let mut child = FuncCompiler::new(func, self.source).compile()?;
        // Upvalues captured from this function's locals refer to them by local id; turn
        // the ids into slots.
        for (u, d) in func.upvalues.iter().zip(child.upvals.iter_mut()) {
            if let ast::UpvalSource::ParentLocal(id) = u.source {
                d.index = self.f.locals[id.0 as usize].slot;
            }
        }
        let idx = ProtoIdx(self.protos.len() as u32);
        self.protos.push(child);
        // lua5.4 creates the closure at its `end` line (what line hooks and `activelines` see).
        self.line = if func.last_line_defined > 0 {
            func.last_line_defined
        } else {
            func.line_defined
        };
        self.emit(Op::Closure { proto: idx });
        Ok(())
    }

    /// Pushes exactly one value.
    fn expr(&mut self, e: &Expr) -> Result<(), StaticError> {
        match &e.kind {
            ExprKind::Binary { op, .. } if *op != BinOp::Concat => self.binary_chain(e),
            _ => self.expr_node(e),
        }
    }

    /// A left-leaning chain of binary operators, walked iteratively.
    fn binary_chain(&mut self, e: &Expr) -> Result<(), StaticError> {
        let mut spine = Vec::new();
        let mut cur = e;
        while let ExprKind::Binary { op, lhs, rhs } = &cur.kind {
            if *op == BinOp::Concat {
                break;
            }
            spine.push((*op, &**rhs, cur.line));
            cur = lhs;
        }
        self.expr_node(cur)?;
        let mut pending: Vec<usize> = Vec::new();
        for (op, rhs, line) in spine.into_iter().rev() {
            self.line = line;
            match op {
                BinOp::And => {
                    let j = self.emit(Op::JumpIfFalseKeep { target: Target(0) });
                    self.expr(rhs)?;
                    pending.push(j);
                    self.flush_jumps(&mut pending);
                }
                BinOp::Or => {
                    let j = self.emit(Op::JumpIfTrueKeep { target: Target(0) });
                    self.expr(rhs)?;
                    pending.push(j);
                    self.flush_jumps(&mut pending);
                }
                _ => {
                    self.expr(rhs)?;
                    self.line = line;
                    if let Some(a) = arith_of(op) {
                        self.emit(Op::Arith { op: a });
                    } else if let Some(c) = cmp_of(op) {
                        self.emit(Op::Compare { op: c });
                    }
                }
            }
        }
        Ok(())
    }

    fn flush_jumps(&mut self, pending: &mut Vec<usize>) {
        for j in pending.drain(..) {
            self.jump_here(j);
        }
    }

    fn expr_node(&mut self, e: &Expr) -> Result<(), StaticError> {
        self.line = e.line;
        match &e.kind {
            ExprKind::Nil => {
                self.emit(Op::PushNil { n: 1 });
            }
            ExprKind::True => {
                self.emit(Op::PushTrue {});
            }
            ExprKind::False => {
                self.emit(Op::PushFalse {});
            }
            ExprKind::Int(i) => {
                self.emit(Op::PushInt { value: *i });
            }
            ExprKind::Float(f) => {
                let idx = self.float_const(*f);
                self.emit(Op::PushConst { idx });
            }
            ExprKind::Str(s) => {
                let idx = self.str_const(s);
                self.emit(Op::PushConst { idx });
            }
            ExprKind::Vararg => {
                self.emit(Op::VarArg { count: 1 });
            }
            ExprKind::Local(id) => {
                let slot = self.slot(*id);
                self.emit(Op::GetLocal { slot });
            }
            ExprKind::Upvalue(id) => {
                self.emit(Op::GetUpval {
                    idx: UpvalIdx(id.0 as u16),
                });
            }
            ExprKind::Global { env, name } => {
                let key = self.str_const(name.as_bytes());
                match env {
                    ast::EnvVar::Upvalue(u) => {
                        self.emit(Op::GetUpField {
                            upval: UpvalIdx(u.0 as u16),
                            key,
                        });
                    }
                    ast::EnvVar::Local(l) => {
                        let slot = self.slot(*l);
                        self.emit(Op::GetLocal { slot });
                        self.emit(Op::GetField { key });
                    }
                }
            }
            ExprKind::Index { .. } | ExprKind::Call { .. } | ExprKind::MethodCall { .. } => {
                self.suffix_chain(e, 1)?
            }
            ExprKind::Function(f) => self.closure(f)?,
            ExprKind::Binary { op, lhs, rhs } => {
                if *op == BinOp::Concat {
                    self.concat(e)?;
                } else {
                    // Only reached for chains (handled by `binary_chain`).
                    self.expr(lhs)?;
                    self.expr(rhs)?;
                }
            }
            ExprKind::Unary { op, operand } => {
                // Fold negation of numeric literals, as Lua's constant folding does.
                if *op == ast::UnOp::Neg {
                    match operand.kind {
                        ExprKind::Int(i) => {
                            self.emit(Op::PushInt {
                                value: i.wrapping_neg(),
                            });
                            return Ok(());
                        }
                        ExprKind::Float(f) => {
                            let idx = self.float_const(-f);
                            self.emit(Op::PushConst { idx });
                            return Ok(());
                        }
                        _ => {}
                    }
                }
                self.expr(operand)?;
                self.line = e.line;
                let op = match op {
                    ast::UnOp::Neg => UnOp::Unm,
                    ast::UnOp::Not => UnOp::Not,
                    ast::UnOp::Len => UnOp::Len,
                    ast::UnOp::BNot => UnOp::BNot,
                };
                self.emit(Op::Unary { op });
            }
            ExprKind::Table(items) => self.table(items, e.line)?,
            ExprKind::Paren(inner) => self.expr(inner)?,
        }
        Ok(())
    }

    /// `a .. b .. c` (right-associative) becomes one `Concat` of all operands, as in Lua.
    fn concat(&mut self, e: &Expr) -> Result<(), StaticError> {
        let mut n: u32 = 0;
        let mut cur = e;
        loop {
            match &cur.kind {
                ExprKind::Binary {
                    op: BinOp::Concat,
                    lhs,
                    rhs,
                } if n < 200 => {
                    self.expr(lhs)?;
                    n += 1;
                    cur = rhs;
                }
                _ => {
                    self.expr(cur)?;
                    n += 1;
                    break;
                }
            }
        }
        self.line = e.line;
        self.emit(Op::Concat { n: n as u8 });
        Ok(())
    }

    fn table(&mut self, items: &[TableItem], line: u32) -> Result<(), StaticError> {
        let npos = items
            .iter()
            .filter(|i| matches!(i, TableItem::Positional(_)))
            .count() as u32;
        let nkeyed = items.len() as u32 - npos;
        self.line = line;
        self.emit(Op::NewTable {
            array: npos,
            hash: nkeyed,
        });
        let table_depth = (self.depth - 1) as u16;
        let mut pending: u32 = 0;
        let mut next_index: u32 = 1;
        let n = items.len();
        for (i, item) in items.iter().enumerate() {
            match item {
                TableItem::Positional(v) => {
                    if i + 1 == n && v.is_multi() {
                        self.multi(v, MULTI)?;
                        self.line = line;
                        self.emit(Op::SetList {
                            count: pending as u8,
                            pack: true,
                            first: next_index,
                        });
                        return Ok(());
                    }
                    self.expr(v)?;
                    pending += 1;
                    if pending == FIELDS_PER_FLUSH {
                        self.flush_list(&mut pending, &mut next_index, line);
                    }
                }
                TableItem::Keyed { key, value } => {
                    self.flush_list(&mut pending, &mut next_index, line);
                    if let ExprKind::Str(s) = &key.kind {
                        let k = self.str_const(s);
                        self.expr(value)?;
                        self.line = key.line;
                        self.emit(Op::SetFieldAt {
                            depth: table_depth,
                            key: k,
                        });
                    } else {
                        self.expr(key)?;
                        self.expr(value)?;
                        self.line = key.line;
                        self.emit(Op::SetTableAt { depth: table_depth });
                        self.emit(Op::Pop { n: 1 });
                    }
                }
            }
        }
        self.flush_list(&mut pending, &mut next_index, line);
        Ok(())
    }

    fn flush_list(&mut self, pending: &mut u32, next_index: &mut u32, line: u32) {
        if *pending > 0 {
            self.line = line;
            self.emit(Op::SetList {
                count: *pending as u8,
                pack: false,
                first: *next_index,
            });
            *next_index += *pending;
            *pending = 0;
        }
    }
}
