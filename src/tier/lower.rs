//! Register code -> JIT IR.
//!
//! One IR block per register word; registers stay in memory (the frame's window), so a
//! side exit at any pc leaves a state the interpreter can continue from. Arithmetic and
//! comparisons check the operand tags at each site, most specific case first (two
//! integers, two floats, then mixed numbers: `Lower::split`): integer and float paths
//! run natively, anything else exits to the interpreter at that instruction's pc (which
//! then performs the slow path: coercions, metamethods, errors). Ops without a
//! lowering end the native code with an exit at their pc.
//!
//! Lowered: `Move LoadI LoadF LoadK LoadNil LoadTrue LoadFalse GetUpval SetUpval
//! GetTabUp GetTable GetI GetField SetTable SetI SetField` (inline on the array part and
//! for constant string keys in the hash part, helpers otherwise),
//! `Add Sub Mul Div IDiv Mod Pow` and their `K`/`I` forms (float `%` exits; `^` calls
//! `number::float_pow`), integer `BAnd BOr BXor Shl Shr BNot` and their `K` forms,
//! `Len` (inline for tables without metatable or hash part, helper otherwise),
//! `Unm Not Jmp`, `Eq Lt Le EqK EqI LtI LeI GtI GeI Test TestSet` with their jumps,
//! `ForPrep` (inline for integer loops, helper otherwise) and integer and float
//! `ForLoop` (by the loop's `types::LoopKind`), `Return Return0 Return1` (returned as
//! `Return(pc)`: the interpreter performs the return), `Call` with fixed argument and result counts (frames pushed and
//! popped inline for compiled Lua callees, `math.sqrt` inline, else through the `call`
//! helper, which runs the callee nested). Everything else exits.

use apogee_jit::abi::{
    ExitCode, MAX_TAG as MAX_VALUE_TAG, TAG_BOOL, TAG_FLOAT, TAG_INT, TAG_NIL, TAG_STR, TAG_TABLE,
};
use apogee_jit::ir::{
    BlockId, Callee, Cond, FloatBinOp, FloatUnOp, HelperSig, IntBinOp, IntUnOp, Reg,
};
use apogee_jit::{Builder, Function, Type};

use super::native::{self, CallLayout, Helper, TableLayout, UpvalLayout};
use super::spec;
use super::types::{Known, LoopKind};
use crate::interp::feedback::Feedback;
use crate::isa::{Instr, RegCode};
use crate::runtime::Value;

mod call;
mod loops;
mod table;
mod versions;

use call::MAX_INLINE_RESULTS;
use table::Key;
use versions::{version_joins, written, Versions, Written};

/// Largest register code the lowering accepts (return pcs fit 16 bits of the payload).
pub const MAX_WORDS: usize = 0xffff;

/// The payload of a `Return` exit at register pc `pc` returning `count` values (`None`:
/// a pack) from register `first`: bits 0..16 the pc, 16..24 `first`, 24..32 `count + 1`
/// (0 for a pack).
fn ret_payload(pc: usize, first: u8, count: Option<u8>) -> u32 {
    let n = count.map_or(0, |n| u32::from(n) + 1);
    (pc as u32 & 0xffff) | u32::from(first) << 16 | n << 24
}

/// The register pc of a `Return` exit's payload (the interpreter performs the return).
#[inline]
pub fn ret_pc(p: u32) -> u32 {
    p & 0xffff
}

/// The first returned register of a `Return` exit's payload.
#[inline]
pub fn ret_first(p: u32) -> usize {
    (p >> 16 & 0xff) as usize
}

/// The number of returned values of a `Return` exit's payload (`None`: a pack).
#[inline]
pub fn ret_count(p: u32) -> Option<usize> {
    match p >> 24 {
        0 => None,
        n => Some(n as usize - 1),
    }
}

/// A point where native code can be entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The register pc.
    pub pc: u32,
    /// The value for `JitContext::entry`.
    pub id: u32,
    /// A loop header (an OSR entry), as opposed to the start or a call's return point.
    pub osr: bool,
}

/// A lowered proc.
pub struct Lowered {
    pub func: Function,
    /// Sorted by pc.
    pub entries: Vec<Entry>,
    /// By pc: whether the native code always exits there (an instruction it does not
    /// implement), as opposed to exiting when a guard fails.
    pub planned_exits: Vec<bool>,
}

/// The outcome of [`Lower::split`].
struct Split {
    ints: Option<BlockId>,
    /// Where mixed numbers continue (with `xf`/`yf` converted), when `mixed`.
    mixed: Option<BlockId>,
    xi: apogee_jit::ir::Var,
    yi: apogee_jit::ir::Var,
    xf: apogee_jit::ir::Var,
    yf: apogee_jit::ir::Var,
}

/// A numeric operand.
#[derive(Clone, Copy)]
enum Opnd {
    Reg(Reg),
    Int(i64),
    Float(f64),
}

/// An operand's tag facts and values: `(is_int, is_number, int value, float value)`.
struct Num {
    is_int: apogee_jit::ir::Var,
    is_num: apogee_jit::ir::Var,
    ival: apogee_jit::ir::Var,
    fval: apogee_jit::ir::Var,
}

fn reg(r: u8) -> Reg {
    Reg(u32::from(r))
}

#[derive(Clone, Copy, PartialEq)]
enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    IDiv,
    Mod,
    Pow,
}

/// Integer-only bitwise operators (operands that are not integers exit: floats with an
/// exact integer value and strings convert in the interpreter).
#[derive(Clone, Copy, PartialEq)]
enum Bit {
    And,
    Or,
    Xor,
    Shl,
    Shr,
}

struct Lower<'a> {
    b: Builder,
    blocks: Vec<BlockId>,
    consts: &'a [Value],
    words: &'a [u32],
    /// Fused `GetUpval`+`Call` pairs (see [`fuse_upval_calls`]).
    fused: Fusion,
    /// Where the guards of the instruction being lowered exit, if not at its own pc.
    exit_at: Option<usize>,
    /// How to reach a table's parts for inline access (`None`: tables only through helpers).
    layout: Option<TableLayout>,
    /// How to push and pop frames for inline calls (`None`: calls only through helpers).
    calls: Option<CallLayout>,
    /// How to read upvalues inline, with the variable holding the running closure
    /// (loaded at every entry), and the proc's upvalue count.
    upvals: Option<(UpvalLayout, apogee_jit::ir::Var, usize)>,
    sqrt: Option<(i32, i64)>,
    /// The zero-based index and array length of the last integer key
    /// [`Lower::slot_of`] looked up.
    index: Option<(apogee_jit::ir::Var, apogee_jit::ir::Var)>,
    /// Register tags known before each pc (`types::infer`), and the pc being lowered.
    known: Vec<Option<Vec<Known>>>,
    /// The kind of the numeric loop of each `ForPrep` and `ForLoop` (`types::infer`).
    kinds: Vec<LoopKind>,
    /// Tags known besides `known` in the version of the code being lowered (empty: the
    /// plain code of the pc), and the versions made so far.
    learnt: Vec<(u32, Known)>,
    vers: Versions,
    /// Whether the code being lowered is the current pc's float version (its own, or
    /// its plain code standing for it).
    fmode: bool,
    /// `join_points` of the words.
    joins: Vec<bool>,
    /// `Layouts::fixed_args`.
    fixed_args: bool,
    cur: usize,
    /// The kind speculated on at each pc (`spec`).
    spec: Vec<Option<Known>>,
    /// While a speculated read is lowered: its next pc and the block that checks the
    /// value read before going there (see [`Lower::goto`]).
    redirect: Option<(usize, BlockId)>,
    /// By pc: the instruction is not implemented, the code exits there
    /// (`Lowered::planned_exits`).
    planned: Vec<bool>,
}

