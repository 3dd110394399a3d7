//! Lua 5.4 number semantics over plain Rust numbers: conversions between
//! strings, integers and floats, integer and float arithmetic that differs from
//! Rust's (floor division, modulo, shifts, powers), exact mixed comparisons, the
//! pure parts of the math library, and the printf-style float text core that
//! both `tostring` (`%.14g`) and `string.format` use.
//!
//! Everything here follows the reference `lua5.4` (5.4.4 on x86-64 Linux with
//! glibc) byte for byte; the tests hard-code what it prints.

/// A Lua number: the two subtypes of `number`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    /// The value as a float (`cast_num` for integers; may round).
    pub fn to_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

/// The NaN the hardware produces for invalid operations (`0/0`, `inf - inf`):
/// x86 sets its sign bit, so `print(0/0)` shows `-nan` there; aarch64 does not.
/// Operations here that create a NaN from non-NaN operands return this one, so
/// results do not depend on whether the Rust compiler folded a constant.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
pub const DEFAULT_NAN: f64 = f64::from_bits(0xFFF8_0000_0000_0000);
#[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
pub const DEFAULT_NAN: f64 = f64::from_bits(0x7FF8_0000_0000_0000);

// ---------------------------------------------------------------------------
// Number to text
// ---------------------------------------------------------------------------

/// Appends an integer as `LUA_INTEGER_FMT` (`%lld`) prints it.
pub fn fmt_int(i: i64, out: &mut Vec<u8>) {
    out.extend_from_slice(i.to_string().as_bytes());
}

/// Appends a float as `tostring` prints it: `LUAI_NUMFFORMAT` (`%.14g`), then
/// `.0` if the text would read back as an integer.
pub fn fmt_float(f: f64, out: &mut Vec<u8>) {
    let start = out.len();
    if f.is_sign_negative() {
        out.push(b'-');
    }
    write_float_conv(f, b'g', Some(14), false, out);
    if out[start..]
        .iter()
        .all(|&c| c == b'-' || c.is_ascii_digit())
    {
        out.extend_from_slice(b".0");
    }
}

/// Appends a number as `tostring` prints it.
pub fn fmt_num(n: Num, out: &mut Vec<u8>) {
    match n {
        Num::Int(i) => fmt_int(i, out),
        Num::Float(f) => fmt_float(f, out),
    }
}

