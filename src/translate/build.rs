//! Hand-built stack procs for tests (of the translator and the interpreter).
#![cfg(test)]

use crate::bytecode::op::*;
use crate::bytecode::{Constant, Module, Proto, UpvalDesc};

/// A proc with the given shape; `max_stack` is computed from the code.
pub fn proto(
    num_params: u8,
    is_vararg: bool,
    num_locals: u16,
    consts: Vec<Constant>,
    code: Vec<Op>,
) -> Proto {
    let lines = (0..code.len()).map(|i| i as u32 + 1).collect();
    let mut p = Proto {
        line_defined: 0,
        last_line: 0,
        num_params,
        is_vararg,
        num_locals,
        max_stack: 0,
        upvals: vec![],
        consts,
        code,
        lines,
        locals: vec![],
        protos: vec![],
    };
    p.max_stack = max_stack(&p);
    p
}

/// The main proc of a chunk: vararg, with `_ENV` as upvalue 0.
pub fn main_proto(num_locals: u16, consts: Vec<Constant>, code: Vec<Op>) -> Proto {
    let mut p = proto(0, true, num_locals, consts, code);
    p.upvals = vec![UpvalDesc {
        in_parent_local: false,
        index: 0,
        name: "_ENV".into(),
    }];
    p
}

pub fn module(main: Proto) -> Module {
    Module {
        chunkname: "=test".into(),
        main,
    }
}

/// Maximum static depth (plus one slot of slack for packs' bookkeeping is not needed).
fn max_stack(p: &Proto) -> u16 {
    // Straight-line over-approximation: simulate in order, resetting at nothing; the
    // test programs are built so that the in-order depth is the real one at every pc.
    let mut depth: i64 = 0;
    let mut max: i64 = 0;
    let mut at = vec![None::<i64>; p.code.len() + 1];
    for (pc, op) in p.code.iter().enumerate() {
        if let Some(d) = at[pc] {
            depth = d;
        }
        let (pops, pushes) = op.stack_effect();
        let before = depth;
        depth = depth - pops as i64 + pushes as i64;
        max = max.max(depth).max(before);
        if let Some(t) = op.branch_target() {
            let dd = match op {
                Op::JumpIfFalseKeep { .. } | Op::JumpIfTrueKeep { .. } => before,
                _ => depth,
            };
            if (t.0 as usize) < at.len() && at[t.0 as usize].is_none() {
                at[t.0 as usize] = Some(dd);
            }
        }
    }
    // Packs may need room for a few more values in tests.
    (max + 2) as u16
}

pub fn s(x: &str) -> Constant {
    Constant::Str(x.as_bytes().to_vec())
}

pub fn l(i: u16) -> LocalSlot {
    LocalSlot(i)
}

pub fn k(i: u32) -> ConstIdx {
    ConstIdx(i)
}

pub fn t(i: u32) -> Target {
    Target(i)
}

pub fn u(i: u16) -> UpvalIdx {
    UpvalIdx(i)
}
