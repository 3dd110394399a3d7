//! The pattern-matching functions of the `string` library: `find`, `match`, `gmatch` and
//! `gsub`, as lstrlib.c of Lua 5.4.4 drives its matcher (here [`super::lpattern`]): the same
//! handling of `init`, anchors, empty matches, replacement values and messages.
//!
//! Subject and pattern stay on the value stack (as arguments, or as upvalues of the
//! `gmatch` iterator), so their bytes are fetched again from the heap after any call into
//! Lua (a `gsub` replacement function, an `__index` metamethod) instead of being borrowed
//! across it.

use crate::runtime::string::LuaStr;
use crate::runtime::table::Table;
use crate::runtime::vm::FrameKind;
use crate::runtime::{GcRef, LuaError, Value, Vm};

use super::lpattern::{self, Capture, Match};
use super::{check_str, native_closure, native_upval, ops, opt_int, set_field, type_error};

/// Installs `find`, `match`, `gmatch` and `gsub` into the `string` table.
pub fn register(vm: &mut Vm, string_table: GcRef<Table>) {
    // Named in full for messages, as `new_lib` does.
    const FNS: [(&str, &str, crate::runtime::function::NativeFnPtr); 4] = [
        ("find", "string.find", str_find),
        ("match", "string.match", str_match),
        ("gmatch", "string.gmatch", gmatch),
        ("gsub", "string.gsub", str_gsub),
    ];
    for (key, name, f) in FNS {
        let v = vm.native_fn(name, f);
        set_field(vm, string_table, key, v);
    }
}

/// `posrelatI`: a 1-based start position; 0 and positions before the start clip to 1.
fn posrelat_start(pos: i64, len: usize) -> usize {
    if pos > 0 {
        // Past `len + 1` every position means "after the end"; clip to avoid overflow.
        pos.min(len as i64 + 2) as usize
    } else if pos == 0 || pos.unsigned_abs() > len as u64 {
        1
    } else {
        (len as i64 + pos + 1) as usize
    }
}

/// The 0-based start offset from argument `n`, or `None` if it lies past the end.
fn init_arg(vm: &mut Vm, n: usize, fname: &str, len: usize) -> Result<Option<usize>, LuaError> {
    let init = posrelat_start(opt_int(vm, n, fname, 1)?, len) - 1;
    Ok((init <= len).then_some(init))
}

/// Pushes one capture: a substring of `s`, or a position as an integer.
fn push_capture(vm: &mut Vm, s: GcRef<LuaStr>, c: Capture) {
    let v = match c {
        Capture::Str(a, b) => {
            let sub = vm.heap.str(s)[a..b].to_vec();
            vm.str_value(&sub)
        }
        Capture::Position(p) => Value::Int(p as i64 + 1),
        // Reported as an error by `Match::get` before it gets here.
        Capture::Unfinished(_) => Value::Nil,
    };
    vm.push(v);
}

/// Pushes captures (or raises the capture's error), returning how many.
fn push_captures(
    vm: &mut Vm,
    s: GcRef<LuaStr>,
    caps: Result<Vec<Capture>, String>,
) -> Result<usize, LuaError> {
    let caps = caps.map_err(|e| vm.lib_error(&e))?;
    for &c in &caps {
        push_capture(vm, s, c);
    }
    Ok(caps.len())
}

/// The first occurrence of `needle` in `hay` (`lmemfind`); an empty needle matches at 0.
fn memfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    if needle.len() > hay.len() {
        return None;
    }
    let last_start = hay.len() - needle.len();
    let mut i = 0;
    while i <= last_start {
        match hay[i..=last_start].iter().position(|&c| c == first) {
            None => return None,
            Some(k) => {
                let at = i + k;
                if &hay[at + 1..at + needle.len()] == rest {
                    return Some(at);
                }
                i = at + 1;
            }
        }
    }
    None
}

