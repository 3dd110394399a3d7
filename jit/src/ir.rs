//! The JIT IR: a small typed three-address code over mutable variables.
//!
//! A [`Function`] is a list of basic blocks. Every instruction reads and writes
//! typed **variables** ([`Var`]), declared once with a [`Type`] and assignable
//! any number of times, in any block (they are lowered to cranelift-frontend
//! `Variable`s, which builds SSA form and the phis). A variable read on a path
//! where it was never written reads as zero; that is defined, never undefined
//! behaviour. Register slots of the VM's window ([`Reg`]) are memory, reached
//! through `load_*`/`store_*` instructions relative to the current window base.
//!
//! Each block holds straight-line instructions ([`Inst`]) and ends with exactly
//! one [`Terminator`]. Guards and a few other instructions may leave the
//! function in the middle of a block (a side exit); control then never comes
//! back. Loops are ordinary back edges to a header block.
//!
//! Entry points: `entries[0]` is where a call starts; further entries are OSR
//! entries (typically loop headers) selected by `JitContext::entry`.
//!
//! Types: `I64` (wrapping 64-bit integer, also pointers), `F64` (IEEE double),
//! `I8` (a byte; booleans are `I8` holding 0 or 1, tags are `I8` holding the
//! tag number).

use std::fmt;

/// The type of a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// 64-bit integer with wraparound arithmetic; also used for pointers.
    I64,
    /// 64-bit IEEE float.
    F64,
    /// A byte: booleans (0 or 1) and type tags.
    I8,
}

/// A typed mutable variable (index into [`Function::vars`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Var(pub u32);

/// A basic block (index into [`Function::blocks`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

/// A register slot of the current window: `base + 16 * r`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reg(pub u32);

/// Largest register index accepted by the validator (keeps every slot offset
/// well inside an `i32` displacement).
pub const MAX_REG: u32 = (1 << 24) - 1;
/// Largest number of helper arguments accepted by the validator.
pub const MAX_HELPER_ARGS: usize = 8;

/// Integer binary operations. All wrap modulo 2^64.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntBinOp {
    /// `a + b` (also on `I8`).
    Add,
    /// `a - b` (also on `I8`).
    Sub,
    /// `a * b`.
    Mul,
    /// `a & b` (also on `I8`).
    And,
    /// `a | b` (also on `I8`).
    Or,
    /// `a ^ b` (also on `I8`).
    Xor,
    /// `a << (b mod 64)`.
    Shl,
    /// Logical `a >> (b mod 64)`.
    ShrU,
    /// Arithmetic `a >> (b mod 64)`.
    ShrS,
    /// Logical shift left by a signed amount: negative `b` shifts right
    /// (logically) by `-b`; `|b| >= 64` gives 0 (Lua's `<<`; `>>` is this
    /// with `b` negated).
    ShlSigned,
    /// Unsigned division `a / b` (rounded toward zero); `b == 0` gives 0 without
    /// trapping.
    DivU,
    /// Floor division `floor(a / b)`. `b == -1` wraps (`i64::MIN // -1 ==
    /// i64::MIN`); `b == 0` gives 0 without trapping, but callers are expected
    /// to guard `b != 0` first and raise the language's error.
    FloorDiv,
    /// Floor modulo `a - floor(a / b) * b` (result has the sign of `b`).
    /// `b == -1` gives 0; `b == 0` gives 0 (guard first, as for `FloorDiv`).
    FloorMod,
}

/// Integer unary operations (`I64` only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntUnOp {
    /// Wrapping negation.
    Neg,
    /// Bitwise not.
    Not,
}

/// Float binary operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FloatBinOp {
    /// `a + b`.
    Add,
    /// `a - b`.
    Sub,
    /// `a * b`.
    Mul,
    /// `a / b` (IEEE: division by zero gives an infinity or NaN).
    Div,
}

/// Float unary operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FloatUnOp {
    /// `-a` (flips the sign bit, also of NaN and 0).
    Neg,
    /// `|a|`.
    Abs,
    /// Square root.
    Sqrt,
    /// Round toward negative infinity.
    Floor,
    /// Round toward positive infinity.
    Ceil,
    /// Round toward zero.
    Trunc,
}

