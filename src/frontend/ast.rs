//! The abstract syntax tree, with every name already resolved.
//!
//! A [`Function`] owns everything a compiler needs to lay out one prototype: its
//! parameters, a table of all its locals ([`LocalInfo`], indexed by [`LocalId`]) with
//! their fixed stack slots, attribs and whether a closure captures them, its upvalue
//! descriptors ([`UpvalDesc`]), its labels and gotos, and its body.
//!
//! Slots: a local's `slot` is the number of locals active when it came into scope, so
//! locals map to fixed slots `0..num_slots` and a block's locals sit at and above the
//! block's `level`. Leaving a block whose `needs_close` is set must close upvalues and
//! to-be-closed variables from `level` up (Lua's `OP_CLOSE level`); loops do that at the
//! end of every iteration, as each iteration has fresh locals.
//!
//! Lines: every node carries the source line an instruction made from it should report
//! (for binary and unary operators the operator's line; for calls, as in Lua 5.4, the
//! line where the called expression starts).
//!
//! `Expr` has an iterative `Drop`, so arbitrarily long operator chains cannot overflow
//! the stack when freed; the price is that an `Expr`'s fields cannot be moved out by
//! pattern (walk it by reference, or `std::mem::replace`).

/// A source line (1-based).
pub type Line = u32;

/// Index into [`Function::locals`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub u32);

/// Index into [`Function::upvalues`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UpvalId(pub u32);

/// Index into [`Function::labels`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LabelId(pub u32);

/// Index into [`Function::gotos`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GotoId(pub u32);

/// A local variable's attribute (`local x <const>`, `local f <close>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Attrib {
    #[default]
    None,
    Const,
    /// To-be-closed: its `__close` runs when it goes out of scope, also by
    /// break/goto/return or an error. At most one per `local` statement.
    Close,
}

/// One local variable of a function.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalInfo {
    pub name: String,
    pub attrib: Attrib,
    /// A nested function refers to it: it must live in an upvalue cell once captured,
    /// and its scope exit must close it.
    pub captured: bool,
    /// The line of its declaration.
    pub line: Line,
    /// Its fixed stack slot.
    pub slot: u16,
    /// A compile-time constant (`<const>` with a constant value): every use is the value
    /// itself, so, as in lua5.4, it takes no slot, is never stored and has no debug entry.
    pub ctc: bool,
}

/// Where a function's upvalue comes from when its closure is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpvalSource {
    /// A local of the enclosing function (in Lua's terms: `instack`).
    ParentLocal(LocalId),
    /// An upvalue of the enclosing function.
    ParentUpvalue(UpvalId),
    /// The main chunk's `_ENV` (its upvalue 0), which the loader supplies.
    Env,
}

/// One upvalue of a function.
#[derive(Debug, Clone, PartialEq)]
pub struct UpvalDesc {
    pub name: String,
    pub source: UpvalSource,
    /// The attrib of the variable it finally refers to (`<const>`/`<close>` are read-only).
    pub attrib: Attrib,
}

/// A label `::name::`.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelInfo {
    pub name: String,
    pub line: Line,
    /// Number of locals in scope at the label: the slot level a jump there lands at.
    pub level: u16,
}

/// What a goto or break jumps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GotoTarget {
    Label(LabelId),
    /// Just after the innermost enclosing loop.
    Break,
}

/// One `goto` or `break`.
#[derive(Debug, Clone, PartialEq)]
pub struct GotoInfo {
    pub target: GotoTarget,
    pub line: Line,
    /// The slot level at the target (for a break: the level outside the loop).
    pub target_level: u16,
    /// The jump leaves the scope of a captured or to-be-closed local, so it must close
    /// from `target_level` up before jumping.
    pub needs_close: bool,
}

/// A function body: a prototype to compile.
#[derive(Debug, PartialEq)]
pub struct Function {
    /// Line of `function` (0 for the main chunk).
    pub line_defined: Line,
    /// Line of the closing `end` (0 for the main chunk).
    pub last_line_defined: Line,
    /// Parameters in order; for methods (`function a:m()`) the first is `self`.
    /// Parameters take slots `0..params.len()`.
    pub params: Vec<LocalId>,
    pub is_vararg: bool,
    pub is_method: bool,
    /// Every local of this function (not of nested ones), in declaration order.
    pub locals: Vec<LocalInfo>,
    pub upvalues: Vec<UpvalDesc>,
    pub labels: Vec<LabelInfo>,
    pub gotos: Vec<GotoInfo>,
    /// Number of slots needed (the most locals ever in scope at once).
    pub num_slots: u16,
    pub body: Block,
}

