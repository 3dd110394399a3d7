//! The `utf8` library: `char`, `charpattern`, `codes`, `codepoint`, `len`, `offset`, as
//! lutf8lib.c of Lua 5.4.4 (byte sequences of up to six bytes, code points up to
//! 0x7FFFFFFF; strict mode rejects surrogates and values above 0x10FFFF unless `lax`).

use crate::runtime::function::{NativeClosure, NativeFnPtr};
use crate::runtime::vm::FrameKind;
use crate::runtime::{LuaError, Value, Vm};

use super::{arg_error, check_int, check_str, new_lib, ops, opt_int, set_field};

/// The largest valid Unicode code point.
const MAXUNICODE: u32 = 0x10FFFF;
/// The largest value the (extended) encoding can hold.
const MAXUTF: u64 = 0x7FFF_FFFF;
/// `UTF8PATT`: one UTF-8 character sequence, as a Lua pattern.
pub const CHARPATTERN: &[u8] = b"[\x00-\x7F\xC2-\xFD][\x80-\xBF]*";
const MSG_INVALID: &str = "invalid UTF-8 code";

/// Installs the global table `utf8`.
pub fn open(vm: &mut Vm) {
    let t = new_lib(
        vm,
        "utf8",
        &[
            ("utf8.offset", byteoffset),
            ("utf8.codepoint", codepoint),
            ("utf8.char", utfchar),
            ("utf8.len", utflen),
            ("utf8.codes", iter_codes),
        ],
    );
    let pat = vm.str_value(CHARPATTERN);
    set_field(vm, t, "charpattern", pat);
}

/// Byte `i` of `s`, 0 past the end (C's terminator, which is never a continuation byte).
#[inline]
fn byte_at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

#[inline]
fn iscont(s: &[u8], i: usize) -> bool {
    byte_at(s, i) & 0xC0 == 0x80
}

/// Decodes the sequence at `s[i..]`: the code point and the index after it, or `None` for
/// an invalid sequence (`utf8_decode`).
fn decode(s: &[u8], i: usize, strict: bool) -> Option<(u32, usize)> {
    const LIMITS: [u64; 6] = [!0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000];
    let mut c = u64::from(byte_at(s, i));
    let mut res: u64 = 0;
    let mut count = 0usize;
    if c < 0x80 {
        res = c;
    } else {
        // Each set bit after the leading one asks for a continuation byte.
        while c & 0x40 != 0 {
            count += 1;
            let cc = u64::from(byte_at(s, i + count));
            if cc & 0xC0 != 0x80 {
                return None;
            }
            res = (res << 6) | (cc & 0x3F);
            c <<= 1;
        }
        if count > 5 {
            return None;
        }
        res |= (c & 0x7F) << (count * 5);
        if res > MAXUTF || res < LIMITS[count] {
            return None;
        }
    }
    let res = res as u32;
    if strict && (res > MAXUNICODE || (0xD800..=0xDFFF).contains(&res)) {
        return None;
    }
    Some((res, i + count + 1))
}

/// `u_posrelat`: a negative position counts from the end; too negative gives 0.
fn posrelat(pos: i64, len: usize) -> i64 {
    if pos >= 0 {
        pos
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        len as i64 + pos + 1
    }
}

/// Appends the encoding of `x` (at most 0x7FFFFFFF) as `luaO_utf8esc` does.
pub fn utf8_encode(mut x: u32, out: &mut Vec<u8>) {
    if x < 0x80 {
        out.push(x as u8);
        return;
    }
    let mut buf = [0u8; 8];
    let mut n = 0;
    let mut mfb: u32 = 0x3f; // the largest value that fits in the first byte
    loop {
        buf[7 - n] = 0x80 | (x & 0x3f) as u8;
        n += 1;
        x >>= 6;
        mfb >>= 1;
        if x <= mfb {
            break;
        }
    }
    buf[7 - n] = ((!mfb << 1) | x) as u8;
    out.extend_from_slice(&buf[7 - n..]);
}

