//! Scope resolution: the per-function state of the parser (active locals, blocks,
//! labels, pending gotos, upvalues), following `lparser.c` so that the errors for
//! `goto`, labels, `break` and the variable limits match Lua 5.4.

use super::ast::{
    Attrib, Block, EnvVar, Function, GotoId, GotoInfo, GotoTarget, LabelId, LabelInfo, Line,
    LocalId, LocalInfo, Stat, UpvalDesc, UpvalId, UpvalSource,
};
use super::constfold::ConstValue;
use super::parser::Parser;
use super::SyntaxError;
use std::collections::HashMap;

/// Most locals in scope at once in one function (`MAXVARS`).
const MAX_VARS: usize = 200;
/// Most upvalues of one function (`MAXUPVAL`).
const MAX_UPVALUES: usize = 255;

/// An open block (`BlockCnt`).
struct BlockScope {
    /// Locals in scope at entry.
    nactvar: usize,
    /// First label of this block in `active_labels`.
    first_label: usize,
    /// First pending goto of this block in `pending`.
    first_goto: usize,
    is_loop: bool,
}

/// A goto or break not yet matched with its label.
struct PendingGoto {
    id: GotoId,
    /// `None` for `break`.
    name: Option<String>,
    line: Line,
    /// Locals in scope, lowered as the goto leaves blocks.
    nactvar: usize,
}

/// What a closed block hands to the AST.
pub(super) struct ClosedScope {
    pub level: u16,
    pub needs_close: bool,
}

/// The state of one function being parsed (`FuncState`).
pub(super) struct FuncState {
    line_defined: Line,
    pub is_vararg: bool,
    is_method: bool,
    params: Vec<LocalId>,
    locals: Vec<LocalInfo>,
    upvalues: Vec<UpvalDesc>,
    labels: Vec<LabelInfo>,
    gotos: Vec<GotoInfo>,
    /// For each goto, the locals in scope where it was written (to find what it leaves).
    goto_active: Vec<Vec<LocalId>>,
    actvar: Vec<LocalId>,
    blocks: Vec<BlockScope>,
    active_labels: Vec<LabelId>,
    pending: Vec<PendingGoto>,
    num_slots: usize,
    /// Locals that are compile-time constants (see `constfold`), with their values.
    /// They keep their slot (initialised as usual) so levels stay simple, but every
    /// use resolves to the value itself.
    consts: HashMap<LocalId, ConstValue>,
}

/// How a global name reaches `_ENV` (see [`Parser::env_var`]).
pub(super) enum EnvAccess {
    Var(EnvVar),
    Const(ConstValue),
}

/// A resolved variable.
#[derive(Clone, Copy)]
pub(super) enum Var {
    Local(LocalId),
    Upvalue(UpvalId),
    /// A compile-time constant: the local `LocalId` of the function at this depth of
    /// `Parser::funcs` (never captured as an upvalue).
    Const(usize, LocalId),
}

impl FuncState {
    pub fn new(line_defined: Line, is_method: bool) -> Self {
        FuncState {
            line_defined,
            is_vararg: false,
            is_method,
            params: Vec::new(),
            locals: Vec::new(),
            upvalues: Vec::new(),
            labels: Vec::new(),
            gotos: Vec::new(),
            goto_active: Vec::new(),
            actvar: Vec::new(),
            blocks: Vec::new(),
            active_labels: Vec::new(),
            pending: Vec::new(),
            num_slots: 0,
            consts: HashMap::new(),
        }
    }

    /// The main chunk's state: vararg, with `_ENV` as upvalue 0.
    pub fn main() -> Self {
        let mut fs = FuncState::new(0, false);
        fs.is_vararg = true;
        fs.upvalues.push(UpvalDesc {
            name: "_ENV".to_string(),
            source: UpvalSource::Env,
            attrib: Attrib::None,
        });
        fs
    }

    fn find_local(&self, name: &str) -> Option<LocalId> {
        self.actvar
            .iter()
            .rev()
            .copied()
            .find(|id| self.locals[id.0 as usize].name == name)
    }

    fn find_upvalue(&self, name: &str) -> Option<UpvalId> {
        self.upvalues
            .iter()
            .position(|u| u.name == name)
            .map(|i| UpvalId(i as u32))
    }

    fn where_(&self) -> String {
        if self.line_defined == 0 {
            "main function".to_string()
        } else {
            format!("function at line {}", self.line_defined)
        }
    }

    pub fn local(&self, id: LocalId) -> &LocalInfo {
        &self.locals[id.0 as usize]
    }