/// The printf float core: appends the magnitude of `f` (never a sign) as C's
/// printf formats it for conversion `conv` (one of `e E f F g G a A`), with
/// precision `prec` (None = the default) and the `#` flag `alt`. Infinities and
/// NaNs give `inf`/`nan` (upper case for upper-case conversions). `%a` output
/// includes its `0x` prefix. Padding and signs are the caller's business.
///
/// Decimal digits come from Rust's exact float formatting, which rounds the
/// exact binary value half-to-even like glibc.
pub fn write_float_conv(f: f64, conv: u8, prec: Option<usize>, alt: bool, out: &mut Vec<u8>) {
    let upper = conv.is_ascii_uppercase();
    let a = f.abs();
    if !a.is_finite() {
        let s: &[u8] = match (a.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        out.extend_from_slice(s);
        return;
    }
    match conv.to_ascii_lowercase() {
        b'e' => write_e(a, prec.unwrap_or(6), alt, upper, out),
        b'f' => write_f(a, prec.unwrap_or(6), alt, out),
        b'a' => write_a(a, prec, alt, upper, out),
        _ => write_g(a, prec.unwrap_or(6), alt, upper, out),
    }
}

/// Splits Rust's `{:.*e}` text ("1.25e-3") into its mantissa and exponent.
fn sci_parts(a: f64, prec: usize) -> (String, i32) {
    let s = format!("{:.*e}", prec, a);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    (m.to_string(), e.parse().unwrap_or(0))
}

fn push_exp10(e: i32, upper: bool, out: &mut Vec<u8>) {
    out.push(if upper { b'E' } else { b'e' });
    out.push(if e < 0 { b'-' } else { b'+' });
    let mag = e.unsigned_abs();
    if mag < 10 {
        out.push(b'0');
    }
    out.extend_from_slice(mag.to_string().as_bytes());
}

fn write_e(a: f64, prec: usize, alt: bool, upper: bool, out: &mut Vec<u8>) {
    let (m, e) = sci_parts(a, prec);
    out.extend_from_slice(m.as_bytes());
    if alt && prec == 0 {
        out.push(b'.');
    }
    push_exp10(e, upper, out);
}

fn write_f(a: f64, prec: usize, alt: bool, out: &mut Vec<u8>) {
    out.extend_from_slice(format!("{:.*}", prec, a).as_bytes());
    if alt && prec == 0 {
        out.push(b'.');
    }
}

fn write_g(a: f64, prec: usize, alt: bool, upper: bool, out: &mut Vec<u8>) {
    let p = prec.max(1);
    // The exponent X that %e would show with P-1 digits decides the style.
    let (m, x) = sci_parts(a, p - 1);
    if alt && x == p as i32 {
        // glibc quirk: it picks the style from the unrounded exponent; when
        // that chose %f with no fraction digits and rounding then carried into
        // a new digit, it prints "1.e+XX" (not "1.00000e+XX") under '#'.
        let (_, x0) = sci_parts(a, 40);
        if x0 == p as i32 - 1 {
            out.extend_from_slice(b"1.");
            push_exp10(x, upper, out);
            return;
        }
    }
    let start = out.len();
    let exp_part = if (x as i64) < p as i64 && x >= -4 {
        write_f(a, (p as i64 - 1 - x as i64) as usize, alt, out);
        None
    } else {
        out.extend_from_slice(m.as_bytes());
        if alt && p == 1 {
            out.push(b'.');
        }
        Some(x)
    };
    if !alt && out[start..].contains(&b'.') {
        while out.last() == Some(&b'0') {
            out.pop();
        }
        if out.last() == Some(&b'.') {
            out.pop();
        }
    }
    if let Some(x) = exp_part {
        push_exp10(x, upper, out);
    }
}

/// `%a`: glibc style, leading digit 1 for normal numbers and 0 for subnormals,
/// exponent unbiased; rounding to a precision is half-to-even and may carry
/// into the leading digit (`%.1a` of 1.96875 is `0x2.0p+0`).
fn write_a(a: f64, prec: Option<usize>, alt: bool, upper: bool, out: &mut Vec<u8>) {
    let bits = a.to_bits();
    let frac_bits = bits & ((1u64 << 52) - 1);
    let exp_bits = (bits >> 52) as i64;
    let (lead, exp) = if exp_bits == 0 {
        (0u64, if frac_bits == 0 { 0 } else { -1022 })
    } else {
        (1u64, exp_bits - 1023)
    };
    let digits_of = |v: u64, n: usize| -> Vec<u8> {
        (0..n)
            .rev()
            .map(|k| {
                let d = ((v >> (4 * k)) & 0xF) as u8;
                let c = if d < 10 { b'0' + d } else { b'a' + d - 10 };
                if upper {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect()
    };
    let (lead, frac): (u64, Vec<u8>) = match prec {
        None => {
            let mut d = digits_of(frac_bits, 13);
            while d.last() == Some(&b'0') {
                d.pop();
            }
            (lead, d)
        }
        Some(p) if p >= 13 => {
            let mut d = digits_of(frac_bits, 13);
            d.resize(p, b'0');
            (lead, d)
        }
        Some(p) => {
            let full = (lead << 52) | frac_bits;
            let shift = 52 - 4 * p as u32;
            let mut kept = full >> shift;
            let rem = full & ((1u64 << shift) - 1);
            let half = 1u64 << (shift - 1);
            if rem > half || (rem == half && kept & 1 == 1) {
                kept += 1;
            }
            let fb = 4 * p as u32;
            (kept >> fb, digits_of(kept & ((1u64 << fb) - 1), p))
        }
    };
    out.extend_from_slice(if upper { b"0X" } else { b"0x" });
    out.extend_from_slice(lead.to_string().as_bytes());
    if !frac.is_empty() || alt {
        out.push(b'.');
    }
    out.extend_from_slice(&frac);
    out.push(if upper { b'P' } else { b'p' });
    out.push(if exp < 0 { b'-' } else { b'+' });
    out.extend_from_slice(exp.unsigned_abs().to_string().as_bytes());
}

// ---------------------------------------------------------------------------
// Text to number
// ---------------------------------------------------------------------------

/// C-locale `isspace`.
pub fn is_lua_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

fn trim_spaces(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&c| !is_lua_space(c)).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|&c| !is_lua_space(c))
        .map_or(start, |p| p + 1);
    &s[start..end.max(start)]
}

fn hex_value(c: u8) -> Option<u64> {
    (c as char).to_digit(16).map(u64::from)
}

/// `luaO_str2num`: the conversion the lexer, `tonumber` and string coercion
/// share. Integers first (decimal ones that overflow become floats, hex ones
/// wrap around), then floats (decimal or hex, with `p` exponents); `inf` and
/// `nan` are not numerals; an embedded `\0` makes the string no numeral.
pub fn str_to_number(s: &[u8]) -> Option<Num> {
    let t = trim_spaces(s);
    if let Some(i) = str_to_int(t) {
        return Some(Num::Int(i));
    }
    str_to_float(t).map(Num::Float)
}

/// `l_str2int` on a string already stripped of surrounding spaces.
fn str_to_int(t: &[u8]) -> Option<i64> {
    let (neg, body) = split_sign(t);
    let mut a: u64 = 0;
    if body.len() >= 2 && body[0] == b'0' && (body[1] | 0x20) == b'x' {
        let digits = &body[2..];
        if digits.is_empty() {
            return None;
        }
        for &c in digits {
            a = a.wrapping_mul(16).wrapping_add(hex_value(c)?);
        }
    } else {
        if body.is_empty() {
            return None;
        }
        let max_by_10 = (i64::MAX / 10) as u64;
        let max_last = (i64::MAX % 10) as u64;
        for &c in body {
            if !c.is_ascii_digit() {
                return None;
            }
            let d = u64::from(c - b'0');
            if a >= max_by_10 && (a > max_by_10 || d > max_last + u64::from(neg)) {
                return None; // overflow: not accepted as an integer
            }
            a = a * 10 + d;
        }
    }
    Some(if neg { 0u64.wrapping_sub(a) } else { a } as i64)
}

fn split_sign(t: &[u8]) -> (bool, &[u8]) {
    match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    }
}

/// `l_str2d` (strtod in the C locale, refusing `inf`/`nan`) on a string
/// already stripped of surrounding spaces; the whole string must be used.
fn str_to_float(t: &[u8]) -> Option<f64> {
    let (neg, body) = split_sign(t);
    let mag = if body.len() >= 2 && body[0] == b'0' && (body[1] | 0x20) == b'x' {
        hex_float(&body[2..])?
    } else {
        decimal_float(body)?
    };
    Some(if neg { -mag } else { mag })
}

fn decimal_float(b: &[u8]) -> Option<f64> {
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_digits == 0 {
            return None;
        }
        i += exp_digits;
    }
    if i != b.len() {
        return None;
    }
    // The grammar above is a subset of what Rust's parser accepts, and Rust
    // rounds correctly (overflow gives inf, like strtod).
    std::str::from_utf8(b).ok()?.parse::<f64>().ok()
}

