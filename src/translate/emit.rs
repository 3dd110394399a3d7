//! The translator proper: one pass over a proc's stack bytecode with a virtual operand
//! stack (see the module documentation in `mod.rs`).

use std::collections::HashMap;

use super::{TranslateError, TranslateOptions, TOO_MANY_REGISTERS};
use crate::bytecode::{ArithOp, CmpOp, Constant, Op, Proto, UnOp, MULTI};
use crate::isa::{
    put_field, ConstIdx, Count, EncodeError, Flag, Imm, Instr, JumpOffset, Payload, ProtoIdx, Reg,
    RegCode, Slot, UpvalIdx,
};

type Result<T> = std::result::Result<T, TranslateError>;

/// A value on the virtual operand stack.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Entry {
    /// In its canonical register `R[num_locals + depth]`.
    Temp,
    /// Still the local's register; not yet copied.
    Local(u16),
    /// A constant of the proc, not yet loaded.
    Const(u32),
    Int(i64),
    Nil,
    Bool(bool),
}

#[derive(Clone, Copy)]
enum PatchKind {
    /// A `Jmp` (24-bit offset).
    Jmp,
    /// An AsBx instruction (16-bit offset).
    Bx,
}

struct Patch {
    at: usize,
    target: usize,
    kind: PatchKind,
}

struct Translator<'a> {
    p: &'a Proto,
    opts: TranslateOptions,
    nl: usize,
    out: RegCode,
    vstack: Vec<Entry>,
    pc: u32,
    line: u32,
    /// The last instruction, if it only wrote a temporary at this depth (retargetable).
    last_producer: Option<(usize, usize)>,
    patches: Vec<Patch>,
    /// Register pc of each translated stack pc.
    reg_pc: Vec<Option<usize>>,
    max_reg: usize,
    int_consts: HashMap<i64, u32>,
    /// Loop branches take the long form (see [`Translator::branch`]).
    long_branches: bool,
}

fn err(msg: impl Into<String>) -> TranslateError {
    TranslateError(msg.into())
}

fn malformed(pc: usize, what: &str) -> TranslateError {
    err(format!("malformed bytecode at pc {pc}: {what}"))
}

fn encode_err(e: EncodeError) -> TranslateError {
    match e.field {
        "sj" | "sbx" if e.op != "LoadI" && e.op != "LoadF" => err(TOO_LONG),
        _ => err(format!("{TOO_MANY_REGISTERS} ({e})")),
    }
}

/// Static operand-stack depth before each instruction (`None`: unreachable), following
/// the verifier's invariant that it is the same on every path.
fn stack_depths(p: &Proto) -> Result<Vec<Option<usize>>> {
    let n = p.code.len();
    let mut depth: Vec<Option<usize>> = vec![None; n];
    if n == 0 {
        return Ok(depth);
    }
    depth[0] = Some(0);
    let mut work = vec![0usize];
    while let Some(pc) = work.pop() {
        let d = depth[pc].unwrap_or(0);
        let op = p.code[pc];
        let (pops, pushes) = op.stack_effect();
        let (pops, pushes) = (pops as usize, pushes as usize);
        if d < pops {
            return Err(malformed(pc, "operand stack underflow"));
        }
        let after = d - pops + pushes;
        let mut succ = |t: usize, dd: usize| -> Result<()> {
            if t >= n {
                return Err(malformed(pc, "control falls off the end"));
            }
            match depth[t] {
                None => {
                    depth[t] = Some(dd);
                    work.push(t);
                    Ok(())
                }
                Some(x) if x == dd => Ok(()),
                Some(_) => Err(malformed(t, "inconsistent stack depth")),
            }
        };
        if !op.ends_block() {
            succ(pc + 1, after)?;
        }
        if let Some(t) = op.branch_target() {
            let dd = match op {
                Op::JumpIfFalseKeep { .. } | Op::JumpIfTrueKeep { .. } => d,
                _ => after,
            };
            succ(t.0 as usize, dd)?;
        }
    }
    Ok(depth)
}

/// Translates one proc (not its children) to register code.
pub fn translate_proto(p: &Proto, opts: TranslateOptions) -> Result<RegCode> {
    // Loop instructions carry 16-bit offsets; a proc whose loops are longer is translated
    // again with every loop branch going through a 24-bit `Jmp` (see `Translator::branch`).
    match translate_with(p, opts, false) {
        Err(e) if e.0 == TOO_LONG => translate_with(p, opts, true),
        r => r,
    }
}

const TOO_LONG: &str = "control structure too long";

