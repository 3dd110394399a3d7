//! Binary packing: `string.pack`, `string.packsize` and `string.unpack`, with the format
//! language, checks and messages of lstrlib.c in Lua 5.4.4.
//!
//! A format is read one option at a time by [`Parser::details`], which also says how many
//! padding bytes align the option at the current offset. The state carried between options
//! is only the endianness (`<` `>` `=`) and the maximum alignment (`!`, default 1).
//! Integers are two's complement of 1 to 16 bytes: sizes above 8 are sign-extended when
//! packing and must hold a value that fits in an `i64` when unpacking.

use super::{arg_error, check_int, check_number, check_str, opt_int, push_str};
use crate::runtime::{LuaError, Value, Vm};

/// `MAXINTSIZE`: the largest integer size an option may ask for.
const MAX_INT_SIZE: usize = 16;
/// `MAXSIZE` on 64-bit machines: sizes and the total are limited to `INT_MAX`.
const MAX_SIZE: usize = i32::MAX as usize;
/// Bytes of a Lua integer (`SZINT`).
const SZINT: usize = 8;
/// The default maximum alignment of `!` (`offsetof(struct cD, u)`).
const NATIVE_ALIGN: usize = 8;

/// What one format option does (lstrlib.c's `KOption`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Int,
    Uint,
    Float,
    /// `n` and `d`: both a `double` here.
    Double,
    /// `cN`: a fixed-size string.
    Char,
    /// `s[N]`: a string preceded by its length.
    Str,
    /// `z`: a zero-terminated string.
    Zstr,
    /// `x`: one byte of padding.
    Padding,
    /// `Xop`: alignment padding only.
    PadAlign,
    /// Spaces and the configuration options.
    Nop,
}

/// How an option failed: a plain error (`luaL_error`) or one about argument 1, the format
/// (`luaL_argerror`).
enum FmtError {
    /// Bytes: an invalid option is quoted as it is, even when not UTF-8.
    Plain(Vec<u8>),
    Arg1(&'static str),
}

/// The format being read and the state its options set.
struct Parser<'a> {
    fmt: &'a [u8],
    pos: usize,
    little: bool,
    max_align: usize,
}

impl<'a> Parser<'a> {
    fn new(fmt: &'a [u8]) -> Self {
        Parser {
            fmt,
            pos: 0,
            little: cfg!(target_endian = "little"),
            max_align: 1,
        }
    }

    fn done(&self) -> bool {
        self.pos >= self.fmt.len()
    }

    fn peek(&self) -> Option<u8> {
        self.fmt.get(self.pos).copied()
    }

