//! Tests of the front end. Expected error messages were recorded by running `lua5.4`.

use super::ast::*;
use super::lexer::{str2number, Lexer, Number};
use super::token::Tok;
use super::{chunk_display_name, parse, parse_string};

fn lex_all(src: &str) -> Vec<(Tok, u32)> {
    let mut lx = Lexer::new(src.as_bytes(), "t");
    let mut v = Vec::new();
    loop {
        let t = lx.next_token().expect("lexes");
        if t.tok == Tok::Eos {
            return v;
        }
        v.push((t.tok, t.line));
    }
}

fn lex_err(src: &[u8]) -> String {
    let mut lx = Lexer::new(src, "t");
    loop {
        match lx.next_token() {
            Ok(t) if t.tok == Tok::Eos => panic!("no error in {src:?}"),
            Ok(_) => {}
            Err(e) => return e.message,
        }
    }
}

fn ok(src: &str) -> Chunk {
    match parse(src.as_bytes(), "@x.lua") {
        Ok(c) => c,
        Err(e) => panic!("{src:?} failed: {e}"),
    }
}

fn err(src: &str) -> String {
    match parse_string(src.as_bytes(), "@x.lua") {
        Ok(_) => panic!("{src:?} parsed"),
        Err(e) => e.message,
    }
}

/// Prints an expression as an s-expression, naming locals `$n` and upvalues `^n`.
fn show(f: &Function, e: &Expr) -> String {
    let list = |v: &[Expr]| v.iter().map(|a| show(f, a)).collect::<Vec<_>>().join(" ");
    match &e.kind {
        ExprKind::Nil => "nil".into(),
        ExprKind::True => "true".into(),
        ExprKind::False => "false".into(),
        ExprKind::Vararg => "...".into(),
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Float(x) => format!("{x:?}"),
        ExprKind::Str(s) => format!("{:?}", String::from_utf8_lossy(s)),
        ExprKind::Local(id) => format!("${}", f.locals[id.0 as usize].name),
        ExprKind::Upvalue(u) => format!("^{}", f.upvalues[u.0 as usize].name),
        ExprKind::Global { name, .. } => name.clone(),
        ExprKind::Index { obj, key } => format!("(index {} {})", show(f, obj), show(f, key)),
        ExprKind::Call { func, args } => format!("(call {} [{}])", show(f, func), list(args)),
        ExprKind::MethodCall { obj, method, args } => {
            format!("(method {} {} [{}])", show(f, obj), method, list(args))
        }
        ExprKind::Function(_) => "(function)".into(),
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.symbol(), show(f, lhs), show(f, rhs))
        }
        ExprKind::Unary { op, operand } => format!("({} {})", op.symbol(), show(f, operand)),
        ExprKind::Table(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|i| match i {
                    TableItem::Positional(v) => show(f, v),
                    TableItem::Keyed { key, value } => {
                        format!("[{}]={}", show(f, key), show(f, value))
                    }
                })
                .collect();
            format!("{{{}}}", items.join(" "))
        }
        ExprKind::Paren(e) => format!("(paren {})", show(f, e)),
    }
}

