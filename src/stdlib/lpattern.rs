//! Lua 5.4 patterns over bytes: the matcher behind `string.find`, `match`,
//! `gmatch` and `gsub`, independent of the VM's value types.
//!
//! The matcher is a backtracking one with the same structure as lstrlib.c's,
//! so that it succeeds, fails and errs exactly where lua5.4 does, including
//! its recursion bound: at most [`MAX_CALLS`] nested matching calls ("pattern
//! too complex"), which also bounds the Rust stack. Classes use the C locale.
//!
//! Positions are 0-based byte offsets; Lua shows them plus one.

/// `LUA_MAXCAPTURES`.
pub const MAX_CAPTURES: usize = 32;
/// `MAXCCALLS` in lstrlib.c: the nesting bound of the matcher.
pub const MAX_CALLS: usize = 200;

/// One capture of a successful match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capture {
    /// The bytes `start..end` of the subject.
    Str(usize, usize),
    /// A position capture `()`: the 0-based offset (Lua shows offset + 1).
    Position(usize),
    /// A capture still open when the pattern ended (`"(a"`); using it is the
    /// error "unfinished capture".
    Unfinished(usize),
}

/// A successful match of the whole pattern at `start..end`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    /// The pattern's captures in order of their opening parenthesis.
    pub captures: Vec<Capture>,
}

impl Match {
    /// Capture `i` (0-based) as `get_onecapture` gives it: with no captures
    /// at all, capture 0 is the whole match.
    pub fn get(&self, i: usize) -> Result<Capture, String> {
        match self.captures.get(i) {
            None if i == 0 => Ok(Capture::Str(self.start, self.end)),
            None => Err(format!("invalid capture index %{}", i + 1)),
            Some(Capture::Unfinished(_)) => Err("unfinished capture".into()),
            Some(&c) => Ok(c),
        }
    }

    /// What `string.match` and `gmatch` return: the captures, or the whole
    /// match if the pattern has none.
    pub fn values(&self) -> Result<Vec<Capture>, String> {
        (0..self.captures.len().max(1))
            .map(|i| self.get(i))
            .collect()
    }

    /// What `string.find` returns after the two positions: only the
    /// explicit captures.
    pub fn explicit_captures(&self) -> Result<Vec<Capture>, String> {
        (0..self.captures.len()).map(|i| self.get(i)).collect()
    }
}

/// Whether `string.find` must treat `pat` as a pattern (lstrlib's
/// `nospecials` is the negation): it contains one of `^$*+?.([%-`.
pub fn has_specials(pat: &[u8]) -> bool {
    pat.iter().any(|c| b"^$*+?.([%-".contains(c))
}

/// `string.find`'s search: the first match starting at `init` or later (a
/// leading `^` anchors it at `init`). `init` may be at most `s.len()`.
pub fn find(s: &[u8], pat: &[u8], init: usize) -> Result<Option<Match>, String> {
    let (anchor, pat) = match pat.first() {
        Some(b'^') => (true, &pat[1..]),
        _ => (false, pat),
    };
    let mut pos = init;
    while pos <= s.len() {
        if let Some(m) = match_at(s, pat, pos)? {
            return Ok(Some(m));
        }
        if anchor {
            break;
        }
        pos += 1;
    }
    Ok(None)
}

/// Matches `pat` (taken literally from its first byte: a leading `^` is the
/// caller's business, as in `gsub` and `gmatch`) at exactly offset `pos`.
pub fn match_at(s: &[u8], pat: &[u8], pos: usize) -> Result<Option<Match>, String> {
    let mut m = Matcher {
        src: s,
        pat,
        depth: MAX_CALLS,
        level: 0,
        caps: [(0, CapLen::Unfinished); MAX_CAPTURES],
    };
    if pos > s.len() {
        return Ok(None);
    }
    Ok(m.do_match(pos, 0)?.map(|end| Match {
        start: pos,
        end,
        captures: m.caps[..m.level]
            .iter()
            .map(|&(init, len)| match len {
                CapLen::Unfinished => Capture::Unfinished(init),
                CapLen::Position => Capture::Position(init),
                CapLen::Len(l) => Capture::Str(init, init + l),
            })
            .collect(),
    }))
}

