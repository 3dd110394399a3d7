//! Expressions: operator precedence climbing as in `lparser.c`'s `subexpr`, primary and
//! suffixed expressions, table constructors and call arguments.

use super::ast::{BinOp, Expr, ExprKind, TableItem, UnOp};
use super::parser::Parser;
use super::scope::{EnvAccess, Var};
use super::token::Tok;
use super::SyntaxError;

/// Priority of unary operators: binds tighter than everything but `^`.
const UNARY_PRIORITY: u8 = 12;

/// Left and right priorities of a binary operator (Lua's `priority` table); a right
/// priority lower than the left one makes the operator right associative.
fn priority(op: BinOp) -> (u8, u8) {
    match op {
        BinOp::Add | BinOp::Sub => (10, 10),
        BinOp::Mul | BinOp::Mod | BinOp::Div | BinOp::IDiv => (11, 11),
        BinOp::Pow => (14, 13),
        BinOp::BAnd => (6, 6),
        BinOp::BOr => (4, 4),
        BinOp::BXor => (5, 5),
        BinOp::Shl | BinOp::Shr => (7, 7),
        BinOp::Concat => (9, 8),
        BinOp::Eq | BinOp::Lt | BinOp::Le | BinOp::Ne | BinOp::Gt | BinOp::Ge => (3, 3),
        BinOp::And => (2, 2),
        BinOp::Or => (1, 1),
    }
}

fn binary_op(t: &Tok) -> Option<BinOp> {
    Some(match t {
        Tok::Char(b'+') => BinOp::Add,
        Tok::Char(b'-') => BinOp::Sub,
        Tok::Char(b'*') => BinOp::Mul,
        Tok::Char(b'%') => BinOp::Mod,
        Tok::Char(b'^') => BinOp::Pow,
        Tok::Char(b'/') => BinOp::Div,
        Tok::IDiv => BinOp::IDiv,
        Tok::Char(b'&') => BinOp::BAnd,
        Tok::Char(b'|') => BinOp::BOr,
        Tok::Char(b'~') => BinOp::BXor,
        Tok::Shl => BinOp::Shl,
        Tok::Shr => BinOp::Shr,
        Tok::Concat => BinOp::Concat,
        Tok::Ne => BinOp::Ne,
        Tok::Eq => BinOp::Eq,
        Tok::Char(b'<') => BinOp::Lt,
        Tok::Le => BinOp::Le,
        Tok::Char(b'>') => BinOp::Gt,
        Tok::Ge => BinOp::Ge,
        Tok::And => BinOp::And,
        Tok::Or => BinOp::Or,
        _ => return None,
    })
}

fn unary_op(t: &Tok) -> Option<UnOp> {
    Some(match t {
        Tok::Not => UnOp::Not,
        Tok::Char(b'-') => UnOp::Neg,
        Tok::Char(b'~') => UnOp::BNot,
        Tok::Char(b'#') => UnOp::Len,
        _ => return None,
    })
}

