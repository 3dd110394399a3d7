//! The disassembler (`--dump stack`) and the generated instruction reference of
//! `docs/stack-bytecode.md`.
//!
//! Each proc is listed with a header line (like `luac -l`), its upvalues, constants and
//! locals, then one line per instruction: pc, source line, the static operand-stack depth
//! before the instruction (`2+p`: two values and a pending pack; `-`: unreachable; `?`: the
//! proc fails verification, whose message is printed above the code), the mnemonic and its
//! operands. Operand formatting is derived from [`for_each_stack_op!`] like everything else.

use super::binary::OPERANDS;
use super::op::{ArithOp, CmpOp, ConstIdx, LocalSlot, Op, ProtoIdx, Target, UnOp, UpvalIdx};
use super::op::{MEANINGS, MNEMONICS, MULTI};
use super::proto::{Constant, Module, Proto};
use super::verify::stack_states;
use std::fmt::Write;

/// Lists every proc of the module, the main proc first, children in pre-order.
pub fn disassemble(m: &Module) -> String {
    let mut out = String::new();
    // Explicit stack: the module may be unverified and arbitrarily deep.
    let mut pending: Vec<(&Proto, String)> = vec![(&m.main, String::new())];
    while let Some((p, path)) = pending.pop() {
        if !out.is_empty() {
            out.push('\n');
        }
        disassemble_proc(&mut out, &m.chunkname, p, &path);
        for (i, c) in p.protos.iter().enumerate().rev() {
            let cpath = if path.is_empty() {
                i.to_string()
            } else {
                format!("{path}.{i}")
            };
            pending.push((c, cpath));
        }
    }
    out
}

fn disassemble_proc(out: &mut String, chunk: &str, p: &Proto, path: &str) {
    let kind = if path.is_empty() {
        "main".to_string()
    } else {
        format!("function {path}")
    };
    let _ = writeln!(
        out,
        "{kind} <{chunk}:{},{}> params={}{} locals={} max_stack={} upvals={} consts={} \
         code={} protos={}",
        p.line_defined,
        p.last_line,
        p.num_params,
        if p.is_vararg { "+vararg" } else { "" },
        p.num_locals,
        p.max_stack,
        p.upvals.len(),
        p.consts.len(),
        p.code.len(),
        p.protos.len()
    );
    for (i, u) in p.upvals.iter().enumerate() {
        let from = if u.in_parent_local {
            "local"
        } else {
            "upvalue"
        };
        let _ = writeln!(out, "  upval {i} {} <- parent {from} {}", u.name, u.index);
    }
    for (i, k) in p.consts.iter().enumerate() {
        let _ = writeln!(out, "  const {i} {}", show_const(k));
    }
    for l in &p.locals {
        let _ = writeln!(
            out,
            "  local {} slot {} pc {}..{}",
            l.name, l.slot, l.start_pc, l.end_pc
        );
    }
    let states = match stack_states(p) {
        Ok(s) => s.into_iter().map(Some).collect(),
        Err(e) => {
            let _ = writeln!(out, "  ; {e}");
            vec![None; p.code.len()]
        }
    };
    let _ = writeln!(
        out,
        "  {:>5} {:>5} {:>5}  instruction",
        "pc", "line", "depth"
    );
    for (pc, op) in p.code.iter().enumerate() {
        let line = p
            .lines
            .get(pc)
            .map_or_else(|| "?".to_string(), |l| l.to_string());
        let depth = match states[pc] {
            None => "?".to_string(),
            Some(None) => "-".to_string(),
            Some(Some(s)) if s.pack => format!("{}+p", s.depth),
            Some(Some(s)) => s.depth.to_string(),
        };
        let _ = writeln!(
            out,
            "  {pc:>5} {line:>5} {depth:>5}  {}",
            show_op(p, pc, op)
        );
    }
}