    /// An optional decimal size (`getnum`): digits stop being read once the value could
    /// overflow `MAXSIZE`, exactly where lua5.4 stops.
    fn num(&mut self, default: usize) -> usize {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let mut a = 0usize;
                loop {
                    a = a * 10 + usize::from(self.fmt[self.pos] - b'0');
                    self.pos += 1;
                    match self.peek() {
                        Some(c) if c.is_ascii_digit() && a <= (MAX_SIZE - 9) / 10 => {}
                        _ => return a,
                    }
                }
            }
            _ => default,
        }
    }

    /// A size limited to `1..=16` (`getnumlimit`).
    fn num_limit(&mut self, default: usize) -> Result<usize, FmtError> {
        let sz = self.num(default);
        if sz > MAX_INT_SIZE || sz == 0 {
            let m = format!("integral size ({sz}) out of limits [1,{MAX_INT_SIZE}]");
            return Err(FmtError::Plain(m.into_bytes()));
        }
        Ok(sz)
    }

    /// Reads one option (`getoption`): its kind and size.
    fn option(&mut self) -> Result<(Kind, usize), FmtError> {
        let opt = self.fmt[self.pos];
        self.pos += 1;
        Ok(match opt {
            b'b' => (Kind::Int, 1),
            b'B' => (Kind::Uint, 1),
            b'h' => (Kind::Int, 2),
            b'H' => (Kind::Uint, 2),
            b'l' | b'j' => (Kind::Int, 8),
            b'L' | b'J' | b'T' => (Kind::Uint, 8),
            b'f' => (Kind::Float, 4),
            b'n' | b'd' => (Kind::Double, 8),
            b'i' => (Kind::Int, self.num_limit(4)?),
            b'I' => (Kind::Uint, self.num_limit(4)?),
            b's' => (Kind::Str, self.num_limit(8)?),
            b'c' => match self.peek() {
                Some(c) if c.is_ascii_digit() => (Kind::Char, self.num(0)),
                _ => {
                    return Err(FmtError::Plain(
                        b"missing size for format option 'c'".to_vec(),
                    ))
                }
            },
            b'z' => (Kind::Zstr, 0),
            b'x' => (Kind::Padding, 1),
            b'X' => (Kind::PadAlign, 0),
            b' ' => (Kind::Nop, 0),
            b'<' => {
                self.little = true;
                (Kind::Nop, 0)
            }
            b'>' => {
                self.little = false;
                (Kind::Nop, 0)
            }
            b'=' => {
                self.little = cfg!(target_endian = "little");
                (Kind::Nop, 0)
            }
            b'!' => {
                self.max_align = self.num_limit(NATIVE_ALIGN)?;
                (Kind::Nop, 0)
            }
            c => {
                let mut m = b"invalid format option '".to_vec();
                m.extend([c, b'\'']);
                return Err(FmtError::Plain(m));
            }
        })
    }

    /// Reads one option and computes the padding that aligns it at offset `total`
    /// (`getdetails`): `(kind, size, padding)`.
    fn details(&mut self, total: usize) -> Result<(Kind, usize, usize), FmtError> {
        let (kind, size) = self.option()?;
        let mut align = size;
        if kind == Kind::PadAlign {
            const BAD_X: &str = "invalid next option for option 'X'";
            if self.done() {
                return Err(FmtError::Arg1(BAD_X));
            }
            let (next, next_size) = self.option()?;
            align = next_size;
            if next == Kind::Char || align == 0 {
                return Err(FmtError::Arg1(BAD_X));
            }
        }
        let pad = if align <= 1 || kind == Kind::Char {
            0
        } else {
            let align = align.min(self.max_align);
            if !align.is_power_of_two() {
                return Err(FmtError::Arg1("format asks for alignment not power of 2"));
            }
            (align - (total & (align - 1))) & (align - 1)
        };
        Ok((kind, size, pad))
    }
}

/// Turns a format error into the Lua error of function `fname`.
fn raise(vm: &mut Vm, fname: &str, e: FmtError) -> LuaError {
    match e {
        FmtError::Plain(m) => {
            let mut full = vm.where_(1).into_bytes();
            full.extend_from_slice(&m);
            LuaError::new(vm.str_value(&full))
        }
        FmtError::Arg1(m) => arg_error(vm, 1, fname, m),
    }
}

/// Appends the low `size` bytes of `n` in the given byte order; sizes above 8 are
/// filled with the sign (`packint`).
fn pack_int(out: &mut Vec<u8>, n: u64, little: bool, size: usize, neg: bool) {
    let fill = if neg { 0xFF } else { 0 };
    let start = out.len();
    for i in 0..size {
        out.push(if i < SZINT {
            (n >> (8 * i)) as u8
        } else {
            fill
        });
    }
    if !little {
        out[start..].reverse();
    }
}

/// Reads a `size`-byte integer (`unpackint`); `None` when a size above 8 holds a value
/// that does not fit in a Lua integer.
fn unpack_int(bytes: &[u8], little: bool, signed: bool) -> Option<i64> {
    let size = bytes.len();
    let at = |i: usize| {
        if little {
            bytes[i]
        } else {
            bytes[size - 1 - i]
        }
    };
    let limit = size.min(SZINT);
    let mut res: u64 = 0;
    for i in (0..limit).rev() {
        res = (res << 8) | u64::from(at(i));
    }
    if size < SZINT {
        if signed {
            let mask = 1u64 << (size * 8 - 1);
            res = (res ^ mask).wrapping_sub(mask);
        }
    } else if size > SZINT {
        let fill = if !signed || (res as i64) >= 0 {
            0
        } else {
            0xFF
        };
        if (limit..size).any(|i| at(i) != fill) {
            return None;
        }
    }
    Some(res as i64)
}