/// Hex float digits after `0x`: `h*[.h*][p[+-]d+]` with at least one hex digit.
fn hex_float(b: &[u8]) -> Option<f64> {
    let mut mant: u64 = 0;
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut any = false;
    let mut i = 0;
    let mut seen_dot = false;
    while i < b.len() {
        let c = b[i];
        if c == b'.' && !seen_dot {
            seen_dot = true;
        } else if let Some(d) = hex_value(c) {
            any = true;
            if mant >> 60 == 0 {
                mant = mant * 16 + d;
                if seen_dot {
                    exp -= 4;
                }
            } else {
                sticky |= d != 0;
                if !seen_dot {
                    exp += 4;
                }
            }
        } else {
            break;
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if matches!(b.get(i), Some(b'p' | b'P')) {
        i += 1;
        let (neg, rest) = split_sign(&b[i..]);
        i = b.len() - rest.len();
        let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        let mut e: i64 = 0;
        for &c in &rest[..n] {
            e = (e * 10 + i64::from(c - b'0')).min(1 << 40);
        }
        exp += if neg { -e } else { e };
        i += n;
    }
    if i != b.len() {
        return None;
    }
    Some(compose_float(mant, exp, sticky))
}

/// `mant * 2^exp` correctly rounded (half to even), where `sticky` says that
/// nonzero bits below `mant` were dropped.
fn compose_float(mant: u64, exp: i64, sticky: bool) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    let top = 63 - i64::from(mant.leading_zeros());
    let e = top + exp; // exponent of the leading bit
    if e > 1023 {
        return f64::INFINITY;
    }
    let keep = if e >= -1022 { 53 } else { e + 1075 };
    if keep < 0 {
        return 0.0;
    }
    let shift = top + 1 - keep;
    let m = u128::from(mant);
    let mut kept = if shift <= 0 {
        m << (-shift)
    } else {
        let k = m >> shift;
        let rem = m & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        if rem > half || (rem == half && (sticky || k & 1 == 1)) {
            k + 1
        } else {
            k
        }
    };
    if e >= -1022 {
        let mut e = e;
        if kept == 1u128 << 53 {
            kept >>= 1;
            e += 1;
            if e > 1023 {
                return f64::INFINITY;
            }
        }
        f64::from_bits((((e + 1023) as u64) << 52) | (kept as u64 & ((1u64 << 52) - 1)))
    } else {
        // Subnormal: the unit is 2^-1074; a carry to 2^52 is the least normal.
        f64::from_bits(kept as u64)
    }
}

/// `tonumber(s, base)` for `base` in 2..=36: optional spaces, an optional sign,
/// alphanumeric digits below `base`, optional spaces; wraps around on overflow.
pub fn str_to_int_base(s: &[u8], base: u32) -> Option<i64> {
    let t = trim_spaces(s);
    let (neg, body) = split_sign(t);
    if body.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &c in body {
        let d = (c as char).to_digit(36)?;
        if d >= base {
            return None;
        }
        n = n.wrapping_mul(u64::from(base)).wrapping_add(u64::from(d));
    }
    Some(if neg { 0u64.wrapping_sub(n) } else { n } as i64)
}

// ---------------------------------------------------------------------------
// Conversions between subtypes
// ---------------------------------------------------------------------------

/// How `float_to_int` treats a float with a fractional part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum F2I {
    /// Only integral values convert.
    Exact,
    /// Take the floor.
    Floor,
    /// Take the ceiling.
    Ceil,
}

/// 2^63, the first float above the integer range.
const TWO_POW_63: f64 = (1u64 << 63) as f64;

/// `luaV_flttointns`: the float as an integer if (after rounding by `mode`)
/// it lies in the integer range.
pub fn float_to_int(f: f64, mode: F2I) -> Option<i64> {
    let mut fl = f.floor();
    if f != fl {
        match mode {
            F2I::Exact => return None,
            F2I::Ceil => fl += 1.0,
            F2I::Floor => {}
        }
    }
    // -2^63 <= fl < 2^63; false for NaN.
    if (-TWO_POW_63..TWO_POW_63).contains(&fl) {
        Some(fl as i64)
    } else {
        None
    }
}

/// `lua_tointeger` on a number (exact conversion only).
pub fn num_to_int(n: Num) -> Option<i64> {
    match n {
        Num::Int(i) => Some(i),
        Num::Float(f) => float_to_int(f, F2I::Exact),
    }
}

// ---------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------

/// `luaV_idiv`: floor division; `b` must not be 0 (the caller raises
/// "attempt to perform 'n//0'"); `mininteger // -1` wraps to mininteger.
pub fn int_floor_div(a: i64, b: i64) -> i64 {
    if b == -1 {
        return a.wrapping_neg();
    }
    if b == 0 {
        return 0; // not reachable from a correct caller; never panic
    }
    let q = a / b;
    if (a ^ b) < 0 && a % b != 0 {
        q - 1
    } else {
        q
    }
}

/// `luaV_mod`: modulo with the sign of the divisor; `b` must not be 0 (the
/// caller raises "attempt to perform 'n%%0'").
pub fn int_mod(a: i64, b: i64) -> i64 {
    if b == -1 || b == 0 {
        return 0;
    }
    let r = a % b;
    if r != 0 && (r ^ b) < 0 {
        r + b
    } else {
        r
    }
}

/// C `fmod` as glibc computes it on x86-64: a NaN operand propagates (the
/// first one), a zero divisor or infinite dividend gives the default NaN.
pub fn c_fmod(a: f64, b: f64) -> f64 {
    if a.is_nan() {
        a
    } else if b.is_nan() {
        b
    } else if b == 0.0 || a.is_infinite() {
        DEFAULT_NAN
    } else if b.is_infinite() {
        a
    } else {
        a % b
    }
}

/// `luai_numidiv`: `floor(a / b)`.
pub fn float_floor_div(a: f64, b: f64) -> f64 {
    float_div(a, b).floor()
}

/// `a / b` with the hardware's NaN for `0/0` and `inf/inf`.
pub fn float_div(a: f64, b: f64) -> f64 {
    if !a.is_nan()
        && !b.is_nan()
        && ((a == 0.0 && b == 0.0) || (a.is_infinite() && b.is_infinite()))
    {
        DEFAULT_NAN
    } else {
        a / b
    }
}

/// `luai_nummod`: `fmod` corrected towards the sign of the divisor
/// (so `-1 % math.huge` is `inf`, as in lua5.4).
pub fn float_mod(a: f64, b: f64) -> f64 {
    // `fmod` truncates; floor semantics need the correction when a nonzero remainder
    // and the divisor have different signs (this also gives `-5 % math.huge == inf`).
    let mut m = c_fmod(a, b);
    if m != 0.0 && (m < 0.0) != (b < 0.0) {
        m += b;
    }
    m
}

/// `luai_numpow`: `b == 2` is `a * a`, else C `pow`.
pub fn float_pow(a: f64, b: f64) -> f64 {
    if b == 2.0 {
        a * a
    } else if a < 0.0 && a.is_finite() && b.is_finite() && b.fract() != 0.0 {
        DEFAULT_NAN // negative base, non-integral exponent
    } else {
        a.powf(b)
    }
}

/// `luaV_shiftl`: logical shift left by `n` (right if negative); shifts of 64
/// or more give 0.
pub fn shift_left(a: i64, n: i64) -> i64 {
    if n < 0 {
        if n <= -64 {
            0
        } else {
            ((a as u64) >> (-n)) as i64
        }
    } else if n >= 64 {
        0
    } else {
        ((a as u64) << n) as i64
    }
}

/// Logical shift right (`a >> n` is `a << -n`).
pub fn shift_right(a: i64, n: i64) -> i64 {
    shift_left(a, n.wrapping_neg())
}

// ---------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------

/// Whether an integer converts to a float exactly (|i| <= 2^53).
fn int_fits_float(i: i64) -> bool {
    (-(1i64 << 53)..=(1i64 << 53)).contains(&i)
}

