//! The binary form of stack bytecode (`.sbc`).
//!
//! Layout (all multi-byte integers are LEB128 varints unless said otherwise; the byte-by-byte
//! description is in `docs/stack-bytecode.md`):
//!
//! ```text
//! header:  1B 53 42 43 ("\x1bSBC")  version (1 byte)  0D 0A 1A 0A
//! module:  chunkname (string)  main proc
//! proc:    line_defined  last_line  num_params (byte)
//!          flags (byte, bit 0 = vararg, bit 1 = stripped)
//!          num_locals  max_stack
//!          upvals: count, then per upvalue: kind (byte, 1 = parent local) index name
//!          consts: count, then per constant: tag (byte) payload
//!          code:   count, then per instruction: opcode (byte) operands
//!          lines:  one zigzag delta per instruction (the first from line_defined);
//!                  absent when the proc is stripped
//!          locals: count, then per local: name slot start_pc end_pc
//!          protos: count, then each child proc, recursively
//! ```
//!
//! The per-instruction encoding is derived from [`for_each_stack_op!`](crate::for_each_stack_op): the opcode is the
//! instruction's index in [`MNEMONICS`](super::op::MNEMONICS), and each operand is written
//! by its type's [`Operand`] implementation, so a new instruction needs no new code here.
//!
//! Reading never trusts its input: every count and length is checked against the bytes that
//! remain before anything is allocated, proc nesting is bounded by
//! [`MAX_NESTING`], and every failure is a [`StaticError`] that
//! says what was wrong and at which byte. Reading checks only the encoding; the caller runs
//! [`verify`](super::verify::verify) before executing anything.

use super::op::{ArithOp, CmpOp, ConstIdx, LocalSlot, Op, ProtoIdx, Target, UnOp, UpvalIdx};
use super::proto::{Constant, LocalInfo, Module, Proto, UpvalDesc};
use super::verify::MAX_NESTING;
use crate::runtime::error::StaticError;

/// The first four bytes of every `.sbc` file. The leading ESC byte can never start Lua
/// source text, so a loader can tell binary from source by the first byte (as lua5.4 does).
pub const SBC_MAGIC: [u8; 4] = *b"\x1bSBC";
/// The format version this build writes and reads.
pub const SBC_VERSION: u8 = 1;
/// Bytes after the version that catch files mangled by text-mode transfers (as in PNG).
pub const SBC_CHECK: [u8; 4] = [0x0D, 0x0A, 0x1A, 0x0A];

/// Proc flag bits.
const FLAG_VARARG: u8 = 1;
/// No line table follows the code (`string.dump(f, true)`; see [`Proto::strip`]).
const FLAG_STRIPPED: u8 = 2;

/// Constant tags of the binary form.
const TAG_NIL: u8 = 0;
const TAG_FALSE: u8 = 1;
const TAG_TRUE: u8 = 2;
const TAG_INT: u8 = 3;
const TAG_FLOAT: u8 = 4;
const TAG_STR: u8 = 5;

/// Serialises a module to the binary form.
pub fn write_sbc(m: &Module) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(&SBC_MAGIC);
    out.push(SBC_VERSION);
    out.extend_from_slice(&SBC_CHECK);
    write_bytes(&mut out, m.chunkname.as_bytes());
    // Pre-order walk with an explicit stack: a proc's fields, then its children in order.
    // Iterative so that no in-memory module, however deep, can overflow the Rust stack.
    let mut pending = vec![&m.main];
    while let Some(p) = pending.pop() {
        write_proc_fields(&mut out, p);
        pending.extend(p.protos.iter().rev());
    }
    out
}

/// Parses the binary form. The result still has to pass [`verify`](super::verify::verify)
/// before it is run.
pub fn read_sbc(bytes: &[u8]) -> Result<Module, StaticError> {
    let mut r = Reader { bytes, pos: 0 };
    r.expect_header()?;
    let chunkname = r.string("chunk name")?;
    let main = r.proc(1)?;
    if r.pos != bytes.len() {
        return Err(r.err(
            r.pos,
            format!("{} trailing bytes after the module", bytes.len() - r.pos),
        ));
    }
    Ok(Module { chunkname, main })
}