fn translate_with(p: &Proto, opts: TranslateOptions, long_branches: bool) -> Result<RegCode> {
    let depths = stack_depths(p)?;
    let n = p.code.len();
    let mut labels = vec![false; n];
    for (pc, op) in p.code.iter().enumerate() {
        if depths[pc].is_some() {
            if let Some(t) = op.branch_target() {
                labels[t.0 as usize] = true;
            }
        }
    }
    let nl = p.num_locals as usize;
    let mut t = Translator {
        p,
        opts,
        nl,
        out: RegCode::default(),
        vstack: Vec::new(),
        pc: 0,
        line: 0,
        last_producer: None,
        patches: Vec::new(),
        reg_pc: vec![None; n],
        max_reg: 0,
        int_consts: HashMap::new(),
        long_branches,
    };
    let mut falls = false;
    let mut pc = 0;
    while pc < n {
        let Some(depth) = depths[pc] else {
            falls = false;
            pc += 1;
            continue;
        };
        t.pc = pc as u32;
        t.line = p.lines.get(pc).copied().unwrap_or(0);
        if falls && t.vstack.len() != depth {
            return Err(malformed(pc, "inconsistent stack depth"));
        }
        if labels[pc] || !falls {
            if falls {
                t.materialise_all()?;
            }
            t.vstack.clear();
            t.vstack.resize(depth, Entry::Temp);
            t.last_producer = None;
        }
        t.reg_pc[pc] = Some(t.out.code.len());
        let op = p.code[pc];
        // Compare-and-branch fusion looks one instruction ahead.
        if let Op::Compare { op: cmp } = op {
            let next = p.code.get(pc + 1).copied();
            let mut fused = match next {
                Some(Op::JumpIfFalse { target }) if opts.fusion && !labels[pc + 1] => {
                    Some((false, target.0 as usize))
                }
                Some(Op::JumpIfTrue { target }) if opts.fusion && !labels[pc + 1] => {
                    Some((true, target.0 as usize))
                }
                _ => None,
            };
            // `if cond then break end` and the like: a conditional jump over an
            // unconditional one becomes one conditional jump with the opposite sense.
            let mut skip_jump = false;
            if let (Some((sense, target)), Some(Op::Jump { target: far })) =
                (fused, p.code.get(pc + 2).copied())
            {
                if target == pc + 3 && !labels[pc + 2] {
                    fused = Some((!sense, far.0 as usize));
                    skip_jump = true;
                }
            }
            t.compare(cmp, fused)?;
            if fused.is_some() {
                t.reg_pc[pc + 1] = t.reg_pc[pc];
                pc += 1;
            }
            if skip_jump {
                t.reg_pc[pc + 1] = t.reg_pc[pc - 1];
                pc += 1;
            }
            falls = true;
            pc += 1;
            continue;
        }
        // `not x` consumed by a conditional jump: test `x` with the opposite sense.
        if let Op::Unary { op: UnOp::Not } = op {
            let jump = match p.code.get(pc + 1).copied() {
                Some(Op::JumpIfFalse { target }) if opts.fusion && !labels[pc + 1] => {
                    Some((true, target.0 as usize))
                }
                Some(Op::JumpIfTrue { target }) if opts.fusion && !labels[pc + 1] => {
                    Some((false, target.0 as usize))
                }
                _ => None,
            };
            if let Some((k, target)) = jump {
                t.test_jump(k, target)?;
                t.reg_pc[pc + 1] = t.reg_pc[pc];
                falls = true;
                pc += 2;
                continue;
            }
        }
        t.visit(op)?;
        falls = !op.ends_block();
        pc += 1;
    }
    let mut code = t.finish()?;
    if opts.dead_moves {
        super::post::remove_dead_moves(&mut code, nl);
    }
    if opts.superinstructions {
        super::post::fuse_superinstructions(&mut code);
    }
    Ok(code)
}

