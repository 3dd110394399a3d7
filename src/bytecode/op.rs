//! The stack instruction set, declared once.
//!
//! Every instruction is listed a single time in [`for_each_stack_op!`](crate::for_each_stack_op) with its typed
//! operands, its stack effect and a one-line meaning. The [`Op`] enum, the opcode numbers
//! of the binary form, the mnemonic table, the stack-effect function and the reference in
//! `docs/stack-bytecode.md` are all derived from that table; adding an instruction means
//! adding one row and following the compiler errors.
//!
//! Notation: `S[..]` is the operand stack (top at the right), `L[i]` local slot `i`,
//! `U[i]` upvalue `i`, `K[i]` constant `i`.
//!
//! **Packs.** Lua's multiple results make the number of values some instructions leave
//! unknown until run time. Such an instruction (a call with `results == MULTI`, `VarArg`
//! with `count == MULTI`) leaves a *pack* above the statically known stack; the next
//! instruction that touches the stack must be one that consumes a pack (a call, return or
//! `SetList` with `pack == true`). The verifier tracks `(depth, pack pending)` and rejects
//! anything else, so the static depth stays exact at every instruction.

use serde::{Deserialize, Serialize};

/// A local slot of the current proc (parameters occupy the first slots).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LocalSlot(pub u16);

/// An index into the current proc's constant table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConstIdx(pub u32);

/// An index into the current closure's upvalues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UpvalIdx(pub u16);

/// An index into the current proc's child procs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProtoIdx(pub u32);

/// An absolute instruction index within the same proc.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Target(pub u32);

/// `results` of a call or `count` of `VarArg` meaning "all of them, as a pack".
pub const MULTI: u8 = u8::MAX;

/// The arithmetic and bitwise binary operators, in Lua 5.4's metamethod order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Mod,
    Pow,
    Div,
    IDiv,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
}

impl ArithOp {
    /// True for the bitwise operators, which need integer operands.
    pub fn is_bitwise(self) -> bool {
        matches!(
            self,
            ArithOp::BAnd | ArithOp::BOr | ArithOp::BXor | ArithOp::Shl | ArithOp::Shr
        )
    }

    /// Every operator, in declaration order.
    pub const ALL: [ArithOp; 12] = [
        ArithOp::Add,
        ArithOp::Sub,
        ArithOp::Mul,
        ArithOp::Mod,
        ArithOp::Pow,
        ArithOp::Div,
        ArithOp::IDiv,
        ArithOp::BAnd,
        ArithOp::BOr,
        ArithOp::BXor,
        ArithOp::Shl,
        ArithOp::Shr,
    ];
}

/// The comparison operators. `Gt`/`Ge` compare with swapped operands (`a > b` is `b < a`),
/// which is also how their metamethods are called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// Every operator, in declaration order (the binary form's numbering).
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ];
}

/// The unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnOp {
    /// `-a`
    Unm,
    /// `~a`
    BNot,
    /// `not a`
    Not,
    /// `#a`
    Len,
}

impl UnOp {
    /// Every operator, in declaration order (the binary form's numbering).
    pub const ALL: [UnOp; 4] = [UnOp::Unm, UnOp::BNot, UnOp::Not, UnOp::Len];
}