fn write_proc_fields(out: &mut Vec<u8>, p: &Proto) {
    write_uint(out, p.line_defined.into());
    write_uint(out, p.last_line.into());
    out.push(p.num_params);
    let stripped = p.is_stripped();
    let mut flags = 0;
    if p.is_vararg {
        flags |= FLAG_VARARG;
    }
    if stripped {
        flags |= FLAG_STRIPPED;
    }
    out.push(flags);
    write_uint(out, p.num_locals.into());
    write_uint(out, p.max_stack.into());

    write_len(out, p.upvals.len());
    for u in &p.upvals {
        out.push(u8::from(u.in_parent_local));
        write_uint(out, u.index.into());
        write_bytes(out, u.name.as_bytes());
    }

    write_len(out, p.consts.len());
    for k in &p.consts {
        match k {
            Constant::Nil => out.push(TAG_NIL),
            Constant::Bool(false) => out.push(TAG_FALSE),
            Constant::Bool(true) => out.push(TAG_TRUE),
            Constant::Int(i) => {
                out.push(TAG_INT);
                write_sint(out, *i);
            }
            Constant::Float(f) => {
                out.push(TAG_FLOAT);
                out.extend_from_slice(&f.to_bits().to_le_bytes());
            }
            Constant::Str(s) => {
                out.push(TAG_STR);
                write_bytes(out, s);
            }
        }
    }

    write_len(out, p.code.len());
    for op in &p.code {
        encode_op(op, out);
    }

    // One delta per instruction; an in-memory proc whose line table is too short is padded
    // with its last line so that the file stays readable (the verifier rejects it anyway).
    let mut prev = i64::from(p.line_defined);
    for pc in 0..if stripped { 0 } else { p.code.len() } {
        let line = p.lines.get(pc).or(p.lines.last()).copied().unwrap_or(0);
        write_sint(out, i64::from(line) - prev);
        prev = i64::from(line);
    }

    write_len(out, p.locals.len());
    for l in &p.locals {
        write_bytes(out, l.name.as_bytes());
        write_uint(out, l.slot.into());
        write_uint(out, l.start_pc.into());
        write_uint(out, l.end_pc.into());
    }

    write_len(out, p.protos.len());
}

fn write_uint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn write_sint(out: &mut Vec<u8>, v: i64) {
    write_uint(out, ((v << 1) ^ (v >> 63)) as u64);
}

fn write_len(out: &mut Vec<u8>, n: usize) {
    write_uint(out, n as u64);
}

fn write_bytes(out: &mut Vec<u8>, b: &[u8]) {
    write_len(out, b.len());
    out.extend_from_slice(b);
}