/// `utf8.char(...)`.
fn utfchar(vm: &mut Vm) -> Result<usize, LuaError> {
    let mut out = Vec::new();
    for i in 1..=vm.arg_count() {
        let code = check_int(vm, i, "char")? as u64;
        if code > MAXUTF {
            return Err(arg_error(vm, i, "char", "value out of range"));
        }
        utf8_encode(code as u32, &mut out);
    }
    let s = vm.str_value(&out);
    vm.push(s);
    Ok(1)
}

/// `utf8.len(s [, i [, j [, lax]]])`: the number of characters in `s[i..=j]`, or
/// fail and the position of the first invalid byte.
fn utflen(vm: &mut Vm) -> Result<usize, LuaError> {
    let sref = check_str(vm, 1, "len")?;
    let len = vm.heap.get(sref).len();
    let posi = posrelat(opt_int(vm, 2, "len", 1)?, len);
    let posj = posrelat(opt_int(vm, 3, "len", -1)?, len);
    let lax = vm.arg(3).truthy();
    if !(1 <= posi && posi - 1 <= len as i64) {
        return Err(arg_error(vm, 2, "len", "initial position out of bounds"));
    }
    let mut posi = posi - 1;
    let posj = posj - 1;
    if posj >= len as i64 {
        return Err(arg_error(vm, 3, "len", "final position out of bounds"));
    }
    let s = vm.heap.str(sref);
    let mut n: i64 = 0;
    while posi <= posj {
        match decode(s, posi as usize, !lax) {
            Some((_, next)) => posi = next as i64,
            None => {
                vm.push(Value::Nil);
                vm.push(Value::Int(posi + 1));
                return Ok(2);
            }
        }
        n += 1;
    }
    vm.push(Value::Int(n));
    Ok(1)
}

/// `utf8.codepoint(s [, i [, j [, lax]]])`: the code points of the characters starting in
/// `s[i..=j]`.
fn codepoint(vm: &mut Vm) -> Result<usize, LuaError> {
    let sref = check_str(vm, 1, "codepoint")?;
    let len = vm.heap.get(sref).len();
    let posi = posrelat(opt_int(vm, 2, "codepoint", 1)?, len);
    let pose = posrelat(opt_int(vm, 3, "codepoint", posi)?, len);
    let lax = vm.arg(3).truthy();
    if posi < 1 {
        return Err(arg_error(vm, 2, "codepoint", "out of bounds"));
    }
    if pose > len as i64 {
        return Err(arg_error(vm, 3, "codepoint", "out of bounds"));
    }
    if posi > pose {
        return Ok(0);
    }
    if pose - posi >= i32::MAX as i64 {
        return Err(vm.lib_error("string slice too long"));
    }
    let mut codes = Vec::new();
    let s = vm.heap.str(sref);
    let end = pose as usize;
    let mut i = posi as usize - 1;
    while i < end {
        match decode(s, i, !lax) {
            Some((code, next)) => {
                codes.push(Value::Int(i64::from(code)));
                i = next;
            }
            None => return Err(vm.lib_error(MSG_INVALID)),
        }
    }
    let n = codes.len();
    vm.stack.extend_from_slice(&codes);
    Ok(n)
}

/// `utf8.offset(s, n [, i])`: the byte position where the `n`-th character (counting from
/// position `i`) starts; `n == 0` finds the start of the character containing byte `i`.
fn byteoffset(vm: &mut Vm) -> Result<usize, LuaError> {
    let sref = check_str(vm, 1, "offset")?;
    let len = vm.heap.get(sref).len() as i64;
    let mut n = check_int(vm, 2, "offset")?;
    let default = if n >= 0 { 1 } else { len + 1 };
    let posi = posrelat(opt_int(vm, 3, "offset", default)?, len as usize);
    if !(1 <= posi && posi - 1 <= len) {
        return Err(arg_error(vm, 3, "offset", "position out of bounds"));
    }
    let mut posi = posi - 1;
    let s = vm.heap.str(sref);
    if n == 0 {
        // The beginning of the current byte sequence.
        while posi > 0 && iscont(s, posi as usize) {
            posi -= 1;
        }
    } else {
        if iscont(s, posi as usize) {
            return Err(vm.lib_error("initial position is a continuation byte"));
        }
        if n < 0 {
            while n < 0 && posi > 0 {
                // The beginning of the previous character.
                loop {
                    posi -= 1;
                    if !(posi > 0 && iscont(s, posi as usize)) {
                        break;
                    }
                }
                n += 1;
            }
        } else {
            n -= 1; // do not move for the first character
            while n > 0 && posi < len {
                // The beginning of the next character (the terminator stops it).
                loop {
                    posi += 1;
                    if !iscont(s, posi as usize) {
                        break;
                    }
                }
                n -= 1;
            }
        }
    }
    vm.push(if n == 0 {
        Value::Int(posi + 1)
    } else {
        Value::Nil
    });
    Ok(1)
}

