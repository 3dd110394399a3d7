//! The disassembler: one line per word, `pc [line] Name operands ; comment`.

use std::fmt::Write as _;

use super::code::RegCode;
use super::instr::Instr;
use super::operand::ConstIdx;
use crate::bytecode::Constant;

/// Disassembles `code`; with `consts`, constant operands get their values as comments.
/// Undecodable words print as `<bad 0x...>` (never a panic).
pub fn disassemble(code: &RegCode, consts: Option<&[Constant]>) -> String {
    let mut out = String::new();
    for (pc, &w) in code.code.iter().enumerate() {
        let line = code.lines.get(pc).copied().unwrap_or(0);
        let _ = write!(out, "{pc:4} [{line}] ");
        out.push_str(&disassemble_word(w, pc, consts));
        out.push('\n');
    }
    out
}

/// One word, without pc and line.
pub fn disassemble_word(w: u32, pc: usize, consts: Option<&[Constant]>) -> String {
    let mut s = String::new();
    match Instr::decode(w) {
        Ok(i) => {
            // Names longer than the column (superinstructions) still get a space.
            let _ = write!(s, "{:<9} ", i.name());
            let mark = s.len();
            i.show_operands(pc + 1, &mut s);
            if s.len() == mark {
                s.truncate(s.trim_end().len());
            }
            if let (Some(k), Some(c)) = (const_operand(&i), consts) {
                if let Some(v) = c.get(k.0 as usize) {
                    let _ = write!(s, " ; {}", show_const(v));
                }
            }
        }
        Err(_) => {
            let _ = write!(s, "<bad {w:#010x}>");
        }
    }
    s
}

fn const_operand(i: &Instr) -> Option<ConstIdx> {
    use Instr::*;
    match *i {
        LoadK { bx, .. } => Some(bx),
        GetTabUp { c, .. } | GetField { c, .. } | Self_ { c, .. } => Some(c),
        SetTabUp { b, .. } | SetField { b, .. } | EqK { b, .. } => Some(b),
        AddK { c, .. }
        | SubK { c, .. }
        | MulK { c, .. }
        | ModK { c, .. }
        | PowK { c, .. }
        | DivK { c, .. }
        | IDivK { c, .. }
        | BAndK { c, .. }
        | BOrK { c, .. }
        | BXorK { c, .. }
        | ShlK { c, .. }
        | ShrK { c, .. } => Some(c),
        _ => None,
    }
}

/// A constant as Lua source would write it.
pub fn show_const(c: &Constant) -> String {
    match c {
        Constant::Nil => "nil".into(),
        Constant::Bool(b) => b.to_string(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) => {
            if f.fract() == 0.0 && f.is_finite() {
                format!("{f:.1}")
            } else {
                format!("{f}")
            }
        }
        Constant::Str(s) => format!("{:?}", String::from_utf8_lossy(s)),
    }
}
