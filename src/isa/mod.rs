//! The register instruction set, declared once.
//!
//! [`for_each_reg_op!`](crate::for_each_reg_op) (in `table.rs`) lists every instruction
//! with its format, typed operands, flags and one-line meaning. From it come the
//! [`Opcode`] and [`Instr`] enums, [`Instr::encode`] / [`Instr::decode`], the per-op
//! [`INFO`] table, the disassembler and `docs/register-isa.md` (see [`reference_doc`]).
//!
//! Public surface: [`Instr`], [`Opcode`], the operand newtypes ([`Reg`], [`ConstIdx`],
//! [`UpvalIdx`], [`ProtoIdx`], [`JumpOffset`], [`Imm`], [`Count`], [`Flag`], [`Payload`]),
//! [`RegCode`] (a proc's register code and its side tables), [`disassemble`], and the
//! superinstruction table ([`FUSED`], [`fused_parts`], [`fuse`], [`unfuse_word`]).
//! This module is pure data: it knows nothing of the runtime.

mod code;
mod disasm;
mod doc;
mod fused;
mod instr;
mod operand;
pub mod raw;
mod table;

pub use code::RegCode;
pub use disasm::{disassemble, disassemble_word, show_const};
pub use doc::reference_doc;
pub use fused::{fuse, fused_parts, unfuse_word, FUSED};
pub use instr::{flags, opnum, DecodeError, FieldInfo, Instr, OpInfo, Opcode, INFO};
pub use operand::{
    get as get_field, put as put_field, ConstIdx, Count, EncodeError, Field, Flag, Format, Imm,
    JumpOffset, Payload, ProtoIdx, Reg, Slot, UpvalIdx,
};

#[cfg(test)]
mod tests;
