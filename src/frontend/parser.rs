//! The parser: recursive descent over the grammar of Lua 5.4, shaped like `lparser.c`
//! (same functions, same order of checks) so that syntax errors name the same token on
//! the same line. Statements live here, expressions in `expr.rs`, scopes in `scope.rs`.
//!
//! Recursion is bounded like Lua's: every statement, sub-expression and extra
//! assignment target enters a "C level"; reaching [`MAX_C_LEVELS`] fails with
//! `C stack overflow`, as `lua5.4` does.

use super::ast::{Attrib, Chunk, Expr, ExprKind, Function, Line, LocalId, Stat, StatKind};
use super::lexer::Lexer;
use super::scope::{FuncState, Var};
use super::token::{Tok, Token};
use super::SyntaxError;

/// `LUAI_MAXCCALLS`: nesting at which Lua stops with "C stack overflow".
pub const MAX_C_LEVELS: u32 = 200;
/// The C levels already in use when `lua5.4` parses a script file (its `pmain`), so the
/// deepest accepted nesting matches `lua5.4 script.lua`.
const BASE_C_LEVEL: u32 = 1;
/// Deepest AST accepted (nodes on a path), a safety bound for every recursive walk of
/// the tree (compiler, printers). Left-leaning chains that the parser builds without
/// recursion (`a+a+...+a`, `a.b.c...`, `f()()...`) do not count (see `ast::deeper_than`):
/// the compiler walks them iteratively, so, as in lua5.4, they have no length limit.
const MAX_TREE_DEPTH: usize = 1000;

pub struct Parser<'a> {
    lex: Lexer<'a>,
    /// The current token (`ls->t`).
    pub(super) tok: Token,
    ahead: Option<Token>,
    level: u32,
    pub(super) funcs: Vec<FuncState>,
    chunk: &'a str,
}

/// Parses a whole chunk; `display` is the chunk name as shown in messages.
pub fn parse_chunk(
    source: &[u8],
    chunkname: &str,
    display: &str,
    skip_shebang: bool,
) -> Result<Chunk, SyntaxError> {
    let mut lex = Lexer::new(source, display);
    if skip_shebang {
        lex.skip_shebang();
    }
    let mut p = Parser {
        lex,
        tok: Token {
            tok: Tok::Eos,
            line: 1,
            raw: Vec::new(),
        },
        ahead: None,
        level: BASE_C_LEVEL,
        funcs: Vec::new(),
        chunk: display,
    };
    p.open_function(FuncState::main());
    p.next()?;
    let stats = p.stat_list()?;
    p.check(&Tok::Eos)?;
    let main = p.close_function(stats, 0)?;
    if let Some(line) = super::ast::deeper_than(&main, MAX_TREE_DEPTH) {
        return Err(SyntaxError {
            message: format!("{display}:{line}: chunk has too many syntax levels"),
        });
    }
    Ok(Chunk {
        main,
        chunkname: chunkname.to_string(),
        display_name: display.to_string(),
    })
}

impl<'a> Parser<'a> {
    // ----- tokens and errors -----

    pub(super) fn next(&mut self) -> Result<(), SyntaxError> {
        self.tok = match self.ahead.take() {
            Some(t) => t,
            None => self.lex.next_token()?,
        };
        Ok(())
    }

    pub(super) fn lookahead(&mut self) -> Result<&Tok, SyntaxError> {
        if self.ahead.is_none() {
            self.ahead = Some(self.lex.next_token()?);
        }
        Ok(&self.ahead.as_ref().expect("just filled").tok)
    }

    /// `chunk:line: msg near 'token'` at the current token.
    pub(super) fn syntax_error(&self, msg: &str) -> SyntaxError {
        SyntaxError {
            message: format!(
                "{}:{}: {} near {}",
                self.chunk,
                self.tok.line,
                msg,
                self.tok.near()
            ),
        }
    }

    /// A semantic error: like a syntax error but without "near" (`luaK_semerror`).
    pub(super) fn sem_error(&self, msg: &str) -> SyntaxError {
        SyntaxError {
            message: format!("{}:{}: {}", self.chunk, self.tok.line, msg),
        }
    }

