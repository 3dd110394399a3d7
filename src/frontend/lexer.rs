//! The lexer: Lua 5.4 source bytes to [`Token`]s, modelled closely on `llex.c` so that
//! error messages (and the text shown after "near") are the same.
//!
//! Like `llex.c`, the lexer keeps a buffer of the bytes saved for the current token; for
//! strings it holds the delimiters plus the already-decoded contents, and error messages
//! inside a string show the buffer so far (`invalid escape sequence near '"a\q'`).

use super::token::{reserved, show_c_string, Tok, Token};
use super::SyntaxError;

/// End of input, as `EOZ` in Lua.
const EOZ: i32 = -1;

/// A number literal's value: Lua keeps integers and floats apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// `lisspace` of the C locale.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

fn hex_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'a'..=b'f' => u32::from(c - b'a' + 10),
        _ => u32::from(c.to_ascii_lowercase().wrapping_sub(b'a')) + 10,
    }
}

/// Converts a numeral the way `luaO_str2num` does (surrounding whitespace, sign, decimal
/// or hex, integer overflow to float for decimals, wraparound for hex, hex floats). The
/// conversion itself is the runtime's (`runtime::number::str_to_number`), shared with
/// `tonumber` and string coercions.
pub fn str2number(s: &[u8]) -> Option<Number> {
    Some(match crate::runtime::number::str_to_number(s)? {
        crate::runtime::number::Num::Int(i) => Number::Int(i),
        crate::runtime::number::Num::Float(f) => Number::Float(f),
    })
}

/// The lexer state; produces one token per [`Lexer::next_token`] call.
pub struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    current: i32,
    /// `ls->linenumber`: the line the lexer is on.
    pub line: u32,
    buf: Vec<u8>,
    chunk: &'a str,
}

impl<'a> Lexer<'a> {
    /// A lexer over `src`; `chunk` is the display name used in messages.
    pub fn new(src: &'a [u8], chunk: &'a str) -> Self {
        let mut lx = Lexer {
            src,
            pos: 0,
            current: EOZ,
            line: 1,
            buf: Vec::new(),
            chunk,
        };
        lx.next();
        lx
    }

    fn next(&mut self) {
        self.current = match self.src.get(self.pos) {
            Some(&c) => {
                self.pos += 1;
                i32::from(c)
            }
            None => EOZ,
        };
    }

    fn cur_is(&self, c: u8) -> bool {
        self.current == i32::from(c)
    }

    /// The current byte, or 0 at the end (never matches a class test).
    fn cur_byte(&self) -> u8 {
        if self.current == EOZ {
            0
        } else {
            self.current as u8
        }
    }

    fn cur_is_newline(&self) -> bool {
        self.cur_is(b'\n') || self.cur_is(b'\r')
    }

    fn save(&mut self, c: u8) {
        self.buf.push(c);
    }

    fn save_and_next(&mut self) {
        let c = self.cur_byte();
        self.save(c);
        self.next();
    }

    fn buff_remove(&mut self, n: usize) {
        let len = self.buf.len().saturating_sub(n);
        self.buf.truncate(len);
    }

    fn check_next2(&mut self, set: &[u8; 2]) -> bool {
        if self.current == i32::from(set[0]) || self.current == i32::from(set[1]) {
            self.save_and_next();
            true
        } else {
            false
        }
    }

    fn inc_line(&mut self) {
        let old = self.current;
        self.next();
        if self.cur_is_newline() && self.current != old {
            self.next();
        }
        self.line = self.line.saturating_add(1);
    }

    /// `chunk:line: msg`, optionally followed by `near TEXT`.
    fn error(&self, msg: &str, near: Option<String>) -> SyntaxError {
        let mut m = format!("{}:{}: {}", self.chunk, self.line, msg);
        if let Some(n) = near {
            m.push_str(" near ");
            m.push_str(&n);
        }
        SyntaxError { message: m }
    }

    /// An error shown near the buffer's text (Lua's `TK_STRING`/`TK_FLT` case).
    fn error_buf(&self, msg: &str) -> SyntaxError {
        let near = format!("'{}'", show_c_string(&self.buf));
        self.error(msg, Some(near))
    }