/// What the lowering may rely on about the runtime's memory (from `native`'s probes;
/// `None`: that access goes through helpers), and the proc's upvalue count.
#[derive(Clone, Copy, Debug, Default)]
pub struct Layouts {
    pub table: Option<TableLayout>,
    pub call: Option<CallLayout>,
    pub upval: Option<UpvalLayout>,
    pub num_upvals: usize,
    /// The proc is not vararg, so its frames' `nvarargs` is always 0 (`Vm::precall`):
    /// an inline call writes the caller's pc word whole.
    pub fixed_args: bool,
    /// `math.sqrt`'s native function: the offset of its function pointer in a native
    /// closure and the pointer (see `native::sqrt_fn`).
    pub sqrt: Option<(i32, i64)>,
}

/// `GetUpval r, U[u]` followed (directly, or after one arithmetic instruction that
/// neither reads nor writes `r` nor its own sources) by `Call r ...`, with no jump
/// into the sequence after its first word: the `GetUpval` is done by `call_push`
/// (which reads the upvalue into `r` before anything else), the arithmetic in between
/// exits at the `GetUpval`'s pc (the interpreter redoes the sequence, which is
/// idempotent), and so does the general call path when it answers "exit".
#[derive(Default)]
struct Fusion {
    /// By `GetUpval` pc: lowered as nothing.
    skip: Vec<bool>,
    /// By pc of the instruction in between: the `GetUpval` pc to exit at.
    exit_at: Vec<Option<usize>>,
    /// By `Call` pc: the `GetUpval` pc and upvalue index.
    call: Vec<Option<(usize, u32)>>,
}

/// The pcs some jump, loop or entry may continue at, besides falling through (over-
/// approximated: every word after a `Jmp` or a `Call` counts).
fn join_points(words: &[u32]) -> Vec<bool> {
    jump_targets(words, true)
}

/// The pcs that jumps, loops (and, with `calls`, returns from calls) continue at besides
/// falling through, and the pcs after `Jmp`s; one entry per word plus one past the end.
fn jump_targets(words: &[u32], calls: bool) -> Vec<bool> {
    let mut t = vec![false; words.len() + 1];
    let mut mark = |pc: i64| {
        if let Some(m) = usize::try_from(pc).ok().and_then(|p| t.get_mut(p)) {
            *m = true;
        }
    };
    for (pc, &w) in words.iter().enumerate() {
        let next = pc as i64 + 1;
        match Instr::decode(w) {
            Ok(Instr::Jmp { sj }) => {
                mark(next + i64::from(sj.0));
                mark(next);
            }
            Ok(
                Instr::ForPrep { sbx, .. }
                | Instr::ForLoop { sbx, .. }
                | Instr::TForLoop { sbx, .. },
            ) => mark(next + i64::from(sbx.0)),
            Ok(Instr::Call { .. } | Instr::TForCall { .. }) if calls => mark(next),
            _ => {}
        }
    }
    t
}

/// Registers an arithmetic instruction reads and the one it writes; `None` for other
/// instructions.
fn arith_regs(ins: Instr) -> Option<(u8, [Option<u8>; 2])> {
    match ins {
        Instr::AddI { a, b, .. }
        | Instr::AddK { a, b, .. }
        | Instr::SubK { a, b, .. }
        | Instr::MulK { a, b, .. } => Some((a.0, [Some(b.0), None])),
        Instr::Add { a, b, c } | Instr::Sub { a, b, c } | Instr::Mul { a, b, c } => {
            Some((a.0, [Some(b.0), Some(c.0)]))
        }
        _ => None,
    }
}

/// Finds the `GetUpval`+`Call` sequences [`Fusion`] describes.
fn fuse_upval_calls(words: &[u32]) -> Fusion {
    let n = words.len();
    let mut f = Fusion {
        skip: vec![false; n],
        exit_at: vec![None; n],
        call: vec![None; n],
    };
    let joins = join_points(words);
    let dec = |pc: usize| words.get(pc).and_then(|&w| Instr::decode(w).ok());
    for pc in 1..n {
        let Some(Instr::Call { a, b, c }) = dec(pc) else {
            continue;
        };
        if b.0 == 0 || c.0 == 0 || joins[pc] {
            continue;
        }
        let r = a.0;
        if let Some(Instr::GetUpval { a: ga, b: u }) = dec(pc - 1) {
            if ga.0 == r {
                f.skip[pc - 1] = true;
                f.call[pc] = Some((pc - 1, u.0.into()));
            }
            continue;
        }
        if pc < 2 || joins[pc - 1] {
            continue;
        }
        let (Some(Instr::GetUpval { a: ga, b: u }), Some(x)) = (dec(pc - 2), dec(pc - 1)) else {
            continue;
        };
        let Some((dst, srcs)) = arith_regs(x) else {
            continue;
        };
        let clean = ga.0 == r && dst != r && !srcs.contains(&Some(r)) && !srcs.contains(&Some(dst));
        if clean {
            f.skip[pc - 2] = true;
            f.exit_at[pc - 1] = Some(pc - 2);
            f.call[pc] = Some((pc - 2, u.0.into()));
        }
    }
    f
}

