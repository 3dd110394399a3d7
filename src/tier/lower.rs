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
            Ok(Instr::Call { .. } | Instr::TForCall { .. }) => mark(next),
            _ => {}
        }
    }
    t
}

/// The pcs [`Versions`] never makes versions of: jump targets, the pcs after jumps,
/// and loop headers (so loops are not copied), and pc 0. A call's return point may have
/// versions: the call's native paths reach them, its entry the plain code.
fn version_joins(words: &[u32], entries: &[Option<bool>]) -> Vec<bool> {
    let mut j = vec![false; words.len()];
    for (pc, &w) in words.iter().enumerate() {
        let next = pc as i64 + 1;
        let mut mark = |t: i64| {
            if let Some(x) = usize::try_from(t).ok().and_then(|t| j.get_mut(t)) {
                *x = true;
            }
        };
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
            _ => {}
        }
    }
    for (pc, e) in entries.iter().enumerate() {
        if *e == Some(true) {
            if let Some(x) = j.get_mut(pc) {
                *x = true;
            }
        }
    }
    if let Some(x) = j.first_mut() {
        *x = true;
    }
    j
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

/// Float versions of straight-line code, which know more tags than the analysis
/// (`types`) can. An arithmetic instruction whose operands have unknown tags branches
/// on them, and each path learns something that is lost where the paths merge again
/// at the next pc. So each pc inside a run of straight-line code may have, besides its
/// plain code, a float version: the code reached when every arithmetic instruction
/// since the run's start took its two-floats path (or its integer path, when that was
/// certain), knowing that its operands and result are floats, until something writes
/// them (an instruction that may run Lua code forgets everything; an inline
/// `math.sqrt` keeps it all). Every other path (integers, mixed numbers, helpers)
/// continues in the plain code of the next pc, whose facts hold on every path; entries
/// and jumps reach only plain code; loops are not copied (a loop header starts a run).
/// A pc's plain code stands for its float version when the latter knows nothing more.
/// So the code at most doubles, and only the versions jumped to are made.
#[derive(Default)]
struct Versions {
    /// By pc: what its float version knows besides `Lower::known` (empty: none).
    fctx: Vec<Vec<(u32, Known)>>,
    /// By pc: its float version's block, once asked for.
    fblocks: Vec<Option<BlockId>>,
    /// Float versions asked for and not lowered yet.
    pending: Vec<usize>,
}

/// The registers an instruction that continues at the next pc may have written.
enum Written {
    /// `R[lo..=hi]` (`lo > hi`: none).
    Regs(u32, u32),
    /// Any register (calls, and instructions not modelled).
    All,
}