/// Comparison conditions.
///
/// On integers, `Lt Le Gt Ge` are signed and `Ult Ule` unsigned. On floats,
/// every condition is *ordered* (false when either side is NaN) except `Ne`,
/// which is true when either side is NaN, so that `Ne` is always the negation
/// of `Eq`, as in Lua. `Ult`/`Ule` are not valid on floats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cond {
    /// `a == b`.
    Eq,
    /// `a != b`.
    Ne,
    /// `a < b`.
    Lt,
    /// `a <= b`.
    Le,
    /// `a > b`.
    Gt,
    /// `a >= b`.
    Ge,
    /// Unsigned `a < b` (integers only).
    Ult,
    /// Unsigned `a <= b` (integers only).
    Ule,
}

/// The signature of a runtime helper, an `extern "C"` function.
///
/// `I64` parameters carry integers and pointers, `F64` doubles, `I8` bytes
/// and `bool`s (zero-extended). At most one result.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct HelperSig {
    /// Parameter types, in order.
    pub params: Vec<Type>,
    /// Result types (zero or one).
    pub results: Vec<Type>,
}

impl HelperSig {
    /// A signature from parameter and result types.
    pub fn new(params: &[Type], results: &[Type]) -> HelperSig {
        HelperSig {
            params: params.to_vec(),
            results: results.to_vec(),
        }
    }
}

/// The target of a native-to-native call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Callee {
    /// The function being compiled (recursion).
    SelfFn,
    /// The entry address of another compiled function
    /// (`extern "C" fn(*mut JitContext) -> u64`).
    Addr(usize),
    /// An entry address computed at run time, held in an `I64` variable (e.g.
    /// returned by a helper that looked up the callee). The variable must hold
    /// the address of a compiled function's entry; it is not checked.
    Dyn(Var),
}

/// `Inst::CallNative`'s `exit_pc` when the caller has already checked the depth.
pub const DEPTH_CHECKED: u32 = u32::MAX;

/// A straight-line instruction.
#[derive(Clone, Debug, PartialEq)]
pub enum Inst {
    /// `dst = value` for an `I64` or `I8` variable (an `I8` value must lie in
    /// `-128..=255`).
    Iconst { dst: Var, value: i64 },
    /// `dst = value` for an `F64` variable.
    Fconst { dst: Var, value: f64 },
    /// `dst = src` (same type).
    Copy { dst: Var, src: Var },

