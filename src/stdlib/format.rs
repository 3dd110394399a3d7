//! The engine of `string.format`, independent of the VM's value types.
//!
//! The VM describes its arguments through [`FormatArgs`]; [`format()`] walks the
//! format string exactly like lua5.4's `str_format` (same checks, same order
//! of checks, same messages) and does all printf conversions in Rust, with the
//! float text coming from [`crate::runtime::number::write_float_conv`].

use crate::runtime::number::{float_to_int, str_to_number, write_float_conv, Num, F2I};
use std::fmt;

/// One argument as `string.format` sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FmtArg<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a [u8]),
    /// Any other value, with the name `luaL_typeerror` would use for it
    /// (its `__name` metafield if that is a string, else its type name).
    Other(&'a str),
}

/// The arguments after the format string, indexed from 0 (Lua's argument #2).
pub trait FormatArgs {
    /// What `tostring` may raise (e.g. an error thrown by `__tostring`).
    type Error;
    /// How many arguments follow the format string.
    fn count(&self) -> usize;
    /// Argument `i` (`i < count()`).
    fn arg(&self, i: usize) -> FmtArg<'_>;
    /// Appends `luaL_tolstring` of argument `i` (honouring `__tostring` and
    /// `__name`) to `out`.
    fn tostring(&mut self, i: usize, out: &mut Vec<u8>) -> Result<(), Self::Error>;
    /// `lua_topointer` of argument `i` for `%p`; 0 (NULL) for values that
    /// are not objects, printed as `(null)`.
    fn pointer(&self, i: usize) -> usize {
        let _ = i;
        0
    }
}

/// Why `string.format` failed.
#[derive(Clone, Debug, PartialEq)]
pub enum FormatError<E> {
    /// `bad argument #arg to 'format' (msg)`; `arg` counts the format string
    /// as #1 (a method call `fmt:format(...)` should show `arg - 1`).
    Arg { arg: usize, msg: String },
    /// A `luaL_error` message (the caller adds the position).
    Msg(String),
    /// An error raised by [`FormatArgs::tostring`].
    Host(E),
}

impl<E: fmt::Display> fmt::Display for FormatError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Arg { arg, msg } => write!(f, "bad argument #{arg} to 'format' ({msg})"),
            FormatError::Msg(m) => f.write_str(m),
            FormatError::Host(e) => e.fmt(f),
        }
    }
}

/// `MAX_FORMAT` in lstrlib.c: a conversion spec (flags, width, precision and
/// letter) of 22 characters or more is "too long".
const MAX_SPEC_LEN: usize = 32 - 10;
const FLAGS_FLOAT: &[u8] = b"-+ #0";
const FLAGS_HEX: &[u8] = b"-#0";
const FLAGS_INT: &[u8] = b"-+ 0";
const FLAGS_UNSIGNED: &[u8] = b"-0";
const FLAGS_CHAR: &[u8] = b"-";

/// A parsed conversion spec.
#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    space: bool,
    hash: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

/// `string.format(fmt, ...)`: the formatted bytes, or the error lua5.4 raises.
pub fn format<A: FormatArgs + ?Sized>(
    fmt: &[u8],
    args: &mut A,
) -> Result<Vec<u8>, FormatError<A::Error>> {
    let mut out = Vec::with_capacity(fmt.len() + 16);
    let mut pos = 0;
    let mut next_arg = 0; // 0-based index of the next argument to use
    while pos < fmt.len() {
        let c = fmt[pos];
        pos += 1;
        if c != b'%' {
            out.push(c);
            continue;
        }
        if fmt.get(pos) == Some(&b'%') {
            out.push(b'%');
            pos += 1;
            continue;
        }
        let i = next_arg;
        next_arg += 1;
        let lua_arg = i + 2;
        if i >= args.count() {
            return Err(arg_error(lua_arg, "no value"));
        }
        // getformat: span flags, digits and dots, then take the letter.
        let span = fmt[pos..]
            .iter()
            .take_while(|c| b"-+ #0123456789.".contains(c))
            .count();
        if span + 1 >= MAX_SPEC_LEN {
            return Err(FormatError::Msg("invalid format (too long)".into()));
        }
        let conv = fmt.get(pos + span).copied();
        let form_end = (pos + span + 1).min(fmt.len());
        let mut form = Vec::with_capacity(span + 2);
        form.push(b'%');
        form.extend_from_slice(&fmt[pos..form_end]);
        pos = form_end;
        let Some(conv) = conv else {
            return Err(invalid_conversion(&form));
        };
        match conv {
            b'c' => {
                let spec = check_spec(&form, FLAGS_CHAR, false)?;
                let n = check_integer(args.arg(i), lua_arg)?;
                pad(&mut out, &spec, &[], &[n as u8], false);
            }
            b'd' | b'i' | b'u' | b'o' | b'x' | b'X' => {
                let n = check_integer(args.arg(i), lua_arg)?;
                let flags = match conv {
                    b'd' | b'i' => FLAGS_INT,
                    b'u' => FLAGS_UNSIGNED,
                    _ => FLAGS_HEX,
                };
                let spec = check_spec(&form, flags, true)?;
                format_int(&mut out, &spec, conv, n);
            }
            b'a' | b'A' => {
                let spec = check_spec(&form, FLAGS_FLOAT, true)?;
                let x = check_number(args.arg(i), lua_arg)?;
                format_float(&mut out, &spec, conv, x);
            }
            b'f' | b'e' | b'E' | b'g' | b'G' => {
                let x = check_number(args.arg(i), lua_arg)?;
                let spec = check_spec(&form, FLAGS_FLOAT, true)?;
                format_float(&mut out, &spec, conv, x);
            }
            b'p' => {
                let p = args.pointer(i);
                let spec = check_spec(&form, FLAGS_CHAR, false)?;
                let text = if p == 0 {
                    "(null)".to_string()
                } else {
                    format!("{p:#x}")
                };
                pad(&mut out, &spec, &[], text.as_bytes(), false);
            }
            b'q' => {
                if form.len() > 2 {
                    return Err(FormatError::Msg(
                        "specifier '%q' cannot have modifiers".into(),
                    ));
                }
                add_literal(&mut out, args, i)?;
            }
            b's' => {
                let mut s = Vec::new();
                args.tostring(i, &mut s).map_err(FormatError::Host)?;
                if form.len() == 2 {
                    out.extend_from_slice(&s);
                } else {
                    if s.contains(&0) {
                        return Err(arg_error(lua_arg, "string contains zeros"));
                    }
                    let spec = check_spec(&form, FLAGS_CHAR, true)?;
                    let shown = match spec.prec {
                        Some(p) => &s[..p.min(s.len())],
                        None => &s[..],
                    };
                    pad(&mut out, &spec, &[], shown, false);
                }
            }
            _ => return Err(invalid_conversion(&form)),
        }
    }
    Ok(out)
}

fn arg_error<E>(arg: usize, msg: &str) -> FormatError<E> {
    FormatError::Arg {
        arg,
        msg: msg.to_string(),
    }
}

/// The message shows the spec as C would: up to an embedded `\0`.
fn form_text(form: &[u8]) -> String {
    let end = form.iter().position(|&c| c == 0).unwrap_or(form.len());
    String::from_utf8_lossy(&form[..end]).into_owned()
}

fn invalid_conversion<E>(form: &[u8]) -> FormatError<E> {
    FormatError::Msg(format!(
        "invalid conversion '{}' to 'format'",
        form_text(form)
    ))
}

/// `checkformat`: only `flags`, then at most two width digits (not starting
/// with '0'), then (if `precision` is allowed) '.' and at most two digits,
/// then the letter. Returns the parsed spec.
fn check_spec<E>(form: &[u8], flags: &[u8], precision: bool) -> Result<Spec, FormatError<E>> {
    let mut spec = Spec::default();
    let mut k = 1;
    while k < form.len() && flags.contains(&form[k]) {
        match form[k] {
            b'-' => spec.minus = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' => spec.hash = true,
            _ => spec.zero = true,
        }
        k += 1;
    }
    let digits = |k: &mut usize| -> usize {
        let mut v = 0;
        let mut n = 0;
        while n < 2 && *k < form.len() && form[*k].is_ascii_digit() {
            v = v * 10 + usize::from(form[*k] - b'0');
            *k += 1;
            n += 1;
        }
        v
    };
    if form.get(k) != Some(&b'0') {
        spec.width = digits(&mut k);
        if form.get(k) == Some(&b'.') && precision {
            k += 1;
            spec.prec = Some(digits(&mut k));
        }
    }
    if !form.get(k).is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err(FormatError::Msg(format!(
            "invalid conversion specification: '{}'",
            form_text(form)
        )));
    }
    Ok(spec)
}