    pub fn upvalue(&self, id: UpvalId) -> &UpvalDesc {
        &self.upvalues[id.0 as usize]
    }
}

impl Parser<'_> {
    pub(super) fn fs(&self) -> &FuncState {
        self.funcs.last().expect("a function is always open")
    }

    pub(super) fn fs_mut(&mut self) -> &mut FuncState {
        self.funcs.last_mut().expect("a function is always open")
    }

    fn limit_error(&self, fs: &FuncState, limit: usize, what: &str) -> SyntaxError {
        let msg = format!("too many {what} (limit is {limit}) in {}", fs.where_());
        self.syntax_error(&msg)
    }

    /// Declares a local not yet in scope (`new_localvar`); `pending` is how many
    /// others of the same statement are declared but not yet active.
    pub(super) fn new_local(
        &mut self,
        name: String,
        attrib: Attrib,
        pending: usize,
    ) -> Result<LocalId, SyntaxError> {
        let line = self.tok.line;
        let fs = self.fs();
        if fs.actvar.len() + pending + 1 > MAX_VARS {
            return Err(self.limit_error(fs, MAX_VARS, "local variables"));
        }
        let fs = self.fs_mut();
        let id = LocalId(fs.locals.len() as u32);
        fs.locals.push(LocalInfo {
            name,
            attrib,
            captured: false,
            line,
            slot: 0,
            ctc: false,
        });
        Ok(id)
    }

    /// Brings declared locals into scope, in order (`adjustlocalvars`).
    pub(super) fn activate(&mut self, ids: &[LocalId]) {
        let fs = self.fs_mut();
        for &id in ids {
            // lua5.4's `reglevel`: compile-time constants take no register.
            let level = fs
                .actvar
                .iter()
                .filter(|v| !fs.locals[v.0 as usize].ctc)
                .count();
            fs.locals[id.0 as usize].slot = level as u16;
            fs.actvar.push(id);
            if !fs.locals[id.0 as usize].ctc {
                fs.num_slots = fs.num_slots.max(level + 1);
            }
        }
    }

    pub(super) fn set_attrib(&mut self, id: LocalId, attrib: Attrib) {
        self.fs_mut().locals[id.0 as usize].attrib = attrib;
    }

    pub(super) fn add_param(&mut self, id: LocalId) {
        self.fs_mut().params.push(id);
    }

    pub(super) fn enter_block(&mut self, is_loop: bool) {
        let fs = self.fs_mut();
        let scope = BlockScope {
            nactvar: fs.actvar.len(),
            first_label: fs.active_labels.len(),
            first_goto: fs.pending.len(),
            is_loop,
        };
        fs.blocks.push(scope);
    }

    /// Closes the innermost block (`leaveblock`): its locals leave scope, a loop's
    /// breaks are resolved, its gotos move out; at a function's outermost block any
    /// goto still pending is an error.
    pub(super) fn leave_block(&mut self) -> Result<ClosedScope, SyntaxError> {
        let fs = self.fs_mut();
        let bl = fs.blocks.pop().expect("leave_block matches enter_block");
        let needs_close = fs.actvar[bl.nactvar..].iter().any(|id| {
            let l = &fs.locals[id.0 as usize];
            l.captured || l.attrib == Attrib::Close
        });
        fs.actvar.truncate(bl.nactvar);
        if bl.is_loop {
            let mut i = bl.first_goto;
            while i < fs.pending.len() {
                if fs.pending[i].name.is_none() {
                    let gt = fs.pending.remove(i);
                    let g = &mut fs.gotos[gt.id.0 as usize];
                    g.target = GotoTarget::Break;
                    g.target_level = bl.nactvar as u16;
                } else {
                    i += 1;
                }
            }
        }
        fs.active_labels.truncate(bl.first_label);
        if !fs.blocks.is_empty() {
            for gt in &mut fs.pending[bl.first_goto..] {
                gt.nactvar = gt.nactvar.min(bl.nactvar);
            }
        } else if let Some(gt) = fs.pending.get(bl.first_goto) {
            let msg = match &gt.name {
                None => format!("break outside loop at line {}", gt.line),
                Some(n) => format!("no visible label '{}' for <goto> at line {}", n, gt.line),
            };
            return Err(self.sem_error(&msg));
        }
        Ok(ClosedScope {
            level: bl.nactvar as u16,
            needs_close,
        })
    }

    /// Closes a block and wraps its statements.
    pub(super) fn finish_block(&mut self, stats: Vec<Stat>) -> Result<Block, SyntaxError> {
        let c = self.leave_block()?;
        Ok(Block {
            stats,
            level: c.level,
            needs_close: c.needs_close,
        })
    }

    /// Opens a function, with its outermost block.
    pub(super) fn open_function(&mut self, fs: FuncState) {
        self.funcs.push(fs);
        self.enter_block(false);
    }

    /// Closes the current function: its outermost block, then the goto bookkeeping.
    pub(super) fn close_function(
        &mut self,
        stats: Vec<Stat>,
        last_line: Line,
    ) -> Result<Function, SyntaxError> {
        let body = self.finish_block(stats)?;
        let fs = self.funcs.pop().expect("a function is open");
        let mut gotos = fs.gotos;
        for (g, active) in gotos.iter_mut().zip(&fs.goto_active) {
            let from = (g.target_level as usize).min(active.len());
            g.needs_close = active[from..].iter().any(|id| {
                let l = &fs.locals[id.0 as usize];
                l.captured || l.attrib == Attrib::Close
            });
        }
        Ok(Function {
            line_defined: fs.line_defined,
            last_line_defined: last_line,
            params: fs.params,
            is_vararg: fs.is_vararg,
            is_method: fs.is_method,
            locals: fs.locals,
            upvalues: fs.upvalues,
            labels: fs.labels,
            gotos,
            num_slots: fs.num_slots as u16,
            body,
        })
    }

    /// Resolves `name` from the innermost function outwards (`singlevaraux`), creating
    /// upvalues along the way; `None` means a global.
    pub(super) fn resolve(&mut self, name: &str) -> Result<Option<Var>, SyntaxError> {
        let n = self.funcs.len();
        let mut found = None;
        for lvl in (0..n).rev() {
            let fs = &self.funcs[lvl];
            if let Some(id) = fs.find_local(name) {
                found = Some((lvl, Var::Local(id)));
                break;
            }
            if let Some(u) = fs.find_upvalue(name) {
                found = Some((lvl, Var::Upvalue(u)));
                break;
            }
        }
        let Some((lvl, var)) = found else {
            return Ok(None);
        };
        if let Var::Local(id) = var {
            if self.funcs[lvl].consts.contains_key(&id) {
                return Ok(Some(Var::Const(lvl, id)));
            }
        }
        if lvl == n - 1 {
            return Ok(Some(var));
        }
        let (mut source, attrib) = match var {
            Var::Const(..) => return Ok(Some(var)),
            Var::Local(id) => {
                let l = &mut self.funcs[lvl].locals[id.0 as usize];
                l.captured = true;
                (UpvalSource::ParentLocal(id), l.attrib)
            }
            Var::Upvalue(u) => (
                UpvalSource::ParentUpvalue(u),
                self.funcs[lvl].upvalue(u).attrib,
            ),
        };
        let mut idx = UpvalId(0);
        for l in lvl + 1..n {
            let fs = &self.funcs[l];
            if fs.upvalues.len() + 1 > MAX_UPVALUES {
                return Err(self.limit_error(fs, MAX_UPVALUES, "upvalues"));
            }
            let fs = &mut self.funcs[l];
            idx = UpvalId(fs.upvalues.len() as u32);
            fs.upvalues.push(UpvalDesc {
                name: name.to_string(),
                source,
                attrib,
            });
            source = UpvalSource::ParentUpvalue(idx);
        }
        Ok(Some(Var::Upvalue(idx)))
    }

    /// Where a global access finds `_ENV`: a variable, or (after
    /// `local _ENV <const> = k`) a compile-time constant that the access indexes.
    pub(super) fn env_var(&mut self) -> Result<EnvAccess, SyntaxError> {
        match self.resolve("_ENV")? {
            Some(Var::Local(id)) => Ok(EnvAccess::Var(EnvVar::Local(id))),
            Some(Var::Upvalue(u)) => Ok(EnvAccess::Var(EnvVar::Upvalue(u))),
            Some(Var::Const(lvl, id)) => match self.const_of(lvl, id) {
                Some(c) => Ok(EnvAccess::Const(c.clone())),
                None => Err(self.sem_error("internal error: unknown constant")),
            },
            None => Err(self.sem_error("internal error: no _ENV in scope")),
        }
    }

    /// Records that the local `id` of the current function is a compile-time constant.
    pub(super) fn set_const(&mut self, id: LocalId, value: ConstValue) {
        let fs = self.fs_mut();
        fs.locals[id.0 as usize].ctc = true;
        fs.consts.insert(id, value);
    }

    /// The value of a compile-time constant found by [`Parser::resolve`].
    pub(super) fn const_of(&self, lvl: usize, id: LocalId) -> Option<&ConstValue> {
        self.funcs.get(lvl).and_then(|fs| fs.consts.get(&id))
    }

    /// The attrib of a resolved variable, for the read-only check.
    pub(super) fn var_attrib(&self, var: Var) -> (Attrib, String) {
        let fs = self.fs();
        match var {
            Var::Local(id) => (fs.local(id).attrib, fs.local(id).name.clone()),
            Var::Upvalue(u) => (fs.upvalue(u).attrib, fs.upvalue(u).name.clone()),
            Var::Const(lvl, id) => match self.funcs.get(lvl) {
                Some(f) => (f.local(id).attrib, f.local(id).name.clone()),
                None => (Attrib::Const, String::new()),
            },
        }
    }

    fn new_goto_entry(&mut self, name: Option<String>, line: Line) -> GotoId {
        let fs = self.fs_mut();
        let id = GotoId(fs.gotos.len() as u32);
        fs.gotos.push(GotoInfo {
            target: GotoTarget::Break,
            line,
            target_level: 0,
            needs_close: false,
        });
        fs.goto_active.push(fs.actvar.clone());
        let nactvar = fs.actvar.len();
        fs.pending.push(PendingGoto {
            id,
            name,
            line,
            nactvar,
        });
        id
    }

    pub(super) fn break_stat(&mut self, line: Line) -> GotoId {
        self.new_goto_entry(None, line)
    }

    fn find_label(&self, name: &str) -> Option<LabelId> {
        let fs = self.fs();
        fs.active_labels
            .iter()
            .copied()
            .find(|l| fs.labels[l.0 as usize].name == name)
    }

    /// `goto name`: a backward jump resolves at once, a forward one waits for its label.
    pub(super) fn goto_stat(&mut self, name: String, line: Line) -> GotoId {
        match self.find_label(&name) {
            None => self.new_goto_entry(Some(name), line),
            Some(lb) => {
                let fs = self.fs_mut();
                let id = GotoId(fs.gotos.len() as u32);
                let level = fs.labels[lb.0 as usize].level;
                fs.gotos.push(GotoInfo {
                    target: GotoTarget::Label(lb),
                    line,
                    target_level: level,
                    needs_close: false,
                });
                fs.goto_active.push(fs.actvar.clone());
                id
            }
        }
    }

    /// Fails if a label `name` is visible (`checkrepeated`).
    pub(super) fn check_repeated(&self, name: &str) -> Result<(), SyntaxError> {
        if let Some(lb) = self.find_label(name) {
            let line = self.fs().labels[lb.0 as usize].line;
            let msg = format!("label '{name}' already defined on line {line}");
            return Err(self.sem_error(&msg));
        }
        Ok(())
    }

    /// Creates a label and resolves the pending gotos to it (`createlabel`); a label
    /// that ends its block counts as outside the block's locals.
    pub(super) fn create_label(
        &mut self,
        name: String,
        line: Line,
        last: bool,
    ) -> Result<LabelId, SyntaxError> {
        let fs = self.fs();
        let bl = fs.blocks.last().expect("a block is open");
        let level = if last { bl.nactvar } else { fs.actvar.len() };
        let first_goto = bl.first_goto;
        // Check every matching goto before changing anything.
        for gt in &fs.pending[first_goto..] {
            if gt.name.as_deref() == Some(name.as_str()) && gt.nactvar < level {
                let var = &fs.local(fs.actvar[gt.nactvar]).name;
                let msg = format!(
                    "<goto {}> at line {} jumps into the scope of local '{}'",
                    name, gt.line, var
                );
                return Err(self.sem_error(&msg));
            }
        }
        let fs = self.fs_mut();
        let id = LabelId(fs.labels.len() as u32);
        fs.labels.push(LabelInfo {
            name: name.clone(),
            line,
            level: level as u16,
        });
        fs.active_labels.push(id);
        let mut i = first_goto;
        while i < fs.pending.len() {
            if fs.pending[i].name.as_deref() == Some(name.as_str()) {
                let gt = fs.pending.remove(i);
                let g = &mut fs.gotos[gt.id.0 as usize];
                g.target = GotoTarget::Label(id);
                g.target_level = level as u16;
            } else {
                i += 1;
            }
        }
        Ok(id)
    }
}