/// Appends `gsub`'s replacement string `repl` for match `m` of subject `src`:
/// `%0` is the whole match, `%1`..`%9` the captures (a position capture as
/// its Lua index), `%%` a percent sign.
pub fn expand_replacement(
    m: &Match,
    src: &[u8],
    repl: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let mut k = 0;
    while k < repl.len() {
        let c = repl[k];
        k += 1;
        if c != b'%' {
            out.push(c);
            continue;
        }
        match repl.get(k) {
            Some(b'%') => out.push(b'%'),
            Some(b'0') => out.extend_from_slice(&src[m.start..m.end]),
            Some(&d) if d.is_ascii_digit() => match m.get(usize::from(d - b'1'))? {
                Capture::Str(a, b) => out.extend_from_slice(&src[a..b]),
                Capture::Position(p) => out.extend_from_slice((p + 1).to_string().as_bytes()),
                Capture::Unfinished(_) => return Err("unfinished capture".into()),
            },
            _ => return Err("invalid use of '%' in replacement string".into()),
        }
        k += 1;
    }
    Ok(())
}

#[derive(Clone, Copy, Debug)]
enum CapLen {
    Unfinished,
    Position,
    Len(usize),
}

struct Matcher<'a> {
    src: &'a [u8],
    pat: &'a [u8],
    /// Remaining nesting allowance (`matchdepth`).
    depth: usize,
    level: usize,
    caps: [(usize, CapLen); MAX_CAPTURES],
}

type Step = Result<Option<usize>, String>;