/// `string.pack(fmt, v1, v2, ...)`.
pub fn pack(vm: &mut Vm) -> Result<usize, LuaError> {
    const F: &str = "pack";
    let f = check_str(vm, 1, F)?;
    let fmt = vm.heap.str(f).to_vec();
    // Like lstrlib.c's `lua_pushnil` mark: the first missing value reads as nil.
    vm.push(Value::Nil);
    let mut p = Parser::new(&fmt);
    let mut out: Vec<u8> = Vec::new();
    let mut arg = 1;
    let mut total = 0usize;
    while !p.done() {
        let (kind, size, pad) = p.details(total).map_err(|e| raise(vm, F, e))?;
        total += pad + size;
        out.resize(out.len() + pad, 0);
        arg += 1;
        match kind {
            Kind::Int => {
                let n = check_int(vm, arg, F)?;
                if size < SZINT {
                    let lim = 1i64 << (size * 8 - 1);
                    if !(-lim <= n && n < lim) {
                        return Err(arg_error(vm, arg, F, "integer overflow"));
                    }
                }
                pack_int(&mut out, n as u64, p.little, size, n < 0);
            }
            Kind::Uint => {
                let n = check_int(vm, arg, F)?;
                if size < SZINT && (n as u64) >= (1u64 << (size * 8)) {
                    return Err(arg_error(vm, arg, F, "unsigned overflow"));
                }
                pack_int(&mut out, n as u64, p.little, size, false);
            }
            Kind::Float => {
                let x = check_number(vm, arg, F)? as f32;
                out.extend(if p.little {
                    x.to_le_bytes()
                } else {
                    x.to_be_bytes()
                });
            }
            Kind::Double => {
                let x = check_number(vm, arg, F)?;
                out.extend(if p.little {
                    x.to_le_bytes()
                } else {
                    x.to_be_bytes()
                });
            }
            Kind::Char => {
                let s = check_str(vm, arg, F)?;
                let bytes = vm.heap.str(s);
                if bytes.len() > size {
                    return Err(arg_error(vm, arg, F, "string longer than given size"));
                }
                out.extend_from_slice(bytes);
                out.resize(out.len() + size - bytes.len(), 0);
            }
            Kind::Str => {
                let s = check_str(vm, arg, F)?;
                let len = vm.heap.str(s).len();
                if size < SZINT && (len as u64) >= (1u64 << (size * 8)) {
                    return Err(arg_error(
                        vm,
                        arg,
                        F,
                        "string length does not fit in given size",
                    ));
                }
                pack_int(&mut out, len as u64, p.little, size, false);
                out.extend_from_slice(vm.heap.str(s));
                total += len;
            }
            Kind::Zstr => {
                let s = check_str(vm, arg, F)?;
                let bytes = vm.heap.str(s);
                if bytes.contains(&0) {
                    return Err(arg_error(vm, arg, F, "string contains zeros"));
                }
                out.extend_from_slice(bytes);
                out.push(0);
                total += bytes.len() + 1;
            }
            Kind::Padding => {
                out.push(0);
                arg -= 1;
            }
            Kind::PadAlign | Kind::Nop => arg -= 1,
        }
    }
    push_str(vm, &out);
    Ok(1)
}

/// `string.packsize(fmt)`.
pub fn packsize(vm: &mut Vm) -> Result<usize, LuaError> {
    const F: &str = "packsize";
    let f = check_str(vm, 1, F)?;
    let fmt = vm.heap.str(f).to_vec();
    let mut p = Parser::new(&fmt);
    let mut total = 0usize;
    while !p.done() {
        let (kind, size, pad) = p.details(total).map_err(|e| raise(vm, F, e))?;
        if kind == Kind::Str || kind == Kind::Zstr {
            return Err(arg_error(vm, 1, F, "variable-length format"));
        }
        let size = size + pad;
        if total > MAX_SIZE - size.min(MAX_SIZE) {
            return Err(arg_error(vm, 1, F, "format result too large"));
        }
        total += size;
    }
    vm.push(Value::Int(total as i64));
    Ok(1)
}