    fn error_eof(&self, msg: &str) -> SyntaxError {
        self.error(msg, Some("<eof>".to_string()))
    }

    fn token(&self, tok: Tok) -> Token {
        Token {
            tok,
            line: self.line,
            raw: Vec::new(),
        }
    }

    fn token_raw(&mut self, tok: Tok) -> Token {
        Token {
            tok,
            line: self.line,
            raw: std::mem::take(&mut self.buf),
        }
    }

    /// Skips a first line starting with `#` (and a UTF-8 byte-order mark before it), as
    /// `luaL_loadfile` does for script files. The line's newline is kept so numbering holds.
    pub fn skip_shebang(&mut self) {
        if self.src.starts_with(b"\xEF\xBB\xBF") {
            self.pos = 3;
            self.next();
        }
        if self.cur_is(b'#') {
            while self.current != EOZ && !self.cur_is(b'\n') {
                self.next();
            }
        }
    }

    /// `skip_sep`: reads `[=*[` or `]=*]`; returns level+2 on a full delimiter, 1 for a
    /// lone bracket, 0 for a bracket followed by `=`s and something else.
    fn skip_sep(&mut self) -> usize {
        let s = self.current;
        let mut count = 0;
        self.save_and_next();
        while self.cur_is(b'=') {
            self.save_and_next();
            count += 1;
        }
        if self.current == s {
            count + 2
        } else if count == 0 {
            1
        } else {
            0
        }
    }

    fn read_long_string(&mut self, is_string: bool, sep: usize) -> Result<Vec<u8>, SyntaxError> {
        let start_line = self.line;
        self.save_and_next();
        if self.cur_is_newline() {
            self.inc_line();
        }
        loop {
            match self.current {
                EOZ => {
                    let what = if is_string { "string" } else { "comment" };
                    let msg = format!("unfinished long {what} (starting at line {start_line})");
                    return Err(self.error_eof(&msg));
                }
                c if c == i32::from(b']') => {
                    if self.skip_sep() == sep {
                        self.save_and_next();
                        break;
                    }
                }
                c if c == i32::from(b'\n') || c == i32::from(b'\r') => {
                    self.save(b'\n');
                    self.inc_line();
                    if !is_string {
                        self.buf.clear();
                    }
                }
                _ => {
                    if is_string {
                        self.save_and_next();
                    } else {
                        self.next();
                    }
                }
            }
        }
        if is_string {
            Ok(self.buf[sep..self.buf.len() - sep].to_vec())
        } else {
            Ok(Vec::new())
        }
    }

    fn esc_check(&mut self, ok: bool, msg: &str) -> Result<(), SyntaxError> {
        if ok {
            return Ok(());
        }
        if self.current != EOZ {
            self.save_and_next();
        }
        Err(self.error_buf(msg))
    }

    fn get_hexa(&mut self) -> Result<u32, SyntaxError> {
        self.save_and_next();
        let c = self.cur_byte();
        self.esc_check(
            self.current != EOZ && c.is_ascii_hexdigit(),
            "hexadecimal digit expected",
        )?;
        Ok(hex_value(c))
    }

    fn read_hex_esc(&mut self) -> Result<u8, SyntaxError> {
        let hi = self.get_hexa()?;
        let lo = self.get_hexa()?;
        self.buff_remove(2);
        Ok(((hi << 4) + lo) as u8)
    }

    fn read_utf8_esc(&mut self) -> Result<u32, SyntaxError> {
        let mut remove = 4;
        self.save_and_next();
        self.esc_check(self.cur_is(b'{'), "missing '{'")?;
        let mut r = self.get_hexa()?;
        loop {
            self.save_and_next();
            if self.current == EOZ || !self.cur_byte().is_ascii_hexdigit() {
                break;
            }
            remove += 1;
            self.esc_check(r <= (0x7FFF_FFFF >> 4), "UTF-8 value too large")?;
            r = (r << 4) + hex_value(self.cur_byte());
        }
        self.esc_check(self.cur_is(b'}'), "missing '}'")?;
        self.next();
        self.buff_remove(remove);
        Ok(r)
    }