/// The main function of a chunk: vararg, no parameters, with `_ENV` as upvalue 0.
#[derive(Debug, PartialEq)]
pub struct Chunk {
    pub main: Function,
    /// The chunk name as given (`@x.lua`, `=stdin`, or source text).
    pub chunkname: String,
    /// The chunk name as shown in messages (`x.lua`, `stdin`, `[string "..."]`).
    pub display_name: String,
}

/// A block: a scope.
#[derive(Debug, PartialEq)]
pub struct Block {
    pub stats: Vec<Stat>,
    /// Slot level at entry: the block's own locals sit at this slot and above.
    pub level: u16,
    /// A local declared directly in this block (for loops: including the loop
    /// variables) is captured or to-be-closed, so leaving it closes from `level`.
    pub needs_close: bool,
}

#[derive(Debug, PartialEq)]
pub struct Stat {
    pub kind: StatKind,
    /// The line of the statement's first token.
    pub line: Line,
}

#[derive(Debug, PartialEq)]
pub enum StatKind {
    /// A function or method call whose results are discarded.
    Call(Expr),
    /// `t1, t2 = e1, e2`; every target is `Local`, `Upvalue`, `Global` or `Index`.
    /// All values are evaluated before any assignment.
    Assign {
        targets: Vec<Expr>,
        values: Vec<Expr>,
    },
    /// `local a <attr>, b = e1, e2`: the variables come into scope after the values.
    Local {
        vars: Vec<LocalId>,
        values: Vec<Expr>,
    },
    /// `local function f`: `f` is in scope inside its own body.
    LocalFunction {
        var: LocalId,
        func: Box<Function>,
    },
    /// `function a.b:c() end`: `target` is the place to store into (here `a.b.c`).
    Function {
        target: Expr,
        func: Box<Function>,
    },
    Do(Block),
    While {
        cond: Expr,
        body: Block,
    },
    /// The condition is inside the body's scope.
    Repeat {
        body: Block,
        cond: Expr,
    },
    If {
        clauses: Vec<(Expr, Block)>,
        else_block: Option<Block>,
    },
    /// `for var = start, limit, step do body end`. `control` are Lua's three hidden
    /// "(for state)" locals (slots just below `var`); `var` is declared in `body`'s scope.
    NumericFor {
        control: [LocalId; 3],
        var: LocalId,
        start: Expr,
        limit: Expr,
        step: Option<Expr>,
        body: Block,
    },
    /// `for vars in exprs do body end`. `control` are the four hidden locals (iterator,
    /// state, control value, closing value: the last is to be closed at loop exit);
    /// `vars` are declared in `body`'s scope.
    GenericFor {
        control: [LocalId; 4],
        vars: Vec<LocalId>,
        exprs: Vec<Expr>,
        /// The line of `do`, where lua5.4 positions the loop's preparation (and so the
        /// "non-closable value" error of the closing value).
        do_line: Line,
        body: Block,
    },
    /// `return e1, e2`; always the last statement of its block.
    Return(Vec<Expr>),
    Break(GotoId),
    Goto(GotoId),
    Label(LabelId),
}

/// A variable holding `_ENV` for a global access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvVar {
    Local(LocalId),
    Upvalue(UpvalId),
}

#[derive(Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub line: Line,
}

#[derive(Debug, PartialEq)]
pub enum ExprKind {
    Nil,
    True,
    False,
    /// `...`, only in vararg functions; yields all extra arguments.
    Vararg,
    Int(i64),
    Float(f64),
    Str(Vec<u8>),
    Local(LocalId),
    Upvalue(UpvalId),
    /// A free name: `_ENV.name`, with `_ENV` resolved like any other name.
    Global {
        env: EnvVar,
        name: String,
    },
    /// `obj[key]`, and `obj.name` with `key` a `Str`.
    Index {
        obj: Box<Expr>,
        key: Box<Expr>,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
    },
    /// `obj:method(args)`.
    MethodCall {
        obj: Box<Expr>,
        method: String,
        args: Vec<Expr>,
    },
    Function(Box<Function>),
    /// `and`/`or` short-circuit; everything else evaluates both sides, left first.
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Unary {
        op: UnOp,
        operand: Box<Expr>,
    },
    Table(Vec<TableItem>),
    /// `(e)`: truncates a call or `...` to one value; not assignable.
    Paren(Box<Expr>),
}