/// `str_find_aux`: `string.find` when `find`, else `string.match`.
fn str_find_aux(vm: &mut Vm, find: bool) -> Result<usize, LuaError> {
    let fname = if find { "find" } else { "match" };
    let s = check_str(vm, 1, fname)?;
    let p = check_str(vm, 2, fname)?;
    let ls = vm.heap.get(s).len();
    let Some(init) = init_arg(vm, 3, fname, ls)? else {
        vm.push(Value::Nil); // starts after the end: cannot find anything
        return Ok(1);
    };
    let plain = vm.arg(3).truthy();
    let (sb, pb) = (vm.heap.str(s), vm.heap.str(p));
    if find && (plain || !lpattern::has_specials(pb)) {
        // A plain search.
        let lp = pb.len();
        return Ok(match memfind(&sb[init..], pb) {
            Some(k) => {
                let start = init + k;
                vm.push(Value::Int(start as i64 + 1));
                vm.push(Value::Int((start + lp) as i64));
                2
            }
            None => {
                vm.push(Value::Nil);
                1
            }
        });
    }
    let found = lpattern::find(sb, pb, init).map_err(|e| vm.lib_error(&e))?;
    let Some(m) = found else {
        vm.push(Value::Nil);
        return Ok(1);
    };
    if find {
        vm.push(Value::Int(m.start as i64 + 1));
        vm.push(Value::Int(m.end as i64));
        Ok(2 + push_captures(vm, s, m.explicit_captures())?)
    } else {
        push_captures(vm, s, m.values())
    }
}

/// `string.find(s, pattern [, init [, plain]])`.
fn str_find(vm: &mut Vm) -> Result<usize, LuaError> {
    str_find_aux(vm, true)
}

/// `string.match(s, pattern [, init])`.
fn str_match(vm: &mut Vm) -> Result<usize, LuaError> {
    str_find_aux(vm, false)
}

// ----- gmatch ------------------------------------------------------------------------------

/// Upvalues of the `gmatch` iterator: subject, pattern, where the next search starts, and
/// the end of the last match (-1 for none), so an empty match right after a match is
/// skipped.
const GM_SRC: usize = 2;
const GM_LAST: usize = 3;

/// `string.gmatch(s, pattern [, init])`: an iterator over the matches. A leading `^` is
/// not an anchor here (it would stop the iteration) but matches itself.
fn gmatch(vm: &mut Vm) -> Result<usize, LuaError> {
    let s = check_str(vm, 1, "gmatch")?;
    let p = check_str(vm, 2, "gmatch")?;
    let ls = vm.heap.get(s).len();
    let init = init_arg(vm, 3, "gmatch", ls)?.unwrap_or(ls + 1);
    let upvals = [
        Value::Str(s),
        Value::Str(p),
        Value::Int(init as i64),
        Value::Int(-1),
    ];
    let f = native_closure(vm, "for iterator", gmatch_aux, &upvals);
    vm.push(f);
    Ok(1)
}

fn upval_int(vm: &Vm, i: usize) -> i64 {
    match native_upval(vm, i) {
        Value::Int(x) => x,
        _ => -1,
    }
}

fn gmatch_aux(vm: &mut Vm) -> Result<usize, LuaError> {
    let (Value::Str(s), Value::Str(p)) = (native_upval(vm, 0), native_upval(vm, 1)) else {
        return Ok(0);
    };
    let Some(FrameKind::Native(me)) = vm.frames.last().map(|f| f.kind) else {
        return Ok(0);
    };
    let start = upval_int(vm, GM_SRC).max(0) as usize;
    let last = upval_int(vm, GM_LAST);
    let found = {
        let (sb, pb) = (vm.heap.str(s), vm.heap.str(p));
        (start..=sb.len())
            .map(|src| lpattern::match_at(sb, pb, src))
            .find(|r| match r {
                Ok(Some(m)) => m.end as i64 != last,
                Ok(None) => false,
                Err(_) => true,
            })
            .transpose()
    };
    let Some(m) = found.map_err(|e| vm.lib_error(&e))?.flatten() else {
        return Ok(0); // no more matches
    };
    let ups = &mut vm.heap.get_mut(me).upvals;
    ups[GM_SRC] = Value::Int(m.end as i64);
    ups[GM_LAST] = Value::Int(m.end as i64);
    push_captures(vm, s, m.values())
}

// ----- gsub --------------------------------------------------------------------------------

/// What replaces each match.
#[derive(Clone, Copy)]
enum Repl {
    /// A string (numbers converted once), with `%` escapes.
    Str(GcRef<LuaStr>),
    /// A table indexed by the first capture.
    Table(Value),
    /// A function called with the captures.
    Func(Value),
}

