//! Register promotion: which words of the register window live in Cranelift variables,
//! block by block.
//!
//! The IR's registers are memory (`ir::Reg`), and every exit hands the interpreter a
//! window in memory. Generated code, though, keeps the two words of each low register
//! slot (the tag word and the payload word: one *cell* each) in Cranelift variables, so
//! that a value computed in a loop stays in a machine register instead of making a round
//! trip through the window every iteration. What the lowering knows of each cell at a
//! program point is a [`State`]:
//!
//! - `valid`: the cell's variable holds the slot's current word;
//! - `dirty`: the variable may be newer than memory (a subset of `valid`);
//! - `float`: for a payload cell, the current word is held by the `F64` variable rather
//!   than the `I64` one (float payloads then need no bit moves between register files).
//!
//! Memory is made current for the dirty cells ("flushed") wherever something else may
//! read the window: before every exit (a failed guard, a return, an exit terminator, a
//! propagated callee code, a preemption) and at every *barrier*: a helper call, a native
//! call or a `RegAddr` (its address escapes). A barrier also drops every cell (helpers and
//! callees may write registers, and the stack may move), so the next read reloads it.
//!
//! [`analyze`] chooses the state at the start of each IR block: a cell is valid there if
//! it is valid at the end of some predecessor and is read before being overwritten or
//! dropped on some path from there ([`reads_in`]: so a loop's values stay in variables
//! across its back edge), or is dirty on every predecessor (free to keep); at a loop
//! header, only if the loop reads it ([`loop_reads`]). A dirty cell
//! that is not kept is flushed on the edge: keeping a loop's temporaries in variables
//! across the back edge only to write them back at exits cost more (register pressure)
//! than one store per iteration, measured on `benches/`. A payload is held in the kind
//! the code reads it as next (an integer counter in the `I64` variable, a float in the
//! `F64` one); when that is unknown or differs by path, as a float if some predecessor
//! holds it as one (measured: the kind chosen at merges moved benchmarks by 2x either
//! way, as moves between register files landed on loop-carried dependency chains).
//! Edges reconcile the
//! predecessor's state with the block's: dirty cells the block does not hold as dirty are
//! flushed, unless nothing looks at them before the block's code overwrites them
//! ([`needed_in`]: a loop's temporary written every iteration is then not stored on the
//! back edge), cells it holds that the predecessor does not are loaded, and payloads are
//! moved between the `I64` and `F64` variables when the kinds differ. Because every edge
//! reconciles whatever the two states are, the lowering is correct for any choice of
//! block states: the fixpoint only decides how much is kept in variables, and the
//! iteration count is capped.

use std::collections::HashMap;

use crate::ir::{BlockId, Function, Inst, Reg, Terminator, Type};

/// Registers below this index are promoted (unless promotion is off); accesses to higher
/// ones go to memory.
pub(crate) const MAX_PROMOTED: u32 = 256;

/// Forward iterations before the block states are taken as they are.
const MAX_ROUNDS: usize = 64;

/// A set of cells (cell `2r` is register `r`'s tag word, `2r + 1` its payload word).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    fn empty(cells: usize) -> Bits {
        Bits(vec![0; cells.div_ceil(64)])
    }

    pub(crate) fn has(&self, c: usize) -> bool {
        self.0.get(c / 64).is_some_and(|w| w >> (c % 64) & 1 == 1)
    }

    fn put(&mut self, c: usize, on: bool) {
        if let Some(w) = self.0.get_mut(c / 64) {
            let m = 1u64 << (c % 64);
            if on {
                *w |= m;
            } else {
                *w &= !m;
            }
        }
    }

    fn clear(&mut self) {
        self.0.iter_mut().for_each(|w| *w = 0);
    }

    fn union(&mut self, o: &Bits) {
        self.0.iter_mut().zip(&o.0).for_each(|(w, x)| *w |= x);
    }

    pub(crate) fn intersect(&mut self, o: &Bits) {
        self.0.iter_mut().zip(&o.0).for_each(|(w, x)| *w &= x);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    /// The cells in `self` and not in `o`.
    pub(crate) fn minus(&self, o: &Bits) -> Bits {
        Bits(self.0.iter().zip(&o.0).map(|(w, x)| w & !x).collect())
    }

    /// The cells, in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            (0..64)
                .filter(move |b| w >> b & 1 == 1)
                .map(move |b| i * 64 + b)
        })
    }
}