/// A cursor over untrusted input. Every read checks the remaining length first.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn err(&self, at: usize, reason: impl std::fmt::Display) -> StaticError {
        StaticError(format!("bad binary format: {reason} at byte {at}"))
    }

    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn truncated(&self, what: &str) -> StaticError {
        self.err(self.pos, format!("unexpected end of input in {what}"))
    }

    fn byte(&mut self, what: &str) -> Result<u8, StaticError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| self.truncated(what))?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&[u8], StaticError> {
        if n > self.remaining() {
            return Err(self.truncated(what));
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// An unsigned LEB128 value of at most 64 bits.
    fn varint(&mut self, what: &str) -> Result<u64, StaticError> {
        let start = self.pos;
        let mut v: u64 = 0;
        for i in 0..10 {
            let b = self.byte(what)?;
            let bits = u64::from(b & 0x7f);
            if i == 9 && b > 1 {
                return Err(self.err(start, format!("varint overflows 64 bits in {what}")));
            }
            v |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.err(start, format!("varint longer than 10 bytes in {what}")))
    }

    /// A varint that must fit in `T`.
    fn uint<T: TryFrom<u64>>(&mut self, what: &str) -> Result<T, StaticError> {
        let start = self.pos;
        let v = self.varint(what)?;
        T::try_from(v).map_err(|_| {
            self.err(
                start,
                format!("{what} {v} out of range for {}", std::any::type_name::<T>()),
            )
        })
    }

    fn sint(&mut self, what: &str) -> Result<i64, StaticError> {
        let z = self.varint(what)?;
        Ok(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    /// A count of items that each take at least one byte: bounded by the remaining input
    /// before the caller allocates anything for it.
    fn count(&mut self, what: &str) -> Result<usize, StaticError> {
        let start = self.pos;
        let n = self.varint(what)?;
        if n > self.remaining() as u64 {
            return Err(self.err(
                start,
                format!(
                    "{what} {n} exceeds the {} remaining bytes",
                    self.remaining()
                ),
            ));
        }
        Ok(n as usize)
    }

    fn byte_string(&mut self, what: &str) -> Result<Vec<u8>, StaticError> {
        let n = self.count(&format!("length of {what}"))?;
        Ok(self.take(n, what)?.to_vec())
    }

    fn string(&mut self, what: &str) -> Result<String, StaticError> {
        let start = self.pos;
        let b = self.byte_string(what)?;
        String::from_utf8(b)
            .map_err(|e| self.err(start, format!("{what} is not valid UTF-8 ({e})")))
    }

    fn flag(&mut self, what: &str) -> Result<bool, StaticError> {
        let at = self.pos;
        match self.byte(what)? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(self.err(at, format!("{what} must be 0 or 1, found {b}"))),
        }
    }

    fn expect_header(&mut self) -> Result<(), StaticError> {
        let magic = self.take(4, "header")?;
        if magic != SBC_MAGIC {
            return Err(self.err(0, "not a stack bytecode file (bad magic bytes)"));
        }
        let version = self.byte("header")?;
        if version != SBC_VERSION {
            return Err(self.err(
                4,
                format!(
                    "unsupported format version {version} (this build reads version {SBC_VERSION})"
                ),
            ));
        }
        let check = self.take(4, "header")?;
        if check != SBC_CHECK {
            return Err(self.err(
                5,
                "corrupted header check bytes (file altered by a text-mode transfer?)",
            ));
        }
        Ok(())
    }

    fn proc(&mut self, depth: usize) -> Result<Proto, StaticError> {
        if depth > MAX_NESTING {
            return Err(self.err(
                self.pos,
                format!("functions nested deeper than {MAX_NESTING} levels"),
            ));
        }
        let line_defined = self.uint("line_defined")?;
        let last_line = self.uint("last_line")?;
        let num_params = self.byte("num_params")?;
        let flags_at = self.pos;
        let flags = self.byte("proc flags")?;
        if flags & !(FLAG_VARARG | FLAG_STRIPPED) != 0 {
            return Err(self.err(flags_at, format!("unknown proc flags {flags:#04x}")));
        }
        let stripped = flags & FLAG_STRIPPED != 0;
        let num_locals = self.uint("num_locals")?;
        let max_stack = self.uint("max_stack")?;

        let n = self.count("upvalue count")?;
        let mut upvals = Vec::with_capacity(n.min(256));
        for _ in 0..n {
            let in_parent_local = self.flag("upvalue kind")?;
            let index = self.uint("upvalue index")?;
            let name = self.string("upvalue name")?;
            upvals.push(UpvalDesc {
                in_parent_local,
                index,
                name,
            });
        }

        let n = self.count("constant count")?;
        let mut consts = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            let at = self.pos;
            consts.push(match self.byte("constant")? {
                TAG_NIL => Constant::Nil,
                TAG_FALSE => Constant::Bool(false),
                TAG_TRUE => Constant::Bool(true),
                TAG_INT => Constant::Int(self.sint("integer constant")?),
                TAG_FLOAT => {
                    let b = self.take(8, "float constant")?;
                    let mut a = [0u8; 8];
                    a.copy_from_slice(b);
                    Constant::Float(f64::from_bits(u64::from_le_bytes(a)))
                }
                TAG_STR => Constant::Str(self.byte_string("string constant")?),
                t => return Err(self.err(at, format!("unknown constant tag {t}"))),
            });
        }

        let n = self.count("instruction count")?;
        let mut code = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            code.push(decode_op(self)?);
        }

        // The line table has exactly one entry per instruction (none when stripped); check
        // the bytes are there (each delta takes at least one) before allocating.
        let n = if stripped { 0 } else { n };
        if n > self.remaining() {
            return Err(self.truncated("line table"));
        }
        let mut lines = Vec::with_capacity(n);
        let mut prev = i64::from(line_defined);
        for _ in 0..n {
            let at = self.pos;
            let line = prev
                .checked_add(self.sint("line delta")?)
                .and_then(|l| u32::try_from(l).ok())
                .ok_or_else(|| self.err(at, "line number out of range"))?;
            lines.push(line);
            prev = i64::from(line);
        }

        let n = self.count("local count")?;
        let mut locals = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            let name = self.string("local name")?;
            let slot = self.uint("local slot")?;
            let start_pc = self.uint("local start_pc")?;
            let end_pc = self.uint("local end_pc")?;
            locals.push(LocalInfo {
                name,
                slot,
                start_pc,
                end_pc,
            });
        }

        let n = self.count("child proc count")?;
        let mut protos = Vec::with_capacity(n.min(256));
        for _ in 0..n {
            protos.push(self.proc(depth + 1)?);
        }

        Ok(Proto {
            line_defined,
            last_line,
            num_params,
            is_vararg: flags & 1 != 0,
            num_locals,
            max_stack,
            upvals,
            consts,
            code,
            lines,
            locals,
            protos,
        })
    }
}

