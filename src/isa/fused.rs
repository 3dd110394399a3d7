//! Superinstructions: which two instructions each one stands for.
//!
//! A superinstruction `XY` replaces the opcode byte of a word `X` whose next word is a `Y`;
//! it keeps `X`'s operands (same format and fields) and the `Y` word stays in place,
//! unchanged. The interpreter runs `X`, then the `Y` word without dispatching it (its
//! opcode byte is not even looked at), so the pair costs one dispatch. Because every word
//! stays where it was, jump offsets, the line and stack-pc side tables and the error
//! positions are those of the unfused code: an error in the second part is reported at
//! the second word, exactly as without the superinstruction. Anything that does not know
//! superinstructions (the JIT's lowering) reads the code through [`unfuse_word`] and sees
//! the plain pair.
//!
//! The pairs were chosen from measured pair frequencies over `benches/*.lua` (see
//! docs/RESEARCH.md).

use super::instr::Opcode;

/// `(superinstruction, first part, second part)`.
pub const FUSED: &[(Opcode, Opcode, Opcode)] = &[
    (Opcode::MulAdd, Opcode::Mul, Opcode::Add),
    (Opcode::MulMul, Opcode::Mul, Opcode::Mul),
    (Opcode::AddLoadK, Opcode::Add, Opcode::LoadK),
    (Opcode::MoveMove, Opcode::Move, Opcode::Move),
    (Opcode::SetTableForLoop, Opcode::SetTable, Opcode::ForLoop),
    (Opcode::AddForLoop, Opcode::Add, Opcode::ForLoop),
];

/// The parts of a superinstruction, `None` for other opcodes.
pub fn fused_parts(op: Opcode) -> Option<(Opcode, Opcode)> {
    FUSED
        .iter()
        .find(|(s, _, _)| *s == op)
        .map(|&(_, x, y)| (x, y))
}

/// The superinstruction for `first` followed by `second`, if there is one.
pub fn fuse(first: Opcode, second: Opcode) -> Option<Opcode> {
    FUSED
        .iter()
        .find(|(_, x, y)| *x == first && *y == second)
        .map(|&(s, _, _)| s)
}

/// `w` with a superinstruction's opcode byte replaced by its first part's (other words
/// unchanged): the plain instruction the word stands for.
pub fn unfuse_word(w: u32) -> u32 {
    match Opcode::from_u8(w as u8).and_then(fused_parts) {
        Some((first, _)) => (w & !0xff) | first as u32,
        None => w,
    }
}
