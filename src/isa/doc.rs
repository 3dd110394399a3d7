//! Generates `docs/register-isa.md` from the instruction table.

use std::fmt::Write as _;

use super::instr::{flags, INFO};

/// The reference document, derived from [`crate::for_each_reg_op!`].
pub fn reference_doc() -> String {
    let mut s = String::new();
    s.push_str(
        "# The register instruction set\n\n\
         <!-- Generated from `for_each_reg_op!` in src/isa/table.rs by \
         `APOGEE_BLESS=1 cargo test --lib isa`; do not edit. -->\n\n\
         Register code is what the translator (`src/translate/`) produces from stack bytecode \
         and what the register interpreter (`src/interp/`) runs. Every instruction is one \
         32-bit little-endian word; the opcode is the low byte.\n\n\
         ```\n\
         bit:  31      24 23      16 15       8 7        0\n\
         ABC   [   C    ][   B    ][   A    ][   op   ]\n\
         ABx   [       Bx         ][   A    ][   op   ]\n\
         AsBx  [      sBx         ][   A    ][   op   ]   sBx: two's complement\n\
         Ax    [            Ax              ][   op   ]   24 bits (signed for Jmp)\n\
         ```\n\n\
         Notation: `R[i]` register i of the frame (`stack[base + i]`; locals first, then the \
         operand-stack slots), `K[i]` constant i, `U[i]` upvalue i, `P[i]` child proc i; \
         `sB`, `sC`, `sBx`, `sJ` signed fields. Jump offsets are relative to the next word.\n\n\
         Pairs: an op with flag `cond` is always followed by a `Jmp`; when its condition \
         equals the sense bit `k` control goes to that jump's target, otherwise the jump is \
         skipped. An op with flag `extra` is always followed by an `ExtraArg` word carrying a \
         wide operand. Packs (variable numbers of values) end at `vm.pack_end`, as in the \
         stack engine.\n\n\
         Flags: `raise` may raise an error (the pc is saved first); `call` may run Lua code; \
         `jump` may branch; `ends` never falls through; `alloc` allocates (a GC safepoint \
         follows); `extra`, `cond`: see above; `fused`: a superinstruction.\n\n\
         Superinstructions: an op with flag `fused` stands for two instructions (listed in \
         src/isa/fused.rs). It has its first part's operands, and the next word is a complete \
         instruction of its second part, which it runs without a dispatch of its own. Every \
         word keeps its place, line and stack pc, so jumps and error positions are those of \
         the unfused pair, and replacing the opcode byte by the first part's gives the plain \
         code back.\n\n\
         Opcode numbers are table order; new instructions are added at the end.\n\n\
         | # | Name | Format | Operands | Meaning | Flags |\n\
         |---|------|--------|----------|---------|-------|\n",
    );
    for (n, info) in INFO.iter().enumerate() {
        let operands: Vec<String> = info
            .fields
            .iter()
            .map(|f| format!("{}: {} @ {}", f.name, f.ty, f.slot.name()))
            .collect();
        let fl: Vec<&str> = flags::NAMES
            .iter()
            .filter(|(b, _)| info.flags & b != 0)
            .map(|(_, name)| *name)
            .collect();
        let mut meaning = format!("`{}`", info.semantics);
        let doc = info.doc.trim();
        if !doc.is_empty() {
            let _ = write!(meaning, "<br>{doc}");
        }
        let _ = writeln!(
            s,
            "| {n} | {} | {} | {} | {} | {} |",
            info.name,
            info.format.name(),
            operands.join(", "),
            meaning.replace('|', "\\|"),
            fl.join(" ")
        );
    }
    s
}