/// How a payload word is read or written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Float,
}

/// What the lowering knows of the cells at one program point (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct State {
    pub(crate) valid: Bits,
    pub(crate) dirty: Bits,
    pub(crate) float: Bits,
}

/// Whether cell `c` is a tag word (else a payload word).
pub(crate) fn is_tag(c: usize) -> bool {
    c.is_multiple_of(2)
}

/// The cell of register `r`'s tag word, if `r` is below `limit` (promoted).
pub(crate) fn tag_cell(limit: u32, r: Reg) -> Option<usize> {
    (r.0 < limit).then_some(2 * r.0 as usize)
}

/// The cell of register `r`'s payload word, if `r` is below `limit` (promoted).
pub(crate) fn pay_cell(limit: u32, r: Reg) -> Option<usize> {
    (r.0 < limit).then_some(2 * r.0 as usize + 1)
}

/// One access of an instruction to the cells, in the order the instruction makes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// Reads a cell; an invalid payload cell is loaded with this kind (`None`: a word
    /// copy, loaded as an integer; a copy's write then takes the kind the payload has).
    Read(usize, Option<Kind>),
    /// Writes a cell; `None` for a payload copied from the cell read just before.
    Write(usize, Option<Kind>),
    /// Flushes every dirty cell and drops all cells.
    Barrier,
}

/// The kind of a payload stored from a variable of type `t`.
fn kind_of(t: Option<Type>) -> Kind {
    match t {
        Some(Type::F64) => Kind::Float,
        _ => Kind::Int,
    }
}

/// Calls `f` with each access `inst` makes to the cells of registers below `limit`, in
/// order.
pub(crate) fn accesses(func: &Function, limit: u32, inst: &Inst, mut f: impl FnMut(Access)) {
    let tag_cell = |r: Reg| tag_cell(limit, r);
    let pay_cell = |r: Reg| pay_cell(limit, r);
    let read = |c: Option<usize>, k: Option<Kind>, f: &mut dyn FnMut(Access)| {
        if let Some(c) = c {
            f(Access::Read(c, k));
        }
    };
    let write = |c: Option<usize>, k: Option<Kind>, f: &mut dyn FnMut(Access)| {
        if let Some(c) = c {
            f(Access::Write(c, k));
        }
    };
    match inst {
        Inst::LoadTag { reg, .. } => read(tag_cell(*reg), None, &mut f),
        Inst::LoadInt { reg, .. } | Inst::LoadBool { reg, .. } => {
            read(pay_cell(*reg), Some(Kind::Int), &mut f)
        }
        Inst::LoadFloat { reg, .. } => read(pay_cell(*reg), Some(Kind::Float), &mut f),
        Inst::LoadSlot { reg, .. } => {
            // A word copy: no preference for the payload's kind.
            read(tag_cell(*reg), None, &mut f);
            read(pay_cell(*reg), None, &mut f);
        }
        Inst::StoreTag { reg, .. } => write(tag_cell(*reg), None, &mut f),
        Inst::StoreInt { reg, .. } | Inst::StoreBool { reg, .. } => {
            write(pay_cell(*reg), Some(Kind::Int), &mut f)
        }
        Inst::StoreFloat { reg, .. } => write(pay_cell(*reg), Some(Kind::Float), &mut f),
        Inst::StoreValue { reg, src, .. } => {
            write(tag_cell(*reg), None, &mut f);
            write(pay_cell(*reg), Some(kind_of(func.var_type(*src))), &mut f);
        }
        Inst::StoreSlot { reg, .. } => {
            write(tag_cell(*reg), None, &mut f);
            write(pay_cell(*reg), Some(Kind::Int), &mut f);
        }
        Inst::CopySlot { dst, src } => {
            read(tag_cell(*src), None, &mut f);
            // A source beyond the promoted registers is loaded as an integer word.
            let follow = if pay_cell(*src).is_some() {
                None
            } else {
                Some(Kind::Int)
            };
            read(pay_cell(*src), follow, &mut f);
            write(tag_cell(*dst), None, &mut f);
            write(pay_cell(*dst), follow, &mut f);
        }
        Inst::RegAddr { .. } | Inst::CallHelper { .. } | Inst::CallNative { .. } => {
            f(Access::Barrier)
        }
        _ => {}
    }
}

