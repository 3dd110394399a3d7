//! Operand kinds of register instructions, and the slots of the 32-bit word they live in.
//!
//! Raw bit fields exist only here and in the derived encoder/decoder: everything else
//! handles typed operands ([`Reg`], [`ConstIdx`], ...).

use std::fmt::Write as _;

/// A register of the running frame: `R[i]` is `stack[base + i]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reg(pub u8);

/// An index into the proc's constant table `K`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConstIdx(pub u32);

/// An index into the running closure's upvalues `U`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UpvalIdx(pub u16);

/// An index into the proc's child procs `P`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProtoIdx(pub u32);

/// A jump distance, relative to the instruction after the one that holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct JumpOffset(pub i32);

/// A signed immediate integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Imm(pub i32);

/// An unsigned count or small unsigned immediate (meaning given by the op).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Count(pub u32);

/// A one-bit flag (the "k" sense bit of conditional ops).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Flag(pub bool);

/// The 24-bit payload of `ExtraArg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Payload(pub u32);

/// Where an operand sits in the instruction word. The opcode is always bits 0..8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Bits 8..16.
    A,
    /// Bits 16..24.
    B,
    /// Bits 24..32.
    C,
    /// Bits 16..32.
    Bx,
    /// Bits 8..32.
    Ax,
}

impl Slot {
    #[inline(always)]
    pub const fn shift(self) -> u32 {
        match self {
            Slot::A | Slot::Ax => 8,
            Slot::B | Slot::Bx => 16,
            Slot::C => 24,
        }
    }

    #[inline(always)]
    pub const fn bits(self) -> u32 {
        match self {
            Slot::A | Slot::B | Slot::C => 8,
            Slot::Bx => 16,
            Slot::Ax => 24,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Slot::A => "A",
            Slot::B => "B",
            Slot::C => "C",
            Slot::Bx => "Bx",
            Slot::Ax => "Ax",
        }
    }
}

/// The instruction formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `[op:8][a:8][b:8][c:8]`
    ABC,
    /// `[op:8][a:8][bx:16]`, bx unsigned
    ABx,
    /// `[op:8][a:8][sbx:16]`, sbx two's complement
    AsBx,
    /// `[op:8][ax:24]`
    Ax,
}

impl Format {
    pub const fn name(self) -> &'static str {
        match self {
            Format::ABC => "ABC",
            Format::ABx => "ABx",
            Format::AsBx => "AsBx",
            Format::Ax => "Ax",
        }
    }
}

/// An operand that does not fit its slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError {
    pub op: &'static str,
    pub field: &'static str,
    pub value: i64,
}

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "operand {} = {} of {} does not fit its slot",
            self.field, self.value, self.op
        )
    }
}

impl std::error::Error for EncodeError {}

/// A typed operand: how it converts to and from its raw slot bits, and how it prints.
pub trait Field: Copy {
    /// Two's-complement in its slot.
    const SIGNED: bool;
    fn to_raw(self) -> i64;
    /// `raw` is already sign-extended for signed kinds and fits the slot, which may be
    /// wider than the type: conversion truncates and never panics.
    fn from_raw(raw: i64) -> Self;
    /// Disassembly text; `next_pc` resolves relative jumps to absolute targets.
    fn show(self, next_pc: usize, out: &mut String);
}

/// Places `v` in `slot`, or `None` if it does not fit.
#[inline]
pub fn put<F: Field>(v: F, slot: Slot) -> Option<u32> {
    let raw = v.to_raw();
    let bits = slot.bits();
    let ok = if F::SIGNED {
        raw >= -(1i64 << (bits - 1)) && raw < (1i64 << (bits - 1))
    } else {
        raw >= 0 && raw < (1i64 << bits)
    };
    if !ok {
        return None;
    }
    let mask = (1u64 << bits) - 1;
    Some((((raw as u64) & mask) as u32) << slot.shift())
}

/// Reads the field in `slot` of `word`.
#[inline(always)]
pub fn get<F: Field>(word: u32, slot: Slot) -> F {
    let bits = slot.bits();
    let raw = (word >> slot.shift()) & ((1u32 << bits) - 1);
    let v = if F::SIGNED {
        let sh = 32 - bits;
        (((raw << sh) as i32) >> sh) as i64
    } else {
        raw as i64
    };
    F::from_raw(v)
}

impl Field for Reg {
    const SIGNED: bool = false;
    fn to_raw(self) -> i64 {
        self.0 as i64
    }
    fn from_raw(raw: i64) -> Self {
        Reg(raw as u8)
    }
    fn show(self, _: usize, out: &mut String) {
        let _ = write!(out, "r{}", self.0);
    }
}

impl Field for ConstIdx {
    const SIGNED: bool = false;
    fn to_raw(self) -> i64 {
        self.0 as i64
    }
    fn from_raw(raw: i64) -> Self {
        ConstIdx(raw as u32)
    }
    fn show(self, _: usize, out: &mut String) {
        let _ = write!(out, "k{}", self.0);
    }
}

impl Field for UpvalIdx {
    const SIGNED: bool = false;
    fn to_raw(self) -> i64 {
        self.0 as i64
    }
    fn from_raw(raw: i64) -> Self {
        UpvalIdx(raw as u16)
    }
    fn show(self, _: usize, out: &mut String) {
        let _ = write!(out, "u{}", self.0);
    }
}

impl Field for ProtoIdx {
    const SIGNED: bool = false;
    fn to_raw(self) -> i64 {
        self.0 as i64
    }
    fn from_raw(raw: i64) -> Self {
        ProtoIdx(raw as u32)
    }
    fn show(self, _: usize, out: &mut String) {
        let _ = write!(out, "p{}", self.0);
    }
}

impl Field for JumpOffset {
    const SIGNED: bool = true;
    fn to_raw(self) -> i64 {
        self.0 as i64
    }
    fn from_raw(raw: i64) -> Self {
        JumpOffset(raw as i32)
    }
    fn show(self, next_pc: usize, out: &mut String) {
        let _ = write!(out, "->{}", next_pc as i64 + self.0 as i64);
    }
}

impl Field for Imm {
    const SIGNED: bool = true;
    fn to_raw(self) -> i64 {
        self.0 as i64
    }
    fn from_raw(raw: i64) -> Self {
        Imm(raw as i32)
    }
    fn show(self, _: usize, out: &mut String) {
        let _ = write!(out, "#{}", self.0);
    }
}

impl Field for Count {
    const SIGNED: bool = false;
    fn to_raw(self) -> i64 {
        self.0 as i64
    }
    fn from_raw(raw: i64) -> Self {
        Count(raw as u32)
    }
    fn show(self, _: usize, out: &mut String) {
        let _ = write!(out, "{}", self.0);
    }
}

impl Field for Flag {
    const SIGNED: bool = false;
    fn to_raw(self) -> i64 {
        self.0 as i64
    }
    fn from_raw(raw: i64) -> Self {
        Flag(raw & 1 != 0)
    }
    fn show(self, _: usize, out: &mut String) {
        out.push_str(if self.0 { "k" } else { "!k" });
    }
}

impl Field for Payload {
    const SIGNED: bool = false;
    fn to_raw(self) -> i64 {
        self.0 as i64
    }
    fn from_raw(raw: i64) -> Self {
        Payload(raw as u32)
    }
    fn show(self, _: usize, out: &mut String) {
        let _ = write!(out, "{}", self.0);
    }
}