impl Matcher<'_> {
    /// The pattern byte at `p`, 0 past the end (C's terminator).
    fn pat_at(&self, p: usize) -> u8 {
        self.pat.get(p).copied().unwrap_or(0)
    }

    /// Matches the pattern from `p` against the subject from `s`; the end of
    /// the match on success. Each call counts against the nesting bound;
    /// loops (`goto init` in C) do not.
    fn do_match(&mut self, mut s: usize, mut p: usize) -> Step {
        if self.depth == 0 {
            return Err("pattern too complex".into());
        }
        self.depth -= 1;
        let result = loop {
            if p == self.pat.len() {
                break Some(s);
            }
            match self.pat[p] {
                b'(' => {
                    break if self.pat_at(p + 1) == b')' {
                        self.start_capture(s, p + 2, CapLen::Position)?
                    } else {
                        self.start_capture(s, p + 1, CapLen::Unfinished)?
                    };
                }
                b')' => break self.end_capture(s, p + 1)?,
                b'$' if p + 1 == self.pat.len() => {
                    break (s == self.src.len()).then_some(s);
                }
                b'%' if self.pat_at(p + 1) == b'b' && p + 1 < self.pat.len() => {
                    match self.match_balance(s, p + 2)? {
                        Some(e) => {
                            s = e;
                            p += 4;
                            continue;
                        }
                        None => break None,
                    }
                }
                b'%' if self.pat_at(p + 1) == b'f' && p + 1 < self.pat.len() => {
                    p += 2;
                    if self.pat_at(p) != b'[' || p >= self.pat.len() {
                        return Err("missing '[' after '%f' in pattern".into());
                    }
                    let ep = self.class_end(p)?;
                    let prev = if s == 0 { 0 } else { self.src[s - 1] };
                    let cur = self.src.get(s).copied().unwrap_or(0);
                    if !self.match_bracket(prev, p, ep - 1) && self.match_bracket(cur, p, ep - 1) {
                        p = ep;
                        continue;
                    }
                    break None;
                }
                b'%' if self.pat_at(p + 1).is_ascii_digit() && p + 1 < self.pat.len() => {
                    match self.match_capture(s, self.pat[p + 1])? {
                        Some(e) => {
                            s = e;
                            p += 2;
                            continue;
                        }
                        None => break None,
                    }
                }
                _ => {
                    let ep = self.class_end(p)?;
                    let suffix = self.pat.get(ep).copied();
                    if !self.single_match(s, p, ep) {
                        if matches!(suffix, Some(b'*' | b'?' | b'-')) {
                            p = ep + 1; // accept the empty match
                            continue;
                        }
                        break None;
                    }
                    match suffix {
                        Some(b'?') => {
                            if let Some(e) = self.do_match(s + 1, ep + 1)? {
                                break Some(e);
                            }
                            p = ep + 1;
                        }
                        Some(b'+') => break self.max_expand(s + 1, p, ep)?,
                        Some(b'*') => break self.max_expand(s, p, ep)?,
                        Some(b'-') => break self.min_expand(s, p, ep)?,
                        _ => {
                            s += 1;
                            p = ep;
                        }
                    }
                }
            }
        };
        self.depth += 1;
        Ok(result)
    }

    /// The index just past the single-character class starting at `p`.
    fn class_end(&self, mut p: usize) -> Result<usize, String> {
        let c = self.pat[p];
        p += 1;
        if c == b'%' {
            if p >= self.pat.len() {
                return Err("malformed pattern (ends with '%')".into());
            }
            return Ok(p + 1);
        }
        if c == b'[' {
            if self.pat_at(p) == b'^' {
                p += 1;
            }
            // The first byte of the set is taken literally (so "[]]" works).
            loop {
                if p >= self.pat.len() {
                    return Err("malformed pattern (missing ']')".into());
                }
                let c = self.pat[p];
                p += 1;
                if c == b'%' && p < self.pat.len() {
                    p += 1;
                }
                if p < self.pat.len() && self.pat[p] == b']' {
                    break;
                }
            }
            return Ok(p + 1);
        }
        Ok(p)
    }

    /// Whether subject byte `s` exists and matches the class `p..ep`.
    fn single_match(&self, s: usize, p: usize, ep: usize) -> bool {
        let Some(&c) = self.src.get(s) else {
            return false;
        };
        match self.pat[p] {
            b'.' => true,
            b'%' => match_class(c, self.pat[p + 1]),
            b'[' => self.match_bracket(c, p, ep - 1),
            pc => pc == c,
        }
    }

    /// Whether `c` is in the set `[...]` at `p` whose closing `]` is at `ec`.
    fn match_bracket(&self, c: u8, mut p: usize, ec: usize) -> bool {
        let mut sig = true;
        if self.pat_at(p + 1) == b'^' {
            sig = false;
            p += 1;
        }
        p += 1;
        while p < ec {
            let pc = self.pat[p];
            if pc == b'%' {
                p += 1;
                if match_class(c, self.pat_at(p)) {
                    return sig;
                }
            } else if self.pat_at(p + 1) == b'-' && p + 2 < ec {
                if pc <= c && c <= self.pat[p + 2] {
                    return sig;
                }
                p += 2;
            } else if pc == c {
                return sig;
            }
            p += 1;
        }
        !sig
    }

    /// Greedy repetition: the longest run that lets the rest match.
    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> Step {
        let mut i = 0;
        while self.single_match(s + i, p, ep) {
            i += 1;
        }
        loop {
            if let Some(e) = self.do_match(s + i, ep + 1)? {
                return Ok(Some(e));
            }
            if i == 0 {
                return Ok(None);
            }
            i -= 1;
        }
    }

    /// Lazy repetition: the shortest run that lets the rest match.
    fn min_expand(&mut self, mut s: usize, p: usize, ep: usize) -> Step {
        loop {
            if let Some(e) = self.do_match(s, ep + 1)? {
                return Ok(Some(e));
            }
            if self.single_match(s, p, ep) {
                s += 1;
            } else {
                return Ok(None);
            }
        }
    }

    fn start_capture(&mut self, s: usize, p: usize, what: CapLen) -> Step {
        if self.level >= MAX_CAPTURES {
            return Err("too many captures".into());
        }
        self.caps[self.level] = (s, what);
        self.level += 1;
        let res = self.do_match(s, p)?;
        if res.is_none() {
            self.level -= 1;
        }
        Ok(res)
    }

    fn end_capture(&mut self, s: usize, p: usize) -> Step {
        let l = (0..self.level)
            .rev()
            .find(|&l| matches!(self.caps[l].1, CapLen::Unfinished))
            .ok_or_else(|| "invalid pattern capture".to_string())?;
        self.caps[l].1 = CapLen::Len(s - self.caps[l].0);
        let res = self.do_match(s, p)?;
        if res.is_none() {
            self.caps[l].1 = CapLen::Unfinished;
        }
        Ok(res)
    }

    /// `%bxy`: a balanced run from `x` to its matching `y`.
    fn match_balance(&self, s: usize, p: usize) -> Step {
        if p + 1 >= self.pat.len() {
            return Err("malformed pattern (missing arguments to '%b')".into());
        }
        let (open, close) = (self.pat[p], self.pat[p + 1]);
        if self.src.get(s) != Some(&open) {
            return Ok(None);
        }
        let mut depth = 1usize;
        for (k, &c) in self.src.iter().enumerate().skip(s + 1) {
            if c == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(Some(k + 1));
                }
            } else if c == open {
                depth += 1;
            }
        }
        Ok(None)
    }

    /// `%1`..`%9`: the same bytes as a closed capture. A back-reference to a
    /// position capture never matches (as in lua5.4).
    fn match_capture(&self, s: usize, digit: u8) -> Step {
        let l = usize::from(digit).wrapping_sub(usize::from(b'1'));
        let cap = (l < self.level).then(|| self.caps[l]);
        match cap {
            None | Some((_, CapLen::Unfinished)) => Err(format!(
                "invalid capture index %{}",
                i64::from(digit) - i64::from(b'0')
            )),
            Some((_, CapLen::Position)) => Ok(None),
            Some((init, CapLen::Len(len))) => {
                let ok =
                    self.src.len() - s >= len && self.src[init..init + len] == self.src[s..s + len];
                Ok(ok.then_some(s + len))
            }
        }
    }
}

