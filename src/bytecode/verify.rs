//! The verifier: every module is checked before anything runs it, whatever its source
//! (binary, JSON, or a compiler in this process).
//!
//! What holds after [`verify`] succeeds, for every proc of the module:
//! - the code is non-empty and its last instruction ends a block (`Return`, `TailCall` or
//!   `Jump`), so control can never run off the end; `lines` has one entry per instruction
//!   or none at all (a stripped proc);
//! - every operand is in range: local slots (`ForPrep`/`ForLoop` use `base..base+4`,
//!   `TForCall` uses `base..base+4+nvars`, `TForLoop` `base..base+5`), constants (and the
//!   keys of `GetField`, `SetField`, `SetFieldAt`, `Method`, `GetUpField`, `SetUpField` are
//!   string constants), upvalues, child procs, jump targets; `VarArg` appears only in vararg
//!   procs; `Concat` joins at least 2 values; `TForCall` assigns at least one variable;
//! - `num_params <= num_locals` and `num_locals + max_stack <= 255` (the register
//!   translation maps local `i` to register `i` and stack depth `d` to `num_locals + d`);
//! - child upvalue descriptors name a local or upvalue that exists in the parent;
//! - debug information (`locals`) names existing slots and instruction ranges;
//! - table size hints of `NewTable` are at most twice the proc's instruction count (a
//!   constructor needs at least one instruction per entry; this keeps a hostile file from
//!   making an engine preallocate gigabytes);
//! - the operand-stack state `(depth, pack pending)` before each reachable instruction is
//!   the same along every path to it, never underflows and never exceeds `max_stack`;
//!   a pack is consumed by the next instruction that is not `Nop` or `Jump`, and only
//!   instructions that consume a pack run with one pending; the numeric and generic `for`
//!   instructions run only at depth 0 with no pack (loops are statements, and back edges
//!   at an empty stack keep translation and on-stack replacement simple);
//! - procs nest at most [`MAX_NESTING`] deep.
//!
//! Unreachable instructions must still have in-range operands but are not stack-checked;
//! [`stack_states`] reports them as `None`.

use super::op::{ConstIdx, Op, Target};
use super::proto::{Constant, Module, Proto};
use crate::runtime::error::StaticError;

/// Maximum nesting depth of procs (the main proc is at depth 1).
pub const MAX_NESTING: usize = 200;

/// Maximum of `num_locals + max_stack`: the register translation's frame limit.
pub const MAX_FRAME: u32 = 255;

/// The operand-stack state before an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StackState {
    /// Statically known values on the operand stack.
    pub depth: u16,
    /// A pack (values whose number is known only at run time) lies above them.
    pub pack: bool,
}

/// Checks a whole module. Errors name the proc, the pc and what is wrong.
pub fn verify(m: &Module) -> Result<(), StaticError> {
    // Explicit stack of (proc, nesting depth, path of child indices), so that no module
    // can overflow the Rust stack whatever its depth.
    let mut pending: Vec<(&Proto, usize, String)> = vec![(&m.main, 1, String::new())];
    while let Some((p, depth, path)) = pending.pop() {
        let ctx = Ctx { p, path: &path };
        if depth > MAX_NESTING {
            return Err(ctx.err(format!("functions nested deeper than {MAX_NESTING} levels")));
        }
        verify_proc(&ctx)?;
        for (i, child) in p.protos.iter().enumerate().rev() {
            let cpath = if path.is_empty() {
                i.to_string()
            } else {
                format!("{path}.{i}")
            };
            pending.push((child, depth + 1, cpath));
        }
    }
    Ok(())
}

/// The stack state before each instruction of one proc (`None`: unreachable), or the first
/// stack-discipline error. Assumes the proc's static checks passed (as after [`verify`]);
/// on other procs it still returns an error rather than panicking.
pub fn stack_states(p: &Proto) -> Result<Vec<Option<StackState>>, StaticError> {
    let ctx = Ctx { p, path: "" };
    check_shape(&ctx)?;
    analyse_stack(&ctx)
}