impl Translator<'_> {
    // ----- registers and emission -------------------------------------------------------

    fn reg(&mut self, n: usize) -> Result<Reg> {
        if n > 255 {
            return Err(err(TOO_MANY_REGISTERS));
        }
        self.max_reg = self.max_reg.max(n);
        Ok(Reg(n as u8))
    }

    /// The canonical register of operand-stack depth `d`.
    fn slot_reg(&mut self, d: usize) -> Result<Reg> {
        self.reg(self.nl + d)
    }

    fn local_reg(&mut self, slot: u16) -> Result<Reg> {
        self.reg(slot as usize)
    }

    fn emit(&mut self, i: Instr) -> Result<usize> {
        let w = i.encode().map_err(encode_err)?;
        self.out.code.push(w);
        self.out.stack_pcs.push(self.pc);
        self.out.lines.push(self.line);
        self.last_producer = None;
        Ok(self.out.code.len() - 1)
    }

    /// Emits an instruction whose only effect is writing a new temporary at depth `d`
    /// (its `A` operand), and pushes that temporary.
    fn produce(&mut self, i: Instr, d: usize) -> Result<()> {
        let at = self.emit(i)?;
        self.vstack.truncate(d);
        self.vstack.push(Entry::Temp);
        if self.opts.backward_propagation {
            self.last_producer = Some((at, d));
        }
        Ok(())
    }

    fn jump(&mut self, target: usize) -> Result<()> {
        let at = self.emit(Instr::Jmp { sj: JumpOffset(0) })?;
        self.patches.push(Patch {
            at,
            target,
            kind: PatchKind::Jmp,
        });
        Ok(())
    }

    fn load_const(&mut self, dst: Reg, k: u32) -> Result<()> {
        if k <= u16::MAX as u32 {
            self.emit(Instr::LoadK {
                a: dst,
                bx: ConstIdx(k),
            })?;
        } else {
            self.emit(Instr::LoadKx { a: dst })?;
            self.emit(Instr::ExtraArg { ax: Payload(k) })?;
        }
        Ok(())
    }

    /// A constant index holding integer `i` (the proc's own, or one added by us).
    fn int_const(&mut self, i: i64) -> u32 {
        if let Some(&k) = self.int_consts.get(&i) {
            return k;
        }
        let k = match self
            .p
            .consts
            .iter()
            .position(|c| matches!(c, Constant::Int(x) if *x == i))
        {
            Some(k) => k as u32,
            None => {
                self.out.extra_consts.push(Constant::Int(i));
                (self.p.consts.len() + self.out.extra_consts.len() - 1) as u32
            }
        };
        self.int_consts.insert(i, k);
        k
    }

    fn load_int(&mut self, dst: Reg, i: i64) -> Result<()> {
        if let Ok(s) = i16::try_from(i) {
            self.emit(Instr::LoadI {
                a: dst,
                sbx: Imm(s as i32),
            })?;
            Ok(())
        } else {
            let k = self.int_const(i);
            self.load_const(dst, k)
        }
    }

    /// Loads a virtual entry's value into `dst`.
    fn load_entry(&mut self, dst: Reg, e: Entry) -> Result<()> {
        match e {
            Entry::Temp => unreachable_temp(),
            Entry::Local(s) => {
                let src = self.local_reg(s)?;
                if src != dst {
                    self.emit(Instr::Move { a: dst, b: src })?;
                }
                Ok(())
            }
            Entry::Const(k) => self.load_const(dst, k),
            Entry::Int(i) => self.load_int(dst, i),
            Entry::Nil => self
                .emit(Instr::LoadNil {
                    a: dst,
                    b: Count(0),
                })
                .map(drop),
            Entry::Bool(true) => self.emit(Instr::LoadTrue { a: dst }).map(drop),
            Entry::Bool(false) => self.emit(Instr::LoadFalse { a: dst }).map(drop),
        }
    }

    // ----- the virtual stack ------------------------------------------------------------

    fn top(&self) -> Result<usize> {
        self.vstack
            .len()
            .checked_sub(1)
            .ok_or_else(|| malformed(self.pc as usize, "operand stack underflow"))
    }

    /// Depth of the `n`-th value from the top (n >= 1).
    fn below(&self, n: usize) -> Result<usize> {
        self.vstack
            .len()
            .checked_sub(n)
            .ok_or_else(|| malformed(self.pc as usize, "operand stack underflow"))
    }

    fn materialise(&mut self, d: usize) -> Result<()> {
        let e = self.vstack[d];
        if e != Entry::Temp {
            let r = self.slot_reg(d)?;
            self.load_entry(r, e)?;
            self.vstack[d] = Entry::Temp;
        }
        Ok(())
    }

    fn materialise_range(&mut self, lo: usize, hi: usize) -> Result<()> {
        for d in lo..hi {
            self.materialise(d)?;
        }
        Ok(())
    }

    fn materialise_all(&mut self) -> Result<()> {
        self.materialise_range(0, self.vstack.len())
    }

    /// Copies pending reads of local `slot` before it is overwritten.
    fn flush_local(&mut self, slot: u16) -> Result<()> {
        for d in 0..self.vstack.len() {
            if self.vstack[d] == Entry::Local(slot) {
                self.materialise(d)?;
            }
        }
        Ok(())
    }

    /// A register holding the value at depth `d`: a local's own register, or the
    /// canonical one (loading a virtual constant there first).
    fn operand(&mut self, d: usize) -> Result<Reg> {
        match self.vstack[d] {
            Entry::Temp => self.slot_reg(d),
            Entry::Local(s) => self.local_reg(s),
            _ => {
                self.materialise(d)?;
                self.slot_reg(d)
            }
        }
    }

    fn push_value(&mut self, e: Entry) -> Result<()> {
        let d = self.vstack.len();
        self.vstack.push(e);
        if !self.opts.constant_operands {
            self.materialise(d)?;
        }
        Ok(())
    }

    /// A string constant usable as a C/B operand.
    fn short_str_key(&self, k: u32) -> Option<ConstIdx> {
        match self.p.consts.get(k as usize) {
            Some(Constant::Str(_)) if k <= 255 => Some(ConstIdx(k)),
            _ => None,
        }
    }

    /// The entry as a small integer fitting a signed 8-bit immediate.
    fn small_int(&self, e: Entry) -> Option<i32> {
        let i = match e {
            Entry::Int(i) => i,
            Entry::Const(k) => match self.p.consts.get(k as usize) {
                Some(Constant::Int(i)) => *i,
                _ => return None,
            },
            _ => return None,
        };
        i8::try_from(i).ok().map(|v| v as i32)
    }

    /// The entry as an array index usable as a `GetI`/`SetI` immediate (0..=255).
    fn index_imm(&self, e: Entry) -> Option<Count> {
        let i = match e {
            Entry::Int(i) => i,
            Entry::Const(k) => match self.p.consts.get(k as usize) {
                Some(Constant::Int(i)) => *i,
                _ => return None,
            },
            _ => return None,
        };
        u8::try_from(i).ok().map(|v| Count(v as u32))
    }

    // ----- instructions -----------------------------------------------------------------

    fn visit(&mut self, op: Op) -> Result<()> {
        match op {
            Op::Nop {} => {}
            Op::Pop { n } => {
                let d = self.below(n as usize)?;
                self.vstack.truncate(d);
            }
            Op::PushNil { n } => {
                for _ in 0..n {
                    self.push_value(Entry::Nil)?;
                }
            }
            Op::PushTrue {} => self.push_value(Entry::Bool(true))?,
            Op::PushFalse {} => self.push_value(Entry::Bool(false))?,
            Op::PushInt { value } => self.push_value(Entry::Int(value))?,
            Op::PushConst { idx } => self.push_value(Entry::Const(idx.0))?,
            Op::GetLocal { slot } => {
                if self.opts.copy_propagation {
                    self.vstack.push(Entry::Local(slot.0));
                } else {
                    let d = self.vstack.len();
                    let (a, b) = (self.slot_reg(d)?, self.local_reg(slot.0)?);
                    self.produce(Instr::Move { a, b }, d)?;
                }
            }
            Op::SetLocal { slot } => self.set_local(slot.0)?,
            Op::GetUpval { idx } => {
                let d = self.vstack.len();
                let a = self.slot_reg(d)?;
                self.produce(
                    Instr::GetUpval {
                        a,
                        b: UpvalIdx(idx.0),
                    },
                    d,
                )?;
            }
            Op::SetUpval { idx } => {
                let d = self.top()?;
                let a = self.operand(d)?;
                self.vstack.truncate(d);
                self.emit(Instr::SetUpval {
                    a,
                    b: UpvalIdx(idx.0),
                })?;
            }
            Op::GetUpField { upval, key } => {
                let d = self.vstack.len();
                let a = self.slot_reg(d)?;
                let b = UpvalIdx(upval.0);
                if let Some(c) = self.short_str_key(key.0) {
                    self.produce(Instr::GetTabUp { a, b, c }, d)?;
                } else {
                    self.emit(Instr::GetUpval { a, b })?;
                    let kr = self.slot_reg(d + 1)?;
                    self.load_const(kr, key.0)?;
                    self.produce(Instr::GetTable { a, b: a, c: kr }, d)?;
                }
            }
            Op::SetUpField { upval, key } => {
                let d = self.top()?;
                let v = self.operand(d)?;
                let u = UpvalIdx(upval.0);
                if let Some(k) = self.short_str_key(key.0) {
                    self.emit(Instr::SetTabUp { a: u, b: k, c: v })?;
                } else {
                    let (tr, kr) = (self.slot_reg(d + 1)?, self.slot_reg(d + 2)?);
                    self.emit(Instr::GetUpval { a: tr, b: u })?;
                    self.load_const(kr, key.0)?;
                    self.emit(Instr::SetTable { a: tr, b: kr, c: v })?;
                }
                self.vstack.truncate(d);
            }
            Op::GetTable {} => {
                let d = self.below(2)?;
                let t = self.operand(d)?;
                let a = self.slot_reg(d)?;
                let i = self.index_instr(a, t, d + 1)?;
                self.produce(i, d)?;
            }
            Op::SetTable {} => {
                let d = self.below(3)?;
                self.store(d, d + 1, d + 2)?;
                self.vstack.truncate(d);
            }
            Op::GetField { key } => {
                let d = self.top()?;
                let t = self.operand(d)?;
                let a = self.slot_reg(d)?;
                if let Some(c) = self.short_str_key(key.0) {
                    self.produce(Instr::GetField { a, b: t, c }, d)?;
                } else {
                    let kr = self.slot_reg(d + 1)?;
                    self.load_const(kr, key.0)?;
                    self.produce(Instr::GetTable { a, b: t, c: kr }, d)?;
                }
            }
            Op::SetField { key } => {
                let d = self.below(2)?;
                self.store_field(d, key.0, d + 1)?;
                self.vstack.truncate(d);
            }
            Op::SetTableAt { depth } => {
                let v = self.top()?;
                let d = depth as usize;
                if d + 1 >= v {
                    return Err(malformed(self.pc as usize, "SetTableAt depth"));
                }
                self.store(d, d + 1, v)?;
                self.vstack.truncate(v);
            }
            Op::SetFieldAt { depth, key } => {
                let v = self.top()?;
                let d = depth as usize;
                if d >= v {
                    return Err(malformed(self.pc as usize, "SetFieldAt depth"));
                }
                self.store_field(d, key.0, v)?;
                self.vstack.truncate(v);
            }
            Op::Method { key } => {
                let d = self.top()?;
                let o = self.operand(d)?;
                let a = self.slot_reg(d)?;
                let a1 = self.slot_reg(d + 1)?;
                if let Some(c) = self.short_str_key(key.0) {
                    self.emit(Instr::Self_ { a, b: o, c })?;
                } else {
                    self.emit(Instr::Move { a: a1, b: o })?;
                    let kr = self.slot_reg(d + 2)?;
                    self.load_const(kr, key.0)?;
                    self.emit(Instr::GetTable { a, b: a1, c: kr })?;
                }
                self.vstack.truncate(d);
                self.vstack.push(Entry::Temp);
                self.vstack.push(Entry::Temp);
            }
            Op::NewTable { array, hash } => {
                let d = self.vstack.len();
                let a = self.slot_reg(d)?;
                let at = self.emit(Instr::NewTable {
                    a,
                    b: Count(hash.min(255)),
                    c: Count(array & 255),
                })?;
                self.emit(Instr::ExtraArg {
                    ax: Payload((array >> 8).min((1 << 24) - 1)),
                })?;
                self.vstack.push(Entry::Temp);
                if self.opts.backward_propagation {
                    self.last_producer = Some((at, d));
                }
            }
            Op::SetList { count, pack, first } => {
                let d = self.below(count as usize + 1)?;
                let n = self.vstack.len();
                self.materialise_range(d, n)?;
                let a = self.slot_reg(d)?;
                let b = if pack { 0 } else { count as u32 };
                if count > 0 {
                    self.slot_reg(d + count as usize)?;
                }
                self.emit(Instr::SetList { a, b: Count(b) })?;
                if first >= 1 << 24 {
                    return Err(err("table constructor too long"));
                }
                self.emit(Instr::ExtraArg { ax: Payload(first) })?;
                self.vstack.truncate(d + 1);
            }
            Op::Arith { op } => self.arith(op)?,
            Op::Compare { op } => self.compare(op, None)?,
            Op::Unary { op } => {
                let d = self.top()?;
                let b = self.operand(d)?;
                let a = self.slot_reg(d)?;
                let i = match op {
                    UnOp::Unm => Instr::Unm { a, b },
                    UnOp::BNot => Instr::BNot { a, b },
                    UnOp::Not => Instr::Not { a, b },
                    UnOp::Len => Instr::Len { a, b },
                };
                self.produce(i, d)?;
            }
            Op::Concat { n } => {
                let d = self.below(n as usize)?;
                let top = self.vstack.len();
                self.materialise_range(d, top)?;
                let a = self.slot_reg(d)?;
                self.emit(Instr::Concat {
                    a,
                    b: Count(n as u32),
                })?;
                self.vstack.truncate(d);
                self.vstack.push(Entry::Temp);
            }
            Op::Jump { target } => {
                self.materialise_all()?;
                self.jump(target.0 as usize)?;
            }
            Op::JumpIfFalse { target } | Op::JumpIfTrue { target } => {
                let k = matches!(op, Op::JumpIfTrue { .. });
                self.test_jump(k, target.0 as usize)?;
            }
            Op::JumpIfFalseKeep { target } | Op::JumpIfTrueKeep { target } => {
                let k = matches!(op, Op::JumpIfTrueKeep { .. });
                let d = self.top()?;
                self.materialise_range(0, d)?;
                let a = self.slot_reg(d)?;
                match self.vstack[d] {
                    Entry::Local(s) => {
                        let b = self.local_reg(s)?;
                        self.emit(Instr::TestSet { a, b, k: Flag(k) })?;
                    }
                    _ => {
                        self.materialise(d)?;
                        self.emit(Instr::Test { a, k: Flag(k) })?;
                    }
                }
                self.jump(target.0 as usize)?;
                self.vstack.truncate(d);
            }
            Op::Call {
                argc,
                pack,
                results,
            } => {
                let d = self.below(argc as usize + 1)?;
                let n = self.vstack.len();
                self.materialise_range(d, n)?;
                let a = self.slot_reg(d)?;
                let b = if pack { 0 } else { argc as u32 + 1 };
                let c = if results == MULTI {
                    0
                } else {
                    results as u32 + 1
                };
                self.emit(Instr::Call {
                    a,
                    b: Count(b),
                    c: Count(c),
                })?;
                self.vstack.truncate(d);
                if results != MULTI {
                    for _ in 0..results {
                        let r = self.vstack.len();
                        self.slot_reg(r)?;
                        self.vstack.push(Entry::Temp);
                    }
                }
            }
            Op::TailCall { argc, pack } => {
                let d = self.below(argc as usize + 1)?;
                let n = self.vstack.len();
                self.materialise_range(d, n)?;
                let a = self.slot_reg(d)?;
                let b = if pack { 0 } else { argc as u32 + 1 };
                self.emit(Instr::TailCall { a, b: Count(b) })?;
                self.vstack.truncate(d);
            }
            Op::Return { count, pack } => {
                let d = self.below(count as usize)?;
                if !pack && count == 0 {
                    self.emit(Instr::Return0 {})?;
                } else if !pack && count == 1 {
                    let a = self.operand(d)?;
                    self.emit(Instr::Return1 { a })?;
                } else {
                    let n = self.vstack.len();
                    self.materialise_range(d, n)?;
                    let a = self.slot_reg(d)?;
                    let b = if pack { 0 } else { count as u32 + 1 };
                    self.emit(Instr::Return { a, b: Count(b) })?;
                }
                self.vstack.truncate(d);
            }
            Op::VarArg { count } => {
                let d = self.vstack.len();
                let a = self.slot_reg(d)?;
                if count == MULTI {
                    self.emit(Instr::VarArg { a, c: Count(0) })?;
                } else {
                    self.emit(Instr::VarArg {
                        a,
                        c: Count(count as u32 + 1),
                    })?;
                    for i in 0..count as usize {
                        self.slot_reg(d + i)?;
                        self.vstack.push(Entry::Temp);
                    }
                }
            }
            Op::Closure { proto } => {
                let d = self.vstack.len();
                let a = self.slot_reg(d)?;
                self.produce(
                    Instr::Closure {
                        a,
                        bx: ProtoIdx(proto.0),
                    },
                    d,
                )?;
            }
            Op::Close { slot } => {
                let a = self.local_reg(slot.0)?;
                self.emit(Instr::Close { a })?;
            }
            Op::Tbc { slot } => {
                let a = self.local_reg(slot.0)?;
                self.emit(Instr::Tbc { a })?;
            }
            Op::ForPrep { base, exit } => {
                self.materialise_all()?;
                let a = self.local_reg(base.0)?;
                self.reg(base.0 as usize + 3)?;
                self.branch(|a, sbx| Instr::ForPrep { a, sbx }, a, exit.0)?;
            }
            Op::ForLoop { base, body } => {
                self.materialise_all()?;
                let a = self.local_reg(base.0)?;
                self.reg(base.0 as usize + 3)?;
                self.branch(|a, sbx| Instr::ForLoop { a, sbx }, a, body.0)?;
            }
            Op::TForCall { base, nvars } => {
                self.materialise_all()?;
                let a = self.local_reg(base.0)?;
                // The call runs at R[A+4] with its two arguments above.
                self.reg(base.0 as usize + 6)?;
                self.reg(base.0 as usize + 3 + nvars.max(1) as usize)?;
                self.emit(Instr::TForCall {
                    a,
                    c: Count(nvars as u32),
                })?;
            }
            Op::TForLoop { base, body } => {
                self.materialise_all()?;
                let a = self.local_reg(base.0)?;
                self.reg(base.0 as usize + 4)?;
                self.branch(|a, sbx| Instr::TForLoop { a, sbx }, a, body.0)?;
            }
        }
        Ok(())
    }

    /// Pops the top value and jumps to stack pc `target` when its truthiness is `k`.
    fn test_jump(&mut self, k: bool, target: usize) -> Result<()> {
        let d = self.top()?;
        // A constant condition (`while true do`) is decided here.
        let known = match self.vstack[d] {
            Entry::Nil => Some(false),
            Entry::Bool(b) => Some(b),
            Entry::Int(_) => Some(true),
            Entry::Const(c) => match self.p.consts.get(c as usize) {
                Some(Constant::Nil) => Some(false),
                Some(Constant::Bool(b)) => Some(*b),
                Some(_) => Some(true),
                None => None,
            },
            Entry::Temp | Entry::Local(_) => None,
        };
        if let Some(truthy) = known {
            self.vstack.truncate(d);
            if truthy == k {
                self.materialise_all()?;
                self.jump(target)?;
            }
            return Ok(());
        }
        let a = self.operand(d)?;
        self.vstack.truncate(d);
        self.materialise_all()?;
        self.emit(Instr::Test { a, k: Flag(k) })?;
        self.jump(target)
    }

    /// Emits the AsBx branch `make(a, offset)` whose offset is patched to reach stack pc
    /// `target`.
    ///
    /// Long form, for procs whose loops exceed 16-bit offsets: the branch skips one word
    /// to a 24-bit `Jmp` to the target, and the fall-through path jumps over that `Jmp`:
    /// `op +1; Jmp +1; Jmp target`.
    fn branch(&mut self, make: fn(Reg, JumpOffset) -> Instr, a: Reg, target: u32) -> Result<()> {
        if self.long_branches {
            self.emit(make(a, JumpOffset(1)))?;
            self.emit(Instr::Jmp { sj: JumpOffset(1) })?;
            return self.jump(target as usize);
        }
        let at = self.emit(make(a, JumpOffset(0)))?;
        self.patches.push(Patch {
            at,
            target: target as usize,
            kind: PatchKind::Bx,
        });
        Ok(())
    }

    fn set_local(&mut self, slot: u16) -> Result<()> {
        let d = self.top()?;
        let e = self.vstack[d];
        self.vstack.truncate(d);
        if e == Entry::Local(slot) {
            return Ok(()); // `x = x`: a dead move
        }
        let dst = self.local_reg(slot)?;
        let pending = self.vstack.contains(&Entry::Local(slot));
        if e == Entry::Temp {
            if let Some((at, pd)) = self.last_producer {
                if pd == d && !pending {
                    // Backward propagation: the producer writes the local directly.
                    let w = self.out.code[at];
                    self.out.code[at] = (w & !0xff00) | ((dst.0 as u32) << 8);
                    self.last_producer = None;
                    return Ok(());
                }
            }
            self.flush_local(slot)?;
            let src = self.slot_reg(d)?;
            self.emit(Instr::Move { a: dst, b: src })?;
            return Ok(());
        }
        self.flush_local(slot)?;
        self.load_entry(dst, e)
    }

    /// `R[A] := t[key]` for the key at depth `kd`: `GetI`, `GetField` or `GetTable`.
    fn index_instr(&mut self, a: Reg, t: Reg, kd: usize) -> Result<Instr> {
        let e = self.vstack[kd];
        if self.opts.constant_operands {
            if let Some(c) = self.index_imm(e) {
                return Ok(Instr::GetI { a, b: t, c });
            }
            if let Entry::Const(k) = e {
                if let Some(c) = self.short_str_key(k) {
                    return Ok(Instr::GetField { a, b: t, c });
                }
            }
        }
        let c = self.operand(kd)?;
        Ok(Instr::GetTable { a, b: t, c })
    }

    /// `S[td][S[kd]] := S[vd]`.
    fn store(&mut self, td: usize, kd: usize, vd: usize) -> Result<()> {
        let a = self.operand(td)?;
        let ke = self.vstack[kd];
        let c = self.operand(vd)?;
        if self.opts.constant_operands {
            if let Some(b) = self.index_imm(ke) {
                self.emit(Instr::SetI { a, b, c })?;
                return Ok(());
            }
            if let Entry::Const(k) = ke {
                if let Some(b) = self.short_str_key(k) {
                    self.emit(Instr::SetField { a, b, c })?;
                    return Ok(());
                }
            }
        }
        let b = self.operand(kd)?;
        self.emit(Instr::SetTable { a, b, c })?;
        Ok(())
    }

    /// `S[td][K[key]] := S[vd]`.
    fn store_field(&mut self, td: usize, key: u32, vd: usize) -> Result<()> {
        let a = self.operand(td)?;
        let c = self.operand(vd)?;
        if let Some(b) = self.short_str_key(key) {
            self.emit(Instr::SetField { a, b, c })?;
        } else {
            let kr = self.slot_reg(self.vstack.len())?;
            self.load_const(kr, key)?;
            self.emit(Instr::SetTable { a, b: kr, c })?;
        }
        Ok(())
    }

    fn arith(&mut self, op: ArithOp) -> Result<()> {
        let d = self.below(2)?;
        let be = self.vstack[d + 1];
        // A constant right operand becomes a K operand or an immediate.
        let mut kform: Option<ConstIdx> = None;
        let mut imm: Option<i32> = None;
        if self.opts.constant_operands {
            match be {
                Entry::Int(i) if op == ArithOp::Add && i8::try_from(i).is_ok() => {
                    imm = Some(i as i32)
                }
                Entry::Int(i) => {
                    let k = self.int_const(i);
                    if k <= 255 {
                        kform = Some(ConstIdx(k));
                    }
                }
                Entry::Const(k) if k <= 255 => match self.p.consts.get(k as usize) {
                    Some(Constant::Int(i)) if op == ArithOp::Add && i8::try_from(*i).is_ok() => {
                        imm = Some(*i as i32)
                    }
                    Some(Constant::Int(_)) | Some(Constant::Float(_)) => kform = Some(ConstIdx(k)),
                    _ => {}
                },
                _ => {}
            }
        }
        let b = self.operand(d)?;
        let a = self.slot_reg(d)?;
        let i = if let Some(c) = imm {
            Instr::AddI { a, b, c: Imm(c) }
        } else if let Some(c) = kform {
            match op {
                ArithOp::Add => Instr::AddK { a, b, c },
                ArithOp::Sub => Instr::SubK { a, b, c },
                ArithOp::Mul => Instr::MulK { a, b, c },
                ArithOp::Mod => Instr::ModK { a, b, c },
                ArithOp::Pow => Instr::PowK { a, b, c },
                ArithOp::Div => Instr::DivK { a, b, c },
                ArithOp::IDiv => Instr::IDivK { a, b, c },
                ArithOp::BAnd => Instr::BAndK { a, b, c },
                ArithOp::BOr => Instr::BOrK { a, b, c },
                ArithOp::BXor => Instr::BXorK { a, b, c },
                ArithOp::Shl => Instr::ShlK { a, b, c },
                ArithOp::Shr => Instr::ShrK { a, b, c },
            }
        } else {
            let c = self.operand(d + 1)?;
            match op {
                ArithOp::Add => Instr::Add { a, b, c },
                ArithOp::Sub => Instr::Sub { a, b, c },
                ArithOp::Mul => Instr::Mul { a, b, c },
                ArithOp::Mod => Instr::Mod { a, b, c },
                ArithOp::Pow => Instr::Pow { a, b, c },
                ArithOp::Div => Instr::Div { a, b, c },
                ArithOp::IDiv => Instr::IDiv { a, b, c },
                ArithOp::BAnd => Instr::BAnd { a, b, c },
                ArithOp::BOr => Instr::BOr { a, b, c },
                ArithOp::BXor => Instr::BXor { a, b, c },
                ArithOp::Shl => Instr::Shl { a, b, c },
                ArithOp::Shr => Instr::Shr { a, b, c },
            }
        };
        self.produce(i, d)
    }

    /// A comparison. `fused`: `(jump_if_true, target)` of the conditional jump that
    /// consumes the boolean; otherwise the boolean is produced in a register.
    fn compare(&mut self, op: CmpOp, fused: Option<(bool, usize)>) -> Result<()> {
        let d = self.below(2)?;
        let (ae, be) = (self.vstack[d], self.vstack[d + 1]);
        let consts = self.opts.constant_operands;
        let (bi, ai) = if consts {
            (self.small_int(be), self.small_int(ae))
        } else {
            (None, None)
        };
        let short_k = |e: Entry| match e {
            Entry::Const(k) if consts && k <= 255 => Some(ConstIdx(k)),
            _ => None,
        };
        // Build a constructor taking the sense bit; `negate` flips it (for `~=`).
        #[derive(Clone, Copy)]
        enum Form {
            Eq(Reg, Reg),
            EqK(Reg, ConstIdx),
            EqI(Reg, i32),
            Lt(Reg, Reg),
            Le(Reg, Reg),
            LtI(Reg, i32),
            LeI(Reg, i32),
            GtI(Reg, i32),
            GeI(Reg, i32),
        }
        let form = match op {
            CmpOp::Eq | CmpOp::Ne => {
                if let Some(i) = bi {
                    Form::EqI(self.operand(d)?, i)
                } else if let Some(i) = ai {
                    Form::EqI(self.operand(d + 1)?, i)
                } else if let Some(k) = short_k(be) {
                    Form::EqK(self.operand(d)?, k)
                } else if let Some(k) = short_k(ae) {
                    Form::EqK(self.operand(d + 1)?, k)
                } else {
                    Form::Eq(self.operand(d)?, self.operand(d + 1)?)
                }
            }
            CmpOp::Lt => match (bi, ai) {
                (Some(i), _) => Form::LtI(self.operand(d)?, i),
                (_, Some(i)) => Form::GtI(self.operand(d + 1)?, i),
                _ => Form::Lt(self.operand(d)?, self.operand(d + 1)?),
            },
            CmpOp::Le => match (bi, ai) {
                (Some(i), _) => Form::LeI(self.operand(d)?, i),
                (_, Some(i)) => Form::GeI(self.operand(d + 1)?, i),
                _ => Form::Le(self.operand(d)?, self.operand(d + 1)?),
            },
            CmpOp::Gt => match (bi, ai) {
                (Some(i), _) => Form::GtI(self.operand(d)?, i),
                (_, Some(i)) => Form::LtI(self.operand(d + 1)?, i),
                _ => Form::Lt(self.operand(d + 1)?, self.operand(d)?),
            },
            CmpOp::Ge => match (bi, ai) {
                (Some(i), _) => Form::GeI(self.operand(d)?, i),
                (_, Some(i)) => Form::LeI(self.operand(d + 1)?, i),
                _ => Form::Le(self.operand(d + 1)?, self.operand(d)?),
            },
        };
        let negate = op == CmpOp::Ne;
        let make = |k: bool| {
            let k = Flag(k != negate);
            match form {
                Form::Eq(a, b) => Instr::Eq { a, b, k },
                Form::EqK(a, b) => Instr::EqK { a, b, k },
                Form::EqI(a, b) => Instr::EqI { a, b: Imm(b), k },
                Form::Lt(a, b) => Instr::Lt { a, b, k },
                Form::Le(a, b) => Instr::Le { a, b, k },
                Form::LtI(a, b) => Instr::LtI { a, b: Imm(b), k },
                Form::LeI(a, b) => Instr::LeI { a, b: Imm(b), k },
                Form::GtI(a, b) => Instr::GtI { a, b: Imm(b), k },
                Form::GeI(a, b) => Instr::GeI { a, b: Imm(b), k },
            }
        };
        self.vstack.truncate(d);
        match fused {
            Some((jump_if_true, target)) => {
                self.materialise_all()?;
                self.emit(make(jump_if_true))?;
                self.jump(target)?;
            }
            None => {
                let a = self.slot_reg(d)?;
                self.emit(make(true))?;
                self.emit(Instr::Jmp { sj: JumpOffset(2) })?;
                self.emit(Instr::LoadFalse { a })?;
                self.emit(Instr::Jmp { sj: JumpOffset(1) })?;
                self.emit(Instr::LoadTrue { a })?;
                self.vstack.push(Entry::Temp);
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<RegCode> {
        for patch in std::mem::take(&mut self.patches) {
            let Some(Some(to)) = self.reg_pc.get(patch.target).copied() else {
                return Err(malformed(
                    patch.target,
                    "jump to an untranslated instruction",
                ));
            };
            let off = to as i64 - (patch.at as i64 + 1);
            let off = i32::try_from(off).map_err(|_| err(TOO_LONG))?;
            let w = self.out.code[patch.at];
            self.out.code[patch.at] = match patch.kind {
                PatchKind::Jmp => Instr::Jmp {
                    sj: JumpOffset(off),
                }
                .encode()
                .map_err(encode_err)?,
                PatchKind::Bx => {
                    (w & 0xffff)
                        | put_field(JumpOffset(off), Slot::Bx).ok_or_else(|| err(TOO_LONG))?
                }
            };
        }
        let min = self.nl + self.p.max_stack as usize;
        let size = min.max(self.max_reg + 1);
        self.out.frame_size = u16::try_from(size).map_err(|_| err(TOO_MANY_REGISTERS))?;
        Ok(self.out)
    }
}

#[cold]
fn unreachable_temp() -> Result<()> {
    // `load_entry` is never called on a temporary (callers check); treat it as a no-op.
    Ok(())
}