fn type_name(a: FmtArg<'_>) -> &str {
    match a {
        FmtArg::Nil => "nil",
        FmtArg::Bool(_) => "boolean",
        FmtArg::Int(_) | FmtArg::Float(_) => "number",
        FmtArg::Str(_) => "string",
        FmtArg::Other(name) => name,
    }
}

/// `luaL_checknumber` (strings are converted as Lua numerals).
fn check_number<E>(a: FmtArg<'_>, arg: usize) -> Result<f64, FormatError<E>> {
    match a {
        FmtArg::Int(i) => Ok(i as f64),
        FmtArg::Float(f) => Ok(f),
        FmtArg::Str(s) => match str_to_number(s) {
            Some(n) => Ok(n.to_f64()),
            None => Err(arg_error(arg, "number expected, got string")),
        },
        other => Err(arg_error(
            arg,
            &format!("number expected, got {}", type_name(other)),
        )),
    }
}

/// `luaL_checkinteger` (floats and numeric strings with an exact integer value
/// are accepted).
fn check_integer<E>(a: FmtArg<'_>, arg: usize) -> Result<i64, FormatError<E>> {
    let n = match a {
        FmtArg::Int(i) => Num::Int(i),
        FmtArg::Float(f) => Num::Float(f),
        FmtArg::Str(s) => match str_to_number(s) {
            Some(n) => n,
            None => return Err(arg_error(arg, "number expected, got string")),
        },
        other => {
            return Err(arg_error(
                arg,
                &format!("number expected, got {}", type_name(other)),
            ))
        }
    };
    match n {
        Num::Int(i) => Ok(i),
        Num::Float(f) => float_to_int(f, F2I::Exact)
            .ok_or_else(|| arg_error(arg, "number has no integer representation")),
    }
}