fn written(ins: Option<Instr>) -> Written {
    let one = |a: u8| Written::Regs(a.into(), a.into());
    let Some(ins) = ins else {
        return Written::All;
    };
    match ins {
        Instr::Move { a, .. }
        | Instr::LoadI { a, .. }
        | Instr::LoadF { a, .. }
        | Instr::LoadK { a, .. }
        | Instr::LoadTrue { a }
        | Instr::LoadFalse { a }
        | Instr::GetUpval { a, .. }
        | Instr::GetTabUp { a, .. }
        | Instr::GetTable { a, .. }
        | Instr::GetI { a, .. }
        | Instr::GetField { a, .. }
        | Instr::Add { a, .. }
        | Instr::Sub { a, .. }
        | Instr::Mul { a, .. }
        | Instr::Div { a, .. }
        | Instr::IDiv { a, .. }
        | Instr::Mod { a, .. }
        | Instr::Pow { a, .. }
        | Instr::AddK { a, .. }
        | Instr::SubK { a, .. }
        | Instr::MulK { a, .. }
        | Instr::DivK { a, .. }
        | Instr::IDivK { a, .. }
        | Instr::ModK { a, .. }
        | Instr::PowK { a, .. }
        | Instr::AddI { a, .. }
        | Instr::BAnd { a, .. }
        | Instr::BOr { a, .. }
        | Instr::BXor { a, .. }
        | Instr::Shl { a, .. }
        | Instr::Shr { a, .. }
        | Instr::BAndK { a, .. }
        | Instr::BOrK { a, .. }
        | Instr::BXorK { a, .. }
        | Instr::ShlK { a, .. }
        | Instr::ShrK { a, .. }
        | Instr::BNot { a, .. }
        | Instr::Len { a, .. }
        | Instr::Unm { a, .. }
        | Instr::Not { a, .. } => one(a.0),
        Instr::LoadNil { a, b } => Written::Regs(a.0.into(), u32::from(a.0) + b.0),
        Instr::SetTable { .. }
        | Instr::SetI { .. }
        | Instr::SetField { .. }
        | Instr::SetUpval { .. }
        | Instr::Jmp { .. } => Written::Regs(1, 0),
        _ => Written::All,
    }
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

    /// To the next pc, `pc`, in its float version, when the code being lowered is the
    /// current pc's float version and the path taken is the one that version continues
    /// on (see `float_contexts`); otherwise to its plain code.
    fn goto_float(&mut self, pc: usize) {
        if !self.fmode || pc != self.cur + 1 {
            self.goto_plain(pc);
            return;
        }
        match self.float_block(pc) {
            Some(b) => self.b.jump(b),
            None => self.goto_plain(pc),
        }
    }

    /// `pc`'s float version (made on first use), or `None` when it is the plain code.
    fn float_block(&mut self, pc: usize) -> Option<BlockId> {
        if self.vers.fctx.get(pc).is_none_or(|c| c.is_empty()) {
            return None;
        }
        if let Some(Some(b)) = self.vers.fblocks.get(pc) {
            return Some(*b);
        }
        let b = self.b.block();
        if let Some(x) = self.vers.fblocks.get_mut(pc) {
            *x = Some(b);
        }
        self.vers.pending.push(pc);
        Some(b)
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
        let ctx = self.b.ctx_ptr();
        let va = self.b.iconst(a);
        let vb = self.b.iconst(b);
        let vc = self.b.iconst(c);
        let sig = HelperSig::new(&[Type::I64; 4], &[Type::I64]);
        let r = self.b.call_helper(f as usize, sig, &[ctx, va, vb, vc]);
        match r.first() {
            Some(&v) => v,
            None => self.b.iconst(native::EXIT),
        }
    }

    /// A helper whose status `OK` continues at `pc + 1` and anything else exits at `pc`.
    /// `ERROR` (a Lua error raised by the helper, pending) returns `ExitCode::Error`.
    fn helper_op(&mut self, pc: usize, f: Helper, a: i64, b: i64, c: i64) {
        let st = self.helper(f, a, b, c);
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
        self.b.ret_code(code);
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
                let st = self.helper(native::eq_k, a.0.into(), b.0.into(), 0);
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
                self.b.ret(ret_payload(pc, a.0, count))
            }
            Instr::Return0 {} => self.b.ret(ret_payload(pc, 0, Some(0))),
            Instr::Return1 { a } => self.b.ret(ret_payload(pc, a.0, Some(1))),
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
    fn for_prep(&mut self, pc: usize, s: u32, skip: usize) {
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
        let st = self.helper(native::for_prep, i64::from(s), 0, 0);
        let ex = self.b.iconst(native::FOR_EXIT);
        let ok = self.b.icmp(Cond::Ne, st, ex);
        self.b.guard(ok, pc as u32);
        let sk = self.b.iconst(native::FOR_SKIP);
        let c = self.b.icmp(Cond::Eq, st, sk);
        self.b.branch(c, skip_to, run_to);
    }

    /// `ForLoop` of the loop in `R[s..s+4]`, back to `target` while it runs. An integer
    /// (float) loop exits unless its counters are integers (floats), checking only those
    /// not known; `LoopKind::Dyn` branches on the tags.
    fn for_loop(&mut self, pc: usize, s: u32, target: usize) {
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

/// Whether an arithmetic operator certainly takes its integer path, given the operand
/// tags `fact` knows.
fn int_certain_with(op: Arith, x: Opnd, y: Opnd, fact: impl Fn(Reg) -> Known) -> bool {
    let int = |o: Opnd| match o {
        Opnd::Reg(r) => fact(r) == Known::Int,
        Opnd::Int(_) => true,
        Opnd::Float(_) => false,
    };
    !matches!(op, Arith::Div | Arith::Pow) && int(x) && int(y)
}

impl Lower<'_> {
    fn int_certain(&self, op: Arith, x: Opnd, y: Opnd) -> bool {
        int_certain_with(op, x, y, |r| self.fact(r))
    }

    /// The arithmetic operator of `ins` as `arith` lowers it: operator, result and
    /// operands (`None` for other instructions and non-numeric constants).
    fn arith_parts(&self, ins: Instr) -> Option<(Arith, Reg, Opnd, Opnd)> {
        let rr = |op, a: u8, b: u8, c: u8| Some((op, reg(a), Opnd::Reg(reg(b)), Opnd::Reg(reg(c))));
        let rk = |op, a: u8, b: u8, k: u32| Some((op, reg(a), Opnd::Reg(reg(b)), self.knum(k)?));
        match ins {
            Instr::Add { a, b, c } => rr(Arith::Add, a.0, b.0, c.0),
            Instr::Sub { a, b, c } => rr(Arith::Sub, a.0, b.0, c.0),
            Instr::Mul { a, b, c } => rr(Arith::Mul, a.0, b.0, c.0),
            Instr::Div { a, b, c } => rr(Arith::Div, a.0, b.0, c.0),
            Instr::IDiv { a, b, c } => rr(Arith::IDiv, a.0, b.0, c.0),
            Instr::Mod { a, b, c } => rr(Arith::Mod, a.0, b.0, c.0),
            Instr::Pow { a, b, c } => rr(Arith::Pow, a.0, b.0, c.0),
            Instr::AddK { a, b, c } => rk(Arith::Add, a.0, b.0, c.0),
            Instr::SubK { a, b, c } => rk(Arith::Sub, a.0, b.0, c.0),
            Instr::MulK { a, b, c } => rk(Arith::Mul, a.0, b.0, c.0),
            Instr::DivK { a, b, c } => rk(Arith::Div, a.0, b.0, c.0),
            Instr::IDivK { a, b, c } => rk(Arith::IDiv, a.0, b.0, c.0),
            Instr::ModK { a, b, c } => rk(Arith::Mod, a.0, b.0, c.0),
            Instr::PowK { a, b, c } => rk(Arith::Pow, a.0, b.0, c.0),
            Instr::AddI { a, b, c } => Some((
                Arith::Add,
                reg(a.0),
                Opnd::Reg(reg(b.0)),
                Opnd::Int(i64::from(c.0)),
            )),
            _ => None,
        }
    }

    /// Whether the `Call` at `pc` tries `math.sqrt` inline (`Lower::sqrt_inline`).
    fn sqrt_call(&self, pc: usize, ins: Option<Instr>) -> bool {
        matches!(ins, Some(Instr::Call { b, c, .. }) if b.0 == 2 && c.0 == 2)
            && self.sqrt.is_some()
            && self.fused.call.get(pc) == Some(&None)
    }

    /// What each pc's float version knows besides the analysis ([`Versions`]): a
    /// forward walk over each run of straight-line code (`joins` start runs), following
    /// the path each instruction's float version continues on.
    fn float_contexts(&self, joins: &[bool]) -> Vec<Vec<(u32, Known)>> {
        let n = self.words.len();
        let mut out = vec![Vec::new(); n];
        let mut cont: Vec<(u32, Known)> = Vec::new();
        for (pc, slot) in out.iter_mut().enumerate() {
            let ins = self.words.get(pc).and_then(|&w| Instr::decode(w).ok());
            let stat = self.known.get(pc).and_then(|s| s.as_ref());
            let fixed = |r: u32| {
                stat.and_then(|s| s.get(r as usize))
                    .copied()
                    .unwrap_or(Known::Any)
            };
            let mut ctx = std::mem::take(&mut cont);
            if pc == 0 || joins.get(pc) != Some(&false) || stat.is_none() {
                ctx.clear();
            }
            let sqrt = self.sqrt_call(pc, ins);
            if matches!(ins, Some(Instr::Call { .. })) && !sqrt {
                ctx.clear();
            }
            ctx.retain(|&(r, _)| fixed(r) == Known::Any);
            ctx.sort_unstable_by_key(|&(r, _)| r);
            let fact = |r: Reg| {
                ctx.iter()
                    .find(|(x, _)| *x == r.0)
                    .map_or_else(|| fixed(r.0), |&(_, k)| k)
            };
            let set = |l: &mut Vec<(u32, Known)>, r: u32, k: Known| match l
                .iter_mut()
                .find(|(x, _)| *x == r)
            {
                Some(e) => e.1 = k,
                None => l.push((r, k)),
            };
            let parts = ins.and_then(|i| self.arith_parts(i));
            cont = if let Some((op, a, x, y)) = parts {
                let mut l = ctx.clone();
                if int_certain_with(op, x, y, fact) {
                    set(&mut l, a.0, Known::Int);
                } else {
                    for o in [x, y] {
                        if let Opnd::Reg(r) = o {
                            set(&mut l, r.0, Known::Float);
                        }
                    }
                    set(&mut l, a.0, Known::Float);
                }
                l
            } else if let Some(Instr::Move { a, b }) = ins {
                let mut l = ctx.clone();
                l.retain(|&(r, _)| r != u32::from(a.0));
                let k = fact(reg(b.0));
                if k != Known::Any {
                    set(&mut l, a.0.into(), k);
                }
                l
            } else if let (true, Some(Instr::Call { a, .. })) = (sqrt, ins) {
                let mut l: Vec<(u32, Known)> = stat
                    .map(|s| {
                        s.iter()
                            .enumerate()
                            .filter(|(_, k)| **k != Known::Any)
                            .map(|(r, k)| (r as u32, *k))
                            .collect()
                    })
                    .unwrap_or_default();
                for &(r, k) in &ctx {
                    set(&mut l, r, k);
                }
                set(&mut l, a.0.into(), Known::Float);
                l
            } else {
                match written(ins) {
                    Written::All => Vec::new(),
                    Written::Regs(lo, hi) => {
                        let mut l = ctx.clone();
                        l.retain(|&(r, _)| r < lo || r > hi);
                        l
                    }
                }
            };
            *slot = ctx;
        }
        // Keep only what some instruction of the rest of the run checks (a subset of
        // what holds still holds; a fact carried from one pc to the next is needed at
        // both, so each version still knows what the next expects).
        // By register (registers are 8-bit, and `LoadNil` ranges stay below 512).
        let mut needed = vec![false; 512];
        for pc in (0..n).rev() {
            let ins = self.words.get(pc).and_then(|&w| Instr::decode(w).ok());
            match written(ins) {
                Written::All => needed.iter_mut().for_each(|x| *x = false),
                Written::Regs(lo, hi) => {
                    for r in lo..=hi.min(511) {
                        if let Some(x) = needed.get_mut(r as usize) {
                            *x = false;
                        }
                    }
                }
            }
            for r in tag_reads(ins) {
                if let Some(x) = needed.get_mut(r as usize) {
                    *x = true;
                }
            }
            if let Some(ctx) = out.get_mut(pc) {
                ctx.retain(|&(r, _)| needed.get(r as usize) == Some(&true));
            }
        }
        out
    }
}

/// Registers whose tags an instruction checks (or, for `Move`, passes on).
fn tag_reads(ins: Option<Instr>) -> Vec<u32> {
    let r = |x: u8| u32::from(x);
    match ins {
        Some(
            Instr::Add { b, c, .. }
            | Instr::Sub { b, c, .. }
            | Instr::Mul { b, c, .. }
            | Instr::Div { b, c, .. }
            | Instr::IDiv { b, c, .. }
            | Instr::Mod { b, c, .. }
            | Instr::Pow { b, c, .. }
            | Instr::BAnd { b, c, .. }
            | Instr::BOr { b, c, .. }
            | Instr::BXor { b, c, .. }
            | Instr::Shl { b, c, .. }
            | Instr::Shr { b, c, .. }
            | Instr::GetTable { b, c, .. },
        ) => vec![r(b.0), r(c.0)],
        Some(
            Instr::AddK { b, .. }
            | Instr::SubK { b, .. }
            | Instr::MulK { b, .. }
            | Instr::DivK { b, .. }
            | Instr::IDivK { b, .. }
            | Instr::ModK { b, .. }
            | Instr::PowK { b, .. }
            | Instr::AddI { b, .. }
            | Instr::BAndK { b, .. }
            | Instr::BOrK { b, .. }
            | Instr::BXorK { b, .. }
            | Instr::ShlK { b, .. }
            | Instr::ShrK { b, .. }
            | Instr::BNot { b, .. }
            | Instr::Unm { b, .. }
            | Instr::Move { b, .. },
        ) => vec![r(b.0)],
        Some(Instr::Eq { a, b, .. } | Instr::Lt { a, b, .. } | Instr::Le { a, b, .. }) => {
            vec![r(a.0), r(b.0)]
        }
        Some(
            Instr::LtI { a, .. }
            | Instr::LeI { a, .. }
            | Instr::GtI { a, .. }
            | Instr::GeI { a, .. }
            | Instr::EqI { a, .. },
        ) => vec![r(a.0)],
        Some(Instr::SetTable { b, .. }) => vec![r(b.0)],
        Some(Instr::ForLoop { a, .. } | Instr::ForPrep { a, .. }) => {
            vec![r(a.0), r(a.0) + 1, r(a.0) + 2, r(a.0) + 3]
        }
        Some(Instr::Call { a, .. }) => vec![r(a.0) + 1],
        _ => Vec::new(),
    }
}

/// The key of an inline table access.
#[derive(Clone, Copy)]
enum Key {
    /// An integer constant (`GetI`, `SetI`): the array part.
    Int(i64),
    /// A register: the array part when it holds an integer, else the helper.
    Reg(Reg),
    /// An interned string constant (`GetField`, `SetField`), by object address and hash:
    /// the hash part, compared by identity.
    Str { addr: i64, hash: u64 },
    /// Anything else: always the helper.
    None,
}

/// Hash nodes an inline string-key probe visits before handing over to the helper.
const MAX_PROBES: i64 = 8;

impl Lower<'_> {
    /// `K[k]` as an inline key, if it is a string.
    fn str_key(&self, k: u32) -> Key {
        match self.consts.get(k as usize) {
            Some(&Value::Str(s)) => Key::Str {
                addr: s.addr() as i64,
                hash: crate::runtime::table::hash_of_key(Value::Str(s)),
            },
            _ => Key::None,
        }
    }

    /// The table reference in `r`; the current block continues only if `r` holds a
    /// table, else goes to `slow`.
    fn table_in(&mut self, r: Reg, slow: BlockId) -> apogee_jit::ir::Var {
        if self.fact(r) == Known::Table {
            return self.b.load_int(r);
        }
        let tag = self.b.load_tag(r);
        let tt = self.b.i8const(TAG_TABLE);
        let is = self.b.icmp(Cond::Eq, tag, tt);
        let ok = self.b.block();
        self.b.branch(is, ok, slow);
        self.b.switch_to(ok);
        self.b.load_int(r)
    }

    /// The address of the value slot of `key` in table `t`; the current block continues
    /// only if the key has one in the array part (integer keys) or was found within
    /// [`MAX_PROBES`] nodes of the hash part (string keys), else goes to `slow`. The slot
    /// may hold `nil`.
    fn slot_of(
        &mut self,
        lay: TableLayout,
        t: apogee_jit::ir::Var,
        key: Key,
        slow: BlockId,
        outside: Option<BlockId>,
    ) -> Option<apogee_jit::ir::Var> {
        let int_key = matches!(key, Key::Reg(r) if self.fact(r) == Known::Int);
        let b = &mut self.b;
        match key {
            Key::None => None,
            Key::Int(_) | Key::Reg(_) => {
                let i = match key {
                    Key::Int(i) => b.iconst(i),
                    Key::Reg(r) if int_key => b.load_int(r),
                    Key::Reg(r) => {
                        let tag = b.load_tag(r);
                        let ti = b.i8const(TAG_INT);
                        let is = b.icmp(Cond::Eq, tag, ti);
                        let ok = b.block();
                        b.branch(is, ok, slow);
                        b.switch_to(ok);
                        b.load_int(r)
                    }
                    _ => return None,
                };
                let one = b.iconst(1);
                let idx = b.int_bin(IntBinOp::Sub, i, one);
                let len = b.load(Type::I64, t, lay.arr_len);
                let inside = b.icmp(Cond::Ult, idx, len);
                let ok = b.block();
                b.branch(inside, ok, outside.unwrap_or(slow));
                b.switch_to(ok);
                let data = b.load(Type::I64, t, lay.arr_ptr);
                let size = b.iconst(i64::from(apogee_jit::abi::VALUE_SIZE));
                let off = b.int_bin(IntBinOp::Mul, idx, size);
                let addr = b.int_bin(IntBinOp::Add, data, off);
                self.index = Some((idx, len));
                Some(addr)
            }
            Key::Str { addr, hash } => {
                use crate::runtime::table::{NODE_KEY_OFFSET, NODE_SIZE, NODE_VAL_OFFSET};
                let n = b.load(Type::I64, t, lay.nodes_len);
                let zero = b.iconst(0);
                let some = b.icmp(Cond::Ne, n, zero);
                let ok = b.block();
                b.branch(some, ok, slow);
                b.switch_to(ok);
                let one = b.iconst(1);
                let mask = b.int_bin(IntBinOp::Sub, n, one);
                let nodes = b.load(Type::I64, t, lay.nodes_ptr);
                let h = b.iconst(hash as i64);
                let i = b.int_bin(IntBinOp::And, h, mask);
                let left = b.iconst(MAX_PROBES);
                let kaddr = b.iconst(addr);
                let tstr = b.i8const(TAG_STR);
                let tnil = b.i8const(TAG_NIL);
                let size = b.iconst(NODE_SIZE as i64);
                let head = b.block();
                b.jump(head);
                b.switch_to(head);
                let off = b.int_bin(IntBinOp::Mul, i, size);
                let node = b.int_bin(IntBinOp::Add, nodes, off);
                let ktag = b.load(Type::I8, node, NODE_KEY_OFFSET as i32);
                let kptr = b.load(Type::I64, node, NODE_KEY_OFFSET as i32 + 8);
                let is_str = b.icmp(Cond::Eq, ktag, tstr);
                let same = b.icmp(Cond::Eq, kptr, kaddr);
                let hit = b.int_bin(IntBinOp::And, is_str, same);
                let found = b.block();
                let miss = b.block();
                b.branch(hit, found, miss);
                b.switch_to(miss);
                let empty = b.icmp(Cond::Eq, ktag, tnil);
                let step = b.block();
                b.branch(empty, slow, step);
                b.switch_to(step);
                let i1 = b.int_bin(IntBinOp::Add, i, one);
                let i2 = b.int_bin(IntBinOp::And, i1, mask);
                b.set(i, i2);
                let l1 = b.int_bin(IntBinOp::Sub, left, one);
                b.set(left, l1);
                let more = b.icmp(Cond::Ne, l1, zero);
                b.branch(more, head, slow);
                b.switch_to(found);
                let val = b.iconst(NODE_VAL_OFFSET as i64);
                Some(b.int_bin(IntBinOp::Add, node, val))
            }
        }
    }

    /// `R[a] := R[t][key]`: inline when `R[t]` is a table and the key's slot (see
    /// [`Lower::slot_of`]) holds a non-nil value (no metamethod can then apply);
    /// otherwise the helper `f` (with operand `c`), which handles the rest or exits.
    fn get_inline(&mut self, pc: usize, a: u8, t: u8, key: Key, f: Helper, c: i64) {
        let slow = self.b.block();
        if let Some(lay) = self.layout {
            let tr = self.table_in(reg(t), slow);
            if let Some(addr) = self.slot_of(lay, tr, key, slow, None) {
                self.copy_nonnil(pc, a, addr, slow);
            } else {
                self.b.jump(slow);
            }
        } else {
            self.b.jump(slow);
        }
        self.b.switch_to(slow);
        self.helper_op(pc, f, a.into(), t.into(), c);
    }

    /// `R[a] := #R[t]`: inline for a table without metatable or hash part whose array
    /// part is empty or ends with a non-nil value (its length is then the border
    /// `Table::len` finds); anything else (holes at the end, keys in the hash part,
    /// strings, `__len`) through the `len` helper.
    fn len_inline(&mut self, pc: usize, a: u8, t: u8) {
        let slow = self.b.block();
        if let Some(lay) = self.layout {
            let tr = self.table_in(reg(t), slow);
            let b = &mut self.b;
            let meta = b.load(Type::I64, tr, lay.meta);
            let nodes = b.load(Type::I64, tr, lay.nodes_len);
            let zero = b.iconst(0);
            let plain = b.icmp(Cond::Eq, meta, zero);
            let no_hash = b.icmp(Cond::Eq, nodes, zero);
            let ok = b.int_bin(IntBinOp::And, plain, no_hash);
            let arr = b.block();
            b.branch(ok, arr, slow);
            b.switch_to(arr);
            let n = b.load(Type::I64, tr, lay.arr_len);
            let empty = b.icmp(Cond::Eq, n, zero);
            let done = b.block();
            let last = b.block();
            b.branch(empty, done, last);
            b.switch_to(last);
            let data = b.load(Type::I64, tr, lay.arr_ptr);
            let vsz = b.iconst(i64::from(apogee_jit::abi::VALUE_SIZE));
            let off = b.int_bin(IntBinOp::Mul, n, vsz);
            let end = b.int_bin(IntBinOp::Add, data, off);
            let tag = b.load(Type::I8, end, -apogee_jit::abi::VALUE_SIZE);
            let tnil = b.i8const(TAG_NIL);
            let some = b.icmp(Cond::Ne, tag, tnil);
            b.branch(some, done, slow);
            b.switch_to(done);
            self.store_int(reg(a), n);
            self.goto(pc + 1);
        } else {
            self.b.jump(slow);
        }
        self.b.switch_to(slow);
        self.helper_op(pc, native::len, a.into(), t.into(), 0);
    }

    /// `R[t][key] := R[v]`: inline when `R[t]` is a table and the key's slot exists and
    /// holds a non-nil value or the table has no metatable (so no `__newindex` applies);
    /// otherwise the helper `f` (operands `t, kb, v`). An integer key one past the
    /// array part may append in place ([`Lower::append_inline`]); inline stores never
    /// reallocate (no allocation; an append counts its bytes against the memory limit
    /// like the helper), and the collector is stop-the-world (no write barrier).
    fn set_inline(&mut self, pc: usize, t: u8, key: Key, kb: i64, v: u8, f: Helper) {
        let slow = self.b.block();
        if let Some(lay) = self.layout {
            let tr = self.table_in(reg(t), slow);
            let append = self.b.block();
            self.index = None;
            if let Some(addr) = self.slot_of(lay, tr, key, slow, Some(append)) {
                let inside = self.b.current();
                self.append_inline(pc, lay, tr, append, v, slow);
                if let Some(blk) = inside {
                    self.b.switch_to(blk);
                }
                let b = &mut self.b;
                let tag = b.load(Type::I8, addr, 0);
                let tnil = b.i8const(TAG_NIL);
                let some = b.icmp(Cond::Ne, tag, tnil);
                let meta = b.load(Type::I64, tr, lay.meta);
                let zero = b.iconst(0);
                let plain = b.icmp(Cond::Eq, meta, zero);
                let ok = b.int_bin(IntBinOp::Or, some, plain);
                let fast = b.block();
                b.branch(ok, fast, slow);
                b.switch_to(fast);
                let (w0, w1) = b.load_slot(reg(v));
                b.store(addr, 0, w0);
                b.store(addr, 8, w1);
                self.goto(pc + 1);
            } else {
                self.b.jump(slow);
            }
        } else {
            self.b.jump(slow);
        }
        self.b.switch_to(slow);
        self.helper_op(pc, f, t.into(), kb, v.into());
    }
}