/// `string.gsub(s, pattern, repl [, n])`: the subject with (at most `n`) matches
/// replaced, and the number of matches.
fn str_gsub(vm: &mut Vm) -> Result<usize, LuaError> {
    let src = check_str(vm, 1, "gsub")?;
    let pat = check_str(vm, 2, "gsub")?;
    let srcl = vm.heap.get(src).len();
    let repl_arg = vm.arg(2);
    let max_s = opt_int(vm, 4, "gsub", srcl as i64 + 1)?;
    let repl = match repl_arg {
        Value::Str(_) | Value::Int(_) | Value::Float(_) => Repl::Str(check_str(vm, 3, "gsub")?),
        Value::Table(_) => Repl::Table(repl_arg),
        Value::LuaFn(_) | Value::NativeFn(_) => Repl::Func(repl_arg),
        _ => return Err(type_error(vm, 3, "gsub", "string/function/table")),
    };
    let anchor = vm.heap.str(pat).first() == Some(&b'^');
    let pstart = usize::from(anchor);
    let mut out: Vec<u8> = Vec::new();
    let mut pos = 0usize;
    let mut lastmatch: Option<usize> = None;
    let mut n: i64 = 0;
    let mut changed = false;
    while n < max_s {
        let found = {
            let (sb, pb) = (vm.heap.str(src), vm.heap.str(pat));
            lpattern::match_at(sb, &pb[pstart..], pos)
        };
        match found.map_err(|e| vm.lib_error(&e))? {
            Some(m) if Some(m.end) != lastmatch => {
                n += 1;
                changed |= add_value(vm, src, &m, repl, &mut out)?;
                pos = m.end;
                lastmatch = Some(m.end);
            }
            _ if pos < srcl => {
                // No match here: keep one byte and move on.
                out.push(vm.heap.str(src)[pos]);
                pos += 1;
            }
            _ => break, // end of subject
        }
        if anchor {
            break;
        }
    }
    let result = if changed {
        out.extend_from_slice(&vm.heap.str(src)[pos..]);
        vm.str_value(&out)
    } else {
        Value::Str(src) // unchanged: the original string
    };
    vm.push(result);
    vm.push(Value::Int(n));
    Ok(2)
}