/// Writes `prefix` (sign, `0x`) and `body` padded to the spec's width: spaces
/// on the right for '-', zeros between prefix and body if `zeros`, else
/// spaces on the left.
fn pad(out: &mut Vec<u8>, spec: &Spec, prefix: &[u8], body: &[u8], zeros: bool) {
    let len = prefix.len() + body.len();
    let fill = spec.width.saturating_sub(len);
    if spec.minus {
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if zeros {
        out.extend_from_slice(prefix);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
}

/// `%d %i %u %o %x %X` of a 64-bit integer, as glibc's `%lld` family.
fn format_int(out: &mut Vec<u8>, spec: &Spec, conv: u8, n: i64) {
    let mut prefix: Vec<u8> = Vec::new();
    let mut digits = match conv {
        b'd' | b'i' => {
            if n < 0 {
                prefix.push(b'-');
            } else if spec.plus {
                prefix.push(b'+');
            } else if spec.space {
                prefix.push(b' ');
            }
            n.unsigned_abs().to_string()
        }
        b'u' => (n as u64).to_string(),
        b'o' => format!("{:o}", n as u64),
        b'x' => format!("{:x}", n as u64),
        _ => format!("{:X}", n as u64),
    }
    .into_bytes();
    if let Some(p) = spec.prec {
        if p == 0 && n == 0 {
            digits.clear();
        }
        if digits.len() < p {
            let mut d = vec![b'0'; p - digits.len()];
            d.extend_from_slice(&digits);
            digits = d;
        }
    }
    if spec.hash {
        match conv {
            b'o' if digits.first() != Some(&b'0') => digits.insert(0, b'0'),
            b'x' if n != 0 => prefix.extend_from_slice(b"0x"),
            b'X' if n != 0 => prefix.extend_from_slice(b"0X"),
            _ => {}
        }
    }
    pad(
        out,
        spec,
        &prefix,
        &digits,
        spec.zero && spec.prec.is_none(),
    );
}

/// `%a %A %e %E %f %g %G` of a float, as glibc's printf.
fn format_float(out: &mut Vec<u8>, spec: &Spec, conv: u8, x: f64) {
    let mut prefix: Vec<u8> = Vec::new();
    if x.is_sign_negative() {
        prefix.push(b'-');
    } else if spec.plus {
        prefix.push(b'+');
    } else if spec.space {
        prefix.push(b' ');
    }
    let mut body = Vec::new();
    write_float_conv(x, conv, spec.prec, spec.hash, &mut body);
    // Zero padding goes after the sign and, for %a, after "0x"; glibc pads
    // infinities and NaNs with spaces even under '0'.
    let zeros = spec.zero && x.is_finite();
    if zeros && matches!(conv, b'a' | b'A') {
        prefix.extend_from_slice(&body[..2]);
        pad(out, spec, &prefix, &body[2..], true);
    } else {
        pad(out, spec, &prefix, &body, zeros);
    }
}

/// `%q`: a Lua literal that reads back as the same value.
fn add_literal<A: FormatArgs + ?Sized>(
    out: &mut Vec<u8>,
    args: &mut A,
    i: usize,
) -> Result<(), FormatError<A::Error>> {
    match args.arg(i) {
        FmtArg::Str(s) => add_quoted(out, s),
        FmtArg::Int(n) => {
            if n == i64::MIN {
                out.extend_from_slice(b"0x8000000000000000");
            } else {
                out.extend_from_slice(n.to_string().as_bytes());
            }
        }
        FmtArg::Float(f) => {
            if f == f64::INFINITY {
                out.extend_from_slice(b"1e9999");
            } else if f == f64::NEG_INFINITY {
                out.extend_from_slice(b"-1e9999");
            } else if f.is_nan() {
                out.extend_from_slice(b"(0/0)");
            } else {
                if f.is_sign_negative() {
                    out.push(b'-');
                }
                write_float_conv(f, b'a', None, false, out);
            }
        }
        FmtArg::Nil | FmtArg::Bool(_) => args.tostring(i, out).map_err(FormatError::Host)?,
        FmtArg::Other(_) => return Err(arg_error(i + 2, "value has no literal form")),
    }
    Ok(())
}

/// `addquoted`: `"`, `\` and newline escaped with a backslash, other control
/// characters as `\ddd` (three digits only when a digit follows).
fn add_quoted(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for (k, &c) in s.iter().enumerate() {
        if c == b'"' || c == b'\\' || c == b'\n' {
            out.push(b'\\');
            out.push(c);
        } else if c < 0x20 || c == 0x7F {
            let next_is_digit = s.get(k + 1).is_some_and(|d| d.is_ascii_digit());
            let text = if next_is_digit {
                format!("\\{c:03}")
            } else {
                format!("\\{c}")
            };
            out.extend_from_slice(text.as_bytes());
        } else {
            out.push(c);
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::number::{fmt_float, fmt_int};

    /// A test argument.
    #[derive(Clone, Debug)]
    enum A {
        Nil,
        B(bool),
        I(i64),
        F(u64),
        S(&'static [u8]),
        T,
    }

    struct Args(Vec<A>);

    impl FormatArgs for Args {
        type Error = String;
        fn count(&self) -> usize {
            self.0.len()
        }
        fn arg(&self, i: usize) -> FmtArg<'_> {
            match &self.0[i] {
                A::Nil => FmtArg::Nil,
                A::B(b) => FmtArg::Bool(*b),
                A::I(n) => FmtArg::Int(*n),
                A::F(bits) => FmtArg::Float(f64::from_bits(*bits)),
                A::S(s) => FmtArg::Str(s),
                A::T => FmtArg::Other("table"),
            }
        }
        fn tostring(&mut self, i: usize, out: &mut Vec<u8>) -> Result<(), String> {
            match &self.0[i] {
                A::Nil => out.extend_from_slice(b"nil"),
                A::B(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
                A::I(n) => fmt_int(*n, out),
                A::F(bits) => fmt_float(f64::from_bits(*bits), out),
                A::S(s) => out.extend_from_slice(s),
                A::T => return Err("no tostring for tables here".into()),
            }
            Ok(())
        }
        fn pointer(&self, i: usize) -> usize {
            match self.0[i] {
                A::T => 0x5555_0000_1230,
                _ => 0,
            }
        }
    }

    fn run(fmt: &[u8], args: &[A]) -> Result<Vec<u8>, String> {
        format(fmt, &mut Args(args.to_vec())).map_err(|e| e.to_string())
    }

    /// (format, arguments, what lua5.4 gives; errors as from `pcall`).
    type Case = (
        &'static [u8],
        &'static [A],
        Result<&'static [u8], &'static str>,
    );

    #[rustfmt::skip]
    const CASES: &[Case] = &[
        (b"%y", &[], Err("bad argument #2 to 'format' (no value)")),
        (b"%y", &[A::I(1)], Err("invalid conversion '%y' to 'format'")),
        (b"%10.3y", &[A::I(1)], Err("invalid conversion '%10.3y' to 'format'")),
        (b"%10.3q", &[A::I(1)], Err("specifier '%q' cannot have modifiers")),
        (b"%100d", &[A::I(1)], Err("invalid conversion specification: '%100d'")),
        (b"%.100d", &[A::I(1)], Err("invalid conversion specification: '%.100d'")),
        (b"%1.2.3d", &[A::I(1)], Err("invalid conversion specification: '%1.2.3d'")),
        (b"%#d", &[A::I(1)], Err("invalid conversion specification: '%#d'")),
        (b"%-5c|", &[A::I(65)], Ok(b"A    |")),
        (b"%05c", &[A::I(65)], Err("invalid conversion specification: '%05c'")),
        (b"%d", &[A::F(0x3ff8000000000000)], Err("bad argument #2 to 'format' (number has no integer representation)")),
        (b"%d", &[A::S(b"10")], Ok(b"10")),
        (b"%d", &[A::S(b"10.0")], Ok(b"10")),
        (b"%d", &[A::S(b"1.5")], Err("bad argument #2 to 'format' (number has no integer representation)")),
        (b"%d", &[A::S(b"abc")], Err("bad argument #2 to 'format' (number expected, got string)")),
        (b"%d", &[A::Nil], Err("bad argument #2 to 'format' (number expected, got nil)")),
        (b"%d", &[A::T], Err("bad argument #2 to 'format' (number expected, got table)")),
        (b"%d", &[], Err("bad argument #2 to 'format' (no value)")),
        (b"%s", &[], Err("bad argument #2 to 'format' (no value)")),
        (b"%%", &[], Ok(b"%")),
        (b"a%%b%d", &[A::I(3)], Ok(b"a%b3")),
        (b"%q", &[A::F(0x3ff0000000000000)], Ok(b"0x1p+0")),
        (b"%q", &[A::F(0x3fe0000000000000)], Ok(b"0x1p-1")),
        (b"%q", &[A::F(0x54b249ad2594c37d)], Ok(b"0x1.249ad2594c37dp+332")),
        (b"%q", &[A::F(0x7ff0000000000000)], Ok(b"1e9999")),
        (b"%q", &[A::F(0xfff0000000000000)], Ok(b"-1e9999")),
        (b"%q", &[A::F(0xfff8000000000000)], Ok(b"(0/0)")),
        (b"%q", &[A::I(i64::MIN)], Ok(b"0x8000000000000000")),
        (b"%q", &[A::I(5)], Ok(b"5")),
        (b"%q", &[A::Nil], Ok(b"nil")),
        (b"%q", &[A::B(true)], Ok(b"true")),
        (b"%q", &[A::B(false)], Ok(b"false")),
        (b"%q", &[A::S(b"a\x0a\x00b\x001\x0d\x22\x5c\x7f\xc8\xff")], Ok(b"\x22a\x5c\x0a\x5c0b\x5c0001\x5c13\x5c\x22\x5c\x5c\x5c127\xc8\xff\x22")),
        (b"%q", &[A::T], Err("bad argument #2 to 'format' (value has no literal form)")),
        (b"%q", &[A::S(b"\x0d\x0a\x091\x012")], Ok(b"\x22\x5c13\x5c\x0a\x5c0091\x5c0012\x22")),
        (b"%q", &[A::F(0x43e0000000000000)], Ok(b"0x1p+63")),
        (b"%q", &[A::F(0x8000000000000000)], Ok(b"-0x0p+0")),
        (b"%q", &[A::F(0x01a56e1fc2f8f359)], Ok(b"0x1.56e1fc2f8f359p-997")),
        (b"%q", &[A::I(9223372036854775807)], Ok(b"9223372036854775807")),
        (b"%q", &[A::I(-5)], Ok(b"-5")),
        (b"%5q", &[A::S(b"x")], Err("specifier '%q' cannot have modifiers")),
        (b"%-q", &[A::S(b"x")], Err("specifier '%q' cannot have modifiers")),
        (b"%.3s", &[A::S(b"abcdef")], Ok(b"abc")),
        (b"%10s|", &[A::S(b"ab")], Ok(b"        ab|")),
        (b"%-10s|", &[A::S(b"ab")], Ok(b"ab        |")),
        (b"%5s", &[A::S(b"a\x00b")], Err("bad argument #2 to 'format' (string contains zeros)")),
        (b"%s", &[A::S(b"a\x00b")], Ok(b"a\x00b")),
        (b"%.0s", &[A::S(b"abc")], Ok(b"")),
        (b"%5.1s|", &[A::S(b"abc")], Ok(b"    a|")),
        (b"%5.3s|", &[A::S(b"a\x00b")], Err("bad argument #2 to 'format' (string contains zeros)")),
        (b"%s %s %s %s", &[A::I(1), A::F(0x4000000000000000), A::B(true), A::Nil], Ok(b"1 2.0 true nil")),
        (b"%.3s", &[A::F(0x3ff4000000000000)], Ok(b"1.2")),
        (b"%s", &[A::S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")], Ok(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")),
        (b"%-5s|", &[A::S(b"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy")], Ok(b"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy|")),
        (b"%.3s", &[A::S(b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")], Ok(b"zzz")),
        (b"%x", &[A::I(-1)], Ok(b"ffffffffffffffff")),
        (b"%#x", &[A::I(0)], Ok(b"0")),
        (b"%#x", &[A::I(255)], Ok(b"0xff")),
        (b"%#X", &[A::I(255)], Ok(b"0XFF")),
        (b"%#o", &[A::I(8)], Ok(b"010")),
        (b"%#o", &[A::I(0)], Ok(b"0")),
        (b"%#.0o", &[A::I(0)], Ok(b"0")),
        (b"%.0d", &[A::I(0)], Ok(b"")),
        (b"%.0x", &[A::I(0)], Ok(b"")),
        (b"%5.0d|", &[A::I(0)], Ok(b"     |")),
        (b"%.3d", &[A::I(7)], Ok(b"007")),
        (b"%+.3d", &[A::I(-7)], Ok(b"-007")),
        (b"%08.3d", &[A::I(7)], Ok(b"     007")),
        (b"%-+5d|", &[A::I(3)], Ok(b"+3   |")),
        (b"% d", &[A::I(3)], Ok(b" 3")),
        (b"%u", &[A::I(-1)], Ok(b"18446744073709551615")),
        (b"%05u", &[A::I(3)], Ok(b"00003")),
        (b"%+u", &[A::I(3)], Err("invalid conversion specification: '%+u'")),
        (b"%c", &[A::I(321)], Ok(b"A")),
        (b"%c", &[A::I(0)], Ok(b"\x00")),
        (b"%c", &[A::I(-1)], Ok(b"\xff")),
        (b"%c", &[A::I(200)], Ok(b"\xc8")),
        (b"%i", &[A::I(3)], Ok(b"3")),
        (b"%5c|", &[A::I(66)], Ok(b"    B|")),
        (b"%c", &[A::S(b"65")], Ok(b"A")),
        (b"%c", &[A::F(0x4050400000000000)], Ok(b"A")),
        (b"%c", &[A::F(0x4050600000000000)], Err("bad argument #2 to 'format' (number has no integer representation)")),
        (b"%.3x", &[A::I(1)], Ok(b"001")),
        (b"%#.3x", &[A::I(1)], Ok(b"0x001")),
        (b"%#.3o", &[A::I(1)], Ok(b"001")),
        (b"%#5o|", &[A::I(8)], Ok(b"  010|")),
        (b"%#-8x|", &[A::I(255)], Ok(b"0xff    |")),
        (b"%#08x", &[A::I(255)], Ok(b"0x0000ff")),
        (b"%+05d", &[A::I(-3)], Ok(b"-0003")),
        (b"% 05d", &[A::I(3)], Ok(b" 0003")),
        (b"%d", &[A::I(i64::MIN)], Ok(b"-9223372036854775808")),
        (b"%x", &[A::I(i64::MIN)], Ok(b"8000000000000000")),
        (b"%o", &[A::I(-1)], Ok(b"1777777777777777777777")),
        (b"%020d", &[A::I(i64::MIN)], Ok(b"-9223372036854775808")),
        (b"%-020d|", &[A::I(i64::MIN)], Ok(b"-9223372036854775808|")),
        (b"%+d", &[A::I(0)], Ok(b"+0")),
        (b"% d", &[A::I(0)], Ok(b" 0")),
        (b"%099d", &[A::I(1)], Ok(b"000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001")),
        (b"%.99d", &[A::I(-1)], Ok(b"-000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001")),
        (b"%99.99x", &[A::I(255)], Ok(b"0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000ff")),
        (b"%0.3d", &[A::I(1)], Ok(b"001")),
        (b"%00d", &[A::I(1)], Ok(b"1")),
        (b"%+ d", &[A::I(1)], Ok(b"+1")),
        (b"% +d", &[A::I(1)], Ok(b"+1")),
        (b"%0-5d|", &[A::I(1)], Ok(b"1    |")),
        (b"%-05d|", &[A::I(1)], Ok(b"1    |")),
        (b"%d", &[A::S(b"0x10")], Ok(b"16")),
        (b"%x", &[A::S(b"  0x10  ")], Ok(b"10")),
        (b"%f", &[A::S(b"1e1")], Ok(b"10.000000")),
        (b"%d", &[A::F(0x43e0000000000000)], Err("bad argument #2 to 'format' (number has no integer representation)")),
        (b"%d", &[A::F(0xc3e0000000000000)], Ok(b"-9223372036854775808")),
        (b"%d", &[A::F(0x54b249ad2594c37d)], Err("bad argument #2 to 'format' (number has no integer representation)")),
        (b"%x", &[A::F(0x4008000000000000)], Ok(b"3")),
        (b"%d", &[A::S(b"9223372036854775808")], Err("bad argument #2 to 'format' (number has no integer representation)")),
        (b"%g", &[A::S(b"0x10")], Ok(b"16")),
        (b"%g", &[A::S(b" 1.5 ")], Ok(b"1.5")),
        (b"%g", &[A::S(b"1.5x")], Err("bad argument #2 to 'format' (number expected, got string)")),
        (b"%g", &[A::B(true)], Err("bad argument #2 to 'format' (number expected, got boolean)")),
        (b"%g", &[A::Nil], Err("bad argument #2 to 'format' (number expected, got nil)")),
        (b"%p", &[A::I(1)], Ok(b"(null)")),
        (b"%10p|", &[A::Nil], Ok(b"    (null)|")),
        (b"%-16p|", &[A::T], Ok(b"0x555500001230  |")),
        (b"%.3p", &[A::I(1)], Err("invalid conversion specification: '%.3p'")),
        (b"%p", &[A::T], Ok(b"0x555500001230")),
        (b"%20p|", &[A::T], Ok(b"      0x555500001230|")),
        (b"%F", &[A::F(0x3ff8000000000000)], Err("invalid conversion '%F' to 'format'")),
        (b"%5", &[A::I(1)], Err("invalid conversion '%5' to 'format'")),
        (b"%", &[A::I(1)], Err("invalid conversion '%' to 'format'")),
        (b"%0000000000000000000000000d", &[A::I(1)], Err("invalid format (too long)")),
        (b"%000000000000000000000d", &[A::I(1)], Err("invalid format (too long)")),
        (b"%00000000000000000000d", &[A::I(1)], Ok(b"1")),
        (b"%.", &[A::I(1)], Err("invalid conversion '%.' to 'format'")),
        (b"%5.", &[A::I(1)], Err("invalid conversion '%5.' to 'format'")),
        (b"%ld", &[A::I(1)], Err("invalid conversion '%l' to 'format'")),
        (b"%hd", &[A::I(1)], Err("invalid conversion '%h' to 'format'")),
        (b"%n", &[A::I(1)], Err("invalid conversion '%n' to 'format'")),
        (b"%5.2f", &[A::F(0x7ff0000000000000)], Ok(b"  inf")),
        (b"%05f", &[A::F(0xfff0000000000000)], Ok(b" -inf")),
        (b"%+f", &[A::F(0xfff8000000000000)], Ok(b"-nan")),
        (b"%+f", &[A::F(0x7ff8000000000000)], Ok(b"+nan")),
        (b"% f", &[A::F(0x7ff0000000000000)], Ok(b" inf")),
        (b"%-8e|", &[A::F(0x7ff8000000000000)], Ok(b"nan     |")),
        (b"%010f", &[A::F(0xfff8000000000000)], Ok(b"      -nan")),
        (b"%+E", &[A::F(0x7ff0000000000000)], Ok(b"+INF")),
        (b"%G", &[A::F(0xfff8000000000000)], Ok(b"-NAN")),
        (b"%A", &[A::F(0xfff0000000000000)], Ok(b"-INF")),
        (b"%a", &[A::F(0xfff8000000000000)], Ok(b"-nan")),
        (b"%010a", &[A::F(0x7ff0000000000000)], Ok(b"       inf")),
        (b"%a", &[A::F(0x3ff0000000000000)], Ok(b"0x1p+0")),
        (b"%a", &[A::F(0x0000000000000000)], Ok(b"0x0p+0")),
        (b"%a", &[A::F(0x8000000000000000)], Ok(b"-0x0p+0")),
        (b"%a", &[A::F(0x0000000000000001)], Ok(b"0x0.0000000000001p-1022")),
        (b"%.1a", &[A::F(0x3fff800000000000)], Ok(b"0x2.0p+0")),
        (b"%.0a", &[A::F(0x3ff8000000000000)], Ok(b"0x2p+0")),
        (b"%.0a", &[A::F(0x4004000000000000)], Ok(b"0x1p+1")),
        (b"%.0a", &[A::F(0x4008000000000000)], Ok(b"0x2p+1")),
        (b"%A", &[A::F(0x406ff00000000000)], Ok(b"0X1.FFP+7")),
        (b"%#.0a", &[A::F(0x3ff0000000000000)], Ok(b"0x1.p+0")),
        (b"%025a", &[A::F(0x3fb999999999999a)], Ok(b"0x000001.999999999999ap-4")),
        (b"%025a", &[A::F(0xbfb999999999999a)], Ok(b"-0x00001.999999999999ap-4")),
        (b"%-+25a|", &[A::F(0x3fb999999999999a)], Ok(b"+0x1.999999999999ap-4    |")),
        (b"% a", &[A::F(0x3fb999999999999a)], Ok(b" 0x1.999999999999ap-4")),
        (b"%.3a", &[A::F(0x000fffffffffffff)], Ok(b"0x1.000p-1022")),
        (b"%.0a", &[A::F(0x0008000000000000)], Ok(b"0x0p-1022")),
        (b"%.0a", &[A::F(0x000c000000000000)], Ok(b"0x1p-1022")),
        (b"%.2A", &[A::F(0x3ffffbe76c8b4396)], Ok(b"0X2.00P+0")),
        (b"%.20a", &[A::F(0x3fb999999999999a)], Ok(b"0x1.999999999999a0000000p-4")),
        (b"%.1a", &[A::F(0x3ff2800000000000)], Ok(b"0x1.2p+0")),
        (b"%.1a", &[A::F(0x3ff3800000000000)], Ok(b"0x1.4p+0")),
        (b"%a", &[A::S(b"0x1p4")], Ok(b"0x1p+4")),
        (b"%a", &[A::I(3)], Ok(b"0x1.8p+1")),
        (b"%d %s %g", &[A::I(1), A::S(b"two"), A::F(0x4008000000000000)], Ok(b"1 two 3")),
        (b"%d %d", &[A::I(1)], Err("bad argument #3 to 'format' (no value)")),
        (b"x%dy%sz", &[A::I(5), A::S(b"w")], Ok(b"x5ywz")),
        (b"%5.1f|%-6.2e|%+g", &[A::F(0x400921f9f01b866e), A::F(0x3df12e0be826d695), A::F(0x7e37e43c8800759c)], Ok(b"  3.1|2.50e-10|+1e+300")),
        (b"%e", &[A::I(0)], Ok(b"0.000000e+00")),
        (b"%.0f", &[A::F(0x3fe0000000000000)], Ok(b"0")),
        (b"%#.3g", &[A::I(1)], Ok(b"1.00")),
        (b"%g", &[A::I(100000)], Ok(b"100000")),
        (b"%g", &[A::I(1000000)], Ok(b"1e+06")),
        (b"%.3f", &[A::F(0x43e0000000000000)], Ok(b"9223372036854775808.000")),
        (b"%.1f", &[A::F(0x3fa999999999999a)], Ok(b"0.1")),
        (b"%.2e", &[A::F(0x3fd5555555555555)], Ok(b"3.33e-01")),
        (b"%g", &[A::I(i64::MIN)], Ok(b"-9.22337e+18")),
        (b"%5.1s%d", &[A::S(b"abc"), A::S(b"12")], Ok(b"    a12")),
        (b"%s\x00%d", &[A::S(b"a"), A::I(1)], Ok(b"a\x001")),
        (b"%\x00d", &[A::I(1)], Err("invalid conversion '%' to 'format'")),
        (b"%d%", &[A::I(1)], Err("bad argument #3 to 'format' (no value)")),
        (b"%d%", &[A::I(1), A::I(2)], Err("invalid conversion '%' to 'format'")),
        (b"%q", &[A::S(b"\x001")], Ok(b"\x22\x5c0001\x22")),
    ];

    #[test]
    fn cases_match_lua() {
        for (fmt, args, want) in CASES {
            let got = run(fmt, args);
            let want = want.map(|w| w.to_vec()).map_err(|e| e.to_string());
            assert_eq!(got, want, "format {:?}", String::from_utf8_lossy(fmt));
        }
    }

    /// Float conversions against lua5.4 (a 16,770-case random sweep of the
    /// same kind also matched when this was written).
    const FLOAT_SPECS: &[&str] = &[
        "%e", "%.3e", "%E", "%.0e", "%#.0e", "%.20e", "%f", "%.2f", "%.0f", "%#.0f", "%g", "%.3g",
        "%#g", "%.0g", "%#.0g", "%G", "%.17g", "%a", "%.3a", "%.0a", "%#.0a", "%A", "%20.10e",
        "%-12g|", "%+08.2f", "% .4g", "%012a", "%#.10g", "%010.0e", "%.13a",
    ];
    #[rustfmt::skip]
    const FLOAT_TABLE: &[(u64, &[&str])] = &[
        (0x0000000000000000, &["0.000000e+00", "0.000e+00", "0.000000E+00", "0e+00", "0.e+00", "0.00000000000000000000e+00", "0.000000", "0.00", "0", "0.", "0", "0", "0.00000", "0", "0.", "0", "0", "0x0p+0", "0x0.000p+0", "0x0p+0", "0x0.p+0", "0X0P+0", "    0.0000000000e+00", "0           |", "+0000.00", " 0", "0x0000000p+0", "0.000000000", "000000e+00", "0x0.0000000000000p+0"]),
        (0x8000000000000000, &["-0.000000e+00", "-0.000e+00", "-0.000000E+00", "-0e+00", "-0.e+00", "-0.00000000000000000000e+00", "-0.000000", "-0.00", "-0", "-0.", "-0", "-0", "-0.00000", "-0", "-0.", "-0", "-0", "-0x0p+0", "-0x0.000p+0", "-0x0p+0", "-0x0.p+0", "-0X0P+0", "   -0.0000000000e+00", "-0          |", "-0000.00", "-0", "-0x000000p+0", "-0.000000000", "-00000e+00", "-0x0.0000000000000p+0"]),
        (0x7ff0000000000000, &["inf", "inf", "INF", "inf", "inf", "inf", "inf", "inf", "inf", "inf", "inf", "inf", "inf", "inf", "inf", "INF", "inf", "inf", "inf", "inf", "inf", "INF", "                 inf", "inf         |", "    +inf", " inf", "         inf", "inf", "       inf", "inf"]),
        (0x7ff8000000000000, &["nan", "nan", "NAN", "nan", "nan", "nan", "nan", "nan", "nan", "nan", "nan", "nan", "nan", "nan", "nan", "NAN", "nan", "nan", "nan", "nan", "nan", "NAN", "                 nan", "nan         |", "    +nan", " nan", "         nan", "nan", "       nan", "nan"]),
        (0x3fe0000000000000, &["5.000000e-01", "5.000e-01", "5.000000E-01", "5e-01", "5.e-01", "5.00000000000000000000e-01", "0.500000", "0.50", "0", "0.", "0.5", "0.5", "0.500000", "0.5", "0.5", "0.5", "0.5", "0x1p-1", "0x1.000p-1", "0x1p-1", "0x1.p-1", "0X1P-1", "    5.0000000000e-01", "0.5         |", "+0000.50", " 0.5", "0x0000001p-1", "0.5000000000", "000005e-01", "0x1.0000000000000p-1"]),
        (0x3ff8000000000000, &["1.500000e+00", "1.500e+00", "1.500000E+00", "2e+00", "2.e+00", "1.50000000000000000000e+00", "1.500000", "1.50", "2", "2.", "1.5", "1.5", "1.50000", "2", "2.", "1.5", "1.5", "0x1.8p+0", "0x1.800p+0", "0x2p+0", "0x2.p+0", "0X1.8P+0", "    1.5000000000e+00", "1.5         |", "+0001.50", " 1.5", "0x00001.8p+0", "1.500000000", "000002e+00", "0x1.8000000000000p+0"]),
        (0x4004000000000000, &["2.500000e+00", "2.500e+00", "2.500000E+00", "2e+00", "2.e+00", "2.50000000000000000000e+00", "2.500000", "2.50", "2", "2.", "2.5", "2.5", "2.50000", "2", "2.", "2.5", "2.5", "0x1.4p+1", "0x1.400p+1", "0x1p+1", "0x1.p+1", "0X1.4P+1", "    2.5000000000e+00", "2.5         |", "+0002.50", " 2.5", "0x00001.4p+1", "2.500000000", "000002e+00", "0x1.4000000000000p+1"]),
        (0x3fc0000000000000, &["1.250000e-01", "1.250e-01", "1.250000E-01", "1e-01", "1.e-01", "1.25000000000000000000e-01", "0.125000", "0.12", "0", "0.", "0.125", "0.125", "0.125000", "0.1", "0.1", "0.125", "0.125", "0x1p-3", "0x1.000p-3", "0x1p-3", "0x1.p-3", "0X1P-3", "    1.2500000000e-01", "0.125       |", "+0000.12", " 0.125", "0x0000001p-3", "0.1250000000", "000001e-01", "0x1.0000000000000p-3"]),
        (0x3fd8000000000000, &["3.750000e-01", "3.750e-01", "3.750000E-01", "4e-01", "4.e-01", "3.75000000000000000000e-01", "0.375000", "0.38", "0", "0.", "0.375", "0.375", "0.375000", "0.4", "0.4", "0.375", "0.375", "0x1.8p-2", "0x1.800p-2", "0x2p-2", "0x2.p-2", "0X1.8P-2", "    3.7500000000e-01", "0.375       |", "+0000.38", " 0.375", "0x00001.8p-2", "0.3750000000", "000004e-01", "0x1.8000000000000p-2"]),
        (0x3ee4f8b588e368f1, &["1.000000e-05", "1.000e-05", "1.000000E-05", "1e-05", "1.e-05", "1.00000000000000008180e-05", "0.000010", "0.00", "0", "0.", "1e-05", "1e-05", "1.00000e-05", "1e-05", "1.e-05", "1E-05", "1.0000000000000001e-05", "0x1.4f8b588e368f1p-17", "0x1.4f9p-17", "0x1p-17", "0x1.p-17", "0X1.4F8B588E368F1P-17", "    1.0000000000e-05", "1e-05       |", "+0000.00", " 1e-05", "0x1.4f8b588e368f1p-17", "1.000000000e-05", "000001e-05", "0x1.4f8b588e368f1p-17"]),
        (0x0000000000000001, &["4.940656e-324", "4.941e-324", "4.940656E-324", "5e-324", "5.e-324", "4.94065645841246544177e-324", "0.000000", "0.00", "0", "0.", "4.94066e-324", "4.94e-324", "4.94066e-324", "5e-324", "5.e-324", "4.94066E-324", "4.9406564584124654e-324", "0x0.0000000000001p-1022", "0x0.000p-1022", "0x0p-1022", "0x0.p-1022", "0X0.0000000000001P-1022", "   4.9406564584e-324", "4.94066e-324|", "+0000.00", " 4.941e-324", "0x0.0000000000001p-1022", "4.940656458e-324", "00005e-324", "0x0.0000000000001p-1022"]),
        (0x7fefffffffffffff, &["1.797693e+308", "1.798e+308", "1.797693E+308", "2e+308", "2.e+308", "1.79769313486231570815e+308", "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000", "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.00", "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368", "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.", "1.79769e+308", "1.8e+308", "1.79769e+308", "2e+308", "2.e+308", "1.79769E+308", "1.7976931348623157e+308", "0x1.fffffffffffffp+1023", "0x2.000p+1023", "0x2p+1023", "0x2.p+1023", "0X1.FFFFFFFFFFFFFP+1023", "   1.7976931349e+308", "1.79769e+308|", "+179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.00", " 1.798e+308", "0x1.fffffffffffffp+1023", "1.797693135e+308", "00002e+308", "0x1.fffffffffffffp+1023"]),
        (0x0010000000000000, &["2.225074e-308", "2.225e-308", "2.225074E-308", "2e-308", "2.e-308", "2.22507385850720138309e-308", "0.000000", "0.00", "0", "0.", "2.22507e-308", "2.23e-308", "2.22507e-308", "2e-308", "2.e-308", "2.22507E-308", "2.2250738585072014e-308", "0x1p-1022", "0x1.000p-1022", "0x1p-1022", "0x1.p-1022", "0X1P-1022", "   2.2250738585e-308", "2.22507e-308|", "+0000.00", " 2.225e-308", "0x0001p-1022", "2.225073859e-308", "00002e-308", "0x1.0000000000000p-1022"]),
        (0x412e847f00000000, &["9.999995e+05", "1.000e+06", "9.999995E+05", "1e+06", "1.e+06", "9.99999500000000000000e+05", "999999.500000", "999999.50", "1000000", "1000000.", "1e+06", "1e+06", "1.e+06", "1e+06", "1.e+06", "1E+06", "999999.5", "0x1.e847fp+19", "0x1.e84p+19", "0x2p+19", "0x2.p+19", "0X1.E847FP+19", "    9.9999950000e+05", "1e+06       |", "+999999.50", " 1e+06", "0x1.e847fp+19", "999999.5000", "000001e+06", "0x1.e847f00000000p+19"]),
        (0x4058e00000000000, &["9.950000e+01", "9.950e+01", "9.950000E+01", "1e+02", "1.e+02", "9.95000000000000000000e+01", "99.500000", "99.50", "100", "100.", "99.5", "99.5", "99.5000", "1e+02", "1.e+02", "99.5", "99.5", "0x1.8ep+6", "0x1.8e0p+6", "0x2p+6", "0x2.p+6", "0X1.8EP+6", "    9.9500000000e+01", "99.5        |", "+0099.50", " 99.5", "0x0001.8ep+6", "99.50000000", "000001e+02", "0x1.8e00000000000p+6"]),
        (0x3fb999999999999a, &["1.000000e-01", "1.000e-01", "1.000000E-01", "1e-01", "1.e-01", "1.00000000000000005551e-01", "0.100000", "0.10", "0", "0.", "0.1", "0.1", "0.100000", "0.1", "0.1", "0.1", "0.10000000000000001", "0x1.999999999999ap-4", "0x1.99ap-4", "0x2p-4", "0x2.p-4", "0X1.999999999999AP-4", "    1.0000000000e-01", "0.1         |", "+0000.10", " 0.1", "0x1.999999999999ap-4", "0.1000000000", "000001e-01", "0x1.999999999999ap-4"]),
        (0x3fd5555555555555, &["3.333333e-01", "3.333e-01", "3.333333E-01", "3e-01", "3.e-01", "3.33333333333333314830e-01", "0.333333", "0.33", "0", "0.", "0.333333", "0.333", "0.333333", "0.3", "0.3", "0.333333", "0.33333333333333331", "0x1.5555555555555p-2", "0x1.555p-2", "0x1p-2", "0x1.p-2", "0X1.5555555555555P-2", "    3.3333333333e-01", "0.333333    |", "+0000.33", " 0.3333", "0x1.5555555555555p-2", "0.3333333333", "000003e-01", "0x1.5555555555555p-2"]),
        (0x437b69b4ba630f35, &["1.234568e+17", "1.235e+17", "1.234568E+17", "1e+17", "1.e+17", "1.23456789012345680000e+17", "123456789012345680.000000", "123456789012345680.00", "123456789012345680", "123456789012345680.", "1.23457e+17", "1.23e+17", "1.23457e+17", "1e+17", "1.e+17", "1.23457E+17", "1.2345678901234568e+17", "0x1.b69b4ba630f35p+56", "0x1.b6ap+56", "0x2p+56", "0x2.p+56", "0X1.B69B4BA630F35P+56", "    1.2345678901e+17", "1.23457e+17 |", "+123456789012345680.00", " 1.235e+17", "0x1.b69b4ba630f35p+56", "1.234567890e+17", "000001e+17", "0x1.b69b4ba630f35p+56"]),
        (0x4480f0cf064dd592, &["1.000000e+22", "1.000e+22", "1.000000E+22", "1e+22", "1.e+22", "1.00000000000000000000e+22", "10000000000000000000000.000000", "10000000000000000000000.00", "10000000000000000000000", "10000000000000000000000.", "1e+22", "1e+22", "1.00000e+22", "1e+22", "1.e+22", "1E+22", "1e+22", "0x1.0f0cf064dd592p+73", "0x1.0f1p+73", "0x1p+73", "0x1.p+73", "0X1.0F0CF064DD592P+73", "    1.0000000000e+22", "1e+22       |", "+10000000000000000000000.00", " 1e+22", "0x1.0f0cf064dd592p+73", "1.000000000e+22", "000001e+22", "0x1.0f0cf064dd592p+73"]),
        (0x44b52d02c7e14af6, &["1.000000e+23", "1.000e+23", "1.000000E+23", "1e+23", "1.e+23", "9.99999999999999916114e+22", "99999999999999991611392.000000", "99999999999999991611392.00", "99999999999999991611392", "99999999999999991611392.", "1e+23", "1e+23", "1.00000e+23", "1e+23", "1.e+23", "1E+23", "9.9999999999999992e+22", "0x1.52d02c7e14af6p+76", "0x1.52dp+76", "0x1p+76", "0x1.p+76", "0X1.52D02C7E14AF6P+76", "    1.0000000000e+23", "1e+23       |", "+99999999999999991611392.00", " 1e+23", "0x1.52d02c7e14af6p+76", "1.000000000e+23", "000001e+23", "0x1.52d02c7e14af6p+76"]),
        (0x3f1a36e2eb1c432d, &["1.000000e-04", "1.000e-04", "1.000000E-04", "1e-04", "1.e-04", "1.00000000000000004792e-04", "0.000100", "0.00", "0", "0.", "0.0001", "0.0001", "0.000100000", "0.0001", "0.0001", "0.0001", "0.0001", "0x1.a36e2eb1c432dp-14", "0x1.a37p-14", "0x2p-14", "0x2.p-14", "0X1.A36E2EB1C432DP-14", "    1.0000000000e-04", "0.0001      |", "+0000.00", " 0.0001", "0x1.a36e2eb1c432dp-14", "0.0001000000000", "000001e-04", "0x1.a36e2eb1c432dp-14"]),
        (0x40f869ff33333333, &["9.999995e+04", "1.000e+05", "9.999995E+04", "1e+05", "1.e+05", "9.99999499999999970896e+04", "99999.950000", "99999.95", "100000", "100000.", "99999.9", "1e+05", "99999.9", "1e+05", "1.e+05", "99999.9", "99999.949999999997", "0x1.869ff33333333p+16", "0x1.86ap+16", "0x2p+16", "0x2.p+16", "0X1.869FF33333333P+16", "    9.9999950000e+04", "99999.9     |", "+99999.95", " 1e+05", "0x1.869ff33333333p+16", "99999.95000", "000001e+05", "0x1.869ff33333333p+16"]),
        (0x4023fffff29406b3, &["1.000000e+01", "1.000e+01", "1.000000E+01", "1e+01", "1.e+01", "9.99999960000000065463e+00", "10.000000", "10.00", "10", "10.", "10", "10", "10.0000", "1e+01", "1.e+01", "10", "9.9999996000000007", "0x1.3fffff29406b3p+3", "0x1.400p+3", "0x1p+3", "0x1.p+3", "0X1.3FFFFF29406B3P+3", "    9.9999996000e+00", "10          |", "+0010.00", " 10", "0x1.3fffff29406b3p+3", "9.999999600", "000001e+01", "0x1.3fffff29406b3p+3"]),
        (0x3fff800000000000, &["1.968750e+00", "1.969e+00", "1.968750E+00", "2e+00", "2.e+00", "1.96875000000000000000e+00", "1.968750", "1.97", "2", "2.", "1.96875", "1.97", "1.96875", "2", "2.", "1.96875", "1.96875", "0x1.f8p+0", "0x1.f80p+0", "0x2p+0", "0x2.p+0", "0X1.F8P+0", "    1.9687500000e+00", "1.96875     |", "+0001.97", " 1.969", "0x0001.f8p+0", "1.968750000", "000002e+00", "0x1.f800000000000p+0"]),
        (0xbff2800000000000, &["-1.156250e+00", "-1.156e+00", "-1.156250E+00", "-1e+00", "-1.e+00", "-1.15625000000000000000e+00", "-1.156250", "-1.16", "-1", "-1.", "-1.15625", "-1.16", "-1.15625", "-1", "-1.", "-1.15625", "-1.15625", "-0x1.28p+0", "-0x1.280p+0", "-0x1p+0", "-0x1.p+0", "-0X1.28P+0", "   -1.1562500000e+00", "-1.15625    |", "-0001.16", "-1.156", "-0x001.28p+0", "-1.156250000", "-00001e+00", "-0x1.2800000000000p+0"]),
        (0x000c000000000000, &["1.668805e-308", "1.669e-308", "1.668805E-308", "2e-308", "2.e-308", "1.66880539388040103732e-308", "0.000000", "0.00", "0", "0.", "1.66881e-308", "1.67e-308", "1.66881e-308", "2e-308", "2.e-308", "1.66881E-308", "1.668805393880401e-308", "0x0.cp-1022", "0x0.c00p-1022", "0x1p-1022", "0x1.p-1022", "0X0.CP-1022", "   1.6688053939e-308", "1.66881e-308|", "+0000.00", " 1.669e-308", "0x00.cp-1022", "1.668805394e-308", "00002e-308", "0x0.c000000000000p-1022"]),
        (0x8e85d00e37a71b0e, &["-1.046799e-238", "-1.047e-238", "-1.046799E-238", "-1e-238", "-1.e-238", "-1.04679878712446992004e-238", "-0.000000", "-0.00", "-0", "-0.", "-1.0468e-238", "-1.05e-238", "-1.04680e-238", "-1e-238", "-1.e-238", "-1.0468E-238", "-1.0467987871244699e-238", "-0x1.5d00e37a71b0ep-791", "-0x1.5d0p-791", "-0x1p-791", "-0x1.p-791", "-0X1.5D00E37A71B0EP-791", "  -1.0467987871e-238", "-1.0468e-238|", "-0000.00", "-1.047e-238", "-0x1.5d00e37a71b0ep-791", "-1.046798787e-238", "-0001e-238", "-0x1.5d00e37a71b0ep-791"]),
        (0x0583370a2b12ce3c, &["4.134990e-282", "4.135e-282", "4.134990E-282", "4e-282", "4.e-282", "4.13498973322394170133e-282", "0.000000", "0.00", "0", "0.", "4.13499e-282", "4.13e-282", "4.13499e-282", "4e-282", "4.e-282", "4.13499E-282", "4.1349897332239417e-282", "0x1.3370a2b12ce3cp-935", "0x1.337p-935", "0x1p-935", "0x1.p-935", "0X1.3370A2B12CE3CP-935", "   4.1349897332e-282", "4.13499e-282|", "+0000.00", " 4.135e-282", "0x1.3370a2b12ce3cp-935", "4.134989733e-282", "00004e-282", "0x1.3370a2b12ce3cp-935"]),
        (0x8ac1737f746f5326, &["-7.264038e-257", "-7.264e-257", "-7.264038E-257", "-7e-257", "-7.e-257", "-7.26403781129120227125e-257", "-0.000000", "-0.00", "-0", "-0.", "-7.26404e-257", "-7.26e-257", "-7.26404e-257", "-7e-257", "-7.e-257", "-7.26404E-257", "-7.2640378112912023e-257", "-0x1.1737f746f5326p-851", "-0x1.173p-851", "-0x1p-851", "-0x1.p-851", "-0X1.1737F746F5326P-851", "  -7.2640378113e-257", "-7.26404e-257|", "-0000.00", "-7.264e-257", "-0x1.1737f746f5326p-851", "-7.264037811e-257", "-0007e-257", "-0x1.1737f746f5326p-851"]),
        (0x93a7dc0c5dd977e3, &["-5.537014e-214", "-5.537e-214", "-5.537014E-214", "-6e-214", "-6.e-214", "-5.53701358939038233097e-214", "-0.000000", "-0.00", "-0", "-0.", "-5.53701e-214", "-5.54e-214", "-5.53701e-214", "-6e-214", "-6.e-214", "-5.53701E-214", "-5.5370135893903823e-214", "-0x1.7dc0c5dd977e3p-709", "-0x1.7dcp-709", "-0x1p-709", "-0x1.p-709", "-0X1.7DC0C5DD977E3P-709", "  -5.5370135894e-214", "-5.53701e-214|", "-0000.00", "-5.537e-214", "-0x1.7dc0c5dd977e3p-709", "-5.537013589e-214", "-0006e-214", "-0x1.7dc0c5dd977e3p-709"]),
        (0xa8a71ba1d78a66f7, &["-7.506765e-113", "-7.507e-113", "-7.506765E-113", "-8e-113", "-8.e-113", "-7.50676522110742009428e-113", "-0.000000", "-0.00", "-0", "-0.", "-7.50677e-113", "-7.51e-113", "-7.50677e-113", "-8e-113", "-8.e-113", "-7.50677E-113", "-7.5067652211074201e-113", "-0x1.71ba1d78a66f7p-373", "-0x1.71cp-373", "-0x1p-373", "-0x1.p-373", "-0X1.71BA1D78A66F7P-373", "  -7.5067652211e-113", "-7.50677e-113|", "-0000.00", "-7.507e-113", "-0x1.71ba1d78a66f7p-373", "-7.506765221e-113", "-0008e-113", "-0x1.71ba1d78a66f7p-373"]),
        (0xb2ef2080254c44e1, &["-2.364545e-63", "-2.365e-63", "-2.364545E-63", "-2e-63", "-2.e-63", "-2.36454490581924150529e-63", "-0.000000", "-0.00", "-0", "-0.", "-2.36454e-63", "-2.36e-63", "-2.36454e-63", "-2e-63", "-2.e-63", "-2.36454E-63", "-2.3645449058192415e-63", "-0x1.f2080254c44e1p-209", "-0x1.f21p-209", "-0x2p-209", "-0x2.p-209", "-0X1.F2080254C44E1P-209", "   -2.3645449058e-63", "-2.36454e-63|", "-0000.00", "-2.365e-63", "-0x1.f2080254c44e1p-209", "-2.364544906e-63", "-00002e-63", "-0x1.f2080254c44e1p-209"]),
        (0x5cf441508674cc49, &["6.030220e+139", "6.030e+139", "6.030220E+139", "6e+139", "6.e+139", "6.03021986205608834880e+139", "60302198620560883488033694489352563781712160793082873755435191955797398175887861970794492772689077465083584777142035416977796157548445827072.000000", "60302198620560883488033694489352563781712160793082873755435191955797398175887861970794492772689077465083584777142035416977796157548445827072.00", "60302198620560883488033694489352563781712160793082873755435191955797398175887861970794492772689077465083584777142035416977796157548445827072", "60302198620560883488033694489352563781712160793082873755435191955797398175887861970794492772689077465083584777142035416977796157548445827072.", "6.03022e+139", "6.03e+139", "6.03022e+139", "6e+139", "6.e+139", "6.03022E+139", "6.0302198620560883e+139", "0x1.441508674cc49p+464", "0x1.441p+464", "0x1p+464", "0x1.p+464", "0X1.441508674CC49P+464", "   6.0302198621e+139", "6.03022e+139|", "+60302198620560883488033694489352563781712160793082873755435191955797398175887861970794492772689077465083584777142035416977796157548445827072.00", " 6.03e+139", "0x1.441508674cc49p+464", "6.030219862e+139", "00006e+139", "0x1.441508674cc49p+464"]),
        (0xf7fded73f106697e, &["-9.881601e+269", "-9.882e+269", "-9.881601E+269", "-1e+270", "-1.e+270", "-9.88160074652011430104e+269", "-988160074652011430103902349862356249432581486857867684211864893544213537458021772450377322137899383195458408274552369606394091141413306310813585609862231443406884038912578669005087318914719645556083584275198860176786560927128713770986563677134448921779110310287626993664.000000", "-988160074652011430103902349862356249432581486857867684211864893544213537458021772450377322137899383195458408274552369606394091141413306310813585609862231443406884038912578669005087318914719645556083584275198860176786560927128713770986563677134448921779110310287626993664.00", "-988160074652011430103902349862356249432581486857867684211864893544213537458021772450377322137899383195458408274552369606394091141413306310813585609862231443406884038912578669005087318914719645556083584275198860176786560927128713770986563677134448921779110310287626993664", "-988160074652011430103902349862356249432581486857867684211864893544213537458021772450377322137899383195458408274552369606394091141413306310813585609862231443406884038912578669005087318914719645556083584275198860176786560927128713770986563677134448921779110310287626993664.", "-9.8816e+269", "-9.88e+269", "-9.88160e+269", "-1e+270", "-1.e+270", "-9.8816E+269", "-9.8816007465201143e+269", "-0x1.ded73f106697ep+896", "-0x1.dedp+896", "-0x2p+896", "-0x2.p+896", "-0X1.DED73F106697EP+896", "  -9.8816007465e+269", "-9.8816e+269|", "-988160074652011430103902349862356249432581486857867684211864893544213537458021772450377322137899383195458408274552369606394091141413306310813585609862231443406884038912578669005087318914719645556083584275198860176786560927128713770986563677134448921779110310287626993664.00", "-9.882e+269", "-0x1.ded73f106697ep+896", "-9.881600747e+269", "-0001e+270", "-0x1.ded73f106697ep+896"]),
        (0x16f96d2c0f3b9c24, &["5.314821e-198", "5.315e-198", "5.314821E-198", "5e-198", "5.e-198", "5.31482110894488722700e-198", "0.000000", "0.00", "0", "0.", "5.31482e-198", "5.31e-198", "5.31482e-198", "5e-198", "5.e-198", "5.31482E-198", "5.3148211089448872e-198", "0x1.96d2c0f3b9c24p-656", "0x1.96dp-656", "0x2p-656", "0x2.p-656", "0X1.96D2C0F3B9C24P-656", "   5.3148211089e-198", "5.31482e-198|", "+0000.00", " 5.315e-198", "0x1.96d2c0f3b9c24p-656", "5.314821109e-198", "00005e-198", "0x1.96d2c0f3b9c24p-656"]),
        (0x3d66a820ae2a1dd5, &["6.439435e-13", "6.439e-13", "6.439435E-13", "6e-13", "6.e-13", "6.43943527116568078151e-13", "0.000000", "0.00", "0", "0.", "6.43944e-13", "6.44e-13", "6.43944e-13", "6e-13", "6.e-13", "6.43944E-13", "6.4394352711656808e-13", "0x1.6a820ae2a1dd5p-41", "0x1.6a8p-41", "0x1p-41", "0x1.p-41", "0X1.6A820AE2A1DD5P-41", "    6.4394352712e-13", "6.43944e-13 |", "+0000.00", " 6.439e-13", "0x1.6a820ae2a1dd5p-41", "6.439435271e-13", "000006e-13", "0x1.6a820ae2a1dd5p-41"]),
        (0xabfe3e6408cad878, &["-8.849455e-97", "-8.849e-97", "-8.849455E-97", "-9e-97", "-9.e-97", "-8.84945501610125399403e-97", "-0.000000", "-0.00", "-0", "-0.", "-8.84946e-97", "-8.85e-97", "-8.84946e-97", "-9e-97", "-9.e-97", "-8.84946E-97", "-8.849455016101254e-97", "-0x1.e3e6408cad878p-320", "-0x1.e3ep-320", "-0x2p-320", "-0x2.p-320", "-0X1.E3E6408CAD878P-320", "   -8.8494550161e-97", "-8.84946e-97|", "-0000.00", "-8.849e-97", "-0x1.e3e6408cad878p-320", "-8.849455016e-97", "-00009e-97", "-0x1.e3e6408cad878p-320"]),
        (0x4bf5233813e8576d, &["8.292669e+57", "8.293e+57", "8.292669E+57", "8e+57", "8.e+57", "8.29266907054435507680e+57", "8292669070544355076800380717479300774747314685912048205824.000000", "8292669070544355076800380717479300774747314685912048205824.00", "8292669070544355076800380717479300774747314685912048205824", "8292669070544355076800380717479300774747314685912048205824.", "8.29267e+57", "8.29e+57", "8.29267e+57", "8e+57", "8.e+57", "8.29267E+57", "8.2926690705443551e+57", "0x1.5233813e8576dp+192", "0x1.523p+192", "0x1p+192", "0x1.p+192", "0X1.5233813E8576DP+192", "    8.2926690705e+57", "8.29267e+57 |", "+8292669070544355076800380717479300774747314685912048205824.00", " 8.293e+57", "0x1.5233813e8576dp+192", "8.292669071e+57", "000008e+57", "0x1.5233813e8576dp+192"]),
        (0xfb110b9c8108f655, &["-6.336683e+284", "-6.337e+284", "-6.336683E+284", "-6e+284", "-6.e+284", "-6.33668344768701036996e+284", "-633668344768701036996028147153882686283140874299934840480616146956524151492695082946022748799928149636808196747571084801242351109601451484552242299632535498399138335478166765192554809233999618040807944390338111811649286919677674545571866075645224483001619727697215599728370242675539968.000000", "-633668344768701036996028147153882686283140874299934840480616146956524151492695082946022748799928149636808196747571084801242351109601451484552242299632535498399138335478166765192554809233999618040807944390338111811649286919677674545571866075645224483001619727697215599728370242675539968.00", "-633668344768701036996028147153882686283140874299934840480616146956524151492695082946022748799928149636808196747571084801242351109601451484552242299632535498399138335478166765192554809233999618040807944390338111811649286919677674545571866075645224483001619727697215599728370242675539968", "-633668344768701036996028147153882686283140874299934840480616146956524151492695082946022748799928149636808196747571084801242351109601451484552242299632535498399138335478166765192554809233999618040807944390338111811649286919677674545571866075645224483001619727697215599728370242675539968.", "-6.33668e+284", "-6.34e+284", "-6.33668e+284", "-6e+284", "-6.e+284", "-6.33668E+284", "-6.3366834476870104e+284", "-0x1.10b9c8108f655p+946", "-0x1.10cp+946", "-0x1p+946", "-0x1.p+946", "-0X1.10B9C8108F655P+946", "  -6.3366834477e+284", "-6.33668e+284|", "-633668344768701036996028147153882686283140874299934840480616146956524151492695082946022748799928149636808196747571084801242351109601451484552242299632535498399138335478166765192554809233999618040807944390338111811649286919677674545571866075645224483001619727697215599728370242675539968.00", "-6.337e+284", "-0x1.10b9c8108f655p+946", "-6.336683448e+284", "-0006e+284", "-0x1.10b9c8108f655p+946"]),
        (0xda17835ae5da4183, &["-9.947826e+125", "-9.948e+125", "-9.947826E+125", "-1e+126", "-1.e+126", "-9.94782649285116480867e+125", "-994782649285116480867113067426657489773275498858656885039342625061358848611573263530901944924315220997894019380711445850226688.000000", "-994782649285116480867113067426657489773275498858656885039342625061358848611573263530901944924315220997894019380711445850226688.00", "-994782649285116480867113067426657489773275498858656885039342625061358848611573263530901944924315220997894019380711445850226688", "-994782649285116480867113067426657489773275498858656885039342625061358848611573263530901944924315220997894019380711445850226688.", "-9.94783e+125", "-9.95e+125", "-9.94783e+125", "-1e+126", "-1.e+126", "-9.94783E+125", "-9.9478264928511648e+125", "-0x1.7835ae5da4183p+418", "-0x1.783p+418", "-0x1p+418", "-0x1.p+418", "-0X1.7835AE5DA4183P+418", "  -9.9478264929e+125", "-9.94783e+125|", "-994782649285116480867113067426657489773275498858656885039342625061358848611573263530901944924315220997894019380711445850226688.00", "-9.948e+125", "-0x1.7835ae5da4183p+418", "-9.947826493e+125", "-0001e+126", "-0x1.7835ae5da4183p+418"]),
    ];

    #[test]
    fn float_table_matches_lua() {
        for &(bits, outs) in FLOAT_TABLE {
            for (spec, want) in FLOAT_SPECS.iter().zip(outs.iter()) {
                let got = run(spec.as_bytes(), &[A::F(bits)]).unwrap();
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    *want,
                    "{spec} of {bits:#x}"
                );
            }
        }
    }

    #[test]
    fn errors_carry_argument_numbers_and_host_errors() {
        let e = format(b"%d %d", &mut Args(vec![A::I(1), A::Nil])).unwrap_err();
        assert_eq!(
            e,
            FormatError::Arg {
                arg: 3,
                msg: "number expected, got nil".into()
            }
        );
        let e = format(b"%s", &mut Args(vec![A::T])).unwrap_err();
        assert_eq!(
            e,
            FormatError::Host("no tostring for tables here".to_string())
        );
        let e = format(b"%q", &mut Args(vec![A::T])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bad argument #2 to 'format' (value has no literal form)"
        );
    }
}