/// Whether byte `c` is in class `%cl` (C locale; an upper-case letter is the
/// complement; any other `cl` stands for itself).
fn match_class(c: u8, cl: u8) -> bool {
    let res = match cl.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'g' => c.is_ascii_graphic(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        b's' => matches!(c, b' ' | b'\t'..=b'\r'),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        b'z' => c == 0, // deprecated but still in 5.4
        _ => return cl == c,
    };
    if cl.is_ascii_uppercase() {
        !res
    } else {
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &[u8], caps: &[Capture], out: &mut Vec<String>) {
        for c in caps {
            out.push(match *c {
                Capture::Str(a, b) => String::from_utf8_lossy(&s[a..b]).into_owned(),
                Capture::Position(p) => (p + 1).to_string(),
                Capture::Unfinished(_) => "?".into(),
            });
        }
    }

    /// `string.find(s, p, init + 1)` as lua5.4's print shows it.
    fn lfind(s: &[u8], p: &[u8], init: usize) -> String {
        let r = find(s, p, init).and_then(|m| match m {
            None => Ok(vec!["nil".to_string()]),
            Some(m) => {
                let mut v = vec![(m.start + 1).to_string(), m.end.to_string()];
                show(s, &m.explicit_captures()?, &mut v);
                Ok(v)
            }
        });
        r.map_or_else(|e| format!("ERR {e}"), |v| v.join(" "))
    }

    /// `string.match(s, p)`.
    fn lmatch(s: &[u8], p: &[u8]) -> String {
        let r = find(s, p, 0).and_then(|m| match m {
            None => Ok(vec!["nil".to_string()]),
            Some(m) => {
                let mut v = Vec::new();
                show(s, &m.values()?, &mut v);
                Ok(v)
            }
        });
        r.map_or_else(|e| format!("ERR {e}"), |v| v.join(" "))
    }

    /// `string.gsub(s, p, repl)` with a replacement string, 5.4's loop.
    fn lgsub(s: &[u8], p: &[u8], repl: &[u8]) -> String {
        let run = || -> Result<String, String> {
            let (anchor, p) = match p.first() {
                Some(b'^') => (true, &p[1..]),
                _ => (false, p),
            };
            let (mut out, mut pos, mut last, mut n) = (Vec::new(), 0, None, 0);
            loop {
                match match_at(s, p, pos)? {
                    Some(m) if Some(m.end) != last => {
                        n += 1;
                        expand_replacement(&m, s, repl, &mut out)?;
                        pos = m.end;
                        last = Some(m.end);
                    }
                    _ if pos < s.len() => {
                        out.push(s[pos]);
                        pos += 1;
                    }
                    _ => break,
                }
                if anchor {
                    break;
                }
            }
            out.extend_from_slice(&s[pos..]);
            Ok(format!("{} {n}", String::from_utf8_lossy(&out)))
        };
        run().unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn pattern_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"%", "malformed pattern (ends with '%')"),
            (b"[a", "malformed pattern (missing ']')"),
            (b"[a%", "malformed pattern (missing ']')"),
            (b"[]", "malformed pattern (missing ']')"),
            (b"[^]", "malformed pattern (missing ']')"),
            (b"%f", "missing '[' after '%f' in pattern"),
            (b"%fa", "missing '[' after '%f' in pattern"),
            (b"%1", "invalid capture index %1"),
            (b"(a)%2", "invalid capture index %2"),
            (b"(a%1)", "invalid capture index %1"),
            (b"%0", "invalid capture index %0"),
            (b"(a", "unfinished capture"),
            (b"%b", "malformed pattern (missing arguments to '%b')"),
            (b"%ba", "malformed pattern (missing arguments to '%b')"),
        ];
        for (p, e) in cases {
            assert_eq!(
                lfind(b"abc", p, 0),
                format!("ERR {e}"),
                "{}",
                String::from_utf8_lossy(p)
            );
        }
        assert_eq!(lmatch(b"abc", b")"), "ERR invalid pattern capture");
        assert_eq!(lmatch(b"abc", b"a)"), "ERR invalid pattern capture");
        assert_eq!(lmatch(b"abc", b"(()"), "ERR unfinished capture");
        assert_eq!(lmatch(b"abc", b"%1"), "ERR invalid capture index %1");
        assert_eq!(lmatch(b"a", b"[%]"), "ERR malformed pattern (missing ']')");
    }

    #[test]
    fn capture_and_depth_limits() {
        let open = |n| "(".repeat(n) + "a" + &")".repeat(n);
        assert_eq!(
            lfind(b"abc", open(33).as_bytes(), 0),
            "ERR too many captures"
        );
        assert_eq!(
            lfind(b"abc", open(32).as_bytes(), 0),
            format!("1 1{}", " a".repeat(32))
        );
        for (n, want) in [(199, Ok(())), (200, Err(())), (300, Err(()))] {
            let got = lfind("a".repeat(n).as_bytes(), "a?".repeat(n).as_bytes(), 0);
            match want {
                Ok(()) => assert_eq!(got, format!("1 {n}")),
                Err(()) => assert_eq!(got, "ERR pattern too complex"),
            }
        }
        assert_eq!(
            lmatch(&[b'x'; 1000], "x-".repeat(1000).as_bytes()),
            "ERR pattern too complex"
        );
        let p = "(a)".repeat(32) + "?";
        assert_eq!(lfind(&[b'a'; 250], p.as_bytes(), 0), "nil");
        // Greedy repetition over a long subject loops instead of recursing.
        let long = vec![b'a'; 1_000_000];
        assert_eq!(lfind(&long, b"a*$", 0), "1 1000000");
        assert_eq!(lfind(&long, b"a-$", 0), "1 1000000");
    }

    #[test]
    fn find_matches_lua() {
        let cases: &[(&[u8], &[u8], usize, &str)] = &[
            (b"a]c", b"[]]", 0, "2 2"),
            (b"a]c", b"[^]]", 0, "1 1"),
            (b"abc", b"[a-]", 0, "1 1"),
            (b"a-c", b"[a-]", 1, "2 2"),
            (b"abc", b"%g", 0, "1 1"),
            (b"abc", b"()b()", 0, "2 2 2 3"),
            (b"THE (quick) fox", b"%((%a+)%)", 0, "5 11 quick"),
            (b"aaa", b"a-b", 0, "nil"),
            (b"hello world", b"o w", 0, "5 7"),
            (b"hello", b"l+", 0, "3 4"),
            (b"hello", b"^h", 0, "1 1"),
            (b"hello", b"^e", 0, "nil"),
            (b"hello", b"o$", 0, "5 5"),
            (b"x$y", b"$y", 0, "2 3"),
            (b"x^y", b"^x^", 0, "1 2"),
            (b"abc", b"", 3, "4 3"),
            (b"abc", b"b", 0, "2 2"),
            (b"THE (quick) fox", b"%f[%a]%a+", 4, "6 10"),
            (b"aXb", b"%f[%u]", 0, "2 1"),
            (b"abc", b"%f[%l]", 0, "1 0"),
            (b"abc", b"%f[^%l]", 0, "4 3"),
            (b"[[x]]", b"%b[]", 0, "1 5"),
            (b"abc", b"[%a-z]", 0, "1 1"),
            (b"a.b", b"%.", 0, "2 2"),
            (b"a+b", b"[+]", 0, "2 2"),
            (b"\0x", b"%z", 0, "1 1"),
            (b"a\0b", b"%z", 0, "2 2"),
            (b"a\0b", b"\0", 0, "2 2"),
            (b"abc", b"(()a)(b)", 0, "1 2 a 1 b"),
            (b"abc", b"^b", 1, "2 2"),
            (b"abcabc", b"c", 3, "6 6"),
            (b"key = value", b"(%w+)%s*=%s*(%w+)", 0, "1 11 key value"),
            (b"  x", b"^%s*()", 0, "1 2 3"),
            (b"aaab", b"a-b", 0, "1 4"),
            (b"aaab", b"a*", 0, "1 3"),
            (b"aaab", b"a+b", 0, "1 4"),
            (b"b", b"a?b", 0, "1 1"),
            (b"ab", b"a?b", 0, "1 2"),
            (b"", b"", 0, "1 0"),
            (b"", b"a*", 0, "1 0"),
            (b"", b"$", 0, "1 0"),
            (b"abc", b"", 0, "1 0"),
        ];
        for &(s, p, init, want) in cases {
            assert_eq!(
                lfind(s, p, init),
                want,
                "find({:?}, {:?})",
                String::from_utf8_lossy(s),
                String::from_utf8_lossy(p)
            );
        }
    }

    #[test]
    fn match_matches_lua() {
        let cases: &[(&[u8], &[u8], &str)] = &[
            (b"abc", b"()", "1"),
            (b"aa", b"(a)%1", "a"),
            (b"ab", b"(a)%1", "nil"),
            (b"abc", b"(a)(%1)", "nil"),
            (b"aa", b"()a%1", "nil"),
            (b"f(a(b)c)d", b"%b()", "(a(b)c)"),
            (b"f(a(b)c", b"%b()", "(b)"),
            (b"hello", b"%bll", "ll"),
            (b"abc", b"[%w_]+", "abc"),
            (b"xyz", b"[x-z]+", "xyz"),
            (b"\xc3\xa9", b"%a", "nil"),
            (b" \t\x0b\x0c\r\n", b"%s+", " \t\x0b\x0c\r\n"),
            (b"\x7f", b"%c", "\x7f"),
            (b"!", b"%p", "!"),
            (b"A", b"%X", "nil"),
            (b"g", b"%X", "g"),
            (b"-", b"[a%-z]", "-"),
            (b"^", b"[%^]", "^"),
            (b"]", b"[]]", "]"),
            (b"abc", b"[a-c-e]+", "abc"),
            (b"a-", b"[c-a-]+", "-"),
            (b"hello world from Lua", b"(%a+) (%a+)$", "from Lua"),
            (b"2024-01-15", b"(%d+)-(%d+)-(%d+)", "2024 01 15"),
            (b"  trim  ", b"^%s*(.-)%s*$", "trim"),
            (b"x = 10", b"^(%w+)%s*=%s*(%d+)$", "x 10"),
            (b"AbC1_", b"[%u%d_]+", "A"),
            (b"hex ff", b"%x+", "e"),
            (b"THE END", b"%l", "nil"),
            (b"tab\there", b"%S+$", "here"),
            (b"one.two", b"^(.-)%.(.*)$", "one two"),
        ];
        for &(s, p, want) in cases {
            let want = String::from_utf8_lossy(want.as_bytes()).into_owned();
            assert_eq!(
                lmatch(s, p),
                want,
                "match({:?}, {:?})",
                String::from_utf8_lossy(s),
                String::from_utf8_lossy(p)
            );
        }
        // A byte range beyond ASCII.
        let m = find(b"a\x80b", b"[\x80-\xff]", 0).unwrap().unwrap();
        assert_eq!((m.start, m.end), (1, 2));
    }

    #[test]
    fn gsub_replacements_match_lua() {
        type Case = (&'static [u8], &'static [u8], &'static [u8], &'static str);
        let cases: &[Case] = &[
            (b"abc", b"(a", b"x", "xbc 1"),
            (b"abc", b"a", b"%2", "ERR invalid capture index %2"),
            (b"abc", b"(a)", b"%2", "ERR invalid capture index %2"),
            (
                b"abc",
                b"a",
                b"%x",
                "ERR invalid use of '%' in replacement string",
            ),
            (
                b"abc",
                b"a",
                b"%",
                "ERR invalid use of '%' in replacement string",
            ),
            (b"abc", b"a", b"[%0%1%%]", "[aa%]bc 1"),
            (b"abc", b"(a)(b)", b"%2%1", "bac 1"),
            (b"abc", b"()b", b"%1", "a2c 1"),
            (b"abc", b"(a", b"%1", "ERR unfinished capture"),
            (b"abc", b"", b"-", "-a-b-c- 4"),
            (b"abc", b"b*", b"-", "-a-c- 3"),
            (b"hello world", b"o", b"0", "hell0 w0rld 2"),
            (b"hello world", b"^h", b"H", "Hello world 1"),
            (b"aaa", b"^a", b"b", "baa 1"),
            (b"hello world", b"(%w+)", b"<%1>", "<hello> <world> 2"),
        ];
        for &(s, p, r, want) in cases {
            assert_eq!(
                lgsub(s, p, r),
                want,
                "gsub({:?}, {:?}, {:?})",
                String::from_utf8_lossy(s),
                String::from_utf8_lossy(p),
                String::from_utf8_lossy(r)
            );
        }
    }

    #[test]
    fn specials_and_classes() {
        assert!(!has_specials(b"abc)"));
        assert!(has_specials(b"a.b"));
        assert!(has_specials(b"50%"));
        for c in 0u8..=255 {
            let cl = |k: u8| match_class(c, k);
            assert_eq!(cl(b'a'), c.is_ascii_alphabetic());
            assert_eq!(cl(b'S'), !matches!(c, 9..=13 | 32));
            assert_eq!(
                cl(b'p'),
                (33..=47).contains(&c)
                    || (58..=64).contains(&c)
                    || (91..=96).contains(&c)
                    || (123..=126).contains(&c)
            );
            assert_eq!(cl(b'c'), c < 32 || c == 127);
            assert_eq!(cl(b'.'), c == b'.');
        }
        let m = match_at(b"abc", b"b", 1).unwrap().unwrap();
        assert_eq!((m.start, m.end, m.captures.len()), (1, 2, 0));
        assert_eq!(match_at(b"abc", b"b", 0).unwrap(), None);
        assert_eq!(match_at(b"abc", b"", 9).unwrap(), None);
    }
}