#[derive(Debug, PartialEq)]
pub enum TableItem {
    /// An array item; if the last one is a call or `...`, all its values are stored.
    Positional(Expr),
    /// `[key] = value`, or `name = value` with `key` a `Str`.
    Keyed { key: Expr, value: Expr },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    IDiv,
    Mod,
    Pow,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
    Len,
    BNot,
}

impl BinOp {
    /// The operator as written in Lua.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::IDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
            BinOp::Concat => "..",
            BinOp::Eq => "==",
            BinOp::Ne => "~=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::BAnd => "&",
            BinOp::BOr => "|",
            BinOp::BXor => "~",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
        }
    }
}

impl UnOp {
    /// The operator as written in Lua.
    pub fn symbol(self) -> &'static str {
        match self {
            UnOp::Neg => "-",
            UnOp::Not => "not",
            UnOp::Len => "#",
            UnOp::BNot => "~",
        }
    }
}

impl Expr {
    pub fn new(kind: ExprKind, line: Line) -> Self {
        Expr { kind, line }
    }

    /// Whether this expression may yield several values (a call or `...`).
    pub fn is_multi(&self) -> bool {
        matches!(
            self.kind,
            ExprKind::Call { .. } | ExprKind::MethodCall { .. } | ExprKind::Vararg
        )
    }
}

fn take_box(b: &mut Expr) -> Expr {
    std::mem::replace(b, Expr::new(ExprKind::Nil, 0))
}

/// Moves the sub-expressions of `kind` (not those inside nested functions) to `out`.
fn take_children(kind: &mut ExprKind, out: &mut Vec<Expr>) {
    match kind {
        ExprKind::Index { obj, key } => {
            out.push(take_box(obj));
            out.push(take_box(key));
        }
        ExprKind::Call { func, args } => {
            out.push(take_box(func));
            out.append(args);
        }
        ExprKind::MethodCall { obj, args, .. } => {
            out.push(take_box(obj));
            out.append(args);
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            out.push(take_box(lhs));
            out.push(take_box(rhs));
        }
        ExprKind::Unary { operand, .. } | ExprKind::Paren(operand) => out.push(take_box(operand)),
        ExprKind::Table(items) => {
            for item in items.iter_mut() {
                match item {
                    TableItem::Positional(v) => out.push(take_box(v)),
                    TableItem::Keyed { key, value } => {
                        out.push(take_box(key));
                        out.push(take_box(value));
                    }
                }
            }
        }
        _ => {}
    }
}

impl Drop for Expr {
    fn drop(&mut self) {
        // Leaves (most nodes) need no work list.
        let has_children = !matches!(
            self.kind,
            ExprKind::Nil
                | ExprKind::True
                | ExprKind::False
                | ExprKind::Vararg
                | ExprKind::Int(_)
                | ExprKind::Float(_)
                | ExprKind::Str(_)
                | ExprKind::Local(_)
                | ExprKind::Upvalue(_)
                | ExprKind::Global { .. }
                | ExprKind::Function(_)
        );
        if !has_children {
            return;
        }
        let mut stack = Vec::new();
        take_children(&mut self.kind, &mut stack);
        while let Some(mut e) = stack.pop() {
            take_children(&mut e.kind, &mut stack);
        }
    }
}