/// Names the proc in error messages.
struct Ctx<'a> {
    p: &'a Proto,
    /// Child indices from the main proc, e.g. `0.2` (empty for the main proc).
    path: &'a str,
}

impl Ctx<'_> {
    fn name(&self) -> String {
        if self.path.is_empty() && self.p.line_defined == 0 {
            "main chunk".to_string()
        } else if self.path.is_empty() {
            format!("function at line {}", self.p.line_defined)
        } else {
            format!(
                "function at line {} (proto {})",
                self.p.line_defined, self.path
            )
        }
    }

    fn err(&self, msg: impl std::fmt::Display) -> StaticError {
        StaticError(format!("invalid bytecode: {}: {msg}", self.name()))
    }

    fn err_at(&self, pc: usize, msg: impl std::fmt::Display) -> StaticError {
        let op = self.p.code.get(pc).map_or("?", |op| op.name());
        StaticError(format!(
            "invalid bytecode: {}, pc {pc} ({op}): {msg}",
            self.name()
        ))
    }
}

fn verify_proc(ctx: &Ctx<'_>) -> Result<(), StaticError> {
    check_shape(ctx)?;
    let p = ctx.p;
    for (pc, op) in p.code.iter().enumerate() {
        check_operands(ctx, pc, op)?;
    }
    for l in &p.locals {
        if l.slot >= p.num_locals {
            return Err(ctx.err(format!(
                "debug info: local '{}' in slot {} but num_locals is {}",
                l.name, l.slot, p.num_locals
            )));
        }
        if l.start_pc > l.end_pc || l.end_pc as usize > p.code.len() {
            return Err(ctx.err(format!(
                "debug info: local '{}' has bad range {}..{} (code has {} instructions)",
                l.name,
                l.start_pc,
                l.end_pc,
                p.code.len()
            )));
        }
    }
    for (i, child) in p.protos.iter().enumerate() {
        for (u, desc) in child.upvals.iter().enumerate() {
            let (limit, kind) = if desc.in_parent_local {
                (usize::from(p.num_locals), "local slot")
            } else {
                (p.upvals.len(), "upvalue")
            };
            if usize::from(desc.index) >= limit {
                return Err(ctx.err(format!(
                    "child proto {i} (line {}): upvalue {u} '{}' refers to parent {kind} {} \
                     but the parent has {limit}",
                    child.line_defined, desc.name, desc.index
                )));
            }
        }
    }
    analyse_stack(ctx)?;
    Ok(())
}