impl State {
    pub(crate) fn empty(cells: usize) -> State {
        State {
            valid: Bits::empty(cells),
            dirty: Bits::empty(cells),
            float: Bits::empty(cells),
        }
    }

    /// Drops every cell (after a barrier's flush).
    pub(crate) fn drop_all(&mut self) {
        self.valid.clear();
        self.dirty.clear();
        self.float.clear();
    }

    /// The state after `inst` (promoting registers below `limit`).
    pub(crate) fn step(&mut self, func: &Function, limit: u32, inst: &Inst) {
        // The kind of the payload last read, for a copy's write.
        let mut copied = Kind::Int;
        accesses(func, limit, inst, |a| self.apply(a, &mut copied));
    }

    /// The state after one access; `copied` is the kind of the payload the instruction
    /// read last (for a copy's write).
    fn apply(&mut self, a: Access, copied: &mut Kind) {
        match a {
            Access::Read(c, k) => {
                if !self.valid.has(c) {
                    self.valid.put(c, true);
                    self.float.put(c, k == Some(Kind::Float));
                }
                *copied = if self.float.has(c) {
                    Kind::Float
                } else {
                    Kind::Int
                };
            }
            Access::Write(c, k) => {
                self.valid.put(c, true);
                self.dirty.put(c, true);
                let k = k.unwrap_or(*copied);
                self.float.put(c, k == Kind::Float);
            }
            Access::Barrier => self.drop_all(),
        }
    }

    /// The state after a block's events ([`events`]).
    fn run(&mut self, evs: &[Ev]) {
        let mut copied = Kind::Int;
        for e in evs {
            match *e {
                Ev::Inst => copied = Kind::Int,
                Ev::Acc(a) => self.apply(a, &mut copied),
                Ev::BarrierAt(..) => self.drop_all(),
                Ev::Exit(_) => {}
            }
        }
    }
}

/// What the analyses see of an instruction, in order: its start, whether it may leave
/// the function (a guard or a fuel check, to a pc; a propagated code, `None`), and its
/// accesses. A barrier whose code looks only at the registers live at a pc
/// (`Inst::CallHelper::live_pc`, a native call's pc) is a `BarrierAt` that pc; a helper's
/// also says that it performs the instruction there (`Function::helper_writes`).
#[derive(Clone, Copy)]
enum Ev {
    Inst,
    Exit(Option<u32>),
    Acc(Access),
    BarrierAt(u32, bool),
}

/// Each block's events, computed once for all the analyses' rounds.
fn events(func: &Function, limit: u32) -> Vec<Vec<Ev>> {
    func.blocks
        .iter()
        .map(|b| {
            let mut evs = Vec::new();
            for inst in &b.insts {
                evs.push(Ev::Inst);
                let at = match inst {
                    Inst::Guard { exit_pc, .. } | Inst::Fuel { exit_pc, .. } => {
                        evs.push(Ev::Exit(Some(*exit_pc)));
                        None
                    }
                    Inst::ExitIfNonzero { .. } => {
                        evs.push(Ev::Exit(None));
                        None
                    }
                    Inst::CallHelper {
                        live_pc: Some(pc), ..
                    } => Some((*pc, true)),
                    Inst::CallNative { exit_pc: pc, .. } => Some((*pc, false)),
                    _ => None,
                };
                accesses(func, limit, inst, |a| match (a, at) {
                    (Access::Barrier, Some((pc, helper))) => evs.push(Ev::BarrierAt(pc, helper)),
                    _ => evs.push(Ev::Acc(a)),
                });
            }
            evs
        })
        .collect()
}