impl Lower<'_> {
    /// Fills `append` (reached from [`Lower::slot_of`] with an integer key outside the
    /// array part): `R[t][#arr + 1] := R[v]` in place when the key is exactly one past
    /// the array part, the array has spare capacity, the hash part is empty (no later
    /// keys to migrate), the table has no metatable, the value is not nil, and the
    /// heap stays within its memory limit after counting the 16 bytes as
    /// `Table::set_int` and `Heap::note_growth` would (a collection due by pacing waits
    /// for the next safepoint, as after the helper); anything else goes to `slow`.
    /// Unreachable `append` blocks just exit.
    fn append_inline(
        &mut self,
        pc: usize,
        lay: TableLayout,
        t: apogee_jit::ir::Var,
        append: BlockId,
        v: u8,
        slow: BlockId,
    ) {
        self.b.switch_to(append);
        let Some((idx, len)) = self.index else {
            self.b.exit(pc as u32);
            return;
        };
        let b = &mut self.b;
        let zero = b.iconst(0);
        let at_end = b.icmp(Cond::Eq, idx, len);
        let cap = b.load(Type::I64, t, lay.arr_cap);
        let room = b.icmp(Cond::Ult, len, cap);
        let nodes = b.load(Type::I64, t, lay.nodes_len);
        let no_hash = b.icmp(Cond::Eq, nodes, zero);
        let meta = b.load(Type::I64, t, lay.meta);
        let plain = b.icmp(Cond::Eq, meta, zero);
        let (w0, w1) = b.load_slot(reg(v));
        let tnil = b.iconst(i64::from(TAG_NIL));
        let some = b.icmp(Cond::Ne, w0, tnil);
        let vm = b.vm_ptr();
        let bytes = b.load(Type::I64, vm, lay.heap_bytes);
        let limit = b.load(Type::I64, vm, lay.heap_limit);
        let vsz = b.iconst(i64::from(apogee_jit::abi::VALUE_SIZE));
        let more = b.int_bin(IntBinOp::Add, bytes, vsz);
        let below = b.icmp(Cond::Ule, more, limit);
        let mut ok = at_end;
        for c in [room, no_hash, plain, some, below] {
            ok = b.int_bin(IntBinOp::And, ok, c);
        }
        let fast = b.block();
        b.branch(ok, fast, slow);
        b.switch_to(fast);
        let data = b.load(Type::I64, t, lay.arr_ptr);
        let off = b.int_bin(IntBinOp::Mul, len, vsz);
        let addr = b.int_bin(IntBinOp::Add, data, off);
        b.store(addr, 0, w0);
        b.store(addr, 8, w1);
        let one = b.iconst(1);
        let len1 = b.int_bin(IntBinOp::Add, len, one);
        b.store(t, lay.arr_len, len1);
        b.store(vm, lay.heap_bytes, more);
        let yes = b.i8const(1);
        b.store(vm, lay.heap_alloc, yes);
        self.goto(pc + 1);
    }

    /// `R[a] := U[u]` inline (the current block continues afterwards); false, emitting
    /// nothing, when upvalues cannot be read inline.
    fn upval_inline(&mut self, a: Reg, u: u32, pc: usize) -> bool {
        let Some((w0, w1)) = self.upval_words(u, pc) else {
            return false;
        };
        self.b.store_slot(a, w0, w1);
        true
    }

    /// `U[u]` as its two words (tag word, payload), read inline; the current block
    /// continues afterwards. `None`, emitting nothing, when upvalues cannot be read
    /// inline. An upvalue parked in a suspended coroutine (neither open nor a closed
    /// value) exits to the interpreter at `pc`.
    fn upval_words(
        &mut self,
        u: u32,
        pc: usize,
    ) -> Option<(apogee_jit::ir::Var, apogee_jit::ir::Var)> {
        let (l, cl, n) = self.upvals?;
        if u as usize >= n {
            return None;
        }
        let b = &mut self.b;
        let ups = b.load(Type::I64, cl, l.cl_upvals);
        let uv = b.load(Type::I64, ups, u as i32 * 8);
        let w0 = b.load(Type::I64, uv, l.uv_box);
        let w1 = b.load(Type::I64, uv, l.uv_box + 8);
        let open_tag = b.iconst(l.open_tag);
        let is_open = b.icmp(Cond::Eq, w0, open_tag);
        let open = b.block();
        let closed = b.block();
        let done = b.block();
        b.branch(is_open, open, closed);
        // Closed: the tag word must be a value's (a parked upvalue's is a niche past them).
        b.switch_to(closed);
        let past = b.iconst(i64::from(MAX_VALUE_TAG) + 1);
        let is_value = b.icmp(Cond::Ult, w0, past);
        b.guard(is_value, pc as u32);
        b.jump(done);
        // Open: `w1` is the variable's stack index; closed: the words are the value.
        b.switch_to(open);
        let vm = b.vm_ptr();
        let sp = b.load(Type::I64, vm, l.vm_stack_ptr);
        let vsz = b.iconst(i64::from(apogee_jit::abi::VALUE_SIZE));
        let off = b.int_bin(IntBinOp::Mul, w1, vsz);
        let at = b.int_bin(IntBinOp::Add, sp, off);
        let v0 = b.load(Type::I64, at, 0);
        let v1 = b.load(Type::I64, at, 8);
        b.set(w0, v0);
        b.set(w1, v1);
        b.jump(done);
        b.switch_to(done);
        Some((w0, w1))
    }

    /// `R[a] := U[u][K[k]]` (globals, through `_ENV`): inline when the upvalue holds a
    /// table whose hash part has the string constant with a non-nil value; otherwise the
    /// `get_tabup` helper.
    fn get_tabup_inline(&mut self, pc: usize, a: u8, u: u16, k: u32) {
        let slow = self.b.block();
        let key = self.str_key(k);
        let words = match (self.layout, key) {
            (Some(_), Key::Str { .. }) => self.upval_words(u.into(), pc),
            _ => None,
        };
        match (self.layout, words) {
            (Some(lay), Some((w0, w1))) => {
                let tt = self.b.iconst(i64::from(TAG_TABLE));
                let is = self.b.icmp(Cond::Eq, w0, tt);
                let ok = self.b.block();
                self.b.branch(is, ok, slow);
                self.b.switch_to(ok);
                if let Some(addr) = self.slot_of(lay, w1, key, slow, None) {
                    self.copy_nonnil(pc, a, addr, slow);
                } else {
                    self.b.jump(slow);
                }
            }
            _ => self.b.jump(slow),
        }
        self.b.switch_to(slow);
        self.helper_op(pc, native::get_tabup, a.into(), u.into(), k.into());
    }

    /// `R[a] := *addr` (a value slot) and on to `pc + 1` if it is not nil, else `slow`.
    fn copy_nonnil(&mut self, pc: usize, a: u8, addr: apogee_jit::ir::Var, slow: BlockId) {
        let b = &mut self.b;
        let tag = b.load(Type::I8, addr, 0);
        let tnil = b.i8const(TAG_NIL);
        let some = b.icmp(Cond::Ne, tag, tnil);
        let fast = b.block();
        b.branch(some, fast, slow);
        b.switch_to(fast);
        // The whole value as two words (its tag word and payload).
        let w0 = b.load(Type::I64, addr, 0);
        let w1 = b.load(Type::I64, addr, 8);
        b.store_slot(reg(a), w0, w1);
        self.goto(pc + 1);
    }
}