    /// Appends `x` (at most 0x7FFFFFFF) in the extended UTF-8 of `luaO_utf8esc`.
    fn save_utf8(&mut self, mut x: u32) {
        if x < 0x80 {
            self.save(x as u8);
            return;
        }
        let mut tail = Vec::with_capacity(6);
        let mut mfb: u32 = 0x3f;
        loop {
            tail.push(0x80 | (x & 0x3f) as u8);
            x >>= 6;
            mfb >>= 1;
            if x <= mfb {
                break;
            }
        }
        self.save(((!mfb << 1) | x) as u8);
        for &b in tail.iter().rev() {
            self.save(b);
        }
    }

    fn read_dec_esc(&mut self) -> Result<u8, SyntaxError> {
        let mut r: u32 = 0;
        let mut i = 0;
        while i < 3 && self.current != EOZ && self.cur_byte().is_ascii_digit() {
            r = 10 * r + u32::from(self.cur_byte() - b'0');
            self.save_and_next();
            i += 1;
        }
        self.esc_check(r <= 255, "decimal escape too large")?;
        self.buff_remove(i);
        Ok(r as u8)
    }

    fn read_string(&mut self, delim: u8) -> Result<Token, SyntaxError> {
        self.save_and_next();
        while !self.cur_is(delim) {
            match self.current {
                EOZ => return Err(self.error_eof("unfinished string")),
                c if c == i32::from(b'\n') || c == i32::from(b'\r') => {
                    return Err(self.error_buf("unfinished string"))
                }
                c if c == i32::from(b'\\') => {
                    self.save_and_next();
                    // `Some((c, advance))`: save `c` in place of the escape, skipping the
                    // current byte first when `advance`; `None`: nothing more to save.
                    let esc: Option<(u8, bool)> = match self.current {
                        EOZ => None,
                        c => match c as u8 {
                            b'a' => Some((7, true)),
                            b'b' => Some((8, true)),
                            b'f' => Some((12, true)),
                            b'n' => Some((b'\n', true)),
                            b'r' => Some((b'\r', true)),
                            b't' => Some((b'\t', true)),
                            b'v' => Some((11, true)),
                            b'x' => Some((self.read_hex_esc()?, true)),
                            b'u' => {
                                let r = self.read_utf8_esc()?;
                                self.save_utf8(r);
                                None
                            }
                            b'\n' | b'\r' => {
                                self.inc_line();
                                Some((b'\n', false))
                            }
                            b @ (b'\\' | b'"' | b'\'') => Some((b, true)),
                            b'z' => {
                                self.buff_remove(1);
                                self.next();
                                while self.current != EOZ && is_space(self.cur_byte()) {
                                    if self.cur_is_newline() {
                                        self.inc_line();
                                    } else {
                                        self.next();
                                    }
                                }
                                None
                            }
                            b => {
                                self.esc_check(b.is_ascii_digit(), "invalid escape sequence")?;
                                Some((self.read_dec_esc()?, false))
                            }
                        },
                    };
                    if let Some((c, advance)) = esc {
                        if advance {
                            self.next();
                        }
                        self.buff_remove(1);
                        self.save(c);
                    }
                }
                _ => self.save_and_next(),
            }
        }
        self.save_and_next();
        let value = self.buf[1..self.buf.len() - 1].to_vec();
        Ok(self.token_raw(Tok::Str(value)))
    }

    fn read_numeral(&mut self) -> Result<Token, SyntaxError> {
        let first = self.current;
        let mut expo = b"Ee";
        self.save_and_next();
        if first == i32::from(b'0') && self.check_next2(b"xX") {
            expo = b"Pp";
        }
        loop {
            if self.check_next2(expo) {
                self.check_next2(b"-+");
            } else if self.current != EOZ
                && (self.cur_byte().is_ascii_hexdigit() || self.cur_is(b'.'))
            {
                self.save_and_next();
            } else {
                break;
            }
        }
        if self.current != EOZ && is_alpha(self.cur_byte()) {
            self.save_and_next();
        }
        match str2number(&self.buf) {
            Some(Number::Int(i)) => Ok(self.token_raw(Tok::Int(i))),
            Some(Number::Float(f)) => Ok(self.token_raw(Tok::Float(f))),
            None => Err(self.error_buf("malformed number")),
        }
    }