/// The number of cells `func` needs (two per register up to the highest promoted one it
/// touches).
fn cell_count(evs: &[Vec<Ev>]) -> usize {
    let mut cells = 0;
    for e in evs.iter().flatten() {
        if let Ev::Acc(Access::Read(c, _) | Access::Write(c, _)) = e {
            cells = cells.max(c / 2 * 2 + 2);
        }
    }
    cells
}

fn successors(t: &Option<Terminator>) -> Vec<BlockId> {
    match t {
        Some(Terminator::Jump(b)) => vec![*b],
        Some(Terminator::Branch {
            then_to, else_to, ..
        }) => vec![*then_to, *else_to],
        _ => Vec::new(),
    }
}

/// What a block's code does with the cells before overwriting or dropping them, on some
/// path from its start.
#[derive(Clone, PartialEq)]
struct Reads {
    /// Cells read.
    live: Bits,
    /// Payload cells first read as a float, and first read as an integer.
    as_float: Bits,
    as_int: Bits,
}

impl Reads {
    fn empty(cells: usize) -> Reads {
        Reads {
            live: Bits::empty(cells),
            as_float: Bits::empty(cells),
            as_int: Bits::empty(cells),
        }
    }

    fn union(&mut self, o: &Reads) {
        self.live.union(&o.live);
        self.as_float.union(&o.as_float);
        self.as_int.union(&o.as_int);
    }

    /// The state before an access, from the state after it.
    fn before(&mut self, a: Access) {
        match a {
            Access::Read(c, k) => {
                self.live.put(c, true);
                self.as_float.put(c, k == Some(Kind::Float));
                self.as_int.put(c, k == Some(Kind::Int));
            }
            Access::Write(c, _) => {
                self.live.put(c, false);
                self.as_float.put(c, false);
                self.as_int.put(c, false);
            }
            Access::Barrier => {
                self.live.clear();
                self.as_float.clear();
                self.as_int.clear();
            }
        }
    }
}

/// For each block, what is read (before being overwritten or dropped by a barrier) on
/// some path from its start, and as which kind.
fn reads_in(evs: &[Vec<Ev>], cells: usize, succs: &[Vec<BlockId>]) -> Vec<Reads> {
    // Short of the fixpoint, fewer words are kept in variables: slower, still correct.
    let (reads, _) = backward_fixpoint(evs.len(), Reads::empty(cells), |i, reads| {
        let mut cur = Reads::empty(cells);
        for s in &succs[i] {
            if let Some(r) = reads.get(s.0 as usize) {
                cur.union(r);
            }
        }
        // Backwards: an instruction's writes happen after its reads.
        for e in evs[i].iter().rev() {
            match e {
                Ev::Acc(a) => cur.before(*a),
                Ev::BarrierAt(..) => cur.before(Access::Barrier),
                Ev::Inst | Ev::Exit(_) => {}
            }
        }
        cur
    });
    reads
}

/// Solves a backward dataflow problem: `block(i, current)` gives block `i`'s value at
/// its start from the current values of all blocks; blocks are visited last to first
/// until nothing changes, for at most [`MAX_ROUNDS`] rounds. Also says whether it got
/// there: after the cap the values may still be too small.
fn backward_fixpoint<T: Clone + PartialEq>(
    n: usize,
    bottom: T,
    mut block: impl FnMut(usize, &[T]) -> T,
) -> (Vec<T>, bool) {
    let mut vals = vec![bottom; n];
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds < MAX_ROUNDS {
        changed = false;
        rounds += 1;
        for i in (0..n).rev() {
            let new = block(i, &vals);
            if new != vals[i] {
                vals[i] = new;
                changed = true;
            }
        }
    }
    (vals, !changed)
}