fn lt_int_float(i: i64, f: f64) -> bool {
    if int_fits_float(i) {
        (i as f64) < f
    } else {
        match float_to_int(f, F2I::Ceil) {
            Some(fi) => i < fi,
            None => f > 0.0,
        }
    }
}

fn le_int_float(i: i64, f: f64) -> bool {
    if int_fits_float(i) {
        (i as f64) <= f
    } else {
        match float_to_int(f, F2I::Floor) {
            Some(fi) => i <= fi,
            None => f > 0.0,
        }
    }
}

fn lt_float_int(f: f64, i: i64) -> bool {
    if int_fits_float(i) {
        f < (i as f64)
    } else {
        match float_to_int(f, F2I::Floor) {
            Some(fi) => fi < i,
            None => f < 0.0,
        }
    }
}

fn le_float_int(f: f64, i: i64) -> bool {
    if int_fits_float(i) {
        f <= (i as f64)
    } else {
        match float_to_int(f, F2I::Ceil) {
            Some(fi) => fi <= i,
            None => f < 0.0,
        }
    }
}

/// `a < b` with exact mixed comparison (`LTnum`).
pub fn num_lt(a: Num, b: Num) -> bool {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x < y,
        (Num::Float(x), Num::Float(y)) => x < y,
        (Num::Int(x), Num::Float(y)) => lt_int_float(x, y),
        (Num::Float(x), Num::Int(y)) => lt_float_int(x, y),
    }
}

/// `a <= b` with exact mixed comparison (`LEnum`).
pub fn num_le(a: Num, b: Num) -> bool {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x <= y,
        (Num::Float(x), Num::Float(y)) => x <= y,
        (Num::Int(x), Num::Float(y)) => le_int_float(x, y),
        (Num::Float(x), Num::Int(y)) => le_float_int(x, y),
    }
}

/// `a == b` for numbers: a float equals an integer only if it converts to it
/// exactly.
pub fn num_eq(a: Num, b: Num) -> bool {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x == y,
        (Num::Float(x), Num::Float(y)) => x == y,
        (Num::Int(i), Num::Float(f)) | (Num::Float(f), Num::Int(i)) => {
            float_to_int(f, F2I::Exact) == Some(i)
        }
    }
}

// ---------------------------------------------------------------------------
// Pure parts of the math library
// ---------------------------------------------------------------------------

/// `math.fmod`. Integers use C's truncating `%`; a zero integer divisor is an
/// error whose text is the extra message of argument #2 ("zero"; the caller
/// builds "bad argument #2 to 'fmod' (zero)").
pub fn math_fmod(a: Num, b: Num) -> Result<Num, &'static str> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => match y {
            0 => Err("zero"),
            -1 => Ok(Num::Int(0)),
            _ => Ok(Num::Int(x % y)),
        },
        _ => Ok(Num::Float(c_fmod(a.to_f64(), b.to_f64()))),
    }
}

/// A float result of floor/ceil/modf: an integer if it fits (`pushnumint`).
fn float_or_int(f: f64) -> Num {
    match float_to_int(f, F2I::Exact) {
        Some(i) => Num::Int(i),
        None => Num::Float(f),
    }
}

/// `math.modf`: integral part (an integer if representable) and fraction.
pub fn math_modf(n: Num) -> (Num, Num) {
    match n {
        Num::Int(_) => (n, Num::Float(0.0)),
        Num::Float(f) => {
            let ip = if f < 0.0 { f.ceil() } else { f.floor() };
            let frac = if f == ip {
                0.0
            } else if f.is_nan() {
                f
            } else {
                f - ip
            };
            (float_or_int(ip), Num::Float(frac))
        }
    }
}

/// `math.floor`.
pub fn math_floor(n: Num) -> Num {
    match n {
        Num::Int(_) => n,
        Num::Float(f) => float_or_int(f.floor()),
    }
}

/// `math.ceil`.
pub fn math_ceil(n: Num) -> Num {
    match n {
        Num::Int(_) => n,
        Num::Float(f) => float_or_int(f.ceil()),
    }
}

/// `math.tointeger` on a number (strings are the caller's business: 5.4.4
/// converts strings such as "8").
pub fn math_tointeger(n: Num) -> Option<i64> {
    num_to_int(n)
}

/// `math.ult`.
pub fn math_ult(a: i64, b: i64) -> bool {
    (a as u64) < (b as u64)
}

/// `math.abs` (mininteger wraps to itself).
pub fn math_abs(n: Num) -> Num {
    match n {
        Num::Int(i) => Num::Int(i.wrapping_abs()),
        Num::Float(f) => Num::Float(f.abs()),
    }
}