fn show_const(k: &Constant) -> String {
    match k {
        Constant::Nil => "nil".into(),
        Constant::Bool(b) => b.to_string(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) => {
            if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e16 {
                format!("{f:.1}")
            } else {
                format!("{f}")
            }
        }
        Constant::Str(s) => format!("{:?}", String::from_utf8_lossy(s)),
    }
}

/// What an operand formatter may look at.
struct Site<'a> {
    p: &'a Proto,
    pc: usize,
    /// The operand's field name in the instruction table.
    field: &'static str,
    /// The instruction's mnemonic.
    op: &'static str,
}

/// How an operand type prints in the disassembly.
trait Show {
    fn show(&self, site: &Site<'_>) -> String;
}

impl Show for u8 {
    fn show(&self, site: &Site<'_>) -> String {
        let multi = site.field == "results" || (site.op == "VarArg" && site.field == "count");
        if multi && *self == MULTI {
            "MULTI".into()
        } else {
            self.to_string()
        }
    }
}

macro_rules! show_plain {
    ($($ty:ty),*) => {$(
        impl Show for $ty {
            fn show(&self, _: &Site<'_>) -> String {
                format!("{self:?}")
            }
        }
    )*};
}
show_plain!(u16, u32, i64, bool, ArithOp, CmpOp, UnOp);

impl Show for LocalSlot {
    fn show(&self, site: &Site<'_>) -> String {
        // The name of a variable in that slot live at (or declared right after) this pc.
        let pc = site.pc as u32;
        let name = site.p.locals.iter().find(|l| {
            l.slot == self.0 && l.start_pc <= pc + 1 && pc < l.end_pc.max(l.start_pc + 1)
        });
        match name {
            Some(l) => format!("L{}({})", self.0, l.name),
            None => format!("L{}", self.0),
        }
    }
}

impl Show for UpvalIdx {
    fn show(&self, site: &Site<'_>) -> String {
        match site.p.upvals.get(usize::from(self.0)) {
            Some(u) => format!("U{}({})", self.0, u.name),
            None => format!("U{}(out of range)", self.0),
        }
    }
}

impl Show for ConstIdx {
    fn show(&self, site: &Site<'_>) -> String {
        match site.p.consts.get(self.0 as usize) {
            Some(k) => show_const(k),
            None => format!("K{}(out of range)", self.0),
        }
    }
}

impl Show for ProtoIdx {
    fn show(&self, site: &Site<'_>) -> String {
        match site.p.protos.get(self.0 as usize) {
            Some(c) => format!("P{}(line {})", self.0, c.line_defined),
            None => format!("P{}(out of range)", self.0),
        }
    }
}

impl Show for Target {
    fn show(&self, _: &Site<'_>) -> String {
        format!("->{}", self.0)
    }
}

macro_rules! define_show {
    ($( $(#[$doc:meta])* $name:ident { $($field:ident : $ty:ty),* } = ($pops:expr, $pushes:expr), $sem:literal; )*) => {
        /// One instruction as text: the mnemonic, then its operands. A single operand is
        /// shown bare (`GetField "x"`), several as `name=value`; boolean flags appear by
        /// name when set (`Call argc=1 pack results=MULTI`).
        #[allow(unused_variables)]
        fn show_op(p: &Proto, pc: usize, op: &Op) -> String {
            match *op {
                $( Op::$name { $($field),* } => {
                    let mut parts: Vec<String> = Vec::new();
                    let fields: &[&str] = &[$(stringify!($field)),*];
                    $(
                        let site = Site { p, pc, field: stringify!($field), op: stringify!($name) };
                        parts.push(named(fields.len(), stringify!($field), $field.show(&site)));
                    )*
                    parts.retain(|s| !s.is_empty());
                    if parts.is_empty() {
                        stringify!($name).to_string()
                    } else {
                        format!("{} {}", stringify!($name), parts.join(" "))
                    }
                } )*
            }
        }

        /// The first paragraph of each instruction's doc comment, in opcode order.
        const DOCS: &[&[&str]] = &[$( &[$(stringify!($doc)),*] ),*];
    };
}

crate::for_each_stack_op!(define_show);

fn named(nfields: usize, field: &str, value: String) -> String {
    match value.as_str() {
        "true" => field.to_string(),
        "false" => String::new(),
        _ if nfields == 1 => value,
        _ => format!("{field}={value}"),
    }
}

/// The instruction reference table of `docs/stack-bytecode.md`, generated from the
/// instruction table (a test keeps the committed document in step).
pub fn instruction_table_markdown() -> String {
    let mut out = String::new();
    out.push_str("| Opcode | Instruction | Operands (encoding) | Pops, pushes | Meaning |\n");
    out.push_str("|---:|---|---|---|---|\n");
    for (i, name) in MNEMONICS.iter().enumerate() {
        let operands: Vec<String> = OPERANDS[i]
            .iter()
            .map(|(f, t, e)| format!("`{f}: {t}` ({e})"))
            .collect();
        let doc: Vec<String> = DOCS[i].iter().map(|d| doc_text(d)).collect();
        let doc = doc.join(" ").trim().replace('|', "\\|");
        let meaning = MEANINGS[i].replace('|', "\\|");
        let meaning = if meaning.is_empty() {
            String::new()
        } else {
            format!("`{meaning}`. ")
        };
        let _ = writeln!(
            out,
            "| {i} | `{name}` | {} | {} | {meaning}{doc} |",
            if operands.is_empty() {
                "-".to_string()
            } else {
                operands.join(", ")
            },
            pretty_effect(EFFECTS[i]),
        );
    }
    out
}

/// `op_n(n) + 1` -> `n + 1`; `op_results(r)` -> `r*` (the doc explains the star).
fn pretty_effect(e: &str) -> String {
    let mut s = e.replace(' ', "").replace('→', " → ").replace('+', " + ");
    for (f, suffix) in [("op_n(", ""), ("op_results(", "*")] {
        while let Some(at) = s.find(f) {
            let Some(close) = s[at..].find(')') else {
                break;
            };
            let inner = s[at + f.len()..at + close].to_string();
            s.replace_range(at..at + close + 1, &format!("{inner}{suffix}"));
        }
    }
    s
}

/// The text of a stringified `doc = "..."` attribute.
fn doc_text(attr: &str) -> String {
    let inner = attr
        .split_once('"')
        .and_then(|(_, rest)| rest.rsplit_once('"'))
        .map_or(attr, |(s, _)| s);
    inner.replace("\\\"", "\"").trim().to_string()
}

macro_rules! define_effects {
    ($( $(#[$doc:meta])* $name:ident { $($field:ident : $ty:ty),* } = ($pops:expr, $pushes:expr), $sem:literal; )*) => {
        /// Stack effects as written in the table, in opcode order.
        const EFFECTS: &[&str] = &[$(
            concat!(stringify!($pops), " → ", stringify!($pushes))
        ),*];
    };
}

crate::for_each_stack_op!(define_effects);

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed document must contain the current generated table. Run with
    /// `UPDATE_DOCS=1` to rewrite it.
    #[test]
    fn instruction_table_in_docs_is_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/stack-bytecode.md");
        let doc = std::fs::read_to_string(path).expect("docs/stack-bytecode.md exists");
        let begin = "<!-- BEGIN GENERATED INSTRUCTION TABLE -->\n";
        let end = "<!-- END GENERATED INSTRUCTION TABLE -->";
        let (head, rest) = doc.split_once(begin).expect("begin marker");
        let (current, tail) = rest.split_once(end).expect("end marker");
        let table = instruction_table_markdown();
        if current != table {
            if std::env::var_os("UPDATE_DOCS").is_some() {
                std::fs::write(path, format!("{head}{begin}{table}{end}{tail}")).unwrap();
            } else {
                panic!("docs/stack-bytecode.md is out of date; rerun this test with UPDATE_DOCS=1");
            }
        }
    }
}