/// For each block, the cells whose current word something may look at before it is
/// overwritten, on some path from the block's start: a read, or anything that flushes
/// (an exit, a return, a barrier). A dirty cell no one needs is dropped on an edge
/// without being written back: the code overwrites it before the window is looked at.
fn needed_in(func: &Function, evs: &[Vec<Ev>], cells: usize, succs: &[Vec<BlockId>]) -> Vec<Bits> {
    let n = func.blocks.len();
    let mut all = Bits::empty(cells);
    (0..cells).for_each(|c| all.put(c, true));
    // What an exit to each pc needs, computed once.
    let mut needs: HashMap<u32, Bits> = HashMap::new();
    let mut need = |pc: u32| {
        needs
            .entry(pc)
            .or_insert_with(|| exit_needs(func, cells, pc))
            .clone()
    };
    let ends: Vec<Option<Bits>> = func
        .blocks
        .iter()
        .map(|b| match &b.term {
            Some(Terminator::Jump(_)) | Some(Terminator::Branch { .. }) => None,
            Some(Terminator::Exit { pc })
            | Some(Terminator::ReturnCode {
                live_pc: Some(pc), ..
            }) => Some(need(*pc)),
            Some(Terminator::Return { value }) => {
                match func.return_pcs.iter().find(|&&(v, _)| v == *value) {
                    Some(&(_, pc)) => Some(need(pc)),
                    None => Some(all.clone()),
                }
            }
            // Other returns hand the whole window over; a block without a terminator
            // is taken as one too.
            _ => Some(all.clone()),
        })
        .collect();
    let at: Vec<Vec<Option<Bits>>> = evs
        .iter()
        .map(|b| {
            b.iter()
                .map(|e| match *e {
                    Ev::Exit(Some(pc)) | Ev::BarrierAt(pc, _) => Some(need(pc)),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let (needed, done) = backward_fixpoint(n, Bits::empty(cells), |i, needed| {
        let mut cur = match &ends[i] {
            Some(end) => end.clone(),
            None => {
                let mut cur = Bits::empty(cells);
                for s in &succs[i] {
                    if let Some(r) = needed.get(s.0 as usize) {
                        cur.union(r);
                    }
                }
                cur
            }
        };
        for (e, at) in evs[i].iter().zip(&at[i]).rev() {
            match *e {
                Ev::Inst => {}
                Ev::Exit(Some(_)) | Ev::BarrierAt(..) => {
                    // A helper that performs the instruction at `pc` has written what
                    // that instruction writes when the code after it runs.
                    if let Ev::BarrierAt(pc, true) = *e {
                        for c in cur.iter().collect::<Vec<_>>() {
                            if func.written_at(pc, (c / 2) as u32) {
                                cur.put(c, false);
                            }
                        }
                    }
                    if let Some(bits) = at {
                        cur.union(bits);
                    }
                }
                Ev::Exit(None) | Ev::Acc(Access::Barrier) => cur.clone_from(&all),
                Ev::Acc(Access::Read(c, _)) => cur.put(c, true),
                Ev::Acc(Access::Write(c, _)) => cur.put(c, false),
            }
        }
        cur
    });
    // Short of the fixpoint a word could be dropped that something still looks at:
    // then every block needs every word (nothing is dropped).
    if done {
        needed
    } else {
        vec![all; n]
    }
}

/// The cells an exit to `pc` writes back: both words of each register live there
/// ([`Function::exit_live`]).
pub(crate) fn exit_needs(func: &Function, cells: usize, pc: u32) -> Bits {
    let mut out = Bits::empty(cells);
    for c in 0..cells {
        if func.live_at_exit(pc, (c / 2) as u32) {
            out.put(c, true);
        }
    }
    out
}

/// `cells` widened to whole registers: both words of every register one of whose words
/// is in `cells`. Write-backs are made by register so that a register's slot always
/// holds both words of one value, even where an exit leaves a dead register behind.
pub(crate) fn whole_registers(cells: &Bits) -> Bits {
    let mut out = cells.clone();
    for w in out.0.iter_mut() {
        // Cell 2r is the tag word, 2r + 1 the payload: pair up even and odd bits.
        let even = 0x5555_5555_5555_5555u64;
        let pairs = (*w | (*w >> 1)) & even;
        *w = pairs | (pairs << 1);
    }
    out
}

/// For each loop header (a block some edge returns to: found by a depth-first search
/// from the entries, an edge to a block still on the search path), the cells the loop
/// reads and the cells it writes: in the blocks that reach one of its back edges without
/// passing through the header. `None` for blocks that head no loop.
fn loop_reads(
    func: &Function,
    evs: &[Vec<Ev>],
    cells: usize,
    succs: &[Vec<BlockId>],
    preds: &[Vec<usize>],
) -> Vec<Option<(Bits, Bits)>> {
    let n = func.blocks.len();
    // Iterative DFS: `on_path` marks the blocks on the current search path.
    let mut seen = vec![false; n];
    let mut on_path = vec![false; n];
    let mut back: Vec<(usize, usize)> = Vec::new();
    for e in &func.entries {
        let root = e.0 as usize;
        if root >= n || seen[root] {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        seen[root] = true;
        on_path[root] = true;
        while let Some(&mut (b, ref mut next)) = stack.last_mut() {
            match succs[b].get(*next) {
                Some(s) => {
                    *next += 1;
                    let s = s.0 as usize;
                    if s >= n {
                        continue;
                    }
                    if on_path[s] {
                        back.push((b, s));
                    } else if !seen[s] {
                        seen[s] = true;
                        on_path[s] = true;
                        stack.push((s, 0));
                    }
                }
                None => {
                    on_path[b] = false;
                    stack.pop();
                }
            }
        }
    }
    let mut out: Vec<Option<(Bits, Bits)>> = vec![None; n];
    for (tail, head) in back {
        let mut body = vec![false; n];
        body[head] = true;
        let mut work = vec![tail];
        while let Some(b) = work.pop() {
            if std::mem::replace(&mut body[b], true) {
                continue;
            }
            work.extend(preds[b].iter().copied());
        }
        let (used, written) =
            out[head].get_or_insert_with(|| (Bits::empty(cells), Bits::empty(cells)));
        for (b, _) in body.iter().enumerate().filter(|(_, &x)| x) {
            for e in &evs[b] {
                match e {
                    Ev::Acc(Access::Read(c, _)) => used.put(*c, true),
                    Ev::Acc(Access::Write(c, _)) => written.put(*c, true),
                    _ => {}
                }
            }
        }
    }
    out
}

/// What [`analyze`] finds.
pub(crate) struct Analysis {
    /// The state at the start of each block.
    pub(crate) ins: Vec<State>,
    /// The cells each block may look at before overwriting them ([`needed_in`]).
    pub(crate) needed: Vec<Bits>,
    /// The number of cells.
    pub(crate) cells: usize,
}

/// The state at the start of each block, promoting the registers below `limit`.
pub(crate) fn analyze(func: &Function, limit: u32) -> Analysis {
    let evs = events(func, limit);
    let cells = cell_count(&evs);
    let n = func.blocks.len();
    let succs: Vec<Vec<BlockId>> = func.blocks.iter().map(|b| successors(&b.term)).collect();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, ss) in succs.iter().enumerate() {
        for s in ss {
            if let Some(p) = preds.get_mut(s.0 as usize) {
                p.push(i);
            }
        }
    }
    let reads = reads_in(&evs, cells, &succs);
    let needed = needed_in(func, &evs, cells, &succs);
    let loops = loop_reads(func, &evs, cells, &succs, &preds);
    // Blocks no entry reaches (the IR producer may leave some, e.g. a path a guard
    // rules out) must not weigh on their successors' states.
    let mut reachable = vec![false; n];
    let mut work: Vec<usize> = func.entries.iter().map(|e| e.0 as usize).collect();
    while let Some(b) = work.pop() {
        if b >= n || std::mem::replace(&mut reachable[b], true) {
            continue;
        }
        work.extend(succs[b].iter().map(|s| s.0 as usize));
    }
    let mut ins = vec![State::empty(cells); n];
    let mut outs = vec![State::empty(cells); n];
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds < MAX_ROUNDS {
        changed = false;
        rounds += 1;
        for i in 0..n {
            let mut st = State::empty(cells);
            // Cells dirty on every predecessor stay in variables at no cost.
            let mut all_dirty: Option<Bits> = None;
            for &p in preds[i].iter().filter(|&&p| reachable[p]) {
                let out = &outs[p];
                st.valid.union(&out.valid);
                st.dirty.union(&out.dirty);
                st.float.union(&out.float);
                match &mut all_dirty {
                    Some(d) => d.intersect(&out.dirty),
                    None => all_dirty = Some(out.dirty.clone()),
                }
            }
            let r = &reads[i];
            let mut keep = r.live.clone();
            if let Some(d) = &all_dirty {
                keep.union(d);
            }
            // A loop keeps only what it reads: values of the code around it would take
            // machine registers for the whole loop (they are written back before it and
            // reloaded after it instead).
            if let Some((used, _)) = &loops[i] {
                keep.intersect(used);
            }
            // A cell the block overwrites before anything looks at it is dropped.
            keep.intersect(&needed[i]);
            st.valid.intersect(&keep);
            st.dirty.intersect(&st.valid);
            // A loop holds what it does not write clean: written back once on the way
            // in rather than on every back edge.
            if let Some((_, written)) = &loops[i] {
                st.dirty.intersect(written);
            }
            // A payload is held as the kind it is read as next; when that is unknown or
            // differs by path, as a float if some predecessor holds it as one.
            st.float.union(&r.as_float.minus(&r.as_int));
            st.float = st.float.minus(&r.as_int.minus(&r.as_float));
            st.float.intersect(&st.valid);
            let mut out = st.clone();
            out.run(&evs[i]);
            if st != ins[i] || out != outs[i] {
                ins[i] = st;
                outs[i] = out;
                changed = true;
            }
        }
    }
    Analysis { ins, needed, cells }
}

/// The dirty cells of `from` that an edge to a block starting in state `to` and needing
/// `needed` writes back.
pub(crate) fn edge_flush(from: &State, to: &State, needed: &Bits) -> Bits {
    let mut out = from.dirty.minus(&to.dirty);
    out.intersect(needed);
    let mut out = whole_registers(&out);
    out.intersect(&from.dirty);
    out
}

/// Whether going from `from` to a block starting in state `to` and needing `needed`
/// needs code (see [`State`]).
pub(crate) fn edge_is_empty(from: &State, to: &State, needed: &Bits) -> bool {
    edge_flush(from, to, needed).is_empty() && to.valid.minus(&from.valid).is_empty() && {
        let mut both = to.valid.clone();
        both.intersect(&from.valid);
        let mut diff = from.float.clone();
        diff.0
            .iter_mut()
            .zip(&to.float.0)
            .for_each(|(w, x)| *w ^= x);
        diff.intersect(&both);
        diff.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::backward_fixpoint;

    /// A value that needs one round per block to travel says so when the round cap cuts
    /// it short (`needed_in` then needs everything).
    #[test]
    fn fixpoint_reports_when_cut_short() {
        let chain = |i: usize, vals: &[u32]| if i == 0 { 1 } else { vals[i - 1] };
        let (vals, done) = backward_fixpoint(10, 0u32, chain);
        assert!(done);
        assert!(vals.iter().all(|&v| v == 1));
        let (_, done) = backward_fixpoint(super::MAX_ROUNDS + 10, 0u32, chain);
        assert!(!done);
    }
}