/// `math.type` of a number.
pub fn math_type(n: Num) -> &'static str {
    match n {
        Num::Int(_) => "integer",
        Num::Float(_) => "float",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float_text(f: f64) -> String {
        let mut v = Vec::new();
        fmt_float(f, &mut v);
        String::from_utf8(v).unwrap()
    }

    /// (bits, tostring) as printed by lua5.4.
    #[rustfmt::skip]
    const TOSTRING: &[(u64, &str)] = &[
        (0x0000000000000000, "0.0"),
        (0x8000000000000000, "-0.0"),
        (0x3ff0000000000000, "1.0"),
        (0xbff0000000000000, "-1.0"),
        (0x3fb999999999999a, "0.1"),
        (0x3fd5555555555555, "0.33333333333333"),
        (0x3fe5555555555555, "0.66666666666667"),
        (0x3ee4f8b588e368f1, "1e-05"),
        (0x437b69b4ba630f35, "1.2345678901235e+17"),
        (0x0000000000000001, "4.9406564584125e-324"),
        (0x7fefffffffffffff, "1.7976931348623e+308"),
        (0x4340000000000000, "9.007199254741e+15"),
        (0x43e0000000000000, "9.2233720368548e+18"),
        (0xc3e0000000000000, "-9.2233720368548e+18"),
        (0x430c6bf526340000, "1e+15"),
        (0x42d6bcc41e900000, "1e+14"),
        (0x4341c37937e08000, "1e+16"),
        (0x42dc12218377de40, "1.2345678901234e+14"),
        (0x42a674e79c5fe500, "12345678901234.0"),
        (0x4059000000000000, "100.0"),
        (0x54b249ad2594c37d, "1e+100"),
        (0x2b2bff2ee48e0530, "1e-100"),
        (0x4004000000000000, "2.5"),
        (0x3fe0000000000000, "0.5"),
        (0x400921fb54442d11, "3.1415926535898"),
        (0x7ff0000000000000, "inf"),
        (0xfff0000000000000, "-inf"),
        (0xfff8000000000000, "-nan"),
        (0x7ff8000000000000, "nan"),
        (0x0010000000000000, "2.2250738585072e-308"),
        (0x0000000000000001, "4.9406564584125e-324"),
        (0x42d6bcc41e8ffffa, "1e+14"),
        (0x430c6bf52633ffff, "1e+15"),
        (0x3fd3333333333334, "0.3"),
        (0x3f1a36e2eb1c432d, "0.0001"),
        (0x3f50624dd2f1a9fc, "0.001"),
        (0x3ee9cb8320b15070, "1.23e-05"),
        (0x40f0000000000000, "65536.0"),
        (0x0010000000000000, "2.2250738585072e-308"),
        (0x4170000008000000, "16777216.5"),
        (0x059404fffc64fb5b, "8.6162435607914e-282"),
        (0x4201771f3cb6be71, "9376622486.843"),
        (0x72ab7da2a9358e6d, "2.3463527191695e+244"),
        (0x7d2d0dd3f152b89f, "9.2779479626844e+294"),
        (0xb0e97e2111e1d750, "-4.5088601282495e-73"),
        (0xea7e6f8ce2688e92, "-9.5424739686011e+204"),
        (0xa34454076f6a81a3, "-8.5351617130346e-139"),
        (0x29b1b630eb9da495, "7.5415639024742e-108"),
        (0x00000000000000ac, "8.4979291084694e-322"),
        (0x9f15276f822b2a37, "-6.0186034088205e-159"),
        (0x9b5b613131ffd5b2, "-6.7566365787318e-177"),
        (0xd686cb7d3f3d08bf, "-6.6918432548827e+108"),
        (0xfce2c8d562ae497a, "-3.749087427729e+293"),
        (0x94407b0c3e8da41a, "-3.9164044172043e-211"),
        (0x5a40fe6e321d0a2e, "5.7517560344282e+126"),
        (0x5cb066d8f68da873, "3.0518849692106e+138"),
        (0x605feaedd0219501, "1.7117850947771e+156"),
        (0x082511154ad0dc3e, "1.9938433868184e-269"),
        (0x6d8f06b05a99f641, "5.4761387387124e+219"),
        (0x9c6402219a2f1e14, "-6.4717722078498e-172"),
        (0x2f7ebe1ec69b8b1b, "6.48190352932e-80"),
        (0xf2fd3c501d5c21af, "-7.9848810811887e+245"),
        (0xa521407a36ffce09, "-7.7776415664732e-130"),
        (0xf5e0de1abfb24dd8, "-6.4836484217734e+259"),
        (0x9c14b1a0b4601889, "-2.0917220734094e-173"),
        (0x4c51a0119314987c, "4.4254240556813e+59"),
        (0xa6900aa8c30f1842, "-6.0666714924076e-123"),
        (0x7ed5c3df93e188ed, "9.3286097702008e+302"),
        (0x36caef2114fc8008, "9.4356777308417e-45"),
        (0x330ab6318c0f43b1, "8.116566256235e-63"),
        (0xaed4370dc52f567d, "-4.1623261582645e-83"),
        (0x37749ac9cac424fe, "1.4783105349334e-41"),
        (0x475decdbb46e4fa0, "6.2152265748889e+35"),
        (0x8772a38d1dfce4ba, "-8.6135774604841e-273"),
        (0x785b78208f9ad83b, "5.8047411521571e+271"),
        (0x0065f0960e1bae0b, "9.7635304863973e-307"),
        (0x3b8633b5d5cbd4fe, "5.8768187027112e-22"),
        (0x2fd8094bf2c50961, "3.2434635765733e-78"),
        (0x0000000b44897b97, "2.3910060399141e-313"),
        (0x39e747c9558182bd, "9.1825049658632e-30"),
        (0xae40447aa16946ab, "-6.5420213664502e-86"),
        (0xcdbf62bae835050c, "-3.3052962514435e+66"),
        (0x0b4379ccb13804f3, "2.0753364980878e-254"),
        (0x097bcde32f4b90c5, "5.5186766543418e-263"),
        (0xaee6d857c2962ef3, "-9.4077129476215e-83"),
        (0xbf6be18051cdad43, "-0.0034034258118731"),
        (0xbe68a3221972a82c, "-4.5890433836058e-08"),
        (0x4b570de6cfc83b54, "8.832654196187e+54"),
        (0x167c5daf0c61f26c, "2.3161157739306e-200"),
        (0x645cbcf795068970, "2.8431275481953e+175"),
        (0x37936fe8672c4ca4, "5.5781855942459e-41"),
        (0xfc38a752022d6b5a, "-2.4025702576416e+290"),
        (0x290014f399df79c9, "3.3435467594372e-111"),
        (0xf31c46f19fef6270, "-3.089240451096e+246"),
        (0x1b5271a2c0533837, "4.5515055131325e-177"),
        (0xc2b8592022dd5e42, "-26771070311774.0"),
        (0xfd61b376d1999c4e, "-9.0440787833264e+295"),
        (0x916810e2be5ec795, "-8.127115562545e-225"),
        (0x8857df221feecd36, "-1.8074474025583e-268"),
        (0xc9d308278479da5d, "-4.3461069226254e+47"),
        (0x40c9ef2c00000000, "13278.34375"),
        (0x409dfa7000000000, "1918.609375"),
        (0x4090e8e000000000, "1082.21875"),
        (0x40b0c32c00000000, "4291.171875"),
        (0xc0c82a5600000000, "-12372.671875"),
        (0xc0c7589600000000, "-11953.171875"),
        (0x40c9430e00000000, "12934.109375"),
        (0xc0b9c4fc00000000, "-6596.984375"),
        (0x408e304000000000, "966.03125"),
        (0x40cda60000000000, "15180.0"),
        (0x40c2b75c00000000, "9582.71875"),
        (0xc0a661d800000000, "-2864.921875"),
        (0xc0c5ff5e00000000, "-11262.734375"),
        (0xc0c405b600000000, "-10251.421875"),
        (0x40a8ab9800000000, "3157.796875"),
        (0x40cc4d8c00000000, "14491.09375"),
        (0x40c1c9c800000000, "9107.5625"),
        (0xc09cef3000000000, "-1851.796875"),
        (0xc0be0d1000000000, "-7693.0625"),
        (0x40aeb1b000000000, "3928.84375"),
    ];

    #[test]
    fn tostring_of_floats_matches_lua() {
        for &(bits, want) in TOSTRING {
            assert_eq!(float_text(f64::from_bits(bits)), want, "bits {bits:#x}");
        }
    }

    #[test]
    fn tostring_of_ints() {
        let mut v = Vec::new();
        fmt_int(i64::MIN, &mut v);
        v.push(b' ');
        fmt_num(Num::Int(42), &mut v);
        assert_eq!(v, b"-9223372036854775808 42");
    }

    #[test]
    fn default_nan_prints_like_zero_over_zero() {
        assert_eq!(float_text(DEFAULT_NAN), "-nan");
        assert_eq!(float_text(-DEFAULT_NAN), "nan");
        assert_eq!(float_text(float_div(0.0, 0.0)), "-nan");
    }

    #[rustfmt::skip]
    const STR2NUM: &[(&[u8], Option<Num>)] = &[
        (b"0", Some(Num::Int(0))),
        (b"10", Some(Num::Int(10))),
        (b" 10 ", Some(Num::Int(10))),
        (b"-10", Some(Num::Int(-10))),
        (b"+10", Some(Num::Int(10))),
        (b"- 1", None),
        (b"0x", None),
        (b"0x10", Some(Num::Int(16))),
        (b"-0x10", Some(Num::Int(-16))),
        (b"0XfF", Some(Num::Int(255))),
        (b"0xffffffffffffffffff", Some(Num::Int(-1))),
        (b"0x7fffffffffffffff", Some(Num::Int(9223372036854775807))),
        (b"0x8000000000000000", Some(Num::Int(-9223372036854775808))),
        (b"9223372036854775807", Some(Num::Int(9223372036854775807))),
        (b"9223372036854775808", Some(Num::Float(f64::from_bits(0x43e0000000000000)))),
        (b"-9223372036854775808", Some(Num::Int(-9223372036854775808))),
        (b"-9223372036854775809", Some(Num::Float(f64::from_bits(0xc3e0000000000000)))),
        (b"1e", None),
        (b"1e+", None),
        (b"1e5", Some(Num::Float(f64::from_bits(0x40f86a0000000000)))),
        (b"1E-2", Some(Num::Float(f64::from_bits(0x3f847ae147ae147b)))),
        (b".5", Some(Num::Float(f64::from_bits(0x3fe0000000000000)))),
        (b"5.", Some(Num::Float(f64::from_bits(0x4014000000000000)))),
        (b".", None),
        (b"-.5", Some(Num::Float(f64::from_bits(0xbfe0000000000000)))),
        (b"+.5e1", Some(Num::Float(f64::from_bits(0x4014000000000000)))),
        (b"inf", None),
        (b"nan", None),
        (b"-inf", None),
        (b"infinity", None),
        (b"1e500", Some(Num::Float(f64::from_bits(0x7ff0000000000000)))),
        (b"-1e500", Some(Num::Float(f64::from_bits(0xfff0000000000000)))),
        (b"1e-400", Some(Num::Float(f64::from_bits(0x0000000000000000)))),
        (b"0x1p4", Some(Num::Float(f64::from_bits(0x4030000000000000)))),
        (b"0x.8", Some(Num::Float(f64::from_bits(0x3fe0000000000000)))),
        (b"0x1.8p1", Some(Num::Float(f64::from_bits(0x4008000000000000)))),
        (b"0x1P-2", Some(Num::Float(f64::from_bits(0x3fd0000000000000)))),
        (b"0x1p", None),
        (b"0x1p+", None),
        (b"0xp1", None),
        (b"0x.p1", None),
        (b"0x1.", Some(Num::Float(f64::from_bits(0x3ff0000000000000)))),
        (b"0x.1", Some(Num::Float(f64::from_bits(0x3fb0000000000000)))),
        (b"0xA.8P0", Some(Num::Float(f64::from_bits(0x4025000000000000)))),
        (b"\t0x10\n", Some(Num::Int(16))),
        (b"1 2", None),
        (b"", None),
        (b"  ", None),
        (b"1\x00", None),
        (b"0x1p-1074", Some(Num::Float(f64::from_bits(0x0000000000000001)))),
        (b"0x1p-1075", Some(Num::Float(f64::from_bits(0x0000000000000000)))),
        (b"0x1.8p-1075", Some(Num::Float(f64::from_bits(0x0000000000000001)))),
        (b"0x1p1024", Some(Num::Float(f64::from_bits(0x7ff0000000000000)))),
        (b"0x1.fffffffffffff8p1023", Some(Num::Float(f64::from_bits(0x7ff0000000000000)))),
        (b"0x1.fffffffffffff7ffp1023", Some(Num::Float(f64::from_bits(0x7fefffffffffffff)))),
        (b"0x123456789abcdef0123p0", Some(Num::Float(f64::from_bits(0x44723456789abcdf)))),
        (b"0x1.00000000000008p0", Some(Num::Float(f64::from_bits(0x3ff0000000000000)))),
        (b"0x1.000000000000081p0", Some(Num::Float(f64::from_bits(0x3ff0000000000001)))),
        (b"0x1.00000000000018p0", Some(Num::Float(f64::from_bits(0x3ff0000000000002)))),
        (b"12345678901234567890", Some(Num::Float(f64::from_bits(0x43e56a95319d63e1)))),
        (b"0.1", Some(Num::Float(f64::from_bits(0x3fb999999999999a)))),
        (b"1e308", Some(Num::Float(f64::from_bits(0x7fe1ccf385ebc8a0)))),
        (b"2e308", Some(Num::Float(f64::from_bits(0x7ff0000000000000)))),
        (b"000123", Some(Num::Int(123))),
        (b"0x0000000000000000000000001", Some(Num::Int(1))),
        (b"1.5e+308", Some(Num::Float(f64::from_bits(0x7feab36d48e1acf0)))),
        (b"4.9e-324", Some(Num::Float(f64::from_bits(0x0000000000000001)))),
        (b"2.4703282292062328e-324", Some(Num::Float(f64::from_bits(0x0000000000000001)))),
        (b"1..2", None),
        (b"1e1.5", None),
        (b"0x1e", Some(Num::Int(30))),
        (b"1f", None),
        (b"0b1", None),
        (b"\x0b\x0c\r 7", Some(Num::Int(7))),
    ];

    #[test]
    fn str_to_number_matches_lua() {
        for &(s, want) in STR2NUM {
            let got = str_to_number(s);
            match (got, want) {
                (Some(Num::Float(a)), Some(Num::Float(b))) => {
                    assert_eq!(a.to_bits(), b.to_bits(), "{:?}", String::from_utf8_lossy(s))
                }
                _ => assert_eq!(got, want, "{:?}", String::from_utf8_lossy(s)),
            }
        }
    }

    #[rustfmt::skip]
    const STR2INT_BASE: &[(&[u8], u32, Option<i64>)] = &[
        (b"10", 2, Some(2)),
        (b"ff", 16, Some(255)),
        (b" -ff ", 16, Some(-255)),
        (b"zz", 36, Some(1295)),
        (b"ZZ", 36, Some(1295)),
        (b"8", 8, None),
        (b"", 10, None),
        (b"-", 10, None),
        (b"1.0", 10, None),
        (b"ffffffffffffffffffff", 16, Some(-1)),
        (b"+11", 2, Some(3)),
        (b"1 1", 10, None),
        (b"7fffffffffffffff", 16, Some(9223372036854775807)),
        (b" 12\t", 3, Some(5)),
        (b"1\x00", 10, None),
        (b"-8000000000000000", 16, Some(-9223372036854775808)),
    ];

    #[test]
    fn str_to_int_base_matches_lua() {
        for &(s, base, want) in STR2INT_BASE {
            assert_eq!(
                str_to_int_base(s, base),
                want,
                "{:?} base {base}",
                String::from_utf8_lossy(s)
            );
        }
    }

    fn t(f: f64) -> String {
        float_text(f)
    }

    #[test]
    fn integer_division_and_modulo() {
        assert_eq!(int_floor_div(i64::MIN, -1), i64::MIN);
        assert_eq!(int_mod(i64::MIN, -1), 0);
        assert_eq!(int_floor_div(7, -2), -4);
        assert_eq!(int_floor_div(-7, 2), -4);
        assert_eq!(int_floor_div(7, 2), 3);
        assert_eq!(int_floor_div(-8, 2), -4);
        assert_eq!(int_mod(-7, 3), 2);
        assert_eq!(int_mod(7, -3), -2);
        assert_eq!(int_mod(-6, 3), 0);
        assert_eq!(int_mod(i64::MIN, i64::MAX), i64::MAX - 1);
    }

    #[test]
    fn float_division_and_modulo() {
        // Operands pass through black_box: in release builds LLVM folds NaN arithmetic on
        // literals and loses the sign the hardware produces (x86's default NaN is -nan,
        // which lua5.4 prints); the VM always computes on run-time values.
        use std::hint::black_box as bb;
        fn float_mod(a: f64, b: f64) -> f64 {
            super::float_mod(bb(a), bb(b))
        }
        fn float_floor_div(a: f64, b: f64) -> f64 {
            super::float_floor_div(bb(a), bb(b))
        }
        fn float_div(a: f64, b: f64) -> f64 {
            super::float_div(bb(a), bb(b))
        }
        let n = -DEFAULT_NAN; // positive NaN: -(0/0) in lua
        assert_eq!(t(float_mod(7.5, -2.0)), "-0.5");
        assert_eq!(t(float_mod(-7.5, -2.0)), "-1.5");
        assert_eq!(t(float_mod(-7.5, 2.0)), "0.5");
        assert_eq!(t(float_mod(-0.0, 1.0)), "-0.0");
        assert_eq!(t(float_mod(5.0, f64::INFINITY)), "5.0");
        assert_eq!(t(float_mod(-5.0, f64::INFINITY)), "inf");
        assert_eq!(t(float_mod(5.0, f64::NEG_INFINITY)), "-inf");
        assert_eq!(t(float_mod(1.0, 0.0)), "-nan");
        assert_eq!(t(float_mod(n, 1.0)), "nan");
        assert_eq!(t(float_mod(1.0, n)), "nan");
        assert_eq!(t(float_mod(DEFAULT_NAN, 1.0)), "-nan");
        assert_eq!(t(float_mod(f64::INFINITY, 2.0)), "-nan");
        assert_eq!(t(float_mod(1.0, f64::INFINITY)), "1.0");
        assert_eq!(t(float_mod(0.0, -2.0)), "0.0");
        assert_eq!(t(float_mod(-0.0, 2.0)), "-0.0");
        assert_eq!(t(float_mod(5.5, -0.0)), "-nan");
        assert_eq!(t(float_floor_div(1.0, 0.0)), "inf");
        assert_eq!(t(float_floor_div(-1.0, 0.0)), "-inf");
        assert_eq!(t(float_floor_div(DEFAULT_NAN, 1.0)), "-nan");
        assert_eq!(t(float_floor_div(n, 1.0)), "nan");
        assert_eq!(t(float_floor_div(7.0, -2.0)), "-4.0");
        assert_eq!(t(float_div(0.0, 0.0)), "-nan");
    }

    #[test]
    fn powers() {
        assert_eq!(t(float_pow(2.0, 0.5)), "1.4142135623731");
        assert_eq!(t(float_pow(-8.0, 1.0 / 3.0)), "-nan");
        assert_eq!(t(float_pow(0.0, 0.0)), "1.0");
        assert_eq!(t(float_pow(2.0, -1074.0)), "4.9406564584125e-324");
        assert_eq!(t(float_pow(-DEFAULT_NAN, 0.0)), "1.0");
        assert_eq!(t(float_pow(1.0, -DEFAULT_NAN)), "1.0");
        assert_eq!(t(float_pow(-3.0, 2.0)), "9.0");
        assert_eq!(t(float_pow(-2.0, 3.0)), "-8.0");
    }

    #[test]
    fn shifts() {
        assert_eq!(shift_left(1, 64), 0);
        assert_eq!(shift_left(1, 63), i64::MIN);
        assert_eq!(shift_right(1, 1), 0);
        assert_eq!(shift_right(-1, 1), i64::MAX);
        assert_eq!(shift_left(1, -1), 0);
        assert_eq!(shift_right(2, -1), 4);
        assert_eq!(shift_right(-1, 63), 1);
        assert_eq!(shift_left(1, 100), 0);
        assert_eq!(shift_right(-1, i64::MIN), 0);
        assert_eq!(shift_left(-1, i64::MIN), 0);
    }

    #[test]
    fn float_to_int_modes() {
        assert_eq!(float_to_int(3.0, F2I::Exact), Some(3));
        assert_eq!(float_to_int(3.5, F2I::Exact), None);
        assert_eq!(float_to_int(3.5, F2I::Floor), Some(3));
        assert_eq!(float_to_int(3.5, F2I::Ceil), Some(4));
        assert_eq!(float_to_int(-3.5, F2I::Ceil), Some(-3));
        assert_eq!(float_to_int(-TWO_POW_63, F2I::Exact), Some(i64::MIN));
        assert_eq!(float_to_int(TWO_POW_63, F2I::Exact), None);
        assert_eq!(float_to_int(f64::NAN, F2I::Floor), None);
        assert_eq!(float_to_int(f64::INFINITY, F2I::Floor), None);
        assert_eq!(float_to_int(-0.0, F2I::Exact), Some(0));
    }

    #[test]
    fn mixed_comparisons() {
        let p53 = 9007199254740992.0;
        assert!(num_eq(Num::Float(p53), Num::Float(p53 + 1.0)));
        assert!(!num_eq(Num::Int((1 << 53) + 1), Num::Float(p53)));
        assert!(!num_lt(Num::Int((1 << 53) + 1), Num::Float(p53)));
        assert!(num_lt(Num::Float(p53), Num::Int((1 << 53) + 1)));
        assert!(num_le(Num::Float(p53), Num::Int((1 << 53) + 1)));
        assert!(!num_le(Num::Int((1 << 53) + 1), Num::Float(p53)));
        let p63 = TWO_POW_63;
        assert!(num_lt(Num::Int(i64::MAX), Num::Float(p63)));
        assert!(num_le(Num::Float(-p63), Num::Int(i64::MIN)));
        assert!(num_le(Num::Int(i64::MIN), Num::Float(-p63)));
        assert!(!num_lt(Num::Int(i64::MIN), Num::Float(-p63)));
        assert!(!num_eq(Num::Int(i64::MAX), Num::Float(i64::MAX as f64)));
        assert!(num_eq(Num::Int(i64::MIN), Num::Float(-p63)));
        let nan = f64::NAN;
        for i in [0, i64::MAX, i64::MIN] {
            assert!(!num_lt(Num::Int(i), Num::Float(nan)));
            assert!(!num_le(Num::Int(i), Num::Float(nan)));
            assert!(!num_lt(Num::Float(nan), Num::Int(i)));
            assert!(!num_le(Num::Float(nan), Num::Int(i)));
            assert!(!num_eq(Num::Float(nan), Num::Int(i)));
            assert!(num_lt(Num::Int(i), Num::Float(f64::INFINITY)));
            assert!(num_lt(Num::Float(f64::NEG_INFINITY), Num::Int(i)));
            assert!(!num_le(Num::Float(1e300), Num::Int(i)));
        }
        assert!(num_lt(Num::Int(i64::MAX - 1), Num::Float(i64::MAX as f64)));
        assert!(num_le(Num::Float(2.5), Num::Int(3)));
        assert!(!num_lt(Num::Float(3.0), Num::Int(3)));
        assert!(num_le(Num::Float(3.0), Num::Int(3)));
    }

    #[test]
    fn math_library_helpers() {
        let f = |n: Num| {
            let mut v = Vec::new();
            fmt_num(n, &mut v);
            String::from_utf8(v).unwrap()
        };
        let fm = |a, b| f(math_fmod(a, b).unwrap());
        assert_eq!(fm(Num::Int(7), Num::Int(3)), "1");
        assert_eq!(fm(Num::Int(-7), Num::Int(3)), "-1");
        assert_eq!(fm(Num::Int(7), Num::Int(-3)), "1");
        assert_eq!(fm(Num::Int(i64::MIN), Num::Int(-1)), "0");
        assert_eq!(fm(Num::Float(7.5), Num::Int(2)), "1.5");
        assert_eq!(fm(Num::Int(-6), Num::Int(2)), "0");
        assert_eq!(fm(Num::Float(6.0), Num::Int(-4)), "2.0");
        assert_eq!(fm(Num::Int(1), Num::Float(0.0)), "-nan");
        assert_eq!(fm(Num::Int(-1), Num::Float(f64::INFINITY)), "-1.0");
        assert_eq!(fm(Num::Float(-0.0), Num::Int(1)), "-0.0");
        assert_eq!(fm(Num::Float(-DEFAULT_NAN), Num::Int(1)), "nan");
        assert_eq!(math_fmod(Num::Int(1), Num::Int(0)), Err("zero"));

        let mf = |n| {
            let (a, b) = math_modf(n);
            format!("{} {}", f(a), f(b))
        };
        assert_eq!(mf(Num::Float(3.7)), format!("3 {}", t(3.7 - 3.0)));
        assert_eq!(mf(Num::Float(-2.5)), "-2 -0.5");
        assert_eq!(mf(Num::Float(f64::INFINITY)), "inf 0.0");
        assert_eq!(mf(Num::Float(f64::NEG_INFINITY)), "-inf 0.0");
        assert_eq!(mf(Num::Float(DEFAULT_NAN)), "-nan -nan");
        assert_eq!(mf(Num::Float(-DEFAULT_NAN)), "nan nan");
        assert_eq!(mf(Num::Int(5)), "5 0.0");
        assert_eq!(mf(Num::Float(-0.0)), "0 0.0");
        assert_eq!(mf(Num::Float(1e100)), "1e+100 0.0");

        assert_eq!(f(math_floor(Num::Float(3.7))), "3");
        assert_eq!(f(math_floor(Num::Float(-3.5))), "-4");
        assert_eq!(f(math_floor(Num::Float(1e100))), "1e+100");
        assert_eq!(f(math_floor(Num::Float(-0.0))), "0");
        assert_eq!(f(math_floor(Num::Float(DEFAULT_NAN))), "-nan");
        assert_eq!(
            f(math_floor(Num::Float(-TWO_POW_63))),
            "-9223372036854775808"
        );
        assert_eq!(f(math_ceil(Num::Float(3.2))), "4");
        assert_eq!(f(math_ceil(Num::Float(-0.5))), "0");
        assert_eq!(f(math_ceil(Num::Float(TWO_POW_63))), "9.2233720368548e+18");
        assert_eq!(f(math_ceil(Num::Int(5))), "5");
        assert_eq!(math_tointeger(Num::Float(3.0)), Some(3));
        assert_eq!(math_tointeger(Num::Float(3.5)), None);
        assert_eq!(math_tointeger(Num::Float(TWO_POW_63)), None);
        assert!(math_ult(1, -1));
        assert!(!math_ult(-1, 1));
        assert_eq!(math_abs(Num::Int(i64::MIN)), Num::Int(i64::MIN));
        assert_eq!(f(math_abs(Num::Float(-0.0))), "0.0");
        assert_eq!(math_type(Num::Int(1)), "integer");
        assert_eq!(math_type(Num::Float(1.0)), "float");
    }
}