    /// `dst: I8 = tag of R[reg]`.
    LoadTag { dst: Var, reg: Reg },
    /// `dst: I64 = payload of R[reg]` as an integer (or pointer).
    LoadInt { dst: Var, reg: Reg },
    /// `dst: F64 = payload of R[reg]` as a float.
    LoadFloat { dst: Var, reg: Reg },
    /// `dst: I8 = (first payload byte of R[reg]) != 0`.
    LoadBool { dst: Var, reg: Reg },
    /// `tag word of R[reg] = tag` (all 8 bytes: the upper 7 become 0).
    StoreTag { reg: Reg, tag: u8 },
    /// `payload of R[reg] = src: I64`.
    StoreInt { reg: Reg, src: Var },
    /// `payload of R[reg] = src: F64`.
    StoreFloat { reg: Reg, src: Var },
    /// `payload of R[reg] = (src: I8 != 0) as u64` (0 or 1, all 8 bytes).
    StoreBool { reg: Reg, src: Var },
    /// The whole slot: `R[reg] = (tag, payload src)` with `src: I64` (integer or
    /// pointer) or `F64`, as two 8-byte stores (the padding bytes after the tag
    /// become 0), so that later tag and payload loads are forwarded from them. (One
    /// 16-byte vector store was tried: it helped 16-byte readers but slowed native
    /// code's own reloads of the payload.)
    StoreValue { reg: Reg, tag: u8, src: Var },
    /// `R[dst] = R[src]`, all 16 bytes.
    CopySlot { dst: Reg, src: Reg },
    /// `w0: I64 = the tag word of R[reg]; w1: I64 = its payload word`.
    LoadSlot { w0: Var, w1: Var, reg: Reg },
    /// `R[reg] = (tag word w0: I64, payload word w1: I64)`, as two 8-byte stores.
    StoreSlot { reg: Reg, w0: Var, w1: Var },
    /// `dst: I64 = address of R[reg]`; valid only until the next call. `Load`s
    /// through it see the registers as they were at the `RegAddr` (the lowering writes
    /// promoted registers back to the window there, see `promote.rs`); later register
    /// writes need not show. Register slots must not be written through it (use
    /// `StoreSlot`).
    RegAddr { dst: Var, reg: Reg },
    /// `dst = *(addr + offset)`: 1 byte for an `I8` `dst`, 8 bytes for `I64`
    /// and `F64`. `addr: I64` must point to readable memory, aligned for the
    /// width, that no Rust reference mutates meanwhile; this is the IR
    /// producer's obligation (nothing is checked at run time).
    Load { dst: Var, addr: Var, offset: i32 },
    /// `*(addr + offset) = src`, with the width of `src`'s type (as in
    /// [`Inst::Load`]; the memory must be writable and unaliased).
    Store { addr: Var, offset: i32, src: Var },
    /// `dst: I8 = ctx.depth < ctx.max_depth`: whether a `CallNative` now would
    /// call (rather than exit).
    DepthOk { dst: Var },
    /// `dst: I64 = the JitContext pointer`.
    CtxPtr { dst: Var },
    /// `dst: I64 = ctx.vm`.
    VmPtr { dst: Var },

    /// `dst = a op b` on `I64` (or `I8` for `Add Sub And Or Xor`).
    IntBin {
        op: IntBinOp,
        dst: Var,
        a: Var,
        b: Var,
    },
    /// `dst = op a` on `I64`.
    IntUn { op: IntUnOp, dst: Var, src: Var },
    /// `dst = a op b` on `F64`.
    FloatBin {
        op: FloatBinOp,
        dst: Var,
        a: Var,
        b: Var,
    },
    /// `dst = op a` on `F64`.
    FloatUn { op: FloatUnOp, dst: Var, src: Var },
    /// `dst: I8 = a cond b` for two `I64` or two `I8`.
    IntCmp {
        cond: Cond,
        dst: Var,
        a: Var,
        b: Var,
    },
    /// `dst: I8 = a cond b` for two `F64` (see [`Cond`] for NaN).
    FloatCmp {
        cond: Cond,
        dst: Var,
        a: Var,
        b: Var,
    },
    /// `dst: I8 = (src: I8 == 0)`.
    BoolNot { dst: Var, src: Var },
    /// `dst: I64 = src: I8` zero-extended.
    Extend8 { dst: Var, src: Var },
    /// `dst: F64 = src: I64` converted (rounded to nearest).
    IntToFloat { dst: Var, src: Var },
    /// `ok: I8 = src has an exact I64 value; dst: I64 = that value`. When
    /// `ok` is 0 (fractional, out of range, NaN, infinite) `dst` holds a
    /// saturated conversion and must not be used. Never traps.
    FloatToInt { dst: Var, ok: Var, src: Var },
    /// `dst = cond != 0 ? a : b` (`a`, `b`, `dst` of one type).
    Select { dst: Var, cond: Var, a: Var, b: Var },