/// `string.unpack(fmt, s [, pos])`: the values, then the position after the last byte read.
pub fn unpack(vm: &mut Vm) -> Result<usize, LuaError> {
    const F: &str = "unpack";
    let f = check_str(vm, 1, F)?;
    let fmt = vm.heap.str(f).to_vec();
    let d = check_str(vm, 2, F)?;
    let ld = vm.heap.get(d).len();
    let mut pos = super::string::pos_start(opt_int(vm, 3, F, 1)?, ld) - 1;
    if pos > ld {
        return Err(arg_error(vm, 3, F, "initial position out of string"));
    }
    let mut p = Parser::new(&fmt);
    let mut n = 0;
    while !p.done() {
        let (kind, size, pad) = p.details(pos).map_err(|e| raise(vm, F, e))?;
        if pad.saturating_add(size) > ld - pos {
            return Err(arg_error(vm, 2, F, "data string too short"));
        }
        pos += pad;
        if vm.stack.len() + 2 > vm.stack_limit {
            return Err(vm.lib_error("stack overflow (too many results)"));
        }
        n += 1;
        let data = vm.heap.str(d);
        match kind {
            Kind::Int | Kind::Uint => {
                match unpack_int(&data[pos..pos + size], p.little, kind == Kind::Int) {
                    Some(v) => vm.push(Value::Int(v)),
                    None => {
                        let m = format!("{size}-byte integer does not fit into Lua Integer");
                        return Err(vm.lib_error(&m));
                    }
                }
            }
            Kind::Float => {
                let mut b = [0u8; 4];
                b.copy_from_slice(&data[pos..pos + 4]);
                let x = if p.little {
                    f32::from_le_bytes(b)
                } else {
                    f32::from_be_bytes(b)
                };
                vm.push(Value::Float(f64::from(x)));
            }
            Kind::Double => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&data[pos..pos + 8]);
                let x = if p.little {
                    f64::from_le_bytes(b)
                } else {
                    f64::from_be_bytes(b)
                };
                vm.push(Value::Float(x));
            }
            Kind::Char => {
                let bytes = data[pos..pos + size].to_vec();
                push_str(vm, &bytes);
            }
            Kind::Str => {
                let len = unpack_int(&data[pos..pos + size], p.little, false);
                let len = match len {
                    Some(l) => l as u64,
                    None => {
                        let m = format!("{size}-byte integer does not fit into Lua Integer");
                        return Err(vm.lib_error(&m));
                    }
                };
                if len > (ld - pos - size) as u64 {
                    return Err(arg_error(vm, 2, F, "data string too short"));
                }
                let len = len as usize;
                let bytes = data[pos + size..pos + size + len].to_vec();
                push_str(vm, &bytes);
                pos += len;
            }
            Kind::Zstr => {
                let len = data[pos..].iter().position(|&c| c == 0);
                let Some(len) = len else {
                    return Err(arg_error(vm, 2, F, "unfinished string for format 'z'"));
                };
                let bytes = data[pos..pos + len].to_vec();
                push_str(vm, &bytes);
                pos += len + 1;
            }
            Kind::PadAlign | Kind::Padding | Kind::Nop => n -= 1,
        }
        pos += size;
    }
    vm.push(Value::Int(pos as i64 + 1));
    Ok(n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_round_trip_at_every_size() {
        for size in 1..=16 {
            for little in [true, false] {
                for n in [0i64, 1, -1, 127, -128, i64::MAX, i64::MIN] {
                    if size < 8 {
                        let lim = 1i128 << (size * 8 - 1);
                        if !(-lim..lim).contains(&i128::from(n)) {
                            continue;
                        }
                    }
                    let mut out = Vec::new();
                    pack_int(&mut out, n as u64, little, size, n < 0);
                    assert_eq!(out.len(), size);
                    assert_eq!(unpack_int(&out, little, true), Some(n));
                }
            }
        }
    }

    #[test]
    fn wide_ints_must_fit() {
        let mut b = vec![0u8; 9];
        b[8] = 1;
        assert_eq!(unpack_int(&b, true, true), None);
        assert_eq!(unpack_int(&[0xFF; 9], true, true), Some(-1));
        assert_eq!(unpack_int(&[0xFF; 9], true, false), None);
    }

    #[test]
    fn sizes_stop_like_lua() {
        let mut p = Parser::new(b"2147483647");
        assert_eq!(p.num(0), 214748364);
        assert_eq!(p.peek(), Some(b'7'));
    }
}
