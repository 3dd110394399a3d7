//! Compile-time constants, as `lparser.c`'s `localstat` and `lcode.c`'s `constfolding`
//! define them.
//!
//! In Lua 5.4, `local x <const> = e` makes `x` a *compile-time constant* when `e`
//! evaluates at compile time to nil, a boolean, a number or a string (and `x` is the last
//! name of a statement whose name and expression counts agree). Every later use of `x`
//! is then the constant itself, not a variable: nested functions do not capture it, and
//! runtime errors do not name it (`attempt to index a nil value` rather than
//! `(local 'x')`; a string shows as `(constant 'abc')`). The parser asks [`const_value`]
//! whether an initialiser qualifies; uses of such a local resolve to [`ConstValue::expr`].
//!
//! Folding follows `constfolding` exactly, because it decides which locals qualify:
//! arithmetic and bitwise operators on numeric operands fold unless they could raise
//! (division or modulo by zero, bitwise operands without an exact integer value) and a
//! float result is neither NaN nor zero (Lua keeps `-0.0` out of its constant table);
//! unary `-` and `~` the same; `not` of a constant folds; `a and b` folds to `b` when `a`
//! is a true constant, `a or b` to `b` when `a` is nil or false; parentheses are
//! transparent; comparisons, `..` and `#` never fold.

use super::ast::{BinOp, Expr, ExprKind, Line, UnOp};
use crate::runtime::number::{self, Num};

/// The value of a compile-time constant.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstValue {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Vec<u8>),
}

impl ConstValue {
    /// The constant as an expression node, for a use of the variable at `line`.
    pub fn expr(&self, line: Line) -> Expr {
        let kind = match self {
            ConstValue::Nil => ExprKind::Nil,
            ConstValue::Bool(true) => ExprKind::True,
            ConstValue::Bool(false) => ExprKind::False,
            ConstValue::Int(i) => ExprKind::Int(*i),
            ConstValue::Float(f) => ExprKind::Float(*f),
            ConstValue::Str(s) => ExprKind::Str(s.clone()),
        };
        Expr::new(kind, line)
    }

    /// Lua truth: everything but nil and false.
    fn is_true(&self) -> bool {
        !matches!(self, ConstValue::Nil | ConstValue::Bool(false))
    }

    fn num(&self) -> Option<Num> {
        match self {
            ConstValue::Int(i) => Some(Num::Int(*i)),
            ConstValue::Float(f) => Some(Num::Float(*f)),
            _ => None,
        }
    }
}

/// The compile-time value of `e`, if Lua would fold it to a constant.
///
/// Left-leaning operator chains (`1 + 2 + ...`, any length) are walked iteratively;
/// recursion follows only right operands, parentheses and unary operands, whose nesting
/// the parser already bounds (`C stack overflow` at 200 levels).
pub fn const_value(e: &Expr) -> Option<ConstValue> {
    match &e.kind {
        ExprKind::Nil => Some(ConstValue::Nil),
        ExprKind::True => Some(ConstValue::Bool(true)),
        ExprKind::False => Some(ConstValue::Bool(false)),
        ExprKind::Int(i) => Some(ConstValue::Int(*i)),
        ExprKind::Float(f) => Some(ConstValue::Float(*f)),
        ExprKind::Str(s) => Some(ConstValue::Str(s.clone())),
        ExprKind::Paren(inner) => const_value(inner),
        ExprKind::Unary { op, operand } => fold_unary(*op, const_value(operand)?),
        ExprKind::Binary { .. } => fold_chain(e),
        _ => None,
    }
}

fn fold_chain(e: &Expr) -> Option<ConstValue> {
    let mut spine = Vec::new();
    let mut cur = e;
    while let ExprKind::Binary { op, lhs, rhs } = &cur.kind {
        if *op == BinOp::Concat {
            break;
        }
        spine.push((*op, &**rhs));
        cur = lhs;
    }
    if spine.is_empty() {
        return None; // a concatenation
    }
    let mut acc = const_value(cur)?;
    for (op, rhs) in spine.into_iter().rev() {
        acc = match op {
            // `luaK_goiftrue` emits no jump for a true constant, so `a and b` is `b`.
            BinOp::And if acc.is_true() => const_value(rhs)?,
            // `luaK_goiffalse` emits no jump for nil/false, so `a or b` is `b`.
            BinOp::Or if !acc.is_true() => const_value(rhs)?,
            _ => fold_arith(op, acc.num()?, const_value(rhs)?.num()?)?,
        };
    }
    Some(acc)
}

fn fold_unary(op: UnOp, v: ConstValue) -> Option<ConstValue> {
    match op {
        UnOp::Not => Some(ConstValue::Bool(!v.is_true())),
        // `luaK_prefix` folds `-e` and `~e` as `e op 0`.
        UnOp::Neg => match v.num()? {
            Num::Int(i) => Some(ConstValue::Int(i.wrapping_neg())),
            Num::Float(f) => finish(Num::Float(-f)),
        },
        UnOp::BNot => {
            let x = number::num_to_int(v.num()?)?;
            Some(ConstValue::Int(!x))
        }
        UnOp::Len => None,
    }
}

/// `constfolding` for a binary operator on two numbers.
fn fold_arith(op: BinOp, a: Num, b: Num) -> Option<ConstValue> {
    use BinOp::*;
    let bitwise = matches!(op, BAnd | BOr | BXor | Shl | Shr);
    if bitwise {
        // `validop`: both operands must convert to integers exactly (`LUA_FLOORN2I`).
        let x = number::num_to_int(a)?;
        let y = number::num_to_int(b)?;
        let r = match op {
            BAnd => x & y,
            BOr => x | y,
            BXor => x ^ y,
            Shl => number::shift_left(x, y),
            _ => number::shift_right(x, y),
        };
        return Some(ConstValue::Int(r));
    }
    if matches!(op, Div | IDiv | Mod) && b.to_f64() == 0.0 {
        return None; // `validop`: division by zero is left to run time
    }
    if let (Num::Int(x), Num::Int(y)) = (a, b) {
        let r = match op {
            Add => x.wrapping_add(y),
            Sub => x.wrapping_sub(y),
            Mul => x.wrapping_mul(y),
            IDiv => number::int_floor_div(x, y),
            Mod => number::int_mod(x, y),
            Div => return finish(Num::Float(number::float_div(x as f64, y as f64))),
            Pow => return finish(Num::Float(number::float_pow(x as f64, y as f64))),
            _ => return None,
        };
        return Some(ConstValue::Int(r));
    }
    let (x, y) = (a.to_f64(), b.to_f64());
    let r = match op {
        Add => x + y,
        Sub => x - y,
        Mul => x * y,
        Div => number::float_div(x, y),
        Pow => number::float_pow(x, y),
        IDiv => number::float_floor_div(x, y),
        Mod => number::float_mod(x, y),
        _ => return None,
    };
    finish(Num::Float(r))
}

/// Lua folds neither NaN nor a zero float (so `-0.0` never enters the constant table).
fn finish(n: Num) -> Option<ConstValue> {
    match n {
        Num::Int(i) => Some(ConstValue::Int(i)),
        Num::Float(f) if f.is_nan() || f == 0.0 => None,
        Num::Float(f) => Some(ConstValue::Float(f)),
    }
}