/// Appends the replacement for match `m` (`add_value`); returns whether it changed the
/// text (a false or nil table/function result keeps the match as it was).
fn add_value(
    vm: &mut Vm,
    src: GcRef<LuaStr>,
    m: &Match,
    repl: Repl,
    out: &mut Vec<u8>,
) -> Result<bool, LuaError> {
    let value = match repl {
        Repl::Str(r) => {
            let (sb, rb) = (vm.heap.str(src), vm.heap.str(r));
            return match lpattern::expand_replacement(m, sb, rb, out) {
                Ok(()) => Ok(true),
                Err(e) => Err(vm.lib_error(&e)),
            };
        }
        Repl::Table(t) => {
            let key = m.get(0).map_err(|e| vm.lib_error(&e))?;
            push_capture(vm, src, key);
            let k = vm.stack.pop().unwrap_or(Value::Nil);
            ops::index(vm, t, k)?
        }
        Repl::Func(f) => {
            let func = vm.stack.len();
            vm.push(f);
            let nargs = push_captures(vm, src, m.values())?;
            vm.call(func, nargs, 1)?;
            let v = vm.stack[func];
            vm.stack.truncate(func);
            v
        }
    };
    match value {
        Value::Nil | Value::Bool(false) => {
            out.extend_from_slice(&vm.heap.str(src)[m.start..m.end]);
            Ok(false)
        }
        Value::Str(_) | Value::Int(_) | Value::Float(_) => {
            ops::tostring_bytes(vm, value, out)?;
            Ok(true)
        }
        other => {
            let msg = format!("invalid replacement value (a {})", other.type_name());
            Err(vm.lib_error(&msg))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::testutil::*;
    use super::*;

    /// A test argument: a string literal or any value.
    enum A {
        S(&'static str),
        V(Value),
    }

    fn vm() -> Vm {
        full_vm()
    }

    fn run(vm: &mut Vm, f: &str, args: &[Value]) -> String {
        let r = call(vm, f, args);
        shown(vm, &r)
    }

    #[test]
    fn find_match_gsub_like_lua() {
        // Expected results recorded from lua5.4, calling through pcall (so the messages name
        // the functions in full, as ours do when no Lua frame calls them).
        const CASES: &[(&str, &[A], &str)] = &[
            ("find", &[A::S("hello world"), A::S("o")], "5	5"),
            ("find", &[A::S("hello world"), A::S("o"), A::V(Value::Int(6))], "8	8"),
            ("find", &[A::S("hello world"), A::S("o"), A::V(Value::Int(-3))], "nil"),
            ("find", &[A::S("hello world"), A::S("o"), A::V(Value::Int(-100))], "5	5"),
            ("find", &[A::S("hello world"), A::S("o"), A::V(Value::Int(100))], "nil"),
            ("find", &[A::S("hello"), A::S(""), A::V(Value::Int(6))], "6	5"),
            ("find", &[A::S("hello"), A::S(""), A::V(Value::Int(7))], "nil"),
            ("find", &[A::S("hello"), A::S(""), A::V(Value::Int(0))], "1	0"),
            ("find", &[A::S("hello"), A::S("l+")], "3	4"),
            ("find", &[A::S("hello"), A::S("(l)(l)")], "3	4	l	l"),
            ("find", &[A::S("hello"), A::S("()ll()")], "3	4	3	5"),
            ("find", &[A::S("a.b"), A::S("."), A::V(Value::Int(1)), A::V(Value::Bool(true))], "2	2"),
            ("find", &[A::S("a.b"), A::S("%.")], "2	2"),
            ("find", &[A::S("a+b"), A::S("+"), A::V(Value::Int(1)), A::V(Value::Bool(true))], "2	2"),
            ("find", &[A::S("hello"), A::S("^h")], "1	1"),
            ("find", &[A::S("hello"), A::S("^e")], "nil"),
            ("find", &[A::S("hello"), A::S("^e"), A::V(Value::Int(2))], "2	2"),
            ("find", &[A::S("x"), A::S("(")], "error: unfinished capture"),
            ("find", &[A::S("x"), A::S("%")], "error: malformed pattern (ends with '%')"),
            ("find", &[A::S("x"), A::S("[a")], "error: malformed pattern (missing ']')"),
            ("find", &[A::S("x"), A::S("(()")], "error: unfinished capture"),
            ("find", &[A::S("abc"), A::S("b"), A::V(Value::Nil), A::V(Value::Nil)], "2	2"),
            ("find", &[A::V(Value::Int(12345)), A::V(Value::Int(3))], "3	3"),
            ("match", &[A::S("hello world"), A::S("(%w+) (%w+)")], "hello	world"),
            ("match", &[A::S("hello world"), A::S("%w+"), A::V(Value::Int(6))], "world"),
            ("match", &[A::S("hello"), A::S("()ll()")], "3	5"),
            ("match", &[A::S("hello"), A::S("xyz")], "nil"),
            ("match", &[A::S("key = value"), A::S("(%w+)%s*=%s*(%w+)")], "key	value"),
            ("match", &[A::S("  trim  "), A::S("^%s*(.-)%s*$")], "trim"),
            ("match", &[A::S("hello"), A::S(".-"), A::V(Value::Int(10))], "nil"),
            ("match", &[A::S("hello"), A::S("$"), A::V(Value::Int(-1))], ""),
            ("match", &[A::S("[[x]]"), A::S("%[(%b[])%]")], "[x]"),
            ("match", &[A::S("THE (quick) fox"), A::S("%f[%a]%a+")], "THE"),
            ("gsub", &[A::S("hello world"), A::S("o"), A::S("0")], "hell0 w0rld	2"),
            ("gsub", &[A::S("hello world"), A::S("o"), A::S("0"), A::V(Value::Int(1))], "hell0 world	1"),
            ("gsub", &[A::S("hello world"), A::S("o"), A::S("0"), A::V(Value::Int(0))], "hello world	0"),
            ("gsub", &[A::S("hello world"), A::S("o"), A::S("0"), A::V(Value::Int(-1))], "hello world	0"),
            ("gsub", &[A::S("hello world"), A::S("(%w+)"), A::S("<%1>")], "<hello> <world>	2"),
            ("gsub", &[A::S("hello world"), A::S("%w+"), A::S("%0 %0")], "hello hello world world	2"),
            ("gsub", &[A::S("hello"), A::S(""), A::S("-")], "-h-e-l-l-o-	6"),
            ("gsub", &[A::S("abc"), A::S("%w*"), A::S("x")], "x	1"),
            ("gsub", &[A::S("hello world"), A::S("^h"), A::S("H")], "Hello world	1"),
            ("gsub", &[A::S("hello world"), A::S("^o"), A::S("H")], "hello world	0"),
            ("gsub", &[A::S("abc"), A::S("b"), A::S("%%")], "a%c	1"),
            ("gsub", &[A::S("abc"), A::S("b"), A::S("%2")], "error: invalid capture index %2"),
            ("gsub", &[A::S("abc"), A::S("(b)"), A::S("%2")], "error: invalid capture index %2"),
            ("gsub", &[A::S("abc"), A::S("b"), A::S("%x")], "error: invalid use of '%' in replacement string"),
            ("gsub", &[A::S("abc"), A::S("b"), A::V(Value::Int(12))], "a12c	1"),
            ("gsub", &[A::S("abc"), A::S("b"), A::V(Value::Float(1.5))], "a1.5c	1"),
            ("gsub", &[A::S("abc"), A::S("()b"), A::S("%1")], "a2c	1"),
            ("gsub", &[A::S("abc"), A::S("b"), A::V(Value::Bool(true))], "error: bad argument #3 to 'string.gsub' (string/function/table expected, got boolean)"),
            ("gsub", &[A::S("abc"), A::S("b"), A::S("x"), A::S("y")], "error: bad argument #4 to 'string.gsub' (number expected, got string)"),
            ("gsub", &[A::S("abc"), A::S("b"), A::V(Value::Bool(true)), A::S("y")], "error: bad argument #4 to 'string.gsub' (number expected, got string)"),
            ("gsub", &[A::S("abc"), A::S("("), A::S("x")], "xaxbxcx	4"),
            ("gsub", &[A::S("a,b,,c"), A::S(","), A::S(";")], "a;b;;c	3"),
            ("gsub", &[A::S("abc"), A::S("."), A::S("%0%0"), A::V(Value::Int(2))], "aabbc	2"),
            ("gsub", &[A::V(Value::Int(123)), A::V(Value::Int(2)), A::V(Value::Int(9))], "193	1"),
        ];
        let mut vm = vm();
        for (i, (fname, args, want)) in CASES.iter().enumerate() {
            let f = format!("string.{fname}");
            let vals: Vec<Value> = args
                .iter()
                .map(|a| match a {
                    A::S(text) => s(&mut vm, text),
                    A::V(v) => *v,
                })
                .collect();
            let got = run(&mut vm, &f, &vals);
            assert_eq!(got, *want, "case {i}: string.{fname}");
        }
    }

    /// Runs a `for ... in gmatch(...)` loop, joining each step's values with `,` and the
    /// steps with `;`.
    fn gmatch_all(vm: &mut Vm, args: &[Value]) -> String {
        let it = match call(vm, "string.gmatch", args) {
            Ok(r) => r[0],
            Err(e) => return format!("error: {e}"),
        };
        let mut steps = Vec::new();
        for _ in 0..100 {
            match vm.call_value(it, &[], crate::bytecode::MULTI) {
                Ok(r) if r.is_empty() => break,
                Ok(r) => {
                    let parts: Vec<String> = r.iter().map(|&v| show(vm, v)).collect();
                    steps.push(parts.join(","));
                }
                Err(e) => return format!("error: {}", show(vm, e.value)),
            }
        }
        steps.join(";")
    }

    #[test]
    fn gmatch_like_lua() {
        let mut vm = vm();
        let mut g = |subject: &str, pat: &str, init: Option<i64>| {
            let mut args = vec![s(&mut vm, subject), s(&mut vm, pat)];
            if let Some(i) = init {
                args.push(Value::Int(i));
            }
            gmatch_all(&mut vm, &args)
        };
        assert_eq!(
            g("hello world from lua", "%a+", None),
            "hello;world;from;lua"
        );
        assert_eq!(g("k1=v1, k2=v2", "(%w+)=(%w+)", None), "k1,v1;k2,v2");
        assert_eq!(g("abc", "", None), ";;;");
        assert_eq!(g("abc", "%w*", None), "abc");
        assert_eq!(g("hello", "()l", None), "3;4");
        assert_eq!(g("abcabc", "b", Some(3)), "b");
        assert_eq!(g("abcabc", "b", Some(-2)), "b");
        assert_eq!(g("abcabc", "b", Some(100)), "");
        assert_eq!(g("^a^a", "^a", None), "^a;^a");
        assert_eq!(
            g("abc", "%", None),
            "error: malformed pattern (ends with '%')"
        );
    }

    fn upper(vm: &mut Vm) -> Result<usize, LuaError> {
        let Value::Str(w) = vm.arg(0) else {
            return Ok(0);
        };
        let up = vm.heap.str(w).to_ascii_uppercase();
        let v = vm.str_value(&up);
        vm.push(v);
        Ok(1)
    }

    fn rotate_unless_h(vm: &mut Vm) -> Result<usize, LuaError> {
        let (Value::Str(a), Value::Str(b)) = (vm.arg(0), vm.arg(1)) else {
            return Ok(0);
        };
        if vm.heap.str(a) == b"h" {
            vm.push(Value::Nil);
            return Ok(1);
        }
        let mut text = vm.heap.str(b).to_vec();
        text.extend_from_slice(vm.heap.str(a));
        let v = vm.str_value(&text);
        vm.push(v);
        Ok(1)
    }

    fn new_table(vm: &mut Vm) -> Result<usize, LuaError> {
        let t = vm.heap.alloc(Table::new());
        vm.push(Value::Table(t));
        Ok(1)
    }

    fn yes(vm: &mut Vm) -> Result<usize, LuaError> {
        vm.push(Value::Bool(true));
        Ok(1)
    }

    #[test]
    fn gsub_with_tables_and_functions() {
        let mut vm = vm();
        let t = vm.heap.alloc(Table::new());
        let (name, bob, age) = (s(&mut vm, "name"), s(&mut vm, "bob"), s(&mut vm, "age"));
        vm.heap.get_mut(t).set(name, bob).unwrap();
        vm.heap.get_mut(t).set(age, Value::Int(42)).unwrap();
        let t = Value::Table(t);
        let subj = s(&mut vm, "$name is $age");
        let pat = s(&mut vm, "%$(%w+)");
        assert_eq!(run(&mut vm, "string.gsub", &[subj, pat, t]), "bob is 42\t2");
        let subj = s(&mut vm, "$name is $x");
        assert_eq!(run(&mut vm, "string.gsub", &[subj, pat, t]), "bob is $x\t2");
        let inner = list(&mut vm, &[]);
        let Value::Table(tt) = t else { unreachable!() };
        vm.heap.get_mut(tt).set(name, inner).unwrap();
        assert_eq!(
            run(&mut vm, "string.gsub", &[subj, pat, t]),
            "error: invalid replacement value (a table)"
        );

        let t2 = vm.heap.alloc(Table::new());
        let (ka, kb, kc, bb) = (
            s(&mut vm, "a"),
            s(&mut vm, "b"),
            s(&mut vm, "c"),
            s(&mut vm, "B"),
        );
        let tb = vm.heap.get_mut(t2);
        tb.set(ka, Value::Bool(false)).unwrap();
        tb.set(kb, bb).unwrap();
        tb.set(kc, Value::Float(3.0)).unwrap();
        let abc = s(&mut vm, "abc");
        let w = s(&mut vm, "%w");
        assert_eq!(
            run(&mut vm, "string.gsub", &[abc, w, Value::Table(t2)]),
            "aB3.0\t3"
        );
        let (x, y) = (s(&mut vm, "x"), s(&mut vm, "y"));
        let pos = list(&mut vm, &[x, Value::Nil, Value::Nil, y]);
        let empty_cap = s(&mut vm, "()");
        assert_eq!(
            run(&mut vm, "string.gsub", &[abc, empty_cap, pos]),
            "xabcy\t4"
        );

        let hw = s(&mut vm, "hello world");
        let words = s(&mut vm, "%w+");
        let up = vm.native_fn("upper", upper);
        assert_eq!(
            run(&mut vm, "string.gsub", &[hw, words, up]),
            "HELLO WORLD\t2"
        );
        let two = s(&mut vm, "(%w)(%w*)");
        let rot = vm.native_fn("rot", rotate_unless_h);
        assert_eq!(
            run(&mut vm, "string.gsub", &[hw, two, rot]),
            "hello orldw\t2"
        );
        let b = s(&mut vm, "b");
        let nt = vm.native_fn("nt", new_table);
        assert_eq!(
            run(&mut vm, "string.gsub", &[abc, b, nt]),
            "error: invalid replacement value (a table)"
        );
        let yes = vm.native_fn("yes", yes);
        assert_eq!(
            run(&mut vm, "string.gsub", &[abc, b, yes]),
            "error: invalid replacement value (a boolean)"
        );
    }

    #[test]
    fn memfind_edges() {
        assert_eq!(memfind(b"abc", b""), Some(0));
        assert_eq!(memfind(b"", b""), Some(0));
        assert_eq!(memfind(b"", b"a"), None);
        assert_eq!(memfind(b"aab", b"ab"), Some(1));
        assert_eq!(memfind(b"abab", b"bab"), Some(1));
        assert_eq!(memfind(b"ab", b"abc"), None);
        assert_eq!(memfind(b"xxa", b"a"), Some(2));
    }
}