impl Parser<'_> {
    pub(super) fn expr(&mut self) -> Result<Expr, SyntaxError> {
        Ok(self.subexpr(0)?.0)
    }

    /// `explist`: one or more comma-separated expressions.
    pub(super) fn expr_list(&mut self) -> Result<Vec<Expr>, SyntaxError> {
        let mut v = vec![self.expr()?];
        while self.test_next(&Tok::Char(b','))? {
            v.push(self.expr()?);
        }
        Ok(v)
    }

    /// `subexpr`: an expression whose binary operators all bind tighter than `limit`;
    /// returns it with the first operator not consumed.
    fn subexpr(&mut self, limit: u8) -> Result<(Expr, Option<BinOp>), SyntaxError> {
        self.enter_level()?;
        let mut e = if let Some(op) = unary_op(&self.tok.tok) {
            let line = self.tok.line;
            self.next()?;
            let (operand, _) = self.subexpr(UNARY_PRIORITY)?;
            Expr::new(
                ExprKind::Unary {
                    op,
                    operand: Box::new(operand),
                },
                line,
            )
        } else {
            self.simple_exp()?
        };
        let mut op = binary_op(&self.tok.tok);
        while let Some(o) = op {
            let (left, right) = priority(o);
            if left <= limit {
                break;
            }
            let line = self.tok.line;
            self.next()?;
            let (rhs, next_op) = self.subexpr(right)?;
            e = Expr::new(
                ExprKind::Binary {
                    op: o,
                    lhs: Box::new(e),
                    rhs: Box::new(rhs),
                },
                line,
            );
            op = next_op;
        }
        self.leave_level();
        Ok((e, op))
    }

    fn simple_exp(&mut self) -> Result<Expr, SyntaxError> {
        let line = self.tok.line;
        let kind = match &self.tok.tok {
            Tok::Float(f) => ExprKind::Float(*f),
            Tok::Int(i) => ExprKind::Int(*i),
            Tok::Str(s) => ExprKind::Str(s.clone()),
            Tok::Nil => ExprKind::Nil,
            Tok::True => ExprKind::True,
            Tok::False => ExprKind::False,
            Tok::Dots => {
                if !self.fs().is_vararg {
                    return Err(self.syntax_error("cannot use '...' outside a vararg function"));
                }
                ExprKind::Vararg
            }
            Tok::Char(b'{') => return self.constructor(),
            Tok::Function => {
                self.next()?;
                let f = self.body(false, self.tok.line)?;
                return Ok(Expr::new(ExprKind::Function(Box::new(f)), line));
            }
            _ => return self.suffixed_exp(),
        };
        self.next()?;
        Ok(Expr::new(kind, line))
    }

    /// A name as an expression (`singlevar`), with the variable it resolved to.
    pub(super) fn single_var(&mut self) -> Result<(Expr, Option<Var>), SyntaxError> {
        let line = self.tok.line;
        let name = self.check_name()?;
        let (kind, var) = match self.resolve(&name)? {
            Some(v @ Var::Local(id)) => (ExprKind::Local(id), Some(v)),
            Some(v @ Var::Upvalue(u)) => (ExprKind::Upvalue(u), Some(v)),
            Some(v @ Var::Const(lvl, id)) => {
                let e = match self.const_of(lvl, id) {
                    Some(c) => c.expr(line),
                    None => return Err(self.sem_error("internal error: unknown constant")),
                };
                return Ok((e, Some(v)));
            }
            None => match self.env_var()? {
                EnvAccess::Var(env) => (ExprKind::Global { env, name }, None),
                EnvAccess::Const(c) => {
                    // `local _ENV <const> = k`: a global name indexes the constant.
                    let env = c.expr(line);
                    let key = Expr::new(ExprKind::Str(name.into_bytes()), line);
                    let kind = ExprKind::Index {
                        obj: Box::new(env),
                        key: Box::new(key),
                    };
                    (kind, None)
                }
            },
        };
        Ok((Expr::new(kind, line), var))
    }

    fn primary_exp(&mut self) -> Result<(Expr, Option<Var>), SyntaxError> {
        match self.tok.tok {
            Tok::Char(b'(') => {
                let line = self.tok.line;
                self.next()?;
                let e = self.expr()?;
                self.check_match(&Tok::Char(b')'), &Tok::Char(b'('), line)?;
                Ok((Expr::new(ExprKind::Paren(Box::new(e)), line), None))
            }
            Tok::Name(_) => self.single_var(),
            _ => Err(self.syntax_error("unexpected symbol")),
        }
    }

    /// `fieldsel`: `.name` or `:name` applied to `obj`.
    pub(super) fn field_sel(&mut self, obj: Expr) -> Result<Expr, SyntaxError> {
        let line = self.tok.line;
        self.next()?;
        let kline = self.tok.line;
        let name = self.check_name()?;
        let key = Expr::new(ExprKind::Str(name.into_bytes()), kline);
        Ok(Expr::new(
            ExprKind::Index {
                obj: Box::new(obj),
                key: Box::new(key),
            },
            line,
        ))
    }

    /// `[exp]`.
    fn y_index(&mut self) -> Result<Expr, SyntaxError> {
        self.next()?;
        let e = self.expr()?;
        self.check_next(&Tok::Char(b']'))?;
        Ok(e)
    }

    pub(super) fn suffixed_exp(&mut self) -> Result<Expr, SyntaxError> {
        Ok(self.suffixed_exp_var()?.0)
    }

    /// `suffixedexp`; the variable is returned when the expression is a bare name.
    pub(super) fn suffixed_exp_var(&mut self) -> Result<(Expr, Option<Var>), SyntaxError> {
        let line = self.tok.line;
        let (mut e, mut var) = self.primary_exp()?;
        loop {
            e = match self.tok.tok {
                Tok::Char(b'.') => self.field_sel(e)?,
                Tok::Char(b'[') => {
                    let iline = self.tok.line;
                    let key = self.y_index()?;
                    Expr::new(
                        ExprKind::Index {
                            obj: Box::new(e),
                            key: Box::new(key),
                        },
                        iline,
                    )
                }
                Tok::Char(b':') => {
                    self.next()?;
                    let method = self.check_name()?;
                    let args = self.func_args(line)?;
                    Expr::new(
                        ExprKind::MethodCall {
                            obj: Box::new(e),
                            method,
                            args,
                        },
                        line,
                    )
                }
                Tok::Char(b'(') | Tok::Str(_) | Tok::Char(b'{') => {
                    let args = self.func_args(line)?;
                    Expr::new(
                        ExprKind::Call {
                            func: Box::new(e),
                            args,
                        },
                        line,
                    )
                }
                _ => return Ok((e, var)),
            };
            var = None;
        }
    }

    fn func_args(&mut self, line: u32) -> Result<Vec<Expr>, SyntaxError> {
        match &self.tok.tok {
            Tok::Char(b'(') => {
                self.next()?;
                let args = if self.is_char(b')') {
                    Vec::new()
                } else {
                    self.expr_list()?
                };
                self.check_match(&Tok::Char(b')'), &Tok::Char(b'('), line)?;
                Ok(args)
            }
            Tok::Char(b'{') => Ok(vec![self.constructor()?]),
            Tok::Str(s) => {
                let e = Expr::new(ExprKind::Str(s.clone()), self.tok.line);
                self.next()?;
                Ok(vec![e])
            }
            _ => Err(self.syntax_error("function arguments expected")),
        }
    }

    /// `{ fields }`.
    fn constructor(&mut self) -> Result<Expr, SyntaxError> {
        let line = self.tok.line;
        self.check_next(&Tok::Char(b'{'))?;
        let mut items = Vec::new();
        loop {
            if self.is_char(b'}') {
                break;
            }
            items.push(self.field()?);
            if !(self.test_next(&Tok::Char(b','))? || self.test_next(&Tok::Char(b';'))?) {
                break;
            }
        }
        self.check_match(&Tok::Char(b'}'), &Tok::Char(b'{'), line)?;
        Ok(Expr::new(ExprKind::Table(items), line))
    }

    fn field(&mut self) -> Result<TableItem, SyntaxError> {
        match self.tok.tok {
            Tok::Name(_) => {
                if *self.lookahead()? != Tok::Char(b'=') {
                    return Ok(TableItem::Positional(self.expr()?));
                }
                let kline = self.tok.line;
                let name = self.check_name()?;
                let key = Expr::new(ExprKind::Str(name.into_bytes()), kline);
                self.check_next(&Tok::Char(b'='))?;
                let value = self.expr()?;
                Ok(TableItem::Keyed { key, value })
            }
            Tok::Char(b'[') => {
                let key = self.y_index()?;
                self.check_next(&Tok::Char(b'='))?;
                let value = self.expr()?;
                Ok(TableItem::Keyed { key, value })
            }
            _ => Ok(TableItem::Positional(self.expr()?)),
        }
    }
}