/// The checks the stack analysis relies on: non-empty code that ends a block, a full line
/// table, a frame that fits the register translation, in-range jump targets.
fn check_shape(ctx: &Ctx<'_>) -> Result<(), StaticError> {
    let p = ctx.p;
    let Some(last) = p.code.last() else {
        return Err(ctx.err("empty code (a proc needs at least a Return)"));
    };
    if !last.ends_block() {
        return Err(ctx.err_at(
            p.code.len() - 1,
            "control falls off the end of the code (the last instruction must be \
             Return, TailCall or Jump)",
        ));
    }
    if p.lines.len() != p.code.len() && !p.lines.is_empty() {
        return Err(ctx.err(format!(
            "line table has {} entries for {} instructions",
            p.lines.len(),
            p.code.len()
        )));
    }
    if u16::from(p.num_params) > p.num_locals {
        return Err(ctx.err(format!(
            "{} parameters but only {} local slots",
            p.num_params, p.num_locals
        )));
    }
    let frame = u32::from(p.num_locals) + u32::from(p.max_stack);
    if frame > MAX_FRAME {
        return Err(ctx.err(format!(
            "num_locals ({}) + max_stack ({}) = {frame} exceeds {MAX_FRAME}, the register \
             translation's frame limit",
            p.num_locals, p.max_stack
        )));
    }
    for (pc, op) in p.code.iter().enumerate() {
        if let Some(Target(t)) = op.branch_target() {
            if t as usize >= p.code.len() {
                return Err(ctx.err_at(
                    pc,
                    format!(
                        "jump target {t} out of range (code has {} instructions)",
                        p.code.len()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Static (depth-independent) operand checks of one instruction.
fn check_operands(ctx: &Ctx<'_>, pc: usize, op: &Op) -> Result<(), StaticError> {
    let p = ctx.p;
    let locals = u32::from(p.num_locals);
    // Local slots `first..first+count` must exist.
    let slots = |first: u16, count: u32| -> Result<(), StaticError> {
        let end = u32::from(first) + count;
        if end > locals {
            let what = if count == 1 {
                format!("local slot {first}")
            } else {
                format!("local slots {first}..{}", end - 1)
            };
            return Err(ctx.err_at(pc, format!("{what} out of range (num_locals is {locals})")));
        }
        Ok(())
    };
    let konst = |ConstIdx(k): ConstIdx| -> Result<&Constant, StaticError> {
        p.consts.get(k as usize).ok_or_else(|| {
            ctx.err_at(
                pc,
                format!("constant {k} out of range ({} constants)", p.consts.len()),
            )
        })
    };
    let key = |k: ConstIdx| -> Result<(), StaticError> {
        match konst(k)? {
            Constant::Str(_) => Ok(()),
            other => Err(ctx.err_at(
                pc,
                format!("key constant {} is {other:?}, not a string", k.0),
            )),
        }
    };
    let upval = |u: super::op::UpvalIdx| -> Result<(), StaticError> {
        if usize::from(u.0) >= p.upvals.len() {
            return Err(ctx.err_at(
                pc,
                format!("upvalue {} out of range ({} upvalues)", u.0, p.upvals.len()),
            ));
        }
        Ok(())
    };
    match *op {
        Op::GetLocal { slot } | Op::SetLocal { slot } | Op::Close { slot } | Op::Tbc { slot } => {
            slots(slot.0, 1)?
        }
        Op::ForPrep { base, .. } | Op::ForLoop { base, .. } => slots(base.0, 4)?,
        Op::TForCall { base, nvars } => {
            if nvars == 0 {
                return Err(ctx.err_at(pc, "TForCall must assign at least one variable"));
            }
            slots(base.0, 4 + u32::from(nvars))?
        }
        Op::TForLoop { base, .. } => slots(base.0, 5)?,
        Op::PushConst { idx } => {
            konst(idx)?;
        }
        Op::GetField { key: k }
        | Op::SetField { key: k }
        | Op::Method { key: k }
        | Op::SetFieldAt { key: k, .. } => key(k)?,
        Op::GetUpField { upval: u, key: k } | Op::SetUpField { upval: u, key: k } => {
            upval(u)?;
            key(k)?
        }
        Op::GetUpval { idx } | Op::SetUpval { idx } => upval(idx)?,
        Op::Closure { proto } if proto.0 as usize >= p.protos.len() => {
            return Err(ctx.err_at(
                pc,
                format!(
                    "child proto {} out of range ({} child protos)",
                    proto.0,
                    p.protos.len()
                ),
            ));
        }
        Op::VarArg { .. } if !p.is_vararg => {
            return Err(ctx.err_at(pc, "VarArg in a proc that is not vararg"));
        }
        Op::Concat { n } if n < 2 => {
            return Err(ctx.err_at(pc, format!("Concat of {n} values (needs at least 2)")));
        }
        Op::NewTable { array, hash } => {
            let limit = 2 * p.code.len() as u64;
            if u64::from(array) > limit || u64::from(hash) > limit {
                return Err(ctx.err_at(
                    pc,
                    format!(
                        "table size hints {array}/{hash} exceed twice the instruction count \
                         ({limit})"
                    ),
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// True for instructions that must run at an empty operand stack.
fn needs_empty_stack(op: &Op) -> bool {
    matches!(
        op,
        Op::ForPrep { .. } | Op::ForLoop { .. } | Op::TForCall { .. } | Op::TForLoop { .. }
    )
}

/// Abstract interpretation of the operand stack over the control-flow graph.
fn analyse_stack(ctx: &Ctx<'_>) -> Result<Vec<Option<StackState>>, StaticError> {
    let p = ctx.p;
    let n = p.code.len();
    let max = u32::from(p.max_stack);
    let mut states: Vec<Option<(u32, bool)>> = vec![None; n];
    let mut work = vec![0usize];
    states[0] = Some((0, false));

    // Records the state on an edge `from -> to`; a different state already there is an
    // inconsistency. Returns whether `to` must be (re)visited.
    let merge = |states: &mut Vec<Option<(u32, bool)>>,
                 from: usize,
                 to: usize,
                 st: (u32, bool)|
     -> Result<bool, StaticError> {
        let Some(slot) = states.get_mut(to) else {
            // Unreachable after check_shape (targets in range, last op ends a block).
            return Err(ctx.err_at(from, format!("control flows to pc {to}, past the end")));
        };
        match *slot {
            None => {
                *slot = Some(st);
                Ok(true)
            }
            Some(old) if old == st => Ok(false),
            Some(old) => Err(ctx.err_at(
                from,
                format!(
                    "inconsistent operand stack at pc {to}: this path arrives with {} but \
                     another with {}",
                    show(st),
                    show(old)
                ),
            )),
        }
    };

    while let Some(pc) = work.pop() {
        let Some((depth, pack)) = states[pc] else {
            continue;
        };
        let op = &p.code[pc];
        let pe = op.pack_effect();
        let transparent = matches!(op, Op::Nop {} | Op::Jump { .. });
        if pack && !pe.consumes && !transparent {
            return Err(ctx.err_at(
                pc,
                "a pack (multiple results) is pending but this instruction does not consume \
                 it (the consumer must come next)",
            ));
        }
        if !pack && pe.consumes {
            return Err(ctx.err_at(pc, "consumes a pack but no pack is pending"));
        }
        if needs_empty_stack(op) && depth != 0 {
            return Err(ctx.err_at(
                pc,
                format!("loop instruction at operand-stack depth {depth} (must be 0)"),
            ));
        }
        let (pops, pushes) = op.stack_effect();
        if pops > depth {
            return Err(ctx.err_at(
                pc,
                format!("stack underflow: pops {pops} values but the depth is {depth}"),
            ));
        }
        match *op {
            // The table and key stay below the value being stored.
            Op::SetTableAt { depth: at } if u32::from(at) + 2 >= depth => {
                return Err(ctx.err_at(
                    pc,
                    format!(
                        "table/key at stack positions {at}, {} not below the value (depth {depth})",
                        u32::from(at) + 1
                    ),
                ));
            }
            Op::SetFieldAt { depth: at, .. } if u32::from(at) + 1 >= depth => {
                return Err(ctx.err_at(
                    pc,
                    format!("table at stack position {at} not below the value (depth {depth})"),
                ));
            }
            _ => {}
        }
        let after = depth - pops + pushes;
        if after > max {
            return Err(ctx.err_at(
                pc,
                format!("operand stack depth {after} exceeds max_stack {max}"),
            ));
        }
        let next = (after, if transparent { pack } else { pe.produces });
        if !op.ends_block() && merge(&mut states, pc, pc + 1, next)? {
            work.push(pc + 1);
        }
        if let Some(Target(t)) = op.branch_target() {
            let t = t as usize;
            let at_target = match op {
                // The tested value stays on the stack when the jump is taken.
                Op::JumpIfFalseKeep { .. } | Op::JumpIfTrueKeep { .. } => (depth, false),
                _ => next,
            };
            if merge(&mut states, pc, t, at_target)? {
                work.push(t);
            }
        }
    }
    Ok(states
        .into_iter()
        .map(|s| {
            s.map(|(depth, pack)| StackState {
                // depth <= max_stack, a u16.
                depth: depth as u16,
                pack,
            })
        })
        .collect())
}

fn show((depth, pack): (u32, bool)) -> String {
    if pack {
        format!("depth {depth} plus a pack")
    } else {
        format!("depth {depth}")
    }
}