/// A node on the work list of [`deepest`].
enum Node<'a> {
    F(&'a Function),
    B(&'a Block),
    S(&'a Stat),
    E(&'a Expr),
}

/// Finds a path of more than `limit` nodes (of any kind) from `f` down, without
/// recursion; returns the line of the node where the limit is passed.
pub(crate) fn deeper_than(f: &Function, limit: usize) -> Option<Line> {
    let mut stack: Vec<(Node, usize)> = vec![(Node::F(f), 1)];
    while let Some((node, d)) = stack.pop() {
        if d > limit {
            let line = match node {
                Node::F(f) => f.line_defined,
                Node::B(b) => b.stats.first().map_or(0, |s| s.line),
                Node::S(s) => s.line,
                Node::E(e) => e.line,
            };
            return Some(line);
        }
        let d = d + 1;
        match node {
            Node::F(f) => stack.push((Node::B(&f.body), d)),
            Node::B(b) => stack.extend(b.stats.iter().map(|s| (Node::S(s), d))),
            Node::S(s) => push_stat(s, d, &mut stack),
            Node::E(e) => push_expr(e, d, &mut stack),
        }
    }
    None
}

fn push_stat<'a>(s: &'a Stat, d: usize, st: &mut Vec<(Node<'a>, usize)>) {
    let exprs = |v: &'a [Expr], st: &mut Vec<(Node<'a>, usize)>| {
        st.extend(v.iter().map(|e| (Node::E(e), d)));
    };
    match &s.kind {
        StatKind::Call(e) => st.push((Node::E(e), d)),
        StatKind::Assign { targets, values } => {
            exprs(targets, st);
            exprs(values, st);
        }
        StatKind::Local { values, .. } | StatKind::Return(values) => exprs(values, st),
        StatKind::LocalFunction { func, .. } => st.push((Node::F(func), d)),
        StatKind::Function { target, func } => {
            st.push((Node::E(target), d));
            st.push((Node::F(func), d));
        }
        StatKind::Do(b) => st.push((Node::B(b), d)),
        StatKind::While { cond, body } | StatKind::Repeat { body, cond } => {
            st.push((Node::E(cond), d));
            st.push((Node::B(body), d));
        }
        StatKind::If {
            clauses,
            else_block,
        } => {
            for (c, b) in clauses {
                st.push((Node::E(c), d));
                st.push((Node::B(b), d));
            }
            if let Some(b) = else_block {
                st.push((Node::B(b), d));
            }
        }
        StatKind::NumericFor {
            start,
            limit,
            step,
            body,
            ..
        } => {
            st.push((Node::E(start), d));
            st.push((Node::E(limit), d));
            if let Some(s) = step {
                st.push((Node::E(s), d));
            }
            st.push((Node::B(body), d));
        }
        StatKind::GenericFor {
            exprs: es, body, ..
        } => {
            exprs(es, st);
            st.push((Node::B(body), d));
        }
        StatKind::Break(_) | StatKind::Goto(_) | StatKind::Label(_) => {}
    }
}

fn push_expr<'a>(e: &'a Expr, d: usize, st: &mut Vec<(Node<'a>, usize)>) {
    match &e.kind {
        // Prefixes of indexes and calls stay at their parent's depth: the compiler walks
        // those chains (`a.b.c`, `f()()`) iteratively.
        ExprKind::Index { obj, key } => {
            st.push((Node::E(obj), d - 1));
            st.push((Node::E(key), d));
        }
        ExprKind::Call { func: obj, args } | ExprKind::MethodCall { obj, args, .. } => {
            st.push((Node::E(obj), d - 1));
            st.extend(args.iter().map(|a| (Node::E(a), d)));
        }
        ExprKind::Function(f) => st.push((Node::F(f), d)),
        // The left operand of a non-concatenation binary operator stays at its parent's
        // depth: the compiler walks such left-leaning chains (`a + b + c ...`) iteratively,
        // so only right operands and other nesting cost Rust stack. Concatenation is
        // right-associative and compiled recursively, so both its operands count.
        ExprKind::Binary { op, lhs, rhs } => {
            let lhs_depth = if *op == BinOp::Concat { d } else { d - 1 };
            st.push((Node::E(lhs), lhs_depth));
            st.push((Node::E(rhs), d));
        }
        ExprKind::Unary { operand, .. } | ExprKind::Paren(operand) => {
            st.push((Node::E(operand), d))
        }
        ExprKind::Table(items) => {
            for item in items {
                match item {
                    TableItem::Positional(v) => st.push((Node::E(v), d)),
                    TableItem::Keyed { key, value } => {
                        st.push((Node::E(key), d));
                        st.push((Node::E(value), d));
                    }
                }
            }
        }
        _ => {}
    }
}