impl Lower<'_> {
    /// Ends the current block with a jump to `pc` (or an exit when `pc` is past the end);
    /// to the next pc, in its float version when the code being lowered is the current
    /// pc's float version ([`Versions`]); or to the check of a speculated read (see
    /// `redirect`).
    fn goto(&mut self, pc: usize) {
        if let Some((to, check)) = self.redirect {
            if to == pc {
                self.b.jump(check);
                return;
            }
        }
        if pc == self.cur + 1 && self.fmode {
            self.goto_float(pc);
        } else {
            self.goto_plain(pc);
        }
    }

    /// To `pc`'s plain code.
    fn goto_plain(&mut self, pc: usize) {
        match self.blocks.get(pc) {
            Some(&b) => self.b.jump(b),
            None => self.b.exit(pc as u32),
        }
    }

    fn num(&mut self, o: Opnd) -> Num {
        let b = &mut self.b;
        match o {
            Opnd::Reg(r) => {
                let tag = b.load_tag(r);
                let ti = b.i8const(TAG_INT);
                let tf = b.i8const(TAG_FLOAT);
                let is_int = b.icmp(Cond::Eq, tag, ti);
                let is_flt = b.icmp(Cond::Eq, tag, tf);
                let is_num = b.int_bin(IntBinOp::Or, is_int, is_flt);
                let ival = b.load_int(r);
                let raw = b.load_float(r);
                let conv = b.int_to_float(ival);
                let fval = b.select(is_int, conv, raw);
                Num {
                    is_int,
                    is_num,
                    ival,
                    fval,
                }
            }
            Opnd::Int(i) => {
                let one = b.i8const(1);
                Num {
                    is_int: one,
                    is_num: one,
                    ival: b.iconst(i),
                    fval: b.fconst(i as f64),
                }
            }
            Opnd::Float(f) => Num {
                is_int: b.i8const(0),
                is_num: b.i8const(1),
                ival: b.iconst(0),
                fval: b.fconst(f),
            },
        }
    }

    /// A constant as a numeric operand, if it is a number.
    fn knum(&self, k: u32) -> Option<Opnd> {
        match self.consts.get(k as usize)? {
            Value::Int(i) => Some(Opnd::Int(*i)),
            Value::Float(f) => Some(Opnd::Float(*f)),
            _ => None,
        }
    }

    /// Writes an integer to a slot: the whole slot, tag word and payload (see
    /// `Inst::StoreValue`), or only the payload when the slot is known to hold an
    /// integer already (its tag word then stays as it is).
    fn store_int(&mut self, a: Reg, v: apogee_jit::ir::Var) {
        if self.fact(a) == Known::Int {
            self.b.store_int(a, v);
        } else {
            self.b.store_value(a, TAG_INT, v);
        }
    }

    /// Writes a float to a slot, as [`Lower::store_int`].
    fn store_float(&mut self, a: Reg, v: apogee_jit::ir::Var) {
        if self.fact(a) == Known::Float {
            self.b.store_float(a, v);
        } else {
            self.b.store_value(a, TAG_FLOAT, v);
        }
    }

    /// Branches on the operand tags, most specific first, so the common cases load only
    /// what they use: both integers go to the returned `ints` block (when `want_int`,
    /// with `xi`/`yi` set), both floats (constants converted at compile time) end in the
    /// current block on return with `xf`/`yf` set, and mixed numbers (`mixed`:
    /// converted at run time into `xf`/`yf`; `false`: exit at `pc`) in the returned
    /// `mixed` block; anything else exits at `pc`.
    fn split(&mut self, pc: usize, x: Opnd, y: Opnd, want_int: bool, mixed: bool) -> Split {
        let xi = self.b.var(Type::I64);
        let yi = self.b.var(Type::I64);
        let xf = self.b.var(Type::F64);
        let yf = self.b.var(Type::F64);
        let float_const = matches!(x, Opnd::Float(_)) || matches!(y, Opnd::Float(_));
        if let Some(k) = self.spec.get(self.cur).copied().flatten() {
            return self.split_speculated(pc, k, [(x, xi, xf), (y, yi, yf)], want_int);
        }
        let ints = if want_int && !float_const {
            let ii = self.tags_are(&[x, y], TAG_INT);
            let int_blk = self.b.block();
            let rest = self.b.block();
            self.b.branch(ii, int_blk, rest);
            self.b.switch_to(int_blk);
            for (o, v) in [(x, xi), (y, yi)] {
                let val = match o {
                    Opnd::Reg(r) => self.b.load_int(r),
                    Opnd::Int(i) => self.b.iconst(i),
                    Opnd::Float(_) => self.b.iconst(0),
                };
                self.b.set(v, val);
            }
            self.b.switch_to(rest);
            Some(int_blk)
        } else {
            None
        };
        let ff = self.tags_are(&[x, y], TAG_FLOAT);
        let ff_blk = self.b.block();
        let mixed_blk = self.b.block();
        let flt_blk = self.b.block();
        self.b.branch(ff, ff_blk, mixed_blk);
        self.b.switch_to(ff_blk);
        for (o, v) in [(x, xf), (y, yf)] {
            let val = match o {
                Opnd::Reg(r) => self.b.load_float(r),
                Opnd::Int(i) => self.b.fconst(i as f64),
                Opnd::Float(f) => self.b.fconst(f),
            };
            self.b.set(v, val);
        }
        self.b.jump(flt_blk);
        self.b.switch_to(mixed_blk);
        let mixed = if mixed {
            let nx = self.num(x);
            let ny = self.num(y);
            let both = self.b.int_bin(IntBinOp::And, nx.is_num, ny.is_num);
            self.b.guard(both, pc as u32);
            self.b.set(xf, nx.fval);
            self.b.set(yf, ny.fval);
            self.b.current()
        } else {
            self.b.exit(pc as u32);
            None
        };
        self.b.switch_to(flt_blk);
        Split {
            ints,
            mixed,
            xi,
            yi,
            xf,
            yf,
        }
    }

    /// [`Lower::split`] at a site speculated to have register operands of kind `k`
    /// (`spec`): guards their tags (exiting at `pc`) and emits one path. Integers with an
    /// integer result go to the returned `ints` block (the current block is then left
    /// unreachable); anything else continues in the current block with `xf`/`yf` set.
    fn split_speculated(
        &mut self,
        pc: usize,
        k: Known,
        ops: [(Opnd, apogee_jit::ir::Var, apogee_jit::ir::Var); 2],
        want_int: bool,
    ) -> Split {
        let tag = if k == Known::Int { TAG_INT } else { TAG_FLOAT };
        let regs: Vec<Opnd> = ops.iter().map(|o| o.0).collect();
        let ok = self.tags_are(&regs, tag);
        self.b.guard(ok, pc as u32);
        let float_const = ops.iter().any(|o| matches!(o.0, Opnd::Float(_)));
        let int_result = k == Known::Int && want_int && !float_const;
        for (o, vi, vf) in ops {
            match (o, int_result) {
                (Opnd::Reg(r), true) => {
                    let v = self.b.load_int(r);
                    self.b.set(vi, v);
                }
                (Opnd::Int(i), true) => {
                    let v = self.b.iconst(i);
                    self.b.set(vi, v);
                }
                (Opnd::Reg(r), false) if k == Known::Int => {
                    let i = self.b.load_int(r);
                    let v = self.b.int_to_float(i);
                    self.b.set(vf, v);
                }
                (Opnd::Reg(r), false) => {
                    let v = self.b.load_float(r);
                    self.b.set(vf, v);
                }
                (Opnd::Int(i), false) => {
                    let v = self.b.fconst(i as f64);
                    self.b.set(vf, v);
                }
                (Opnd::Float(f), _) => {
                    let v = self.b.fconst(f);
                    self.b.set(vf, v);
                }
            }
        }
        let (xi, yi, xf, yf) = (ops[0].1, ops[1].1, ops[0].2, ops[1].2);
        if !int_result {
            return Split {
                ints: None,
                mixed: None,
                xi,
                yi,
                xf,
                yf,
            };
        }
        let ints = self.b.block();
        self.b.jump(ints);
        let unreachable = self.b.block();
        self.b.switch_to(unreachable);
        Split {
            ints: Some(ints),
            mixed: None,
            xi,
            yi,
            xf,
            yf,
        }
    }

    /// What the analysis knows of `R[r]`'s tag before the instruction being lowered.
    fn fact(&self, r: Reg) -> Known {
        if let Some(&(_, k)) = self.learnt.iter().find(|(x, _)| *x == r.0) {
            return k;
        }
        self.known
            .get(self.cur)
            .and_then(|s| s.as_ref())
            .and_then(|s| s.get(r.0 as usize))
            .copied()
            .unwrap_or(Known::Any)
    }

    /// Whether every register operand among `ops` has tag `tag` (constants count as
    /// matching: the caller converts them).
    fn tags_are(&mut self, ops: &[Opnd], tag: u8) -> apogee_jit::ir::Var {
        let want = self.b.i8const(tag);
        let mut all: Option<apogee_jit::ir::Var> = None;
        for &o in ops {
            if let Opnd::Reg(r) = o {
                match (self.fact(r), tag) {
                    (Known::Int, TAG_INT) | (Known::Float, TAG_FLOAT) => continue,
                    (Known::Int | Known::Float | Known::Table, _) => return self.b.i8const(0),
                    (Known::Any, _) => {}
                }
                let t = self.b.load_tag(r);
                let c = self.b.icmp(Cond::Eq, t, want);
                all = Some(match all {
                    Some(p) => self.b.int_bin(IntBinOp::And, p, c),
                    None => c,
                });
            }
        }
        match all {
            Some(v) => v,
            None => self.b.i8const(1),
        }
    }

    fn arith(&mut self, pc: usize, op: Arith, a: Reg, x: Opnd, y: Opnd) -> Result<(), String> {
        let next = pc + 1;
        let pc = self.exit_at.unwrap_or(pc);
        let want_int = !matches!(op, Arith::Div | Arith::Pow);
        // The float version of the next pc continues the path of two integers when it
        // is certain, else that of two floats (`Versions`, `Lower::float_contexts`).
        let int_certain = self.int_certain(op, x, y);
        let sp = self.split(pc, x, y, want_int, true);
        self.float_arith(pc, op, a, sp.xf, sp.yf);
        if int_certain {
            self.goto_plain(next);
        } else {
            self.goto_float(next);
        }
        if let Some(blk) = sp.mixed {
            self.b.switch_to(blk);
            self.float_arith(pc, op, a, sp.xf, sp.yf);
            self.goto_plain(next);
        }
        let Some(int_blk) = sp.ints else {
            return Ok(());
        };
        self.b.switch_to(int_blk);
        let iop = match op {
            Arith::Add => IntBinOp::Add,
            Arith::Sub => IntBinOp::Sub,
            Arith::Mul => IntBinOp::Mul,
            Arith::IDiv | Arith::Div | Arith::Pow => IntBinOp::FloorDiv,
            Arith::Mod => IntBinOp::FloorMod,
        };
        if matches!(op, Arith::IDiv | Arith::Mod) {
            let zero = self.b.iconst(0);
            let nz = self.b.icmp(Cond::Ne, sp.yi, zero);
            self.b.guard(nz, pc as u32);
        }
        let r = self.b.int_bin(iop, sp.xi, sp.yi);
        self.store_int(a, r);
        if int_certain {
            self.goto_float(next);
        } else {
            self.goto_plain(next);
        }
        Ok(())
    }

    /// The float path of an operator (the current block continues afterwards, except
    /// for float `%`, which exits).
    fn float_arith(
        &mut self,
        pc: usize,
        op: Arith,
        a: Reg,
        xf: apogee_jit::ir::Var,
        yf: apogee_jit::ir::Var,
    ) {
        let r = match op {
            Arith::Add => self.b.float_bin(FloatBinOp::Add, xf, yf),
            Arith::Sub => self.b.float_bin(FloatBinOp::Sub, xf, yf),
            Arith::Mul => self.b.float_bin(FloatBinOp::Mul, xf, yf),
            Arith::Div => self.b.float_bin(FloatBinOp::Div, xf, yf),
            Arith::IDiv => {
                let q = self.b.float_bin(FloatBinOp::Div, xf, yf);
                self.b.float_un(FloatUnOp::Floor, q)
            }
            Arith::Pow => {
                let sig = HelperSig::new(&[Type::F64, Type::F64], &[Type::F64]);
                let f: extern "C" fn(f64, f64) -> f64 = native::float_pow;
                let r = self.b.call_helper(f as usize, sig, &[xf, yf]);
                match r.first() {
                    Some(&v) => v,
                    None => self.b.fconst(0.0),
                }
            }
            Arith::Mod => {
                // Float modulo (fmod with sign adjustment) stays in the interpreter.
                let no = self.b.i8const(0);
                self.b.guard(no, pc as u32);
                self.b.fconst(0.0)
            }
        };
        self.store_float(a, r);
    }

    /// Ends the block of a conditional at `pc` (followed by its `Jmp`): goes to the
    /// jump's target when `cond == k`, else past the jump.
    fn cond_jump(&mut self, pc: usize, cond: apogee_jit::ir::Var, k: bool) -> Result<(), String> {
        let target = self.jmp_target(pc + 1)?;
        let t = self.block_or_exit(target);
        let f = self.block_or_exit(pc + 2);
        if k {
            self.b.branch(cond, t, f);
        } else {
            self.b.branch(cond, f, t);
        }
        Ok(())
    }

    /// A block for `pc`, or a fresh block exiting there when `pc` is past the end.
    fn block_or_exit(&mut self, pc: usize) -> BlockId {
        if let Some((to, check)) = self.redirect {
            if to == pc {
                return check;
            }
        }
        match self.blocks.get(pc) {
            Some(&b) => b,
            None => {
                let cur = self.b.current();
                let b = self.b.block();
                self.b.switch_to(b);
                self.b.exit(pc as u32);
                if let Some(c) = cur {
                    self.b.switch_to(c);
                }
                b
            }
        }
    }

    fn jmp_target(&self, jpc: usize) -> Result<usize, String> {
        let w = *self.words_get(jpc)?;
        match Instr::decode(w) {
            Ok(Instr::Jmp { sj }) => Ok((jpc as i64 + 1 + i64::from(sj.0)) as usize),
            _ => Err(format!("no Jmp after the conditional at {}", jpc - 1)),
        }
    }

    fn words_get(&self, pc: usize) -> Result<&u32, String> {
        self.words
            .get(pc)
            .ok_or_else(|| "pc out of range".to_string())
    }

    /// Integer/float comparison of two operands: both integers or both floats (an
    /// integer immediate with a float compares exactly: immediates are far below 2^53); mixed register
    /// operands and other types exit.
    fn compare(&mut self, pc: usize, cond: Cond, x: Opnd, y: Opnd, k: bool) -> Result<(), String> {
        let sp = self.split(pc, x, y, true, false);
        let c = self.b.fcmp(cond, sp.xf, sp.yf);
        self.cond_jump(pc, c, k)?;
        if let Some(int_blk) = sp.ints {
            self.b.switch_to(int_blk);
            let c = self.b.icmp(cond, sp.xi, sp.yi);
            self.cond_jump(pc, c, k)?;
        }
        Ok(())
    }

    fn truthy(&mut self, r: Reg) -> apogee_jit::ir::Var {
        // Numbers and tables are true.
        if self.fact(r) != Known::Any {
            return self.b.i8const(1);
        }
        let b = &mut self.b;
        let tag = b.load_tag(r);
        let bv = b.load_bool(r);
        let tn = b.i8const(TAG_NIL);
        let tb = b.i8const(TAG_BOOL);
        let is_nil = b.icmp(Cond::Eq, tag, tn);
        let is_bool = b.icmp(Cond::Eq, tag, tb);
        let not_b = b.bool_not(bv);
        let false_bool = b.int_bin(IntBinOp::And, is_bool, not_b);
        let falsy = b.int_bin(IntBinOp::Or, is_nil, false_bool);
        b.bool_not(falsy)
    }

    /// Calls a helper `(ctx, a, b, c) -> status` and returns the status variable.
    fn helper(&mut self, f: Helper, a: i64, b: i64, c: i64) -> apogee_jit::ir::Var {
        self.helper_at(None, f, a, b, c)
    }

    /// [`Lower::helper`] for a helper implementing the instruction at `live_pc`, whose
    /// exits resume there: it and whatever it runs look only at the registers live at
    /// that pc (`live`), so dead ones need not be written back before it.
    pub(super) fn helper_at(
        &mut self,
        live_pc: Option<usize>,
        f: Helper,
        a: i64,
        b: i64,
        c: i64,
    ) -> apogee_jit::ir::Var {
        let ctx = self.b.ctx_ptr();
        let va = self.b.iconst(a);
        let vb = self.b.iconst(b);
        let vc = self.b.iconst(c);
        let sig = HelperSig::new(&[Type::I64; 4], &[Type::I64]);
        let live_pc = live_pc.map(|pc| pc as u32);
        let r = self
            .b
            .call_helper_at(live_pc, f as usize, sig, &[ctx, va, vb, vc]);
        match r.first() {
            Some(&v) => v,
            None => self.b.iconst(native::EXIT),
        }
    }

    /// A helper whose status `OK` continues at `pc + 1` and anything else exits at `pc`.
    /// `ERROR` (a Lua error raised by the helper, pending) returns `ExitCode::Error`.
    fn helper_op(&mut self, pc: usize, f: Helper, a: i64, b: i64, c: i64) {
        let st = self.helper_at(Some(pc), f, a, b, c);
        let ok = self.b.iconst(native::OK);
        let good = self.b.icmp(Cond::Eq, st, ok);
        let bad = self.b.block();
        let next = self.block_or_exit(pc + 1);
        self.b.branch(good, next, bad);
        self.b.switch_to(bad);
        let err = self.b.iconst(native::ERROR);
        let is_err = self.b.icmp(Cond::Eq, st, err);
        let err_blk = self.b.block();
        let exit_blk = self.b.block();
        self.b.branch(is_err, err_blk, exit_blk);
        self.b.switch_to(exit_blk);
        self.b.exit(pc as u32);
        self.b.switch_to(err_blk);
        let code = self.b.iconst(ExitCode::Error(0).encode() as i64);
        self.b.ret_code_at(code, pc as u32);
    }

    /// [`Lower::lower_one`], with the guard of a speculated read (`spec`) on every way
    /// to the next pc: the value read must have the speculated tag, else the code exits
    /// at the next pc (the read is done).
    fn lower_speculated(&mut self, pc: usize, ins: Instr) -> Result<(), String> {
        let read = match (
            self.spec.get(pc).copied().flatten(),
            spec::guarded_regs(ins).1,
        ) {
            (Some(k), Some(a)) if pc + 1 < self.blocks.len() => Some((k, a)),
            _ => None,
        };
        let Some((k, a)) = read else {
            return self.lower_one(pc, ins);
        };
        let check = self.b.block();
        self.redirect = Some((pc + 1, check));
        let lowered = self.lower_one(pc, ins);
        self.redirect = None;
        lowered?;
        self.b.switch_to(check);
        let tag = if k == Known::Int { TAG_INT } else { TAG_FLOAT };
        self.b.guard_tag(reg(a), tag, (pc + 1) as u32);
        self.goto(pc + 1);
        Ok(())
    }

    fn lower_one(&mut self, pc: usize, ins: Instr) -> Result<(), String> {
        let next = pc + 1;
        let exit_here = |l: &mut Self| {
            if let Some(p) = l.planned.get_mut(pc) {
                *p = true;
            }
            l.b.exit(pc as u32)
        };
        match ins {
            Instr::Move { a, b } => {
                self.b.copy_slot(reg(a.0), reg(b.0));
                self.goto(next);
            }
            Instr::LoadI { a, sbx } => {
                let v = self.b.iconst(i64::from(sbx.0));
                self.store_int(reg(a.0), v);
                self.goto(next);
            }
            Instr::LoadF { a, sbx } => {
                let v = self.b.fconst(f64::from(sbx.0));
                self.store_float(reg(a.0), v);
                self.goto(next);
            }
            Instr::LoadK { a, bx } => {
                match self.consts.get(bx.0 as usize).copied() {
                    Some(Value::Int(i)) => {
                        let v = self.b.iconst(i);
                        self.store_int(reg(a.0), v);
                    }
                    Some(Value::Float(f)) => {
                        let v = self.b.fconst(f);
                        self.store_float(reg(a.0), v);
                    }
                    Some(_) => {
                        self.helper_op(pc, native::load_k, i64::from(a.0), i64::from(bx.0), 0);
                        return Ok(());
                    }
                    None => return Err("bad constant".into()),
                }
                self.goto(next);
            }
            Instr::LoadFalse { a } | Instr::LoadTrue { a } => {
                let v = self
                    .b
                    .i8const(u8::from(matches!(ins, Instr::LoadTrue { .. })));
                let w = self.b.extend8(v);
                self.b.store_value(reg(a.0), TAG_BOOL, w);
                self.goto(next);
            }
            Instr::LoadNil { a, b } => {
                for r in u32::from(a.0)..=u32::from(a.0) + b.0 {
                    let zero = self.b.iconst(0);
                    self.b.store_value(Reg(r), TAG_NIL, zero);
                }
                self.goto(next);
            }
            Instr::GetUpval { .. } if self.fused.skip.get(pc) == Some(&true) => self.goto(next),
            Instr::GetUpval { a, b } => {
                if !self.upval_inline(reg(a.0), b.0.into(), pc) {
                    self.helper_op(pc, native::get_upval, a.0.into(), b.0.into(), 0);
                    return Ok(());
                }
                self.goto(next);
            }
            Instr::SetUpval { a, b } => {
                self.helper_op(pc, native::set_upval, a.0.into(), b.0.into(), 0)
            }
            Instr::GetTabUp { a, b, c } => self.get_tabup_inline(pc, a.0, b.0, c.0),
            Instr::GetTable { a, b, c } => {
                let key = Key::Reg(reg(c.0));
                self.get_inline(pc, a.0, b.0, key, native::get_table, c.0.into())
            }
            Instr::GetI { a, b, c } => {
                let key = Key::Int(c.0.into());
                self.get_inline(pc, a.0, b.0, key, native::get_i, c.0.into())
            }
            Instr::GetField { a, b, c } => {
                let key = self.str_key(c.0);
                self.get_inline(pc, a.0, b.0, key, native::get_field, c.0.into())
            }
            Instr::SetTable { a, b, c } => {
                let key = Key::Reg(reg(b.0));
                self.set_inline(pc, a.0, key, b.0.into(), c.0, native::set_table)
            }
            Instr::SetI { a, b, c } => {
                let key = Key::Int(b.0.into());
                self.set_inline(pc, a.0, key, b.0.into(), c.0, native::set_i)
            }
            Instr::SetField { a, b, c } => {
                let key = self.str_key(b.0);
                self.set_inline(pc, a.0, key, b.0.into(), c.0, native::set_field)
            }
            Instr::Add { a, b, c } => self.arith_rr(pc, Arith::Add, a.0, b.0, c.0)?,
            Instr::Sub { a, b, c } => self.arith_rr(pc, Arith::Sub, a.0, b.0, c.0)?,
            Instr::Mul { a, b, c } => self.arith_rr(pc, Arith::Mul, a.0, b.0, c.0)?,
            Instr::Div { a, b, c } => self.arith_rr(pc, Arith::Div, a.0, b.0, c.0)?,
            Instr::IDiv { a, b, c } => self.arith_rr(pc, Arith::IDiv, a.0, b.0, c.0)?,
            Instr::Mod { a, b, c } => self.arith_rr(pc, Arith::Mod, a.0, b.0, c.0)?,
            Instr::AddK { a, b, c } => self.arith_rk(pc, Arith::Add, a.0, b.0, c.0)?,
            Instr::SubK { a, b, c } => self.arith_rk(pc, Arith::Sub, a.0, b.0, c.0)?,
            Instr::MulK { a, b, c } => self.arith_rk(pc, Arith::Mul, a.0, b.0, c.0)?,
            Instr::DivK { a, b, c } => self.arith_rk(pc, Arith::Div, a.0, b.0, c.0)?,
            Instr::IDivK { a, b, c } => self.arith_rk(pc, Arith::IDiv, a.0, b.0, c.0)?,
            Instr::ModK { a, b, c } => self.arith_rk(pc, Arith::Mod, a.0, b.0, c.0)?,
            Instr::Pow { a, b, c } => self.arith_rr(pc, Arith::Pow, a.0, b.0, c.0)?,
            Instr::PowK { a, b, c } => self.arith_rk(pc, Arith::Pow, a.0, b.0, c.0)?,
            Instr::BAnd { a, b, c } => {
                self.bitwise(pc, Bit::And, reg(a.0), reg(b.0), Opnd::Reg(reg(c.0)))
            }
            Instr::BOr { a, b, c } => {
                self.bitwise(pc, Bit::Or, reg(a.0), reg(b.0), Opnd::Reg(reg(c.0)))
            }
            Instr::BXor { a, b, c } => {
                self.bitwise(pc, Bit::Xor, reg(a.0), reg(b.0), Opnd::Reg(reg(c.0)))
            }
            Instr::Shl { a, b, c } => {
                self.bitwise(pc, Bit::Shl, reg(a.0), reg(b.0), Opnd::Reg(reg(c.0)))
            }
            Instr::Shr { a, b, c } => {
                self.bitwise(pc, Bit::Shr, reg(a.0), reg(b.0), Opnd::Reg(reg(c.0)))
            }
            Instr::BAndK { a, b, c } => self.bitwise_k(pc, Bit::And, a.0, b.0, c.0),
            Instr::BOrK { a, b, c } => self.bitwise_k(pc, Bit::Or, a.0, b.0, c.0),
            Instr::BXorK { a, b, c } => self.bitwise_k(pc, Bit::Xor, a.0, b.0, c.0),
            Instr::ShlK { a, b, c } => self.bitwise_k(pc, Bit::Shl, a.0, b.0, c.0),
            Instr::ShrK { a, b, c } => self.bitwise_k(pc, Bit::Shr, a.0, b.0, c.0),
            Instr::BNot { a, b } => {
                self.b.guard_tag(reg(b.0), TAG_INT, pc as u32);
                let v = self.b.load_int(reg(b.0));
                let r = self.b.int_un(IntUnOp::Not, v);
                self.store_int(reg(a.0), r);
                self.goto(next);
            }
            Instr::Len { a, b } => self.len_inline(pc, a.0, b.0),
            Instr::AddI { a, b, c } => self.arith(
                pc,
                Arith::Add,
                reg(a.0),
                Opnd::Reg(reg(b.0)),
                Opnd::Int(i64::from(c.0)),
            )?,
            Instr::Unm { a, b } => {
                let n = self.num(Opnd::Reg(reg(b.0)));
                self.b.guard(n.is_num, pc as u32);
                let ib = self.b.block();
                let fb = self.b.block();
                self.b.branch(n.is_int, ib, fb);
                self.b.switch_to(ib);
                let r = self.b.int_un(IntUnOp::Neg, n.ival);
                self.store_int(reg(a.0), r);
                self.goto(next);
                self.b.switch_to(fb);
                let r = self.b.float_un(FloatUnOp::Neg, n.fval);
                self.store_float(reg(a.0), r);
                self.goto(next);
            }
            Instr::Not { a, b } => {
                let t = self.truthy(reg(b.0));
                let f = self.b.bool_not(t);
                let w = self.b.extend8(f);
                self.b.store_value(reg(a.0), TAG_BOOL, w);
                self.goto(next);
            }
            Instr::Jmp { sj } => {
                let t = (next as i64 + i64::from(sj.0)) as usize;
                self.goto(t);
            }
            Instr::Eq { a, b, k } => {
                self.compare(pc, Cond::Eq, Opnd::Reg(reg(a.0)), Opnd::Reg(reg(b.0)), k.0)?
            }
            Instr::Lt { a, b, k } => {
                self.compare(pc, Cond::Lt, Opnd::Reg(reg(a.0)), Opnd::Reg(reg(b.0)), k.0)?
            }
            Instr::Le { a, b, k } => {
                self.compare(pc, Cond::Le, Opnd::Reg(reg(a.0)), Opnd::Reg(reg(b.0)), k.0)?
            }
            Instr::LtI { a, b, k } => self.compare_i(pc, Cond::Lt, a.0, b.0, k.0)?,
            Instr::LeI { a, b, k } => self.compare_i(pc, Cond::Le, a.0, b.0, k.0)?,
            Instr::GtI { a, b, k } => self.compare_i(pc, Cond::Gt, a.0, b.0, k.0)?,
            Instr::GeI { a, b, k } => self.compare_i(pc, Cond::Ge, a.0, b.0, k.0)?,
            Instr::EqI { a, b, k } => {
                // Raw equality with an integer: false for non-numbers.
                let n = self.num(Opnd::Reg(reg(a.0)));
                let iv = self.b.iconst(i64::from(b.0));
                let fv = self.b.fconst(f64::from(b.0));
                let ci = self.b.icmp(Cond::Eq, n.ival, iv);
                let cf = self.b.fcmp(Cond::Eq, n.fval, fv);
                let c = self.b.select(n.is_int, ci, cf);
                let c = self.b.int_bin(IntBinOp::And, c, n.is_num);
                self.cond_jump(pc, c, k.0)?;
            }
            Instr::EqK { a, b, k } => {
                let st = self.helper_at(Some(pc), native::eq_k, a.0.into(), b.0.into(), 0);
                let zero = self.b.iconst(0);
                let c = self.b.icmp(Cond::Ne, st, zero);
                self.cond_jump(pc, c, k.0)?;
            }
            Instr::Test { a, k } => {
                let t = self.truthy(reg(a.0));
                self.cond_jump(pc, t, k.0)?;
            }
            Instr::TestSet { a, b, k } => {
                let t = self.truthy(reg(b.0));
                let target = self.jmp_target(pc + 1)?;
                let set_blk = self.b.block();
                let skip = self.block_or_exit(pc + 2);
                if k.0 {
                    self.b.branch(t, set_blk, skip);
                } else {
                    self.b.branch(t, skip, set_blk);
                }
                self.b.switch_to(set_blk);
                self.b.copy_slot(reg(a.0), reg(b.0));
                self.goto(target);
            }
            Instr::ForPrep { a, sbx } => {
                let skip = (next as i64 + i64::from(sbx.0)) as usize;
                self.for_prep(pc, u32::from(a.0), skip);
            }
            Instr::ForLoop { a, sbx } => {
                let target = (next as i64 + i64::from(sbx.0)) as usize;
                self.for_loop(pc, u32::from(a.0), target);
            }
            Instr::Call { a, b, c } if b.0 != 0 && c.0 != 0 => {
                let mut bc = i64::from(b.0) | (i64::from(c.0) << 16);
                // Where the general path exits: this call, or the fused `GetUpval`.
                let mut exit_pc = pc;
                if let Some(&Some((gpc, u))) = self.fused.call.get(pc) {
                    bc |= (i64::from(u) + 1) << 32;
                    exit_pc = gpc;
                }
                let cont = self.block_or_exit(next);
                let err_blk = self.b.block();
                let general = self.b.block();
                let counts = (u8::try_from(b.0 - 1), u8::try_from(c.0 - 1));
                if counts == (Ok(1), Ok(1)) && self.fused.call.get(pc) == Some(&None) {
                    self.sqrt_inline(a.0);
                }
                match (self.calls, counts) {
                    (Some(cl), (Ok(nargs), Ok(nres))) if nres <= MAX_INLINE_RESULTS => {
                        if let Some(&Some((gpc, u))) = self.fused.call.get(pc) {
                            // The fused `GetUpval` first (inline, or through its helper).
                            if !self.upval_inline(reg(a.0), u, gpc) {
                                let st = self.helper(native::get_upval, a.0.into(), u.into(), 0);
                                let ok = self.b.iconst(native::OK);
                                let good = self.b.icmp(Cond::Eq, st, ok);
                                self.b.guard(good, gpc as u32);
                            }
                        }
                        self.call_inline(cl, pc, a.0, nargs, nres, cont, general, err_blk);
                    }
                    _ => self.b.jump(general),
                }
                self.b.switch_to(general);
                // A compiled Lua callee, called natively through helpers.
                let entry = self.helper(native::call_push, a.0.into(), bc, pc as i64);
                let zero = self.b.iconst(0);
                let fast = self.b.icmp(Cond::Ne, entry, zero);
                let fast_blk = self.b.block();
                let slow_blk = self.b.block();
                self.b.branch(fast, fast_blk, slow_blk);
                self.b.switch_to(fast_blk);
                let code =
                    self.b
                        .call_native(Callee::Dyn(entry), Reg(u32::from(a.0) + 1), pc as u32);
                let ctx = self.b.ctx_ptr();
                let va = self.b.iconst(a.0.into());
                let vc = self.b.iconst(c.0.into());
                let sig = HelperSig::new(&[Type::I64; 4], &[Type::I64]);
                let st = self.b.call_helper(
                    native::call_pop as Helper as usize,
                    sig,
                    &[ctx, va, vc, code],
                );
                let st = st.first().copied().unwrap_or(zero);
                let ok = self.b.iconst(native::OK);
                let is_ok = self.b.icmp(Cond::Eq, st, ok);
                self.b.branch(is_ok, cont, err_blk);
                // General path.
                self.b.switch_to(slow_blk);
                let st = self.helper(native::call, a.0.into(), bc, pc as i64);
                let is_ok = self.b.icmp(Cond::Eq, st, ok);
                let other = self.b.block();
                self.b.branch(is_ok, cont, other);
                self.b.switch_to(other);
                let ex = self.b.iconst(native::EXIT);
                let is_exit = self.b.icmp(Cond::Eq, st, ex);
                let exit_blk = self.b.block();
                self.b.branch(is_exit, exit_blk, err_blk);
                self.b.switch_to(exit_blk);
                self.b.exit(exit_pc as u32);
                self.b.switch_to(err_blk);
                let code = self.b.iconst(ExitCode::Error(0).encode() as i64);
                self.b.ret_code(code);
            }
            Instr::Return { a, b } => {
                let count = b.0.checked_sub(1).map(|n| n as u8);
                self.b.ret_at(ret_payload(pc, a.0, count), pc as u32)
            }
            Instr::Return0 {} => self.b.ret_at(ret_payload(pc, 0, Some(0)), pc as u32),
            Instr::Return1 { a } => self.b.ret_at(ret_payload(pc, a.0, Some(1)), pc as u32),
            // To-be-closed variables live in the interpreter: marking and closing exit
            // there, and a return with one pending is done by the interpreter too (see
            // `native::call_pop`), so native code never skips a `__close`.
            Instr::Tbc { .. } | Instr::Close { .. } => exit_here(self),
            _ => exit_here(self),
        }
        Ok(())
    }

    /// A bitwise operator on two integers; anything else exits.
    fn bitwise(&mut self, pc: usize, op: Bit, a: Reg, x: Reg, y: Opnd) {
        self.b.guard_tag(x, TAG_INT, pc as u32);
        let xv = self.b.load_int(x);
        let yv = match y {
            Opnd::Reg(r) => {
                self.b.guard_tag(r, TAG_INT, pc as u32);
                self.b.load_int(r)
            }
            Opnd::Int(i) => self.b.iconst(i),
            Opnd::Float(_) => {
                self.b.exit(pc as u32);
                return;
            }
        };
        let r = match op {
            Bit::And => self.b.int_bin(IntBinOp::And, xv, yv),
            Bit::Or => self.b.int_bin(IntBinOp::Or, xv, yv),
            Bit::Xor => self.b.int_bin(IntBinOp::Xor, xv, yv),
            Bit::Shl => self.b.int_bin(IntBinOp::ShlSigned, xv, yv),
            Bit::Shr => {
                let n = self.b.int_un(IntUnOp::Neg, yv);
                self.b.int_bin(IntBinOp::ShlSigned, xv, n)
            }
        };
        self.store_int(a, r);
        self.goto(pc + 1);
    }

    fn bitwise_k(&mut self, pc: usize, op: Bit, a: u8, b: u8, k: u32) {
        match self.consts.get(k as usize) {
            Some(Value::Int(i)) => self.bitwise(pc, op, reg(a), reg(b), Opnd::Int(*i)),
            _ => self.b.exit(pc as u32),
        }
    }

    fn arith_rr(&mut self, pc: usize, op: Arith, a: u8, b: u8, c: u8) -> Result<(), String> {
        self.arith(pc, op, reg(a), Opnd::Reg(reg(b)), Opnd::Reg(reg(c)))
    }

    fn arith_rk(&mut self, pc: usize, op: Arith, a: u8, b: u8, k: u32) -> Result<(), String> {
        match self.knum(k) {
            Some(y) => self.arith(pc, op, reg(a), Opnd::Reg(reg(b)), y),
            None => {
                self.b.exit(self.exit_at.unwrap_or(pc) as u32);
                Ok(())
            }
        }
    }

    fn compare_i(&mut self, pc: usize, cond: Cond, a: u8, imm: i32, k: bool) -> Result<(), String> {
        self.compare(pc, cond, Opnd::Reg(reg(a)), Opnd::Int(i64::from(imm)), k)
    }
}