    /// Reads the next token (`llex`).
    pub fn next_token(&mut self) -> Result<Token, SyntaxError> {
        self.buf.clear();
        loop {
            if self.current == EOZ {
                return Ok(self.token(Tok::Eos));
            }
            let c = self.current as u8;
            match c {
                b'\n' | b'\r' => self.inc_line(),
                b' ' | b'\x0c' | b'\t' | b'\x0b' => self.next(),
                b'-' => {
                    self.next();
                    if !self.cur_is(b'-') {
                        return Ok(self.token(Tok::Char(b'-')));
                    }
                    self.next();
                    if self.cur_is(b'[') {
                        let sep = self.skip_sep();
                        self.buf.clear();
                        if sep >= 2 {
                            self.read_long_string(false, sep)?;
                            self.buf.clear();
                            continue;
                        }
                    }
                    while !self.cur_is_newline() && self.current != EOZ {
                        self.next();
                    }
                }
                b'[' => {
                    let sep = self.skip_sep();
                    if sep >= 2 {
                        let s = self.read_long_string(true, sep)?;
                        return Ok(self.token_raw(Tok::Str(s)));
                    } else if sep == 0 {
                        return Err(self.error_buf("invalid long string delimiter"));
                    }
                    return Ok(self.token(Tok::Char(b'[')));
                }
                b'=' => return Ok(self.two_char(b'=', Tok::Eq, b'=')),
                b'<' => {
                    self.next();
                    let t = if self.cur_is(b'=') {
                        Tok::Le
                    } else if self.cur_is(b'<') {
                        Tok::Shl
                    } else {
                        return Ok(self.token(Tok::Char(b'<')));
                    };
                    self.next();
                    return Ok(self.token(t));
                }
                b'>' => {
                    self.next();
                    let t = if self.cur_is(b'=') {
                        Tok::Ge
                    } else if self.cur_is(b'>') {
                        Tok::Shr
                    } else {
                        return Ok(self.token(Tok::Char(b'>')));
                    };
                    self.next();
                    return Ok(self.token(t));
                }
                b'/' => return Ok(self.two_char(b'/', Tok::IDiv, b'/')),
                b'~' => return Ok(self.two_char(b'=', Tok::Ne, b'~')),
                b':' => return Ok(self.two_char(b':', Tok::DbColon, b':')),
                b'"' | b'\'' => return self.read_string(c),
                b'.' => {
                    self.save_and_next();
                    if self.cur_is(b'.') {
                        self.next();
                        if self.cur_is(b'.') {
                            self.next();
                            return Ok(self.token(Tok::Dots));
                        }
                        return Ok(self.token(Tok::Concat));
                    }
                    if self.current == EOZ || !self.cur_byte().is_ascii_digit() {
                        return Ok(self.token(Tok::Char(b'.')));
                    }
                    return self.read_numeral();
                }
                b'0'..=b'9' => return self.read_numeral(),
                _ if is_alpha(c) => {
                    while self.current != EOZ && is_alnum(self.cur_byte()) {
                        self.save_and_next();
                    }
                    if let Some(t) = reserved(&self.buf) {
                        return Ok(self.token(t));
                    }
                    let name = String::from_utf8_lossy(&self.buf).into_owned();
                    return Ok(self.token_raw(Tok::Name(name)));
                }
                _ => {
                    self.next();
                    return Ok(self.token(Tok::Char(c)));
                }
            }
        }
    }

    /// `first` then `second` makes `two`; `first` alone is the single-byte token `one`.
    fn two_char(&mut self, second: u8, two: Tok, one: u8) -> Token {
        self.next();
        if self.cur_is(second) {
            self.next();
            self.token(two)
        } else {
            self.token(Tok::Char(one))
        }
    }
}

/// `lislalpha`: ASCII letters and `_`.
fn is_alpha(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}