impl Lower<'_> {
    /// `R[a] := R[a](R[a+1])` when `R[a]` is the native `math.sqrt` and `R[a+1]` a
    /// number: the square root inline, then on to `cont`; otherwise the current block
    /// continues (the call is made as usual).
    fn sqrt_inline(&mut self, a: u8) {
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

/// Results an inline call moves itself (more go through `call_pop`).
const MAX_INLINE_RESULTS: u8 = 8;

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
    #[allow(clippy::too_many_arguments)]
    fn call_inline(
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
        let b = &mut self.b;
        let fr = reg(a);
        let tag = b.load_tag(fr);
        let tl = b.i8const(apogee_jit::abi::TAG_LUAFN);
        let is_fn = b.icmp(Cond::Eq, tag, tl);
        let blk = b.block();
        b.branch(is_fn, blk, general);
        b.switch_to(blk);
        let clo = b.load_int(fr);
        let proto = b.load(Type::I64, clo, cl.cl_proto);
        // `ProcJit::call_plain` is the parameter count plus 1 exactly when the callee
        // has an entry (`call_entry`) and may be called this way.
        let plain = b.load(Type::I8, proto, cl.p_plain);
        let zero = b.iconst(0);
        let one = b.iconst(1);
        let Some(np) = nargs.checked_add(1) else {
            b.jump(general);
            return;
        };
        let np = b.i8const(np);
        let same = b.icmp(Cond::Eq, plain, np);
        let depth = b.depth_ok();
        let ok = b.int_bin(IntBinOp::And, same, depth);
        let blk = b.block();
        b.branch(ok, blk, general);
        b.switch_to(blk);
        let vm = b.vm_ptr();
        let flen = b.load(Type::I64, vm, cl.vm_frames_len);
        let fcap = b.load(Type::I64, vm, cl.vm_frames_cap);
        let room = b.icmp(Cond::Ult, flen, fcap);
        let fptr = b.load(Type::I64, vm, cl.vm_frames_ptr);
        let fsz = b.iconst(i64::from(FRAME_SIZE));
        let last = b.int_bin(IntBinOp::Sub, flen, one);
        let off = b.int_bin(IntBinOp::Mul, last, fsz);
        let caller = b.int_bin(IntBinOp::Add, fptr, off);
        let cbase = b.load(Type::I64, caller, F_BASE);
        let size = b.load(Type::I64, proto, cl.p_size);
        let va = b.iconst(a.into());
        let func = b.int_bin(IntBinOp::Add, cbase, va);
        let nbase = b.int_bin(IntBinOp::Add, func, one);
        let top = b.int_bin(IntBinOp::Add, nbase, size);
        let slen = b.load(Type::I64, vm, cl.vm_stack_len);
        let fits = b.icmp(Cond::Ule, top, slen);
        let ok = b.int_bin(IntBinOp::And, room, fits);
        let blk = b.block();
        b.branch(ok, blk, general);
        b.switch_to(blk);
        // The caller resumes after the call: `pc` is the low half of its pc word, whose
        // high half (`nvarargs`) is 0 unless the caller is vararg.
        let npc = b.iconst(pc as i64 + 1);
        let w = if self.fixed_args {
            npc
        } else {
            let pcw = b.load(Type::I64, caller, F_PC_WORD);
            let hi = b.iconst(!0xffff_ffff);
            let keep = b.int_bin(IntBinOp::And, pcw, hi);
            b.int_bin(IntBinOp::Or, keep, npc)
        };
        b.store(caller, F_PC_WORD, w);
        // The callee's frame, as `call_push` builds it.
        let nf = b.int_bin(IntBinOp::Add, caller, fsz);
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
        let calls = b.load(Type::I64, vm, cl.vm_calls);
        let calls1 = b.int_bin(IntBinOp::Add, calls, one);
        b.store(vm, cl.vm_calls, calls1);
        if let Some(addr) = cl.native_calls {
            let counter = b.iconst(addr as i64);
            let n = b.load(Type::I64, counter, 0);
            let n1 = b.int_bin(IntBinOp::Add, n, one);
            b.store(counter, 0, n1);
        }
        let window = Reg(u32::from(a) + 1);
        let entry = b.load(Type::I64, proto, cl.p_entry);
        let code = b.call_native(Callee::Dyn(entry), window, pc as u32);
        // A return of at least `nres` values (`ExitCode::Return`, `lower::ret_payload`).
        let low_mask = b.iconst(0xffff_ffff);
        let low = b.int_bin(IntBinOp::And, code, low_mask);
        let kr = b.iconst(apogee_jit::abi::KIND_RETURN as i64);
        let is_ret = b.icmp(Cond::Eq, low, kr);
        let s56 = b.iconst(56);
        let count1 = b.int_bin(IntBinOp::ShrU, code, s56);
        let need = b.iconst(i64::from(nres) + 1);
        let enough = b.icmp(Cond::Ule, need, count1);
        let fast = b.int_bin(IntBinOp::And, is_ret, enough);
        let pop = b.block();
        let slow = b.block();
        b.branch(fast, pop, slow);
        b.switch_to(pop);
        b.store(vm, cl.vm_frames_len, flen);
        let s48 = b.iconst(48);
        let f = b.int_bin(IntBinOp::ShrU, code, s48);
        let ff = b.iconst(0xff);
        let first = b.int_bin(IntBinOp::And, f, ff);
        let vsz = b.iconst(i64::from(apogee_jit::abi::VALUE_SIZE));
        let foff = b.int_bin(IntBinOp::Mul, first, vsz);
        let win = b.reg_addr(window);
        let src = b.int_bin(IntBinOp::Add, win, foff);
        // Forward copy: each destination is below its source.
        for k in 0..u32::from(nres) {
            let o = k as i32 * apogee_jit::abi::VALUE_SIZE;
            let w0 = b.load(Type::I64, src, o);
            let w1 = b.load(Type::I64, src, o + 8);
            b.store_slot(Reg(u32::from(a) + k), w0, w1);
        }
        let vn = b.iconst(nres.into());
        let pe = b.int_bin(IntBinOp::Add, func, vn);
        b.store(vm, cl.vm_pack_end, pe);
        b.jump(cont);
        b.switch_to(slow);
        let ctx = b.ctx_ptr();
        let vc = b.iconst(i64::from(nres) + 1);
        let sig = HelperSig::new(&[Type::I64; 4], &[Type::I64]);
        let st = b.call_helper(
            native::call_pop as Helper as usize,
            sig,
            &[ctx, va, vc, code],
        );
        let st = st.first().copied().unwrap_or(zero);
        let okc = b.iconst(native::OK);
        let is_ok = b.icmp(Cond::Eq, st, okc);
        b.branch(is_ok, cont, err);
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
    // the top frame, which is this proc's).
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
        let Some((_, cl, c)) = upvals else {
            return to;
        };
        let blk = b.block();
        b.switch_to(blk);
        let vm = b.vm_ptr();
        let len = b.load(Type::I64, vm, c.vm_frames_len);
        let ptr = b.load(Type::I64, vm, c.vm_frames_ptr);
        let one = b.iconst(1);
        let last = b.int_bin(IntBinOp::Sub, len, one);
        let fsz = b.iconst(i64::from(native::FRAME_SIZE));
        let off = b.int_bin(IntBinOp::Mul, last, fsz);
        let f = b.int_bin(IntBinOp::Add, ptr, off);
        let v = b.load(Type::I64, f, native::F_KIND + 8);
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
    } = super::types::infer(words, consts, usize::from(code.frame_size), &speculated);
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
