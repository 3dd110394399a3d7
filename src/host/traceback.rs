//! Tracebacks in lua5.4's format, built from `vm.frames` as they were when an error was
//! raised (the engines leave them in place on `Err`).
//!
//! ```text
//! stack traceback:
//! 	[C]: in function 'error'
//! 	script.lua:3: in local 'f'
//! 	script.lua:10: in main chunk
//! 	[C]: in ?
//! ```

use crate::bytecode::analysis::describe_operand;
use crate::runtime::vm::{Frame, FrameKind};
use crate::runtime::Vm;

/// Frames listed at most; deeper stacks show the first and last ones around a `...` line
/// (as `luaL_traceback` does with its 10 + 11 levels).
const HEAD: usize = 10;
const TAIL: usize = 11;

/// The traceback of the current frames, innermost first, starting with `stack traceback:`.
pub fn traceback(vm: &Vm) -> String {
    let mut out = String::from("stack traceback:");
    let n = vm.frames.len();
    for (shown, i) in (0..n).rev().enumerate() {
        if n > HEAD + TAIL && shown == HEAD {
            out.push_str(&format!("\n\t...\t(skipping {} levels)", n - HEAD - TAIL));
        }
        if n > HEAD + TAIL && shown >= HEAD && shown < n - TAIL {
            continue;
        }
        out.push_str("\n\t");
        out.push_str(&frame_line(vm, i));
    }
    out.push_str("\n\t[C]: in ?");
    out
}

/// How the caller of frame `i` named the function it called, if it is a Lua frame.
fn call_site_name(vm: &Vm, i: usize) -> Option<(&'static str, String)> {
    let caller = vm.frames.get(i.checked_sub(1)?)?;
    let c = caller.closure()?;
    let p = vm.heap.get(vm.heap.get(c).proto);
    let pc = (vm.engine.stack_pc)(vm, caller) as usize;
    describe_operand(&p.bc, pc, 0)
}

fn described(kind: &str, name: &str) -> String {
    match kind {
        "global" => format!("function '{name}'"),
        _ => format!("{kind} '{name}'"),
    }
}

fn frame_line(vm: &Vm, i: usize) -> String {
    let f: &Frame = &vm.frames[i];
    match f.kind {
        FrameKind::Native(n) => {
            let what = match call_site_name(vm, i) {
                Some((kind @ ("global" | "method"), name)) => described(kind, &name),
                _ => format!("function '{}'", vm.heap.get(n).name),
            };
            format!("[C]: in {what}")
        }
        FrameKind::Lua(c) => {
            let p = vm.heap.get(vm.heap.get(c).proto);
            let pc = (vm.engine.stack_pc)(vm, f) as usize;
            let line = p.bc.lines.get(pc).copied().unwrap_or(0);
            let what = if p.bc.line_defined == 0 {
                "main chunk".to_string()
            } else {
                match call_site_name(vm, i) {
                    Some((kind, name)) => described(kind, &name),
                    None => format!("function <{}:{}>", p.source, p.bc.line_defined),
                }
            };
            format!("{}:{line}: in {what}", p.source)
        }
    }
}