/// The table of stack instructions. Each row:
/// `Name { field: Type, ... } = (pops, pushes) "meaning"`, where pops/pushes are
/// expressions over the fields (`self` bound as `op`); pack consumption and production are
/// described by [`Op::pack_effect`].
#[macro_export]
macro_rules! for_each_stack_op {
    ($m:ident) => {
        $m! {
            /// Do nothing.
            Nop {} = (0, 0), "";
            /// Discard the top `n` values.
            Pop { n: u8 } = (op_n(n), 0), "S -= n";
            /// Push `n` nils.
            PushNil { n: u8 } = (0, op_n(n)), "push nil x n";
            /// Push `true`.
            PushTrue {} = (0, 1), "push true";
            /// Push `false`.
            PushFalse {} = (0, 1), "push false";
            /// Push an integer given inline.
            PushInt { value: i64 } = (0, 1), "push value";
            /// Push a constant.
            PushConst { idx: ConstIdx } = (0, 1), "push K[idx]";
            /// Push a local.
            GetLocal { slot: LocalSlot } = (0, 1), "push L[slot]";
            /// Pop into a local.
            SetLocal { slot: LocalSlot } = (1, 0), "L[slot] := pop";
            /// Push an upvalue.
            GetUpval { idx: UpvalIdx } = (0, 1), "push U[idx]";
            /// Pop into an upvalue.
            SetUpval { idx: UpvalIdx } = (1, 0), "U[idx] := pop";
            /// Push a field of an upvalue (a global when the upvalue is `_ENV`).
            GetUpField { upval: UpvalIdx, key: ConstIdx } = (0, 1), "push U[upval][K[key]]";
            /// Pop into a field of an upvalue.
            SetUpField { upval: UpvalIdx, key: ConstIdx } = (1, 0), "U[upval][K[key]] := pop";
            /// Index with any key.
            GetTable {} = (2, 1), "t k -> t[k]";
            /// Store with any key.
            SetTable {} = (3, 0), "t k v -> ; t[k] := v";
            /// Index with a constant string key.
            GetField { key: ConstIdx } = (1, 1), "t -> t[K[key]]";
            /// Store with a constant string key.
            SetField { key: ConstIdx } = (2, 0), "t v -> ; t[K[key]] := v";
            /// Store into a table and key left deeper in the stack (multiple assignment):
            /// the table is at operand depth `depth`, the key at `depth + 1`.
            SetTableAt { depth: u16 } = (1, 0), "v -> ; S[depth][S[depth+1]] := v";
            /// Store into a table left deeper in the stack, with a constant key.
            SetFieldAt { depth: u16, key: ConstIdx } = (1, 0), "v -> ; S[depth][K[key]] := v";
            /// Look a method up and keep the receiver: `obj:name(...)`.
            Method { key: ConstIdx } = (1, 2), "o -> o[K[key]] o";
            /// Create a table with size hints.
            NewTable { array: u32, hash: u32 } = (0, 1), "push {}";
            /// Store `count` values (plus a pack if `pack`) into the table below them, at
            /// array indices `first`, `first + 1`, ...; the table stays.
            SetList { count: u8, pack: bool, first: u32 } = (op_n(count) + 1, 1), "t v.. -> t";
            /// Binary arithmetic or bitwise operator.
            Arith { op: ArithOp } = (2, 1), "a b -> a op b";
            /// Comparison; pushes a boolean.
            Compare { op: CmpOp } = (2, 1), "a b -> a op b";
            /// Unary operator.
            Unary { op: UnOp } = (1, 1), "a -> op a";
            /// Concatenate the top `n` values (n >= 2).
            Concat { n: u8 } = (op_n(n), 1), "v1..vn -> v1 .. ... .. vn";
            /// Unconditional jump.
            Jump { target: Target } = (0, 0), "pc := target";
            /// Pop; jump if the value is false or nil.
            JumpIfFalse { target: Target } = (1, 0), "if not pop then pc := target";
            /// Pop; jump if the value is neither false nor nil.
            JumpIfTrue { target: Target } = (1, 0), "if pop then pc := target";
            /// `and`: if the top is false or nil, jump keeping it; otherwise pop it.
            JumpIfFalseKeep { target: Target } = (1, 0), "if not S[top] then pc := target else pop";
            /// `or`: if the top is neither false nor nil, jump keeping it; otherwise pop it.
            JumpIfTrueKeep { target: Target } = (1, 0), "if S[top] then pc := target else pop";
            /// Call: the function and `argc` arguments (plus a pack if `pack`) are replaced
            /// by `results` values (a pack when `results == MULTI`).
            Call { argc: u8, pack: bool, results: u8 } = (op_n(argc) + 1, op_results(results)), "f a.. -> r..";
            /// Tail call: like `Call` followed by returning all its results.
            TailCall { argc: u8, pack: bool } = (op_n(argc) + 1, 0), "return f(a..)";
            /// Return the top `count` values (plus a pack if `pack`).
            Return { count: u8, pack: bool } = (op_n(count), 0), "return v..";
            /// Push `count` of the extra arguments (a pack when `count == MULTI`).
            VarArg { count: u8 } = (0, op_results(count)), "push ...";
            /// Push a new closure of child proc `proto`, capturing its upvalues.
            Closure { proto: ProtoIdx } = (0, 1), "push closure(P[proto])";
            /// Close upvalues and to-be-closed variables of locals `slot` and above.
            Close { slot: LocalSlot } = (0, 0), "close L[slot..]";
            /// Mark local `slot` as to-be-closed.
            Tbc { slot: LocalSlot } = (0, 0), "mark L[slot] to-be-closed";
            /// Numeric for, prepare: `L[base]`, `L[base+1]`, `L[base+2]` hold the initial value,
            /// the limit and the step; if the loop runs at all, `L[base+3]` gets the first
            /// value, otherwise jump to `exit`.
            ForPrep { base: LocalSlot, exit: Target } = (0, 0), "prepare numeric for";
            /// Numeric for, step: advance; if the loop goes on, `L[base+3]` gets the new value
            /// and control jumps to `body`.
            ForLoop { base: LocalSlot, body: Target } = (0, 0), "step numeric for";
            /// Generic for, call: `L[base+4..base+4+nvars] := L[base](L[base+1], L[base+2])`.
            TForCall { base: LocalSlot, nvars: u8 } = (0, 0), "call the iterator";
            /// Generic for, test: if `L[base+4]` is not nil, `L[base+2] := L[base+4]` and jump
            /// to `body`.
            TForLoop { base: LocalSlot, body: Target } = (0, 0), "continue generic for";
        }
    };
}