    pub(super) fn error_expected(&self, t: &Tok) -> SyntaxError {
        self.syntax_error(&format!("{} expected", t.describe()))
    }

    pub(super) fn is(&self, t: &Tok) -> bool {
        &self.tok.tok == t
    }

    pub(super) fn is_char(&self, c: u8) -> bool {
        self.tok.tok == Tok::Char(c)
    }

    pub(super) fn test_next(&mut self, t: &Tok) -> Result<bool, SyntaxError> {
        if self.is(t) {
            self.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    pub(super) fn check(&self, t: &Tok) -> Result<(), SyntaxError> {
        if self.is(t) {
            Ok(())
        } else {
            Err(self.error_expected(t))
        }
    }

    pub(super) fn check_next(&mut self, t: &Tok) -> Result<(), SyntaxError> {
        self.check(t)?;
        self.next()
    }

    /// Expects `what` closing `who` opened at line `where_`.
    pub(super) fn check_match(
        &mut self,
        what: &Tok,
        who: &Tok,
        where_: Line,
    ) -> Result<(), SyntaxError> {
        if self.test_next(what)? {
            return Ok(());
        }
        if where_ == self.tok.line {
            Err(self.error_expected(what))
        } else {
            Err(self.syntax_error(&format!(
                "{} expected (to close {} at line {})",
                what.describe(),
                who.describe(),
                where_
            )))
        }
    }

    pub(super) fn check_name(&mut self) -> Result<String, SyntaxError> {
        if let Tok::Name(n) = &self.tok.tok {
            let n = n.clone();
            self.next()?;
            Ok(n)
        } else {
            Err(self.error_expected(&Tok::Name(String::new())))
        }
    }

    pub(super) fn enter_level(&mut self) -> Result<(), SyntaxError> {
        self.level += 1;
        if self.level >= MAX_C_LEVELS {
            return Err(SyntaxError {
                message: "C stack overflow".to_string(),
            });
        }
        Ok(())
    }

    pub(super) fn leave_level(&mut self) {
        self.level -= 1;
    }

    // ----- statements -----

    fn block_follow(&self, with_until: bool) -> bool {
        match self.tok.tok {
            Tok::Else | Tok::Elseif | Tok::End | Tok::Eos => true,
            Tok::Until => with_until,
            _ => false,
        }
    }

    /// `statlist`: statements up to the end of a block; `return` must be last.
    pub(super) fn stat_list(&mut self) -> Result<Vec<Stat>, SyntaxError> {
        let mut stats = Vec::new();
        while !self.block_follow(true) {
            if self.is(&Tok::Return) {
                self.statement(&mut stats)?;
                break;
            }
            self.statement(&mut stats)?;
        }
        Ok(stats)
    }

    /// `block`: a statement list in its own scope.
    fn block(&mut self) -> Result<super::ast::Block, SyntaxError> {
        self.enter_block(false);
        let stats = self.stat_list()?;
        self.finish_block(stats)
    }

    fn statement(&mut self, out: &mut Vec<Stat>) -> Result<(), SyntaxError> {
        let line = self.tok.line;
        self.enter_level()?;
        let kind = match self.tok.tok {
            Tok::Char(b';') => {
                self.next()?;
                None
            }
            Tok::If => Some(self.if_stat(line)?),
            Tok::While => Some(self.while_stat(line)?),
            Tok::Do => {
                self.next()?;
                let b = self.block()?;
                self.check_match(&Tok::End, &Tok::Do, line)?;
                Some(StatKind::Do(b))
            }
            Tok::For => Some(self.for_stat(line)?),
            Tok::Repeat => Some(self.repeat_stat(line)?),
            Tok::Function => Some(self.func_stat(line)?),
            Tok::Local => {
                self.next()?;
                if self.test_next(&Tok::Function)? {
                    Some(self.local_func()?)
                } else {
                    Some(self.local_stat()?)
                }
            }
            Tok::DbColon => {
                self.next()?;
                let name = self.check_name()?;
                self.label_stat(name, line, out)?;
                None
            }
            Tok::Return => {
                self.next()?;
                Some(self.ret_stat()?)
            }
            Tok::Break => {
                self.next()?;
                Some(StatKind::Break(self.break_stat(line)))
            }
            Tok::Goto => {
                self.next()?;
                let gline = self.tok.line;
                let name = self.check_name()?;
                Some(StatKind::Goto(self.goto_stat(name, gline)))
            }
            _ => Some(self.expr_stat()?),
        };
        if let Some(kind) = kind {
            out.push(Stat { kind, line });
        }
        self.leave_level();
        Ok(())
    }

    fn label_stat(
        &mut self,
        name: String,
        line: Line,
        out: &mut Vec<Stat>,
    ) -> Result<(), SyntaxError> {
        self.check_next(&Tok::DbColon)?;
        // Following no-op statements (other labels too) belong to the same position.
        let mut following = Vec::new();
        while self.is_char(b';') || self.is(&Tok::DbColon) {
            self.statement(&mut following)?;
        }
        self.check_repeated(&name)?;
        let last = self.block_follow(false);
        let id = self.create_label(name, line, last)?;
        out.push(Stat {
            kind: StatKind::Label(id),
            line,
        });
        out.append(&mut following);
        Ok(())
    }

    /// `cond THEN block` of `if`/`elseif` (the keyword is current).
    fn test_then_block(&mut self) -> Result<(Expr, super::ast::Block), SyntaxError> {
        self.next()?;
        let cond = self.expr()?;
        self.check_next(&Tok::Then)?;
        let b = self.block()?;
        Ok((cond, b))
    }

    fn if_stat(&mut self, line: Line) -> Result<StatKind, SyntaxError> {
        let mut clauses = vec![self.test_then_block()?];
        while self.is(&Tok::Elseif) {
            clauses.push(self.test_then_block()?);
        }
        let else_block = if self.test_next(&Tok::Else)? {
            Some(self.block()?)
        } else {
            None
        };
        self.check_match(&Tok::End, &Tok::If, line)?;
        Ok(StatKind::If {
            clauses,
            else_block,
        })
    }

    fn while_stat(&mut self, line: Line) -> Result<StatKind, SyntaxError> {
        self.next()?;
        let cond = self.expr()?;
        self.enter_block(true);
        self.check_next(&Tok::Do)?;
        let body = self.block()?;
        self.check_match(&Tok::End, &Tok::While, line)?;
        self.leave_block()?;
        Ok(StatKind::While { cond, body })
    }

    fn repeat_stat(&mut self, line: Line) -> Result<StatKind, SyntaxError> {
        self.enter_block(true);
        self.enter_block(false);
        self.next()?;
        let stats = self.stat_list()?;
        self.check_match(&Tok::Until, &Tok::Repeat, line)?;
        let cond = self.expr()?;
        let body = self.finish_block(stats)?;
        self.leave_block()?;
        Ok(StatKind::Repeat { body, cond })
    }

    fn for_control(&mut self, n: usize) -> Result<Vec<LocalId>, SyntaxError> {
        let mut ids = Vec::with_capacity(n);
        for i in 0..n {
            ids.push(self.new_local("(for state)".to_string(), Attrib::None, i)?);
        }
        Ok(ids)
    }

    fn for_stat(&mut self, line: Line) -> Result<StatKind, SyntaxError> {
        self.enter_block(true);
        self.next()?;
        let name = self.check_name()?;
        let kind = match self.tok.tok {
            Tok::Char(b'=') => self.for_num(name)?,
            Tok::Char(b',') | Tok::In => self.for_list(name)?,
            _ => return Err(self.syntax_error("'=' or 'in' expected")),
        };
        self.check_match(&Tok::End, &Tok::For, line)?;
        self.leave_block()?;
        Ok(kind)
    }

    /// `do block` of a for loop, with the loop variables in scope; the AST merges Lua's
    /// two scopes (variables, then the block) into one body.
    fn for_body(&mut self, vars: &[LocalId]) -> Result<super::ast::Block, SyntaxError> {
        self.check_next(&Tok::Do)?;
        self.enter_block(false);
        self.activate(vars);
        let inner = self.block()?;
        let outer = self.leave_block()?;
        Ok(super::ast::Block {
            stats: inner.stats,
            level: outer.level,
            needs_close: outer.needs_close || inner.needs_close,
        })
    }

    fn for_num(&mut self, name: String) -> Result<StatKind, SyntaxError> {
        let c = self.for_control(3)?;
        let var = self.new_local(name, Attrib::None, 3)?;
        self.check_next(&Tok::Char(b'='))?;
        let start = self.expr()?;
        self.check_next(&Tok::Char(b','))?;
        let limit = self.expr()?;
        let step = if self.test_next(&Tok::Char(b','))? {
            Some(self.expr()?)
        } else {
            None
        };
        self.activate(&c);
        let body = self.for_body(&[var])?;
        Ok(StatKind::NumericFor {
            control: [c[0], c[1], c[2]],
            var,
            start,
            limit,
            step,
            body,
        })
    }

    fn for_list(&mut self, first: String) -> Result<StatKind, SyntaxError> {
        let c = self.for_control(4)?;
        let mut vars = vec![self.new_local(first, Attrib::None, 4)?];
        while self.test_next(&Tok::Char(b','))? {
            let n = self.check_name()?;
            vars.push(self.new_local(n, Attrib::None, 4 + vars.len())?);
        }
        self.check_next(&Tok::In)?;
        let exprs = self.expr_list()?;
        self.activate(&c);
        // The fourth control value is closed when the loop ends, however it ends.
        self.set_attrib(c[3], Attrib::Close);
        let do_line = self.tok.line;
        let body = self.for_body(&vars)?;
        Ok(StatKind::GenericFor {
            control: [c[0], c[1], c[2], c[3]],
            vars,
            exprs,
            do_line,
            body,
        })
    }

    fn func_stat(&mut self, line: Line) -> Result<StatKind, SyntaxError> {
        self.next()?;
        // funcname -> NAME {'.' NAME} [':' NAME]
        let (mut target, var) = self.single_var()?;
        let mut is_method = false;
        let mut bare = true;
        while self.is_char(b'.') {
            target = self.field_sel(target)?;
            bare = false;
        }
        if self.is_char(b':') {
            is_method = true;
            target = self.field_sel(target)?;
            bare = false;
        }
        let func = self.body(is_method, line)?;
        if bare {
            if let Some(v) = var {
                self.check_readonly(v)?;
            }
        }
        Ok(StatKind::Function {
            target,
            func: Box::new(func),
        })
    }

    fn local_func(&mut self) -> Result<StatKind, SyntaxError> {
        let name = self.check_name()?;
        let var = self.new_local(name, Attrib::None, 0)?;
        self.activate(&[var]);
        let line = self.tok.line;
        let func = self.body(false, line)?;
        Ok(StatKind::LocalFunction {
            var,
            func: Box::new(func),
        })
    }

    fn local_attrib(&mut self) -> Result<Attrib, SyntaxError> {
        if self.test_next(&Tok::Char(b'<'))? {
            let attr = self.check_name()?;
            self.check_next(&Tok::Char(b'>'))?;
            return match attr.as_str() {
                "const" => Ok(Attrib::Const),
                "close" => Ok(Attrib::Close),
                _ => Err(self.sem_error(&format!("unknown attribute '{attr}'"))),
            };
        }
        Ok(Attrib::None)
    }

    fn local_stat(&mut self) -> Result<StatKind, SyntaxError> {
        let mut vars = Vec::new();
        let mut has_close = false;
        loop {
            let name = self.check_name()?;
            let id = self.new_local(name, Attrib::None, vars.len())?;
            let attrib = self.local_attrib()?;
            self.set_attrib(id, attrib);
            if attrib == Attrib::Close {
                if has_close {
                    return Err(self.sem_error("multiple to-be-closed variables in local list"));
                }
                has_close = true;
            }
            vars.push(id);
            if !self.test_next(&Tok::Char(b','))? {
                break;
            }
        }
        let values = if self.test_next(&Tok::Char(b'='))? {
            self.expr_list()?
        } else {
            Vec::new()
        };
        // `localstat`: the last name becomes a compile-time constant when it is
        // `<const>`, no adjustment happens and its expression folds to a constant.
        if let (Some(&last), Some(value)) = (vars.last(), values.last()) {
            if vars.len() == values.len() && self.fs().local(last).attrib == Attrib::Const {
                if let Some(c) = super::constfold::const_value(value) {
                    self.set_const(last, c);
                }
            }
        }
        self.activate(&vars);
        Ok(StatKind::Local { vars, values })
    }

    fn ret_stat(&mut self) -> Result<StatKind, SyntaxError> {
        let values = if self.block_follow(true) || self.is_char(b';') {
            Vec::new()
        } else {
            self.expr_list()?
        };
        self.test_next(&Tok::Char(b';'))?;
        Ok(StatKind::Return(values))
    }

    /// Fails when assigning to a `<const>` or `<close>` variable.
    pub(super) fn check_readonly(&self, var: Var) -> Result<(), SyntaxError> {
        let (attrib, name) = self.var_attrib(var);
        if attrib != Attrib::None {
            return Err(self.sem_error(&format!("attempt to assign to const variable '{name}'")));
        }
        Ok(())
    }

    /// Checks that `e` is assignable and not read-only (`restassign`'s checks).
    fn check_target(&self, e: &Expr, var: Option<Var>) -> Result<(), SyntaxError> {
        // A bare compile-time constant (its use is already the value) is a variable.
        if let Some(v @ Var::Const(..)) = var {
            return self.check_readonly(v);
        }
        match e.kind {
            ExprKind::Local(_) | ExprKind::Upvalue(_) => match var {
                Some(v) => self.check_readonly(v),
                None => Ok(()),
            },
            ExprKind::Global { .. } | ExprKind::Index { .. } => Ok(()),
            _ => Err(self.syntax_error("syntax error")),
        }
    }

    /// An expression statement: a call or an assignment.
    fn expr_stat(&mut self) -> Result<StatKind, SyntaxError> {
        let (first, var) = self.suffixed_exp_var()?;
        if !(self.is_char(b'=') || self.is_char(b',')) {
            if matches!(
                first.kind,
                ExprKind::Call { .. } | ExprKind::MethodCall { .. }
            ) {
                return Ok(StatKind::Call(first));
            }
            return Err(self.syntax_error("syntax error"));
        }
        self.check_target(&first, var)?;
        let mut targets = vec![first];
        // Each further target is one more level, as Lua's recursive `restassign`.
        let mut extra = 0;
        let result = (|| {
            while self.test_next(&Tok::Char(b','))? {
                let (t, var) = self.suffixed_exp_var()?;
                self.enter_level()?;
                extra += 1;
                self.check_target(&t, var)?;
                targets.push(t);
            }
            self.check_next(&Tok::Char(b'='))?;
            self.expr_list()
        })();
        self.level -= extra;
        let values = result?;
        Ok(StatKind::Assign { targets, values })
    }

    /// `body`: `(params) block end`, as a new function.
    pub(super) fn body(&mut self, is_method: bool, line: Line) -> Result<Function, SyntaxError> {
        self.open_function(FuncState::new(line, is_method));
        if is_method {
            let id = self.new_local("self".to_string(), Attrib::None, 0)?;
            self.activate(&[id]);
            self.add_param(id);
        }
        self.check_next(&Tok::Char(b'('))?;
        let mut params = Vec::new();
        if !self.is_char(b')') {
            loop {
                match &self.tok.tok {
                    Tok::Name(_) => {
                        let n = self.check_name()?;
                        params.push(self.new_local(n, Attrib::None, params.len())?);
                    }
                    Tok::Dots => {
                        self.next()?;
                        self.fs_mut().is_vararg = true;
                    }
                    _ => return Err(self.syntax_error("<name> or '...' expected")),
                }
                if self.fs().is_vararg || !self.test_next(&Tok::Char(b','))? {
                    break;
                }
            }
        }
        self.activate(&params);
        for &p in &params {
            self.add_param(p);
        }
        self.check_next(&Tok::Char(b')'))?;
        let stats = self.stat_list()?;
        let last_line = self.tok.line;
        self.check_match(&Tok::End, &Tok::Function, line)?;
        self.close_function(stats, last_line)
    }
}