/// Lowers `code` (with the loaded proc's constants) to a JIT IR function with entries
/// at pc 0, after each `Call`, and at each loop header.
pub fn lower(
    code: &RegCode,
    consts: &[Value],
    name: &str,
    layouts: Layouts,
    feedback: Option<&Feedback>,
    policy: spec::Policy,
) -> Result<Lowered, String> {
    let (layout, calls) = (layouts.table, layouts.call);
    // A superinstruction is lowered as its first part; its second part is the next word,
    // lowered on its own (`isa::fused`).
    let words: &Vec<u32> = &code
        .code
        .iter()
        .map(|&w| crate::isa::unfuse_word(w))
        .collect();
    if words.len() > MAX_WORDS {
        return Err(format!("{} words of register code", words.len()));
    }
    let mut b = Builder::new(name);
    let blocks: Vec<BlockId> = (0..words.len()).map(|_| b.block()).collect();
    // Entry points.
    let mut marks: Vec<Option<bool>> = vec![None; words.len()];
    if !marks.is_empty() {
        marks[0] = Some(false);
    }
    for (pc, &w) in words.iter().enumerate() {
        let next = pc as i64 + 1;
        match Instr::decode(w) {
            Ok(Instr::Call { .. }) => {
                if let Some(m) = marks.get_mut(pc + 1) {
                    m.get_or_insert(false);
                }
            }
            Ok(Instr::Jmp { sj }) if sj.0 < 0 => {
                if let Some(m) = marks.get_mut((next + i64::from(sj.0)) as usize) {
                    *m = Some(true);
                }
            }
            Ok(Instr::ForLoop { sbx, .. }) => {
                if let Some(m) = marks.get_mut((next + i64::from(sbx.0)) as usize) {
                    *m = Some(true);
                }
            }
            _ => {}
        }
    }
    // Inline upvalue reads need the running closure: every entry loads it first (from
    // `ctx.closure`, which whoever enters the code sets: `native::run`, `call_push`,
    // `Lower::call_inline`).
    let reads_upvals = words.iter().any(|&w| {
        matches!(
            Instr::decode(w),
            Ok(Instr::GetUpval { .. } | Instr::GetTabUp { .. })
        )
    });
    let upvals = match (layouts.upval, calls) {
        (Some(u), Some(c)) if reads_upvals => Some((u, b.var(Type::I64), c)),
        _ => None,
    };
    let prologue = |b: &mut Builder, to: BlockId| -> BlockId {
        let Some((_, cl, _)) = upvals else {
            return to;
        };
        let blk = b.block();
        b.switch_to(blk);
        let ctx = b.ctx_ptr();
        let v = b.load(Type::I64, ctx, apogee_jit::abi::CTX_CLOSURE);
        b.set(cl, v);
        b.jump(to);
        blk
    };
    // Entries past pc 0 check the tags the code after them relies on (a frame the
    // interpreter ran may differ only if something rewrote a local behind the analysis).
    let speculated = spec::speculate(words, consts, feedback, policy);
    let super::types::Facts {
        before: known,
        kinds,
    } = super::types::infer(
        words,
        consts,
        usize::from(code.frame_size),
        &speculated,
        policy.loops,
    );
    let guarded = |b: &mut Builder, pc: usize, to: BlockId| -> BlockId {
        let facts: Vec<(u32, u8)> = known
            .get(pc)
            .and_then(|s| s.as_ref())
            .map(|s| {
                s.iter()
                    .enumerate()
                    .filter_map(|(r, k)| match k {
                        Known::Int => Some((r as u32, TAG_INT)),
                        Known::Float => Some((r as u32, TAG_FLOAT)),
                        Known::Table => Some((r as u32, TAG_TABLE)),
                        Known::Any => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        if pc == 0 || facts.is_empty() {
            return to;
        }
        let blk = b.block();
        b.switch_to(blk);
        for (r, tag) in facts {
            b.guard_tag(Reg(r), tag, pc as u32);
        }
        b.jump(to);
        blk
    };
    let mut entries = Vec::new();
    let mut first_entry = blocks.first().copied();
    for (pc, m) in marks.iter().enumerate() {
        let Some(osr) = *m else { continue };
        let checked = guarded(&mut b, pc, blocks[pc]);
        let target = prologue(&mut b, checked);
        let id = if pc == 0 {
            first_entry = Some(target);
            0
        } else {
            b.add_entry(target)
        };
        entries.push(Entry {
            pc: pc as u32,
            id,
            osr,
        });
    }
    // Entry 0 is b0, which jumps to pc 0's block.
    b.switch_to(BlockId(0));
    match first_entry {
        Some(first) => b.jump(first),
        None => b.exit(0),
    }
    let mut l = Lower {
        b,
        blocks,
        consts,
        words,
        fused: fuse_upval_calls(words),
        exit_at: None,
        layout,
        calls,
        upvals: upvals.map(|(u, v, _)| (u, v, layouts.num_upvals)),
        sqrt: layouts.sqrt,
        index: None,
        known,
        kinds,
        learnt: Vec::new(),
        vers: Versions::default(),
        fmode: false,
        joins: join_points(words),
        fixed_args: layouts.fixed_args,
        cur: 0,
        spec: speculated,
        redirect: None,
        planned: vec![false; words.len()],
    };
    l.vers = Versions {
        fctx: l.float_contexts(&version_joins(words, &marks)),
        fblocks: vec![None; words.len()],
        pending: Vec::new(),
    };
    for (pc, &w) in words.iter().enumerate() {
        let blk = l.blocks[pc];
        l.b.switch_to(blk);
        l.cur = pc;
        l.learnt = Vec::new();
        l.fmode = l.vers.fctx.get(pc).is_none_or(|c| c.is_empty());
        l.exit_at = l.fused.exit_at.get(pc).copied().flatten();
        match Instr::decode(w) {
            Ok(ins) => l.lower_speculated(pc, ins)?,
            Err(_) => l.b.exit(pc as u32),
        }
    }
    // The versions, as the code above and the versions themselves ask for them.
    while let Some(pc) = l.vers.pending.pop() {
        let Some(Some(blk)) = l.vers.fblocks.get(pc).copied() else {
            continue;
        };
        l.b.switch_to(blk);
        l.cur = pc;
        l.learnt = l.vers.fctx.get(pc).cloned().unwrap_or_default();
        l.fmode = true;
        l.exit_at = l.fused.exit_at.get(pc).copied().flatten();
        match words.get(pc).map(|&w| Instr::decode(w)) {
            Some(Ok(ins)) => l.lower_speculated(pc, ins)?,
            _ => l.b.exit(pc as u32),
        }
    }
    let planned_exits = std::mem::take(&mut l.planned);
    let func = l.b.finish().map_err(|e| e.to_string())?;
    Ok(Lowered {
        func,
        entries,
        planned_exits,
    })
}