#[inline]
const fn op_n(n: u8) -> u32 {
    n as u32
}

#[inline]
const fn op_results(n: u8) -> u32 {
    if n == MULTI {
        0
    } else {
        n as u32
    }
}

macro_rules! define_ops {
    ($( $(#[$doc:meta])* $name:ident { $($field:ident : $ty:ty),* } = ($pops:expr, $pushes:expr), $sem:literal; )*) => {
        /// A stack instruction. See [`for_each_stack_op!`](crate::for_each_stack_op) for the table it is derived from.
        #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub enum Op {
            $( $(#[$doc])* $name { $($field: $ty),* }, )*
        }

        /// Mnemonics in opcode order; the opcode of an instruction is its index here.
        pub const MNEMONICS: &[&str] = &[$(stringify!($name)),*];

        /// One-line meanings in opcode order (for the documentation).
        pub const MEANINGS: &[&str] = &[$($sem),*];

        impl Op {
            /// The mnemonic, as in the disassembly.
            pub fn name(&self) -> &'static str {
                match self { $( Op::$name { .. } => stringify!($name), )* }
            }

            /// Values popped and pushed, not counting packs (see [`Op::pack_effect`]).
            #[allow(unused_variables)]
            pub fn stack_effect(&self) -> (u32, u32) {
                match *self { $( Op::$name { $($field),* } => ($pops, $pushes), )* }
            }
        }
    };
}

for_each_stack_op!(define_ops);

/// How an instruction relates to packs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackEffect {
    /// It consumes the pack left by the previous instruction.
    pub consumes: bool,
    /// It leaves a pack.
    pub produces: bool,
}

impl Op {
    /// Whether the instruction consumes and/or produces a pack.
    pub fn pack_effect(&self) -> PackEffect {
        match *self {
            Op::Call { pack, results, .. } => PackEffect {
                consumes: pack,
                produces: results == MULTI,
            },
            Op::TailCall { pack, .. } | Op::Return { pack, .. } | Op::SetList { pack, .. } => {
                PackEffect {
                    consumes: pack,
                    produces: false,
                }
            }
            Op::VarArg { count } => PackEffect {
                consumes: false,
                produces: count == MULTI,
            },
            _ => PackEffect {
                consumes: false,
                produces: false,
            },
        }
    }

    /// The jump target, for instructions that may transfer control elsewhere.
    pub fn branch_target(&self) -> Option<Target> {
        match *self {
            Op::Jump { target }
            | Op::JumpIfFalse { target }
            | Op::JumpIfTrue { target }
            | Op::JumpIfFalseKeep { target }
            | Op::JumpIfTrueKeep { target } => Some(target),
            Op::ForPrep { exit, .. } => Some(exit),
            Op::ForLoop { body, .. } | Op::TForLoop { body, .. } => Some(body),
            _ => None,
        }
    }

    /// True if control never falls through to the next instruction.
    pub fn ends_block(&self) -> bool {
        matches!(
            self,
            Op::Jump { .. } | Op::Return { .. } | Op::TailCall { .. }
        )
    }
}
