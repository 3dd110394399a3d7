//! Tracebacks in lua5.4's format (`luaL_traceback` as lua.c's message handler calls it),
//! built from `vm.frames` as they were when an error was raised (the engines leave them in
//! place on `Err`). Entries start with a tab, innermost first; the last one stands for the
//! host's own protected call, as lua.c's `pmain` does:
//!
//! ```text
//! stack traceback:
//!     [C]: in function 'error'
//!     script.lua:3: in local 'f'
//!     script.lua:10: in main chunk
//!     [C]: in ?
//! ```
//!
//! A frame is named as `pushfuncname` names it: first by where the function is found in
//! `package.loaded` (`function 'print'`, `function 'string.rep'`, `function 'mymod.f'`),
//! then by how its caller's instruction refers to it (`local 'f'`, `upvalue 'f'`,
//! `method 'm'`, `field 'f'`, `metamethod 'index'`, `for iterator 'for iterator'`), then
//! `main chunk`, then `function <file.lua:12>` (Lua) or `?` (native). A frame entered by a
//! tail call ([`FRAME_TAIL`]) has no caller to name it and is followed by
//! `(...tail calls...)`.

use crate::bytecode::analysis::describe_operand;
use crate::bytecode::op::{ArithOp, CmpOp, Op, UnOp};
use crate::runtime::table::Table;
use crate::runtime::vm::{Frame, FrameKind, FRAME_TAIL};
use crate::runtime::{GcRef, Value, Vm};

/// With more levels than `HEAD + TAIL + 1`, the first `HEAD` and the last `TAIL` are shown
/// around a `...` line (`luaL_traceback`'s LEVELS1 and LEVELS2).
const HEAD: usize = 10;
const TAIL: usize = 11;

/// The traceback of the current frames, innermost first, starting with `stack traceback:`.
pub fn traceback(vm: &Vm) -> String {
    traceback_from(vm, 0)
}

/// The traceback from stack level `level` outwards (`luaL_traceback`'s `level`): level 0 is
/// the running frame, level `vm.frames.len()` the host's own call (`[C]: in ?`); a level
/// past that gives no entries.
pub fn traceback_from(vm: &Vm, level: usize) -> String {
    let n = vm.frames.len();
    let mut levels: Vec<String> = (0..n.saturating_sub(level))
        .rev()
        .map(|i| frame_line(vm, i))
        .collect();
    if level <= n {
        levels.push("[C]: in ?".to_string());
    }
    let n = levels.len();
    let mut out = String::from("stack traceback:");
    for (k, line) in levels.iter().enumerate() {
        if n > HEAD + TAIL + 1 && k >= HEAD && k < n - TAIL {
            if k == HEAD {
                // lua5.4 counts one level fewer than it skips.
                out.push_str(&format!(
                    "\n\t...\t(skipping {} levels)",
                    n - HEAD - TAIL - 1
                ));
            }
            continue;
        }
        out.push_str("\n\t");
        out.push_str(line);
    }
    out
}

/// The name of a function value in `package.loaded` (`print`, `string.rep`, `mod.f`),
/// searching two levels as `pushglobalfuncname` does.
pub fn global_name(vm: &Vm, f: Value) -> Option<String> {
    let loaded = registry_table(vm, crate::stdlib::package::LOADED_KEY)?;
    let name = find_field(vm, loaded, f, 2)?;
    Some(match name.strip_prefix("_G.") {
        Some(rest) => rest.to_string(),
        None => name,
    })
}

/// The registry's table under the string key `name` (found by a scan: `&Vm` cannot intern
/// the key, and the registry holds few entries).
fn registry_table(vm: &Vm, name: &str) -> Option<GcRef<Table>> {
    let reg = vm.heap.get(vm.registry);
    let mut key = Value::Nil;
    while let Ok(Some((k, v))) = reg.next(key) {
        key = k;
        if let (Value::Str(s), Value::Table(t)) = (k, v) {
            if vm.heap.str(s) == name.as_bytes() {
                return Some(t);
            }
        }
    }
    None
}

/// `findfield`: a string key of `t` whose value is `f`, or `key.sub` through a nested
/// table, up to `level` levels deep (at most 2, so the recursion is bounded).
fn find_field(vm: &Vm, t: GcRef<Table>, f: Value, level: u32) -> Option<String> {
    if level == 0 {
        return None;
    }
    let table = vm.heap.get(t);
    let mut key = Value::Nil;
    while let Ok(Some((k, v))) = table.next(key) {
        key = k;
        let Value::Str(s) = k else { continue };
        let name = || String::from_utf8_lossy(vm.heap.str(s)).into_owned();
        if v.raw_eq(&f) {
            return Some(name());
        }
        if let Value::Table(sub) = v {
            if let Some(rest) = find_field(vm, sub, f, level - 1) {
                return Some(format!("{}.{rest}", name()));
            }
        }
    }
    None
}