    /// If `cond: I8` is 0, leave the function with `ExitCode::Exit(exit_pc)`.
    /// Writes nothing back: registers must already be in memory.
    Guard { cond: Var, exit_pc: u32 },
    /// `ctx.fuel -= amount`; if it went below zero, leave with
    /// `ExitCode::Preempt(exit_pc)`.
    Fuel { amount: u32, exit_pc: u32 },
    /// Calls the `extern "C"` function at address `addr` with signature
    /// `sig`, passing `args` and writing its results to `results`. The window
    /// base is reloaded from `ctx` afterwards (the helper may move the stack).
    ///
    /// `live_pc`: the helper implements (part of) the instruction at this pc, so it and
    /// whatever it runs (a collection, Lua code) may look at the registers live there
    /// ([`Function::exit_live`]) and no others; `None`: at every register.
    CallHelper {
        addr: usize,
        sig: HelperSig,
        args: Vec<Var>,
        results: Vec<Var>,
        live_pc: Option<u32>,
    },
    /// Calls a compiled function's entry with the same `ctx` and the window
    /// shifted to start at `R[window]`; `result: I64` receives its raw exit
    /// code. Enters at entry 0 (`ctx.entry` is 0 whenever generated code runs:
    /// see `JitContext::entry`), increments `ctx.depth` around the call and
    /// restores the caller's base afterwards (relative to the callee's final
    /// base, so stack moves are followed). If `ctx.depth >= ctx.max_depth`
    /// nothing is called and the function leaves with
    /// `ExitCode::Exit(exit_pc)`, so the interpreter performs the call itself;
    /// with `exit_pc` [`DEPTH_CHECKED`] the caller vouches for the depth (a
    /// `DepthOk` it tested, with no call since) and nothing is checked.
    CallNative {
        callee: Callee,
        window: Reg,
        result: Var,
        exit_pc: u32,
    },
    /// If `code: I64` is not 0, leave the function returning `code` as is
    /// (propagates a helper's or callee's exit code).
    ExitIfNonzero { code: Var },
}

impl Inst {
    /// Calls `f(var, is_def)` for each variable the instruction reads (`false`), then
    /// for each it writes (`true`), in that order.
    pub fn for_each_var(&self, mut f: impl FnMut(Var, bool)) {
        let mut read = |v: Var| f(v, false);
        match self {
            Inst::Copy { src, .. }
            | Inst::StoreInt { src, .. }
            | Inst::StoreFloat { src, .. }
            | Inst::StoreBool { src, .. }
            | Inst::StoreValue { src, .. }
            | Inst::IntUn { src, .. }
            | Inst::FloatUn { src, .. }
            | Inst::BoolNot { src, .. }
            | Inst::Extend8 { src, .. }
            | Inst::IntToFloat { src, .. }
            | Inst::FloatToInt { src, .. } => read(*src),
            Inst::StoreSlot { w0, w1, .. } => {
                read(*w0);
                read(*w1);
            }
            Inst::Load { addr, .. } => read(*addr),
            Inst::Store { addr, src, .. } => {
                read(*addr);
                read(*src);
            }
            Inst::IntBin { a, b, .. }
            | Inst::FloatBin { a, b, .. }
            | Inst::IntCmp { a, b, .. }
            | Inst::FloatCmp { a, b, .. } => {
                read(*a);
                read(*b);
            }
            Inst::Select { cond, a, b, .. } => {
                read(*cond);
                read(*a);
                read(*b);
            }
            Inst::Guard { cond, .. } => read(*cond),
            Inst::CallHelper { args, .. } => args.iter().for_each(|&a| read(a)),
            Inst::CallNative {
                callee: Callee::Dyn(v),
                ..
            } => read(*v),
            Inst::ExitIfNonzero { code } => read(*code),
            Inst::Iconst { .. }
            | Inst::Fconst { .. }
            | Inst::LoadTag { .. }
            | Inst::LoadInt { .. }
            | Inst::LoadFloat { .. }
            | Inst::LoadBool { .. }
            | Inst::StoreTag { .. }
            | Inst::CopySlot { .. }
            | Inst::LoadSlot { .. }
            | Inst::RegAddr { .. }
            | Inst::DepthOk { .. }
            | Inst::CtxPtr { .. }
            | Inst::VmPtr { .. }
            | Inst::Fuel { .. }
            | Inst::CallNative { .. } => {}
        }
        let mut write = |v: Var| f(v, true);
        match self {
            Inst::Iconst { dst, .. }
            | Inst::Fconst { dst, .. }
            | Inst::Copy { dst, .. }
            | Inst::LoadTag { dst, .. }
            | Inst::LoadInt { dst, .. }
            | Inst::LoadFloat { dst, .. }
            | Inst::LoadBool { dst, .. }
            | Inst::RegAddr { dst, .. }
            | Inst::Load { dst, .. }
            | Inst::DepthOk { dst }
            | Inst::CtxPtr { dst }
            | Inst::VmPtr { dst }
            | Inst::IntBin { dst, .. }
            | Inst::IntUn { dst, .. }
            | Inst::FloatBin { dst, .. }
            | Inst::FloatUn { dst, .. }
            | Inst::IntCmp { dst, .. }
            | Inst::FloatCmp { dst, .. }
            | Inst::BoolNot { dst, .. }
            | Inst::Extend8 { dst, .. }
            | Inst::IntToFloat { dst, .. }
            | Inst::Select { dst, .. } => write(*dst),
            Inst::FloatToInt { dst, ok, .. } => {
                write(*dst);
                write(*ok);
            }
            Inst::LoadSlot { w0, w1, .. } => {
                write(*w0);
                write(*w1);
            }
            Inst::CallHelper { results, .. } => results.iter().for_each(|&r| write(r)),
            Inst::CallNative { result, .. } => write(*result),
            Inst::StoreTag { .. }
            | Inst::StoreInt { .. }
            | Inst::StoreFloat { .. }
            | Inst::StoreBool { .. }
            | Inst::StoreValue { .. }
            | Inst::CopySlot { .. }
            | Inst::StoreSlot { .. }
            | Inst::Store { .. }
            | Inst::Guard { .. }
            | Inst::Fuel { .. }
            | Inst::ExitIfNonzero { .. } => {}
        }
    }
}