/// `utf8.codes(s [, lax])`: the generic-for triple (iterator, s, 0).
fn iter_codes(vm: &mut Vm) -> Result<usize, LuaError> {
    let lax = vm.arg(1).truthy();
    check_str(vm, 1, "codes")?;
    let s = vm.arg(0);
    let f: NativeFnPtr = if lax { iter_aux_lax } else { iter_aux_strict };
    let fv = Value::NativeFn(vm.heap.alloc(NativeClosure {
        f,
        name: "for iterator",
        upvals: Box::new([]),
    }));
    vm.push(fv);
    vm.push(s);
    vm.push(Value::Int(0));
    Ok(3)
}

fn iter_aux_strict(vm: &mut Vm) -> Result<usize, LuaError> {
    iter_aux(vm, true)
}

fn iter_aux_lax(vm: &mut Vm) -> Result<usize, LuaError> {
    iter_aux(vm, false)
}

/// One step of `utf8.codes`: the position and code point of the character after the one
/// at the control position.
fn iter_aux(vm: &mut Vm, strict: bool) -> Result<usize, LuaError> {
    // The iterator is called with (s, previous position).
    let sref = check_str(vm, 1, iter_name(vm))?;
    let control = vm.arg(1);
    // The previous character's 1-based position is the 0-based index just after its
    // first byte: skip its continuation bytes (a negative control ends the loop).
    let mut n = ops::to_integer(vm, control).unwrap_or(0) as u64;
    let s = vm.heap.str(sref);
    let len = s.len() as u64;
    if n < len {
        while iscont(s, n as usize) {
            n += 1;
        }
    }
    if n >= len {
        return Ok(0); // no more code points
    }
    match decode(s, n as usize, strict) {
        Some((code, _)) => {
            vm.push(Value::Int(n as i64 + 1));
            vm.push(Value::Int(i64::from(code)));
            Ok(2)
        }
        None => Err(vm.lib_error(MSG_INVALID)),
    }
}