/// How the caller of frame `i` refers to the function it runs, as lua5.4's
/// `funcnamefromcode` finds it: the called expression for a call, the event for a
/// metamethod. `None` when the caller is native or the frame was tail-called.
pub fn call_site_name(vm: &Vm, i: usize) -> Option<(&'static str, String)> {
    if vm.frames.get(i)?.flags & FRAME_TAIL != 0 {
        return None;
    }
    let caller = vm.frames.get(i.checked_sub(1)?)?;
    let c = caller.closure()?;
    let p = vm.heap.get(vm.heap.get(c).proto);
    let pc = (vm.engine.stack_pc)(vm, caller) as usize;
    let op = *p.bc.code.get(pc)?;
    let event = match op {
        Op::Call { .. } | Op::TailCall { .. } | Op::TForCall { .. } => {
            return describe_operand(&p.bc, pc, 0);
        }
        Op::GetTable {} | Op::GetField { .. } | Op::GetUpField { .. } | Op::Method { .. } => {
            "index"
        }
        Op::SetTable {}
        | Op::SetField { .. }
        | Op::SetUpField { .. }
        | Op::SetTableAt { .. }
        | Op::SetFieldAt { .. } => "newindex",
        Op::Arith { op } => arith_event(op),
        Op::Unary { op } => match op {
            UnOp::Unm => "unm",
            UnOp::BNot => "bnot",
            UnOp::Len => "len",
            UnOp::Not => return None,
        },
        Op::Concat { .. } => "concat",
        Op::Compare { op } => match op {
            CmpOp::Eq | CmpOp::Ne => "eq",
            CmpOp::Lt | CmpOp::Gt => "lt",
            CmpOp::Le | CmpOp::Ge => "le",
        },
        Op::Close { .. } | Op::Return { .. } => "close",
        _ => return None,
    };
    Some(("metamethod", event.to_string()))
}

fn arith_event(op: ArithOp) -> &'static str {
    match op {
        ArithOp::Add => "add",
        ArithOp::Sub => "sub",
        ArithOp::Mul => "mul",
        ArithOp::Mod => "mod",
        ArithOp::Pow => "pow",
        ArithOp::Div => "div",
        ArithOp::IDiv => "idiv",
        ArithOp::BAnd => "band",
        ArithOp::BOr => "bor",
        ArithOp::BXor => "bxor",
        ArithOp::Shl => "shl",
        ArithOp::Shr => "shr",
    }
}

/// `in NAME` for frame `i` (`pushfuncname`).
fn function_name(vm: &Vm, i: usize) -> String {
    let f: &Frame = &vm.frames[i];
    let value = match f.kind {
        FrameKind::Lua(c) => Value::LuaFn(c),
        FrameKind::Native(n) => Value::NativeFn(n),
    };
    if let Some(name) = global_name(vm, value) {
        return format!("function '{name}'");
    }
    if let Some((kind, name)) = call_site_name(vm, i) {
        return format!("{kind} '{name}'");
    }
    match f.kind {
        FrameKind::Lua(c) => {
            let p = vm.heap.get(vm.heap.get(c).proto);
            if p.bc.line_defined == 0 {
                "main chunk".to_string()
            } else {
                format!("function <{}:{}>", p.source, p.bc.line_defined)
            }
        }
        FrameKind::Native(_) => "?".to_string(),
    }
}

fn frame_line(vm: &Vm, i: usize) -> String {
    let f: &Frame = &vm.frames[i];
    let name = function_name(vm, i);
    let tail = if f.flags & FRAME_TAIL != 0 {
        "\n\t(...tail calls...)"
    } else {
        ""
    };
    match f.kind {
        FrameKind::Native(_) => format!("[C]: in {name}{tail}"),
        FrameKind::Lua(c) => {
            let p = vm.heap.get(vm.heap.get(c).proto);
            let pc = (vm.engine.stack_pc)(vm, f) as usize;
            match p.bc.lines.get(pc) {
                Some(line) => format!("{}:{line}: in {name}{tail}", p.source),
                // A stripped function: no line (`luaL_traceback` with `currentline <= 0`).
                None => format!("{}: in {name}{tail}", p.source),
            }
        }
    }
}
