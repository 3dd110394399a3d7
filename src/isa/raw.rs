//! Raw field extraction from instruction words, for the interpreter's dispatch loop.
//!
//! These read the same bits as the typed decoder ([`Instr::decode`](super::Instr::decode),
//! through [`Slot`](super::Slot)), without building an [`Instr`](super::Instr): the loop
//! matches the opcode byte against [`opnum`](super::opnum) and extracts only the fields
//! the op has. `tests.rs` checks that both agree on every slot.

/// The opcode byte.
#[inline(always)]
pub fn op(w: u32) -> u8 {
    w as u8
}

/// Field `A` (8 bits).
#[inline(always)]
pub fn a(w: u32) -> usize {
    ((w >> 8) & 0xff) as usize
}

/// Field `B` (8 bits, unsigned).
#[inline(always)]
pub fn b(w: u32) -> usize {
    ((w >> 16) & 0xff) as usize
}

/// Field `C` (8 bits, unsigned).
#[inline(always)]
pub fn c(w: u32) -> usize {
    (w >> 24) as usize
}

/// Field `B` as a signed 8-bit immediate.
#[inline(always)]
pub fn sb(w: u32) -> i64 {
    (((w << 8) as i32) >> 24) as i64
}

/// Field `C` as a signed 8-bit immediate.
#[inline(always)]
pub fn sc(w: u32) -> i64 {
    ((w as i32) >> 24) as i64
}

/// The sense bit `k` of a conditional (the low bit of `C`).
#[inline(always)]
pub fn k(w: u32) -> bool {
    (w >> 24) & 1 != 0
}

/// Field `Bx` (16 bits, unsigned).
#[inline(always)]
pub fn bx(w: u32) -> usize {
    (w >> 16) as usize
}

/// Field `sBx` (16 bits, signed).
#[inline(always)]
pub fn sbx(w: u32) -> isize {
    ((w as i32) >> 16) as isize
}

/// Field `Ax` (24 bits, unsigned): an `ExtraArg` payload.
#[inline(always)]
pub fn ax(w: u32) -> u32 {
    w >> 8
}

/// Field `Ax` as a signed 24-bit jump offset (`Jmp`).
#[inline(always)]
pub fn sj(w: u32) -> isize {
    ((w as i32) >> 8) as isize
}