/// An instruction operand type: how it is written in the binary form.
pub trait Operand: Sized + Copy {
    /// How the operand is encoded, for the format document.
    const ENCODING: &'static str;
    fn encode(self, out: &mut Vec<u8>);
    fn decode(r: &mut Reader<'_>) -> Result<Self, StaticError>;
    /// The smallest and largest values (for round-trip tests at the operand limits).
    fn limits() -> [Self; 2];
}

impl Operand for u8 {
    const ENCODING: &'static str = "byte";
    fn encode(self, out: &mut Vec<u8>) {
        out.push(self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, StaticError> {
        r.byte("instruction operand")
    }
    fn limits() -> [Self; 2] {
        [0, u8::MAX]
    }
}

impl Operand for bool {
    const ENCODING: &'static str = "byte 0/1";
    fn encode(self, out: &mut Vec<u8>) {
        out.push(u8::from(self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, StaticError> {
        r.flag("boolean operand")
    }
    fn limits() -> [Self; 2] {
        [false, true]
    }
}

macro_rules! varint_operand {
    ($($ty:ty => $wrap:expr, $unwrap:expr, $max:expr;)*) => {$(
        impl Operand for $ty {
            const ENCODING: &'static str = "varint";
            fn encode(self, out: &mut Vec<u8>) {
                #[allow(clippy::redundant_closure_call)]
                write_uint(out, ($unwrap)(self).into());
            }
            fn decode(r: &mut Reader<'_>) -> Result<Self, StaticError> {
                #[allow(clippy::redundant_closure_call)]
                Ok(($wrap)(r.uint("instruction operand")?))
            }
            fn limits() -> [Self; 2] {
                #[allow(clippy::redundant_closure_call)]
                [($wrap)(0), ($wrap)($max)]
            }
        }
    )*};
}

varint_operand! {
    u16 => |v| v, |v| v, u16::MAX;
    u32 => |v| v, |v| v, u32::MAX;
    LocalSlot => LocalSlot, |v: LocalSlot| v.0, u16::MAX;
    UpvalIdx => UpvalIdx, |v: UpvalIdx| v.0, u16::MAX;
    ConstIdx => ConstIdx, |v: ConstIdx| v.0, u32::MAX;
    ProtoIdx => ProtoIdx, |v: ProtoIdx| v.0, u32::MAX;
    Target => Target, |v: Target| v.0, u32::MAX;
}

impl Operand for i64 {
    const ENCODING: &'static str = "zigzag varint";
    fn encode(self, out: &mut Vec<u8>) {
        write_sint(out, self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, StaticError> {
        r.sint("integer operand")
    }
    fn limits() -> [Self; 2] {
        [i64::MIN, i64::MAX]
    }
}

macro_rules! enum_operand {
    ($($ty:ident, $what:literal;)*) => {$(
        impl Operand for $ty {
            const ENCODING: &'static str = "byte (index in declaration order)";
            fn encode(self, out: &mut Vec<u8>) {
                // ALL lists every variant, so the position always exists.
                let i = $ty::ALL.iter().position(|&x| x == self).unwrap_or(0);
                out.push(i as u8);
            }
            fn decode(r: &mut Reader<'_>) -> Result<Self, StaticError> {
                let at = r.pos;
                let b = r.byte($what)?;
                $ty::ALL
                    .get(usize::from(b))
                    .copied()
                    .ok_or_else(|| r.err(at, format!("unknown {} {b}", $what)))
            }
            fn limits() -> [Self; 2] {
                [$ty::ALL[0], $ty::ALL[$ty::ALL.len() - 1]]
            }
        }
    )*};
}

enum_operand! {
    ArithOp, "arithmetic operator";
    CmpOp, "comparison operator";
    UnOp, "unary operator";
}

macro_rules! define_codec {
    ($( $(#[$doc:meta])* $name:ident { $($field:ident : $ty:ty),* } = ($pops:expr, $pushes:expr), $sem:literal; )*) => {
        /// Opcode numbers: an instruction's position in the table.
        #[allow(dead_code)]
        #[repr(u8)]
        enum Opcode { $($name),* }

        /// The binary opcode of an instruction (its index in `MNEMONICS`).
        pub fn opcode(op: &Op) -> u8 {
            match op { $( Op::$name { .. } => Opcode::$name as u8, )* }
        }

        fn encode_op(op: &Op, out: &mut Vec<u8>) {
            out.push(opcode(op));
            match *op {
                $( Op::$name { $($field),* } => { $( Operand::encode($field, out); )* } )*
            }
        }

        fn decode_op(r: &mut Reader<'_>) -> Result<Op, StaticError> {
            let at = r.pos;
            let code = r.byte("instruction")?;
            $(
                if code == Opcode::$name as u8 {
                    return Ok(Op::$name { $($field: <$ty as Operand>::decode(r)?),* });
                }
            )*
            Err(r.err(at, format!("unknown opcode {code}")))
        }

        /// Every instruction with all operands at their minimum (`max == false`) or maximum.
        pub fn ops_at_limits(max: bool) -> Vec<Op> {
            let i = usize::from(max);
            vec![$( Op::$name { $($field: <$ty as Operand>::limits()[i]),* } ),*]
        }

        /// The operands of each instruction, in opcode order: `(name, type, encoding)`.
        pub const OPERANDS: &[&[(&str, &str, &str)]] = &[
            $( &[$( (stringify!($field), stringify!($ty), <$ty as Operand>::ENCODING) ),*] ),*
        ];
    };
}

crate::for_each_stack_op!(define_codec);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::op::MNEMONICS;

    fn module_with(code: Vec<Op>) -> Module {
        let n = code.len();
        Module {
            chunkname: "@t.lua".into(),
            main: Proto {
                line_defined: 0,
                last_line: 0,
                num_params: 0,
                is_vararg: true,
                num_locals: 0,
                max_stack: 0,
                upvals: vec![],
                consts: vec![],
                code,
                lines: (0..n as u32).map(|i| i * 7 % 5 + 1).collect(),
                locals: vec![],
                protos: vec![],
            },
        }
    }

    #[test]
    fn opcodes_follow_the_mnemonic_table() {
        for op in ops_at_limits(false) {
            assert_eq!(MNEMONICS[usize::from(opcode(&op))], op.name());
        }
        assert_eq!(OPERANDS.len(), MNEMONICS.len());
    }

    #[test]
    fn every_op_round_trips_at_its_limits() {
        for max in [false, true] {
            let m = module_with(ops_at_limits(max));
            let bytes = write_sbc(&m);
            assert_eq!(read_sbc(&bytes).unwrap(), m);
        }
    }

    #[test]
    fn stripped_procs_round_trip_without_line_tables() {
        let mut m = module_with(ops_at_limits(false));
        let full = write_sbc(&m);
        m.main.protos.push(m.main.clone());
        m.main.strip();
        assert!(m.main.is_stripped() && m.main.protos[0].is_stripped());
        assert!(m.main.locals.is_empty());
        let bytes = write_sbc(&m);
        assert!(bytes.len() < 2 * full.len());
        let back = read_sbc(&bytes).unwrap();
        assert_eq!(back, m);
        // The main proc's flags byte follows the header, the chunk name and three fields
        // of one byte each; an unknown bit there is still rejected.
        let flags_at = SBC_MAGIC.len() + 1 + SBC_CHECK.len() + 1 + "@t.lua".len() + 3;
        assert_eq!(bytes[flags_at], FLAG_VARARG | FLAG_STRIPPED);
        let mut bad = bytes.clone();
        bad[flags_at] |= 4;
        assert!(read_sbc(&bad).is_err());
    }

    #[test]
    fn varints() {
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut out = vec![];
            write_uint(&mut out, v);
            let mut r = Reader {
                bytes: &out,
                pos: 0,
            };
            assert_eq!(r.varint("x").unwrap(), v);
            assert_eq!(r.pos, out.len());
        }
        for v in [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            let mut out = vec![];
            write_sint(&mut out, v);
            let mut r = Reader {
                bytes: &out,
                pos: 0,
            };
            assert_eq!(r.sint("x").unwrap(), v);
        }
        // 11 continuation bytes, and a 10th byte with bits beyond 64.
        let mut r = Reader {
            bytes: &[0xff; 11],
            pos: 0,
        };
        assert!(r.varint("x").unwrap_err().0.contains("overflows"));
    }
}