impl Terminator {
    /// The variable the terminator reads, if any.
    pub fn var(&self) -> Option<Var> {
        match self {
            Terminator::Branch { cond, .. } => Some(*cond),
            Terminator::ReturnCode { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// How a block ends.
#[derive(Clone, Debug, PartialEq)]
pub enum Terminator {
    /// Continue at a block.
    Jump(BlockId),
    /// Continue at `then_to` if `cond: I8` is nonzero, else at `else_to`.
    Branch {
        cond: Var,
        then_to: BlockId,
        else_to: BlockId,
    },
    /// Return `ExitCode::Return(value)`.
    Return { value: u32 },
    /// Return the raw code held in `code: I64`. `live_pc`: after it, nothing looks at
    /// registers other than those live at this pc ([`Function::exit_live`]), e.g. an
    /// error raised by the instruction there; `None`: at every register.
    ReturnCode { code: Var, live_pc: Option<u32> },
    /// Return `ExitCode::Exit(pc)`: hand over to the interpreter at `pc`.
    Exit { pc: u32 },
}

/// A basic block: instructions then one terminator (`None` only while the
/// block is being built; the validator rejects it).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Block {
    /// The straight-line instructions.
    pub insts: Vec<Inst>,
    /// The terminator.
    pub term: Option<Terminator>,
}

/// A function of the JIT IR.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Function {
    /// A name for dumps and symbol names.
    pub name: String,
    /// The type of each variable.
    pub vars: Vec<Type>,
    /// The blocks.
    pub blocks: Vec<Block>,
    /// Entry points: `entries[0]` is the normal start, `entries[k]` is
    /// entered when `ctx.entry == k`.
    pub entries: Vec<BlockId>,
    /// The registers whose values the interpreter may use after an exit to each pc
    /// (`Guard`, `Fuel` and `Exit` pcs): register `r < 256` is live at `pc` when bit
    /// `r % 64` of `exit_live[pc][r / 64]` is set. Registers from 256 up, and every
    /// register at pcs beyond the table, are live. Generated code may leave a dead
    /// register's slot holding an older value (both of its words from the same earlier
    /// value, so a collector can still trace it).
    pub exit_live: Vec<[u64; 4]>,
    /// `(value, pc)`: a `Return { value }` after which the interpreter carries on at
    /// `pc` (it performs the return itself), so it needs only the registers live there.
    /// Other returns need every register.
    pub return_pcs: Vec<(u32, u32)>,
    /// The registers the instruction at each pc certainly writes (same layout as
    /// `exit_live`): a `CallHelper` with `live_pc` that pc returns, when it returns, with
    /// them written, so their values from before it are not needed after it. Empty, or
    /// pcs beyond the table: none.
    pub helper_writes: Vec<[u64; 4]>,
}

/// Register `r`'s bit in a per-pc register-set table (`Function::exit_live`,
/// `Function::helper_writes`); `None` where the table says nothing (a pc beyond it, a
/// register from 256 up).
fn reg_bit(table: &[[u64; 4]], pc: u32, r: u32) -> Option<bool> {
    let words = table.get(pc as usize).filter(|_| r < 256)?;
    Some(words[(r / 64) as usize] >> (r % 64) & 1 == 1)
}

impl Function {
    /// The type of a variable, if it exists.
    pub fn var_type(&self, v: Var) -> Option<Type> {
        self.vars.get(v.0 as usize).copied()
    }

    /// Whether the instruction at `pc` certainly writes register `r` (see
    /// [`Function::helper_writes`]).
    pub fn written_at(&self, pc: u32, r: u32) -> bool {
        reg_bit(&self.helper_writes, pc, r).unwrap_or(false)
    }

    /// Whether register `r` is live after an exit to `pc` (see [`Function::exit_live`]).
    pub fn live_at_exit(&self, pc: u32, r: u32) -> bool {
        reg_bit(&self.exit_live, pc, r).unwrap_or(true)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::I64 => "i64",
            Type::F64 => "f64",
            Type::I8 => "i8",
        })
    }
}

