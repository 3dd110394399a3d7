//! Everything derived from [`for_each_reg_op!`]: the opcode enum, the typed instruction
//! enum, the encoder, the decoder and the per-op information table.

use super::operand::{
    get, put, ConstIdx, Count, EncodeError, Field, Flag, Format, Imm, JumpOffset, Payload,
    ProtoIdx, Reg, Slot, UpvalIdx,
};

/// Instruction flags (see [`OpInfo::flags`]).
pub mod flags {
    /// May raise a Lua error: the interpreter saves its pc first.
    pub const RAISE: u8 = 1;
    /// May run Lua code (a call, or later a metamethod): a safepoint may happen inside.
    pub const CALL: u8 = 2;
    /// May transfer control somewhere else than the next instruction.
    pub const JUMP: u8 = 4;
    /// Never falls through to the next instruction.
    pub const ENDS: u8 = 8;
    /// Allocates: a GC safepoint follows it.
    pub const ALLOC: u8 = 16;
    /// Always followed by an `ExtraArg` word.
    pub const EXTRA: u8 = 32;
    /// Conditional: always followed by the `Jmp` it guards.
    pub const COND: u8 = 64;
    /// Superinstruction: also runs the following word (see `isa::fused`).
    pub const FUSED: u8 = 128;

    /// Names, for the documentation.
    pub const NAMES: [(u8, &str); 8] = [
        (RAISE, "raise"),
        (CALL, "call"),
        (JUMP, "jump"),
        (ENDS, "ends"),
        (ALLOC, "alloc"),
        (EXTRA, "extra"),
        (COND, "cond"),
        (FUSED, "fused"),
    ];
}

/// One operand of an instruction, as declared.
#[derive(Clone, Copy, Debug)]
pub struct FieldInfo {
    pub name: &'static str,
    pub ty: &'static str,
    pub slot: Slot,
    pub signed: bool,
}

/// Static information about an opcode.
#[derive(Clone, Copy, Debug)]
pub struct OpInfo {
    pub name: &'static str,
    pub format: Format,
    pub fields: &'static [FieldInfo],
    pub flags: u8,
    pub semantics: &'static str,
    pub doc: &'static str,
}

impl OpInfo {
    #[inline]
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// A word whose opcode byte is not an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeError(pub u32);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid register instruction {:#010x}", self.0)
    }
}

impl std::error::Error for DecodeError {}

macro_rules! define_reg_ops {
    ($( $(#[doc = $doc:literal])* $name:ident : $fmt:ident
        { $($f:ident : $ty:ident @ $slot:ident),* } [$($flag:ident),*] $sem:literal; )*) => {
        /// Opcode numbers, in table order.
        #[repr(u8)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Opcode {
            $( $name, )*
        }

        impl Opcode {
            /// Every opcode, indexed by its number.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name),*];

            #[inline(always)]
            pub fn from_u8(b: u8) -> Option<Opcode> {
                Self::ALL.get(b as usize).copied()
            }

            #[inline]
            pub fn info(self) -> &'static OpInfo {
                &INFO[self as usize]
            }
        }

        /// Opcode numbers as `u8` constants, to match the low byte of a raw word
        /// (`match w as u8 { opnum::Move => .. }`) in hot loops that do not build an
        /// [`Instr`].
        #[allow(non_upper_case_globals)]
        pub mod opnum {
            $( pub const $name: u8 = super::Opcode::$name as u8; )*
        }
        /// Per-opcode information, indexed by opcode number.
        pub static INFO: &[OpInfo] = &[$(
            OpInfo {
                name: stringify!($name),
                format: Format::$fmt,
                fields: &[$(FieldInfo {
                    name: stringify!($f),
                    ty: stringify!($ty),
                    slot: Slot::$slot,
                    signed: <$ty as Field>::SIGNED,
                }),*],
                flags: 0 $(| flags::$flag)*,
                semantics: $sem,
                doc: concat!("" $(, $doc)*),
            }
        ),*];

        /// A decoded register instruction with typed operands.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Instr {
            $( $(#[doc = $doc])* #[doc = concat!("`", $sem, "`")] $name { $($f: $ty),* }, )*
        }

        impl Instr {
            #[inline]
            pub fn opcode(&self) -> Opcode {
                match self { $( Instr::$name { .. } => Opcode::$name, )* }
            }

            /// The 32-bit word, or which operand does not fit its slot.
            pub fn encode(&self) -> Result<u32, EncodeError> {
                match *self {
                    $( Instr::$name { $($f),* } => {
                        #[allow(unused_mut)]
                        let mut w = Opcode::$name as u32;
                        $(
                            w |= put($f, Slot::$slot).ok_or(EncodeError {
                                op: stringify!($name),
                                field: stringify!($f),
                                value: $f.to_raw(),
                            })?;
                        )*
                        Ok(w)
                    } )*
                }
            }

            /// Decodes any word; bits outside the op's slots are ignored. Never panics.
            #[inline(always)]
            pub fn decode(w: u32) -> Result<Instr, DecodeError> {
                let Some(op) = Opcode::from_u8(w as u8) else {
                    return Err(DecodeError(w));
                };
                Ok(match op {
                    $( Opcode::$name => Instr::$name { $($f: get::<$ty>(w, Slot::$slot)),* }, )*
                })
            }

            /// Operands as disassembly text; `next_pc` is the pc after this word.
            #[allow(unused_assignments)]
            pub fn show_operands(&self, next_pc: usize, out: &mut String) {
                match *self {
                    $( Instr::$name { $($f),* } => {
                        #[allow(unused_mut, unused_variables, unused_assignments)]
                        let mut first = true;
                        $(
                            if !first {
                                out.push(' ');
                            }
                            first = false;
                            $f.show(next_pc, out);
                        )*
                    } )*
                }
            }
        }
    };
}

crate::for_each_reg_op!(define_reg_ops);

impl Instr {
    #[inline]
    pub fn info(&self) -> &'static OpInfo {
        self.opcode().info()
    }

    #[inline]
    pub fn name(&self) -> &'static str {
        self.info().name
    }
}