/// The running native's name, for its argument errors.
fn iter_name(vm: &Vm) -> &'static str {
    match vm.frames.last().map(|f| f.kind) {
        Some(FrameKind::Native(n)) => vm.heap.get(n).name,
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::testutil::*;
    use super::*;

    fn vm() -> Vm {
        full_vm()
    }

    fn run(vm: &mut Vm, f: &str, args: &[Value]) -> String {
        let r = call(vm, f, args);
        shown(vm, &r)
    }

    fn bytes_of(vm: &Vm, r: &[Value]) -> Vec<u8> {
        match r.first() {
            Some(Value::Str(s)) => vm.heap.str(*s).to_vec(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn char_encodes_like_lua() {
        let mut vm = vm();
        let cases: [(i64, &[u8]); 8] = [
            (0x41, b"A"),
            (0x7F, b"\x7F"),
            (0x80, b"\xC2\x80"),
            (0x4E2D, b"\xE4\xB8\xAD"),
            (0xFFFF, b"\xEF\xBF\xBF"),
            (0x10FFFF, b"\xF4\x8F\xBF\xBF"),
            (0x200000, b"\xF8\x88\x80\x80\x80"),
            (0x7FFFFFFF, b"\xFD\xBF\xBF\xBF\xBF\xBF"),
        ];
        for (code, want) in cases {
            let r = call(&mut vm, "utf8.char", &[Value::Int(code)]).unwrap();
            assert_eq!(bytes_of(&vm, &r), want, "code {code:#x}");
        }
        let r = call(
            &mut vm,
            "utf8.char",
            &[Value::Int(72), Value::Float(105.0), Value::Int(0x4E2D)],
        )
        .unwrap();
        assert_eq!(bytes_of(&vm, &r), b"Hi\xE4\xB8\xAD");
        assert_eq!(run(&mut vm, "utf8.char", &[]), "");
        for bad in [-1, 0x80000000] {
            assert_eq!(
                run(&mut vm, "utf8.char", &[Value::Int(bad)]),
                "error: bad argument #1 to 'utf8.char' (value out of range)"
            );
        }
    }

    #[test]
    fn len_and_codepoint() {
        let mut vm = vm();
        let s = b(&mut vm, b"a\xE4\xB8\xADb");
        assert_eq!(run(&mut vm, "utf8.len", &[s]), "3");
        assert_eq!(run(&mut vm, "utf8.len", &[s, Value::Int(3)]), "nil\t3");
        let abc = b(&mut vm, b"abc");
        assert_eq!(run(&mut vm, "utf8.len", &[abc, Value::Int(4)]), "0");
        assert_eq!(run(&mut vm, "utf8.len", &[abc, Value::Int(-1)]), "1");
        assert_eq!(
            run(&mut vm, "utf8.len", &[abc, Value::Int(5)]),
            "error: bad argument #2 to 'utf8.len' (initial position out of bounds)"
        );
        assert_eq!(
            run(&mut vm, "utf8.len", &[abc, Value::Int(1), Value::Int(4)]),
            "error: bad argument #3 to 'utf8.len' (final position out of bounds)"
        );
        let sur = b(&mut vm, b"ab\xED\xA0\x80");
        assert_eq!(run(&mut vm, "utf8.len", &[sur]), "nil\t3");
        assert_eq!(
            run(
                &mut vm,
                "utf8.len",
                &[sur, Value::Nil, Value::Nil, Value::Bool(true)]
            ),
            "3"
        );
        let ff = b(&mut vm, b"\xFF");
        assert_eq!(run(&mut vm, "utf8.len", &[ff]), "nil\t1");

        assert_eq!(run(&mut vm, "utf8.codepoint", &[s]), "97");
        assert_eq!(
            run(
                &mut vm,
                "utf8.codepoint",
                &[s, Value::Int(1), Value::Int(-1)]
            ),
            "97\t20013\t98"
        );
        assert_eq!(
            run(
                &mut vm,
                "utf8.codepoint",
                &[s, Value::Int(3), Value::Int(2)]
            ),
            ""
        );
        assert_eq!(
            run(&mut vm, "utf8.codepoint", &[s, Value::Int(3)]),
            "error: invalid UTF-8 code"
        );
        assert_eq!(
            run(&mut vm, "utf8.codepoint", &[abc, Value::Int(0)]),
            "error: bad argument #2 to 'utf8.codepoint' (out of bounds)"
        );
        assert_eq!(
            run(
                &mut vm,
                "utf8.codepoint",
                &[abc, Value::Int(1), Value::Int(4)]
            ),
            "error: bad argument #3 to 'utf8.codepoint' (out of bounds)"
        );
        assert_eq!(
            run(&mut vm, "utf8.codepoint", &[ff]),
            "error: invalid UTF-8 code"
        );
        assert_eq!(
            run(&mut vm, "utf8.codepoint", &[sur, Value::Int(3)]),
            "error: invalid UTF-8 code"
        );
        assert_eq!(
            run(
                &mut vm,
                "utf8.codepoint",
                &[sur, Value::Int(3), Value::Int(3), Value::Bool(true)]
            ),
            "55296"
        );
        let big = b(&mut vm, b"\xFD\xBF\xBF\xBF\xBF\xBF");
        assert_eq!(
            run(
                &mut vm,
                "utf8.codepoint",
                &[big, Value::Int(1), Value::Int(1), Value::Bool(true)]
            ),
            "2147483647"
        );
        let overlong = b(&mut vm, b"\xC0\x80");
        assert_eq!(
            run(
                &mut vm,
                "utf8.codepoint",
                &[overlong, Value::Int(1), Value::Int(1), Value::Bool(true)]
            ),
            "error: invalid UTF-8 code"
        );
        let truncated = b(&mut vm, b"\xE4\xB8");
        assert_eq!(run(&mut vm, "utf8.len", &[truncated]), "nil\t1");
    }

    #[test]
    fn offset() {
        let mut vm = vm();
        let s = b(&mut vm, b"a\xE4\xB8\xADb");
        let r = |vm: &mut Vm, n: i64, i: Option<i64>| {
            let mut args = vec![s, Value::Int(n)];
            if let Some(i) = i {
                args.push(Value::Int(i));
            }
            run(vm, "utf8.offset", &args)
        };
        assert_eq!(r(&mut vm, 1, None), "1");
        assert_eq!(r(&mut vm, 2, None), "2");
        assert_eq!(r(&mut vm, 3, None), "5");
        assert_eq!(r(&mut vm, 4, None), "6");
        assert_eq!(r(&mut vm, 5, None), "nil");
        assert_eq!(r(&mut vm, -1, None), "5");
        assert_eq!(r(&mut vm, -2, None), "2");
        assert_eq!(r(&mut vm, -3, None), "1");
        assert_eq!(r(&mut vm, -4, None), "nil");
        assert_eq!(r(&mut vm, 0, Some(3)), "2");
        assert_eq!(r(&mut vm, 0, Some(6)), "6");
        assert_eq!(r(&mut vm, 1, Some(6)), "6");
        assert_eq!(r(&mut vm, 2, Some(6)), "nil");
        assert_eq!(r(&mut vm, -1, Some(2)), "1");
        assert_eq!(
            r(&mut vm, 1, Some(3)),
            "error: initial position is a continuation byte"
        );
        assert_eq!(
            r(&mut vm, 1, Some(7)),
            "error: bad argument #3 to 'utf8.offset' (position out of bounds)"
        );
        assert_eq!(
            r(&mut vm, 1, Some(0)),
            "error: bad argument #3 to 'utf8.offset' (position out of bounds)"
        );
    }

    /// Runs a whole `for p, c in utf8.codes(s, lax)` loop.
    fn codes(vm: &mut Vm, text: &[u8], lax: bool) -> String {
        let s = b(vm, text);
        let trip = match call(vm, "utf8.codes", &[s, Value::Bool(lax)]) {
            Ok(t) => t,
            Err(e) => return format!("error: {e}"),
        };
        let (f, s, mut control) = (trip[0], trip[1], trip[2]);
        let mut out = Vec::new();
        for _ in 0..100 {
            match vm.call_value(f, &[s, control], crate::bytecode::MULTI) {
                Ok(r) if r.is_empty() || r[0].is_nil() => return out.join(";"),
                Ok(r) => {
                    out.push(format!("{} {}", show(vm, r[0]), show(vm, r[1])));
                    control = r[0];
                }
                Err(e) => {
                    out.push(format!("error: {}", show(vm, e.value)));
                    return out.join(";");
                }
            }
        }
        out.join(";")
    }

    #[test]
    fn codes_iterates_like_lua() {
        let mut vm = vm();
        assert_eq!(
            codes(&mut vm, b"a\xE4\xB8\xADb", false),
            "1 97;2 20013;5 98"
        );
        assert_eq!(codes(&mut vm, b"\x80", false), "");
        assert_eq!(codes(&mut vm, b"a\x80", false), "1 97");
        assert_eq!(
            codes(&mut vm, b"a\xE4\xB8", false),
            "1 97;error: invalid UTF-8 code"
        );
        assert_eq!(codes(&mut vm, b"\xE4\xB8\xAD\x80", false), "1 20013");
        assert_eq!(
            codes(&mut vm, b"\xED\xA0\x80z", false),
            "error: invalid UTF-8 code"
        );
        assert_eq!(codes(&mut vm, b"\xED\xA0\x80z", true), "1 55296;4 122");
        assert_eq!(codes(&mut vm, b"", false), "");
    }

    #[test]
    fn charpattern_is_installed() {
        let mut vm = vm();
        let g = vm.globals;
        let k = vm.heap.intern(b"utf8");
        let Value::Table(t) = vm.heap.get(g).get_str(k) else {
            panic!("no utf8")
        };
        let k = vm.heap.intern(b"charpattern");
        let Value::Str(p) = vm.heap.get(t).get_str(k) else {
            panic!("no charpattern")
        };
        assert_eq!(vm.heap.str(p), b"[\0-\x7F\xC2-\xFD][\x80-\xBF]*");
    }
}