/// The printed form of `return EXPR`.
fn ret(src: &str) -> String {
    let c = ok(&format!("return {src}"));
    match &c.main.body.stats[0].kind {
        StatKind::Return(v) => show(&c.main, &v[0]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn tokens() {
    use Tok::*;
    let t = lex_all("a.b:c(...) // & | ~ ~= << >> :: == <= >= .. # -x --c\n goto and");
    let kinds: Vec<Tok> = t.iter().map(|(t, _)| t.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            Name("a".into()),
            Char(b'.'),
            Name("b".into()),
            Char(b':'),
            Name("c".into()),
            Char(b'('),
            Dots,
            Char(b')'),
            IDiv,
            Char(b'&'),
            Char(b'|'),
            Char(b'~'),
            Ne,
            Shl,
            Shr,
            DbColon,
            Eq,
            Le,
            Ge,
            Concat,
            Char(b'#'),
            Char(b'-'),
            Name("x".into()),
            Goto,
            And,
        ]
    );
    assert_eq!(t.last().map(|x| x.1), Some(2));
}

#[test]
fn numbers() {
    let n = |s: &str| lex_all(s)[0].0.clone();
    assert_eq!(n("0x10"), Tok::Int(16));
    assert_eq!(n("0xA.8p1"), Tok::Float(21.0));
    assert_eq!(n("0x.8"), Tok::Float(0.5));
    assert_eq!(n("0x1p-2"), Tok::Float(0.25));
    assert_eq!(n("1e2"), Tok::Float(100.0));
    assert_eq!(n("3."), Tok::Float(3.0));
    assert_eq!(n(".5"), Tok::Float(0.5));
    assert_eq!(n("3e-2"), Tok::Float(0.03));
    assert_eq!(n("9223372036854775807"), Tok::Int(i64::MAX));
    assert_eq!(n("9223372036854775808"), Tok::Float(9223372036854775808.0));
    assert_eq!(n("0xffffffffffffffffff"), Tok::Int(-1));
    assert_eq!(n("0x7fffffffffffffff"), Tok::Int(i64::MAX));
    assert_eq!(n("1e999"), Tok::Float(f64::INFINITY));
    assert_eq!(n("0x1.fffffffffffff8p0"), Tok::Float(2.0));
    assert_eq!(n("0x1p99999999999999"), Tok::Float(f64::INFINITY));
    assert_eq!(n("0x1p-99999999999999"), Tok::Float(0.0));
    assert_eq!(
        n("0x123456789abcdef0123p-8"),
        Tok::Float(0x123456789abcdef0123u128 as f64 / 256.0)
    );
    assert_eq!(str2number(b" -0x10 "), Some(Number::Int(-16)));
    assert_eq!(
        str2number(b"-9223372036854775808"),
        Some(Number::Int(i64::MIN))
    );
    assert_eq!(str2number(b"inf"), None);
    assert_eq!(str2number(b"nan"), None);
    assert_eq!(str2number(b"1e"), None);
    assert_eq!(str2number(b""), None);
    assert_eq!(str2number(b"  "), None);
    assert_eq!(str2number(b"0x"), None);
    assert_eq!(str2number(b"1 2"), None);
    assert_eq!(str2number(b"\t12.5\n"), Some(Number::Float(12.5)));
}

#[test]
fn strings() {
    let s = |src: &[u8]| {
        let mut lx = Lexer::new(src, "t");
        match lx.next_token().expect("lexes").tok {
            Tok::Str(v) => v,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(s(br#""\65\066\0677""#), b"ABC7");
    assert_eq!(
        s(br#"'\a\b\f\n\r\t\v\\\"\''"#),
        b"\x07\x08\x0c\n\r\t\x0b\\\"'"
    );
    assert_eq!(s(br#""\x41\x7a""#), b"Az");
    assert_eq!(
        s(br#""\u{48}\u{E9}\u{20AC}\u{7FFFFFFF}""#),
        b"H\xc3\xa9\xe2\x82\xac\xfd\xbf\xbf\xbf\xbf\xbf"
    );
    assert_eq!(s(b"\"a\\z  \n\t b\""), b"ab");
    assert_eq!(s(b"\"a\\\nb\""), b"a\nb");
    assert_eq!(s(b"\"a\\\r\nb\""), b"a\nb");
    assert_eq!(s(b"\"\\0\xff\""), b"\0\xff");
    assert_eq!(s(b"[[\nabc]]"), b"abc");
    assert_eq!(s(b"[==[a]]b]=]c]==]"), b"a]]b]=]c");
    assert_eq!(s(b"[[a\r\nb\n\rc\rd]]"), b"a\nb\nc\nd");
}

#[test]
fn lines() {
    let t = lex_all("a\nb\rc\r\nd\n\re\n\nf --[[x\ny]] g [[\n\n]] h");
    let lines: Vec<u32> = t.iter().map(|x| x.1).collect();
    assert_eq!(lines, vec![1, 2, 3, 4, 5, 7, 8, 10, 10]);
}

#[test]
fn lexer_errors() {
    assert_eq!(lex_err(b"\"abc"), "t:1: unfinished string near <eof>");
    assert_eq!(
        lex_err(b"x = \"a\\q"),
        "t:1: invalid escape sequence near '\"a\\q'"
    );
    assert_eq!(
        lex_err(b"--[[\n\n"),
        "t:3: unfinished long comment (starting at line 1) near <eof>"
    );
}

#[test]
fn shebang() {
    let c = ok("#!/usr/bin/lua\nreturn x");
    assert_eq!(c.main.body.stats[0].line, 2);
    assert!(parse_string(b"#!x\n", "=s").is_err());
    assert!(parse(b"\xEF\xBB\xBF# c\nreturn 1", "=s").is_ok());
}

#[test]
fn precedence() {
    let cases = [
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("1 - 2 - 3", "(- (- 1 2) 3)"),
        ("2 ^ 3 ^ 2", "(^ 2 (^ 3 2))"),
        ("-x ^ 2", "(- (^ x 2))"),
        ("2 ^ -3", "(^ 2 (- 3))"),
        ("a .. b .. c", "(.. a (.. b c))"),
        ("a + b .. c", "(.. (+ a b) c)"),
        ("not a == b", "(== (not a) b)"),
        ("a or b and c", "(or a (and b c))"),
        ("a and b or c and d", "(or (and a b) (and c d))"),
        ("a < b == c", "(== (< a b) c)"),
        (
            "a | b ~ c & d << e .. f",
            "(| a (~ b (& c (<< d (.. e f)))))",
        ),
        ("1 // 2 % 3 / 4", "(/ (% (// 1 2) 3) 4)"),
        ("#t + ~x", "(+ (# t) (~ x))"),
        ("- - x", "(- (- x))"),
        (
            "a.b.c[1]:m(2)(3)",
            "(call (method (index (index (index a \"b\") \"c\") 1) m [2]) [3])",
        ),
        (
            "f 'x' {1, y = 2; [3] = 4}",
            "(call (call f [\"x\"]) [{1 [\"y\"]=2 [3]=4}])",
        ),
        ("(f())", "(paren (call f []))"),
        ("2^2^-a.b", "(^ 2 (^ 2 (- (index a \"b\"))))"),
        ("a ~= b >= c", "(>= (~= a b) c)"),
        ("x >> 1 > 2", "(> (>> x 1) 2)"),
    ];
    for (src, want) in cases {
        assert_eq!(ret(src), want, "{src}");
    }
}

include!("error_cases.rs");

#[test]
fn error_messages() {
    for (src, want) in ERROR_CASES {
        assert_eq!(err(src), *want, "source: {src:?}");
    }
}

#[test]
fn more_messages() {
    for (src, want) in MORE_CASES {
        let got = match parse_string(src.as_bytes(), "@x.lua") {
            Ok(_) => "OK".to_string(),
            Err(e) => e.message,
        };
        assert_eq!(got, *want, "source: {src:?}");
    }
}

#[test]
fn variable_limits() {
    let locals: Vec<String> = (0..201).map(|i| format!("local v{i}")).collect();
    assert_eq!(
        err(&locals.join("\n")),
        "x.lua:201: too many local variables (limit is 200) in main function near <eof>"
    );
    assert!(parse_string(locals[..200].join("\n").as_bytes(), "=x").is_ok());
    // 150 locals in main, 150 in `a`: the innermost function needs _ENV + 300 upvalues.
    let mut src: Vec<String> = (0..150).map(|i| format!("local v{i}")).collect();
    src.push("local function a()".into());
    src.extend((0..150).map(|i| format!("local w{i}")));
    src.push("return function()".into());
    src.extend((0..150).map(|i| format!("x = v{i}")));
    src.extend((0..150).map(|i| format!("x = w{i}")));
    src.push("end end".into());
    assert_eq!(
        err(&src.join("\n")),
        "x.lua:558: too many upvalues (limit is 255) in function at line 302 near 'x'"
    );
}

#[test]
fn chunk_names() {
    assert_eq!(chunk_display_name("@x.lua"), "x.lua");
    assert_eq!(chunk_display_name("=stdin"), "stdin");
    assert_eq!(chunk_display_name("x = 1"), "[string \"x = 1\"]");
    assert_eq!(chunk_display_name("x = 1\ny = 2"), "[string \"x = 1...\"]");
    let long = "a".repeat(100);
    assert_eq!(
        chunk_display_name(&long),
        format!("[string \"{}...\"]", "a".repeat(45))
    );
    assert_eq!(
        chunk_display_name(&"a".repeat(44)),
        format!("[string \"{}\"]", "a".repeat(44))
    );
    assert_eq!(
        chunk_display_name(&format!("@{long}")),
        format!("...{}", "a".repeat(56))
    );
    assert_eq!(chunk_display_name(&format!("={long}")), "a".repeat(59));
    assert_eq!(
        err("x = = 1").replace("x.lua", "X"),
        "X:1: unexpected symbol near '='"
    );
    assert_eq!(
        parse_string(b"x = = 1", "x = = 1").unwrap_err().message,
        "[string \"x = = 1\"]:1: unexpected symbol near '='"
    );
}

const STACK: usize = 2 << 20;

/// Runs `f` on a thread with a 2 MB stack (the default for spawned threads).
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no stack overflow");
}

#[test]
fn depth_limits() {
    on_small_stack(|| {
        let n = 100_000;
        let deep = [
            format!("x = {}1", "(".repeat(n)),
            format!("x = {}", "{".repeat(n)),
            "do ".repeat(n),
            format!("x = {}1", "- ".repeat(n)),
            format!("x = {}", "function() return ".repeat(n)),
            format!("x = 1{}", " .. 1".repeat(n)),
            format!("x = 1{}", " ^ 1".repeat(n)),
            format!("a{} = 1", ", a".repeat(n)),
            "if x then ".repeat(n),
            format!("x = {}", "f(".repeat(n)),
            "::a:: ".repeat(n),
        ];
        for src in &deep {
            let e = parse(src.as_bytes(), "@x.lua").unwrap_err();
            assert_eq!(e.message, "C stack overflow", "{}", &src[..20]);
        }
        // Left-associative chains need no recursion to parse, and freeing them must not
        // recurse either. Binary-operator and suffix chains are compiled iteratively too,
        // so they are accepted at any length, as lua5.4 does.
        for src in [
            format!("x = 1{}", " + 1".repeat(n)),
            format!("x = a{}", " - a * 2".repeat(n)),
            format!("x = a{}", " and a or b".repeat(n)),
            format!("x = a{}", " < a == b ~= c".repeat(n / 3)),
            format!("x = (1{}) + 1", " | 1 & 2 ~ 3 << 1".repeat(n / 4)),
            format!("x = 1{} .. 'a'", " + 1".repeat(n)),
            format!("x = a{}", ".b".repeat(n)),
            format!("x = f{}", "()".repeat(n)),
            format!("x = a{}", ":m()".repeat(n)),
            format!("a{}.c = 1", "[1]".repeat(n)),
            format!("return f{}", "(1).x:m(2)".repeat(n / 3)),
            format!("f{}", "{}''".repeat(n / 2)),
        ] {
            let m = super::compile(src.as_bytes(), "@x.lua").expect("long chain compiles");
            crate::bytecode::verify::verify(&m).expect("long chain verifies");
        }
        let e = parse(format!("x = 1{} +", " + 1".repeat(n)).as_bytes(), "@x.lua").unwrap_err();
        assert_eq!(e.message, "x.lua:1: unexpected symbol near <eof>");
        // Nesting lua5.4 still accepts when running a script file.
        for src in [
            format!("x = {}1{}", "(".repeat(196), ")".repeat(196)),
            format!("x = {}{}", "{".repeat(197), "}".repeat(197)),
            format!("x = 1{}", " .. 1".repeat(196)),
            format!("{}{}", "do ".repeat(198), "end ".repeat(198)),
            format!("x = 1{}", " + 1".repeat(500)),
        ] {
            assert!(parse(src.as_bytes(), "@x.lua").is_ok());
        }
        for src in [
            format!("x = {}1{}", "(".repeat(197), ")".repeat(197)),
            format!("x = {}{}", "{".repeat(198), "}".repeat(198)),
            format!("x = 1{}", " .. 1".repeat(197)),
            format!("{}{}", "do ".repeat(199), "end ".repeat(199)),
        ] {
            assert_eq!(
                parse(src.as_bytes(), "@x.lua").unwrap_err().message,
                "C stack overflow"
            );
        }
    });
}

fn local_named<'a>(f: &'a Function, name: &str) -> &'a LocalInfo {
    f.locals
        .iter()
        .find(|l| l.name == name)
        .expect("local exists")
}

fn nested(f: &Function, i: usize) -> &Function {
    let mut found = Vec::new();
    for s in &f.body.stats {
        match &s.kind {
            StatKind::LocalFunction { func, .. } | StatKind::Function { func, .. } => {
                found.push(&**func)
            }
            StatKind::Local { values, .. } | StatKind::Return(values) => {
                for v in values {
                    if let ExprKind::Function(func) = &v.kind {
                        found.push(&**func);
                    }
                }
            }
            _ => {}
        }
    }
    found[i]
}

#[test]
fn resolution_locals_globals() {
    let c = ok("local a, b = 1, 2\nlocal a = a\nreturn a, b, c");
    let f = &c.main;
    assert_eq!(f.upvalues.len(), 1);
    assert_eq!(f.upvalues[0].name, "_ENV");
    assert_eq!(f.upvalues[0].source, UpvalSource::Env);
    assert!(f.is_vararg);
    assert_eq!(f.locals.len(), 3);
    assert_eq!(f.num_slots, 3);
    assert_eq!(f.locals[2].slot, 2);
    // `local a = a` reads the outer a.
    match &f.body.stats[1].kind {
        StatKind::Local { vars, values } => {
            assert_eq!(vars, &[LocalId(2)]);
            assert_eq!(values[0].kind, ExprKind::Local(LocalId(0)));
        }
        k => panic!("{k:?}"),
    }
    match &f.body.stats[2].kind {
        StatKind::Return(v) => {
            assert_eq!(v[0].kind, ExprKind::Local(LocalId(2)));
            assert_eq!(v[1].kind, ExprKind::Local(LocalId(1)));
            assert_eq!(
                v[2].kind,
                ExprKind::Global {
                    env: EnvVar::Upvalue(UpvalId(0)),
                    name: "c".into()
                }
            );
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn resolution_upvalues_two_levels() {
    let c = ok("local x, y = 1, 2\nlocal function f()\n  local z\n  return function() return x, z, y, g end\nend");
    let main = &c.main;
    assert!(local_named(main, "x").captured);
    assert!(local_named(main, "y").captured);
    assert!(!local_named(main, "f").captured);
    let f = nested(main, 0);
    assert!(local_named(f, "z").captured);
    let g = nested(f, 0);
    // f gets x (captured on the way), then y; and _ENV for the global g.
    let names: Vec<&str> = f.upvalues.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["x", "y", "_ENV"]);
    assert_eq!(f.upvalues[0].source, UpvalSource::ParentLocal(LocalId(0)));
    assert_eq!(f.upvalues[2].source, UpvalSource::ParentUpvalue(UpvalId(0)));
    let gnames: Vec<&str> = g.upvalues.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(gnames, ["x", "z", "y", "_ENV"]);
    assert_eq!(g.upvalues[0].source, UpvalSource::ParentUpvalue(UpvalId(0)));
    assert_eq!(g.upvalues[1].source, UpvalSource::ParentLocal(LocalId(0)));
    assert_eq!(g.upvalues[2].source, UpvalSource::ParentUpvalue(UpvalId(1)));
    match &g.body.stats[0].kind {
        StatKind::Return(v) => {
            let shown: Vec<String> = v.iter().map(|e| show(g, e)).collect();
            assert_eq!(shown, ["^x", "^z", "^y", "g"]);
            assert_eq!(
                v[3].kind,
                ExprKind::Global {
                    env: EnvVar::Upvalue(UpvalId(3)),
                    name: "g".into()
                }
            );
        }
        k => panic!("{k:?}"),
    }
    // The block holding captured locals must close them.
    assert!(main.body.needs_close);
    assert!(f.body.needs_close);
}

#[test]
fn resolution_local_env() {
    let c = ok("local _ENV = {}\nx = 1\nlocal function f() return y end");
    let main = &c.main;
    match &main.body.stats[1].kind {
        StatKind::Assign { targets, .. } => assert_eq!(
            targets[0].kind,
            ExprKind::Global {
                env: EnvVar::Local(LocalId(0)),
                name: "x".into()
            }
        ),
        k => panic!("{k:?}"),
    }
    let f = nested(main, 0);
    assert_eq!(f.upvalues[0].name, "_ENV");
    assert_eq!(f.upvalues[0].source, UpvalSource::ParentLocal(LocalId(0)));
}

#[test]
fn resolution_shadowing_and_blocks() {
    let c = ok("local x = 1\ndo local x = 2; y = x end\nz = x\nrepeat local r = 1 until r == 1\nfor i = 1, 2 do local q = i end\nfor k, v in pairs(t) do end");
    let f = &c.main;
    match &f.body.stats[1].kind {
        StatKind::Do(b) => {
            assert_eq!(b.level, 1);
            assert!(!b.needs_close);
            match &b.stats[1].kind {
                StatKind::Assign { values, .. } => {
                    assert_eq!(values[0].kind, ExprKind::Local(LocalId(1)))
                }
                k => panic!("{k:?}"),
            }
        }
        k => panic!("{k:?}"),
    }
    match &f.body.stats[2].kind {
        StatKind::Assign { values, .. } => assert_eq!(values[0].kind, ExprKind::Local(LocalId(0))),
        k => panic!("{k:?}"),
    }
    match &f.body.stats[3].kind {
        StatKind::Repeat { body, cond } => {
            assert_eq!(body.level, 1);
            assert_eq!(show(f, cond), "(== $r 1)");
        }
        k => panic!("{k:?}"),
    }
    match &f.body.stats[4].kind {
        StatKind::NumericFor {
            control, var, body, ..
        } => {
            assert_eq!(f.locals[control[0].0 as usize].slot, 1);
            assert_eq!(f.locals[control[0].0 as usize].name, "(for state)");
            assert_eq!(f.locals[var.0 as usize].slot, 4);
            assert_eq!(body.level, 4);
            assert_eq!(f.locals[var.0 as usize].name, "i");
        }
        k => panic!("{k:?}"),
    }
    match &f.body.stats[5].kind {
        StatKind::GenericFor {
            control,
            vars,
            body,
            ..
        } => {
            assert_eq!(f.locals[control[3].0 as usize].attrib, Attrib::Close);
            assert_eq!(f.locals[vars[1].0 as usize].slot, 6);
            assert_eq!(body.level, 5);
        }
        k => panic!("{k:?}"),
    }
    assert_eq!(f.num_slots, 7);
}

#[test]
fn attribs_and_methods() {
    let c =
        ok("local a <const>, b <close> = 1, nil\nfunction t.x.y:m(p, ...) return self, p, ... end");
    let f = &c.main;
    assert_eq!(f.locals[0].attrib, Attrib::Const);
    assert_eq!(f.locals[1].attrib, Attrib::Close);
    assert!(f.body.needs_close);
    match &f.body.stats[1].kind {
        StatKind::Function { target, func } => {
            assert_eq!(
                show(f, target),
                "(index (index (index t \"x\") \"y\") \"m\")"
            );
            assert!(func.is_method && func.is_vararg);
            assert_eq!(func.params.len(), 2);
            assert_eq!(func.locals[0].name, "self");
            assert_eq!(func.line_defined, 2);
            assert_eq!(func.last_line_defined, 2);
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn gotos_and_breaks() {
    let c = ok("while true do\n  local x\n  f(function() return x end)\n  if c then break end\n  goto continue\n  ::continue::\nend\n::top:: do goto top end\nfor i = 1, 2 do local y; goto n; ::n:: end");
    let f = &c.main;
    assert_eq!(f.gotos.len(), 4);
    assert_eq!(f.gotos[0].target, GotoTarget::Break);
    assert_eq!(f.gotos[0].line, 4);
    assert!(f.gotos[0].needs_close);
    assert_eq!(f.gotos[0].target_level, 0);
    // `::continue::` ends the block: the locals count as out of scope.
    assert_eq!(f.gotos[1].target, GotoTarget::Label(LabelId(0)));
    assert_eq!(f.gotos[1].target_level, 0);
    assert!(f.gotos[1].needs_close);
    assert_eq!(f.gotos[2].target, GotoTarget::Label(LabelId(1)));
    assert!(!f.gotos[2].needs_close);
    assert_eq!(f.labels[1].name, "top");
    assert_eq!(f.gotos[3].target_level, 4);
    assert!(!f.gotos[3].needs_close);
    // Repeated labels in sibling blocks are fine; a goto may jump to an enclosing label.
    ok("do ::a:: end ::a:: do goto a end");
    ok("repeat local x; goto l; ::l:: until x");
    ok("::a:: ::b:: goto a");
}

#[test]
fn lines_on_nodes() {
    let c = ok("x = a\n+\nb\nf(\n1)\nlocal t = {\n}");
    let f = &c.main;
    match &f.body.stats[0].kind {
        StatKind::Assign { values, .. } => assert_eq!(values[0].line, 2),
        k => panic!("{k:?}"),
    }
    assert_eq!(f.body.stats[1].line, 4);
    match &f.body.stats[1].kind {
        StatKind::Call(e) => assert_eq!(e.line, 4),
        k => panic!("{k:?}"),
    }
}

/// Differential check against messages recorded from `lua5.4`: the directory in
/// `FRONTEND_CORPUS` holds `N.lua` sources and `N.exp` files with what
/// `load(src, "@x.lua")` returned (`OK` or the message).
#[test]
#[ignore]
fn corpus() {
    let Ok(dir) = std::env::var("FRONTEND_CORPUS") else {
        return;
    };
    let mut bad = 0;
    let mut total = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "lua"))
        .collect();
    entries.sort();
    for path in entries {
        let src = std::fs::read(&path).expect("read");
        let exp = std::fs::read(path.with_extension("exp")).expect("read exp");
        let exp = String::from_utf8_lossy(&exp).into_owned();
        let got = match parse_string(&src, "@x.lua") {
            Ok(_) => "OK".to_string(),
            Err(e) => e.message,
        };
        total += 1;
        if got != exp {
            bad += 1;
            if bad <= 20 {
                eprintln!("{}:\n  lua:  {exp}\n  ours: {got}", path.display());
            }
        }
    }
    eprintln!("{bad} of {total} differ");
    assert_eq!(bad, 0);
}

/// What `return x` after `local x <const> = init` resolves `x` to.
fn const_use(init: &str) -> String {
    let c = ok(&format!("local x <const> = {init}\nreturn x"));
    match &c.main.body.stats[1].kind {
        StatKind::Return(v) => format!("{:?}", v[0].kind),
        k => panic!("{k:?}"),
    }
}

#[test]
fn compile_time_constants() {
    let k = |e: ExprKind| format!("{e:?}");
    let local = k(ExprKind::Local(LocalId(0)));
    // Folded as lua5.4's `constfolding` does.
    assert_eq!(const_use("7"), k(ExprKind::Int(7)));
    assert_eq!(const_use("-7"), k(ExprKind::Int(-7)));
    assert_eq!(const_use("(7 // 2) * 2.5"), k(ExprKind::Float(7.5)));
    assert_eq!(const_use("1 << 63"), k(ExprKind::Int(i64::MIN)));
    assert_eq!(const_use("3.0 | 1"), k(ExprKind::Int(3)));
    assert_eq!(const_use("~0"), k(ExprKind::Int(-1)));
    assert_eq!(const_use("'s'"), k(ExprKind::Str(b"s".to_vec())));
    assert_eq!(const_use("nil"), k(ExprKind::Nil));
    assert_eq!(const_use("not nil"), k(ExprKind::True));
    assert_eq!(const_use("1 and 'y'"), k(ExprKind::Str(b"y".to_vec())));
    assert_eq!(const_use("false or 2"), k(ExprKind::Int(2)));
    assert_eq!(
        const_use(&format!("{}1", "1 + ".repeat(10_000))),
        k(ExprKind::Int(10_001))
    );
    // Not folded: these stay ordinary (read-only) locals.
    for init in [
        "-0.0",
        "0.0 * 1",
        "1 // 0",
        "1 % 0.0",
        "1.5 | 0",
        "'a' .. 'b'",
        "'1' + 1",
        "#'a'",
        "1 < 2",
        "nil and 1",
        "1 or 2",
        "{}",
        "f()",
        "0/0",
    ] {
        assert_eq!(const_use(init), local, "{init}");
    }
    // Only the last name of an unadjusted list; uses in nested functions capture nothing.
    let c = ok("local a <const>, b <const> = 1, 2\nreturn function() return a, b end");
    let StatKind::Return(v) = &c.main.body.stats[1].kind else {
        panic!("return expected")
    };
    let ExprKind::Function(f) = &v[0].kind else {
        panic!("function expected")
    };
    assert_eq!(f.upvalues.len(), 1);
    assert_eq!(f.upvalues[0].name, "a");
    assert_eq!(
        err("local x <const> = 1; function x() end"),
        "x.lua:1: attempt to assign to const variable 'x'"
    );
    assert_eq!(
        err("local x <const> = 1; local function f() x = 2 end"),
        "x.lua:1: attempt to assign to const variable 'x'"
    );
}

/// The names of a proc's instructions.
fn op_names(p: &crate::bytecode::Proto) -> Vec<&'static str> {
    p.code.iter().map(|op| op.name()).collect()
}

#[test]
fn to_be_closed_code_shape() {
    use super::compile::compile_chunk;
    // `return f()` in the scope of a `<close>` local is a call then a return (lua5.4
    // closes after the results); the function's final return needs no `Close` before it.
    let m = compile_chunk(&ok("local x <close> = nil return print()")).expect("compiles");
    assert_eq!(
        op_names(&m.main),
        [
            "PushNil",
            "SetLocal",
            "Tbc",
            "GetUpField",
            "Call",
            "Return",
            "Return"
        ]
    );
    let m = compile_chunk(&ok("local x return print()")).expect("compiles");
    assert!(op_names(&m.main).contains(&"TailCall"));
    // A generic for marks its closing value and closes it after the loop; a return
    // from its body is not a tail call either.
    let m = compile_chunk(&ok("for k in next, {} do return print() end")).expect("compiles");
    let names = op_names(&m.main);
    assert!(names.contains(&"Tbc"), "{names:?}");
    assert!(!names.contains(&"TailCall"), "{names:?}");
    let tforloop = names.iter().position(|n| *n == "TForLoop").expect("loop");
    assert_eq!(names[tforloop + 1], "Close");
}