impl fmt::Display for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

impl fmt::Display for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b{}", self.0)
    }
}

impl fmt::Display for Reg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}", self.0)
    }
}

fn lower_name<T: fmt::Debug>(x: T) -> String {
    format!("{x:?}").to_lowercase()
}

fn list<T: fmt::Display>(xs: &[T]) -> String {
    xs.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for HelperSig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}) -> ({})", list(&self.params), list(&self.results))
    }
}

impl fmt::Display for Inst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Inst::Iconst { dst, value } => write!(f, "{dst} = iconst {value}"),
            Inst::Fconst { dst, value } => write!(f, "{dst} = fconst {value:?}"),
            Inst::Copy { dst, src } => write!(f, "{dst} = {src}"),
            Inst::LoadTag { dst, reg } => write!(f, "{dst} = load_tag {reg}"),
            Inst::LoadInt { dst, reg } => write!(f, "{dst} = load_int {reg}"),
            Inst::LoadFloat { dst, reg } => write!(f, "{dst} = load_float {reg}"),
            Inst::LoadBool { dst, reg } => write!(f, "{dst} = load_bool {reg}"),
            Inst::StoreTag { reg, tag } => write!(f, "store_tag {reg}, {tag}"),
            Inst::StoreInt { reg, src } => write!(f, "store_int {reg}, {src}"),
            Inst::StoreFloat { reg, src } => write!(f, "store_float {reg}, {src}"),
            Inst::StoreBool { reg, src } => write!(f, "store_bool {reg}, {src}"),
            Inst::StoreValue { reg, tag, src } => write!(f, "store_value {reg}, {tag}, {src}"),
            Inst::CopySlot { dst, src } => write!(f, "copy_slot {dst}, {src}"),
            Inst::LoadSlot { w0, w1, reg } => write!(f, "{w0}, {w1} = load_slot {reg}"),
            Inst::StoreSlot { reg, w0, w1 } => write!(f, "store_slot {reg}, {w0}, {w1}"),
            Inst::RegAddr { dst, reg } => write!(f, "{dst} = reg_addr {reg}"),
            Inst::Load { dst, addr, offset } => write!(f, "{dst} = load [{addr}{offset:+}]"),
            Inst::Store { addr, offset, src } => write!(f, "store [{addr}{offset:+}], {src}"),
            Inst::DepthOk { dst } => write!(f, "{dst} = depth_ok"),
            Inst::CtxPtr { dst } => write!(f, "{dst} = ctx_ptr"),
            Inst::VmPtr { dst } => write!(f, "{dst} = vm_ptr"),
            Inst::IntBin { op, dst, a, b } => write!(f, "{dst} = i{} {a}, {b}", lower_name(op)),
            Inst::IntUn { op, dst, src } => write!(f, "{dst} = i{} {src}", lower_name(op)),
            Inst::FloatBin { op, dst, a, b } => {
                write!(f, "{dst} = f{} {a}, {b}", lower_name(op))
            }
            Inst::FloatUn { op, dst, src } => write!(f, "{dst} = f{} {src}", lower_name(op)),
            Inst::IntCmp { cond, dst, a, b } => {
                write!(f, "{dst} = icmp {} {a}, {b}", lower_name(cond))
            }
            Inst::FloatCmp { cond, dst, a, b } => {
                write!(f, "{dst} = fcmp {} {a}, {b}", lower_name(cond))
            }
            Inst::BoolNot { dst, src } => write!(f, "{dst} = not {src}"),
            Inst::Extend8 { dst, src } => write!(f, "{dst} = extend8 {src}"),
            Inst::IntToFloat { dst, src } => write!(f, "{dst} = int_to_float {src}"),
            Inst::FloatToInt { dst, ok, src } => {
                write!(f, "{dst}, {ok} = float_to_int {src}")
            }
            Inst::Select { dst, cond, a, b } => write!(f, "{dst} = select {cond}, {a}, {b}"),
            Inst::Guard { cond, exit_pc } => write!(f, "guard {cond} else exit {exit_pc}"),
            Inst::Fuel { amount, exit_pc } => write!(f, "fuel {amount} else preempt {exit_pc}"),
            Inst::CallHelper {
                addr,
                sig,
                args,
                results,
                live_pc,
            } => {
                if !results.is_empty() {
                    write!(f, "{} = ", list(results))?;
                }
                write!(f, "call_helper {addr:#x} {sig} ({})", list(args))?;
                match live_pc {
                    Some(pc) => write!(f, " live at {pc}"),
                    None => Ok(()),
                }
            }
            Inst::CallNative {
                callee,
                window,
                result,
                exit_pc,
            } => {
                let target = match callee {
                    Callee::SelfFn => "self".to_string(),
                    Callee::Addr(a) => format!("{a:#x}"),
                    Callee::Dyn(v) => format!("{v}"),
                };
                write!(
                    f,
                    "{result} = call_native {target} window {window} else exit {exit_pc}"
                )
            }
            Inst::ExitIfNonzero { code } => write!(f, "exit_if_nonzero {code}"),
        }
    }
}

impl fmt::Display for Terminator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Terminator::Jump(b) => write!(f, "jump {b}"),
            Terminator::Branch {
                cond,
                then_to,
                else_to,
            } => write!(f, "branch {cond}, {then_to}, {else_to}"),
            Terminator::Return { value } => write!(f, "return {value}"),
            Terminator::ReturnCode {
                code,
                live_pc: None,
            } => write!(f, "return_code {code}"),
            Terminator::ReturnCode {
                code,
                live_pc: Some(pc),
            } => write!(f, "return_code {code} live at {pc}"),
            Terminator::Exit { pc } => write!(f, "exit {pc}"),
        }
    }
}

/// The dump: a header with entries and variable types, then each block.
impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "function {} entries [{}]",
            self.name,
            list(&self.entries)
        )?;
        for (i, ty) in self.vars.iter().enumerate() {
            writeln!(f, "  var v{i}: {ty}")?;
        }
        for (i, block) in self.blocks.iter().enumerate() {
            writeln!(f, "b{i}:")?;
            for inst in &block.insts {
                writeln!(f, "  {inst}")?;
            }
            match &block.term {
                Some(t) => writeln!(f, "  {t}")?,
                None => writeln!(f, "  <unterminated>")?,
            }
        }
        Ok(())
    }
}
