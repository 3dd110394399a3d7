//! The register interpreter on compiled Lua snippets, compared with the stack engine and
//! with results recorded from lua5.4; plus hand-built procs.

use crate::bytecode::MULTI;
use crate::runtime::ops;
use crate::runtime::vm::{Engine, Vm};
use crate::runtime::Value;
use crate::translate::TranslateOptions;

fn select_count(vm: &mut Vm) -> Result<usize, crate::runtime::LuaError> {
    let n = vm.arg_count();
    vm.push(Value::Int(n as i64));
    Ok(1)
}

fn render(vm: &mut Vm, v: Value) -> String {
    match ops::tostring(vm, v) {
        Ok(Value::Str(s)) => String::from_utf8_lossy(vm.heap.str(s)).into_owned(),
        _ => "?".into(),
    }
}

/// Runs `src` as a chunk; its results joined by tabs, or `error: message`.
fn run_with(engine: Engine, src: &str, stress: bool) -> String {
    let module = match crate::frontend::compile(src.as_bytes(), "=test") {
        Ok(m) => m,
        Err(e) => return format!("compile error: {e}"),
    };
    let mut vm = Vm::new();
    vm.engine = engine;
    vm.heap.stress = stress;
    vm.register("count", select_count);
    let f = match vm.load_module(module) {
        Ok(f) => f,
        Err(e) => return format!("load error: {e}"),
    };
    match vm.call_value(f, &[], MULTI) {
        Ok(vals) => {
            let parts: Vec<String> = vals.into_iter().map(|v| render(&mut vm, v)).collect();
            parts.join("\t")
        }
        Err(e) => format!("error: {}", render(&mut vm, e.value)),
    }
}

fn run(src: &str) -> String {
    run_with(super::engine(), src, false)
}

/// Runs on both engines (and under GC stress, and with every pass off) and checks that
/// all agree with `want`.
fn check(src: &str, want: &str) {
    let reg = run(src);
    assert_eq!(reg, want, "register engine on:\n{src}");
    let stack = run_with(crate::stack::engine(), src, false);
    assert_eq!(stack, want, "stack engine on:\n{src}");
    assert_eq!(
        run_with(super::engine(), src, true),
        want,
        "gc stress on:\n{src}"
    );
    super::set_translate_options(TranslateOptions::NONE);
    let plain = run(src);
    super::set_translate_options(TranslateOptions::ALL);
    assert_eq!(plain, want, "no passes on:\n{src}");
}

#[test]
fn arithmetic_and_locals() {
    check(
        "local a, b = 7, 2; return a + b, a - b, a * b, a / b, a // b, a % b, a ^ b, -a, 2^63",
        "9\t5\t14\t3.5\t3\t1\t49.0\t-7\t9.2233720368548e+18",
    );
    check(
        "local x = 1.5; local y = x * 2 + 100000 - 3; return y, 7 & 3, 7 | 8, 7 ~ 1, 1 << 4, 256 >> 4, ~0",
        "100000.0\t3\t15\t6\t16\t16\t-1",
    );
    check("local a = 1; local b = a; a = 2; return a, b", "2\t1");
    check("local a, b = 1, 2; a, b = b, a; return a, b", "2\t1");
    check(
        "return 10 // 0.0, -10 % 3, 3 % -2, 5.5 // 2",
        "inf\t2\t-1\t2.0",
    );
}

#[test]
fn strings_and_comparisons() {
    check(
        "local s = 'a' .. 1 .. 'b' .. 2.0; return s, #s, 'x' < 'y', 1 < 2, 2 <= 1, 3 > 2, 3 >= 4, 1 == 1.0, 'a' ~= 'b'",
        "a1b2.0\t6\ttrue\ttrue\tfalse\ttrue\tfalse\ttrue\ttrue",
    );
    check(
        "local x = 5; local r = {}; if x > 3 then r[1] = 'gt' end; if 3 < x then r[2] = 'lt' end; if x == 5 then r[3] = 'eq' end; if x ~= 'a' then r[4] = 'ne' end; return r[1], r[2], r[3], r[4]",
        "gt\tlt\teq\tne",
    );
    check(
        "local a, b = nil, 0; return a and 1, b and 2, a or 3, b or 4, not a, not b",
        "nil\t2\t3\t0\ttrue\tfalse",
    );
}

#[test]
fn loops() {
    check(
        "local s = 0; for i = 1, 100 do s = s + i end; return s",
        "5050",
    );
    check(
        "local s = 0; for i = 10, 1, -3 do s = s * 10 + i end; return s",
        "10741",
    );
    check(
        "local s = 0; for i = 1.0, 2.0, 0.5 do s = s + i end; return s",
        "4.5",
    );
    check(
        "local n, i = 0, 0; while i < 10 do i = i + 1; if i % 2 == 0 then n = n + i end end; return n",
        "30",
    );
    check("local i = 0; repeat i = i + 1 until i >= 5; return i", "5");
    check(
        "local function iter(t, i) i = i + 1; local v = t[i]; if v then return i, v end end; local t = {10, 20, 30}; local s = 0; for k, v in iter, t, 0 do s = s + k * v end; return s",
        "140",
    );
    check(
        "for k in nil do end",
        "error: test:1: attempt to call a nil value (for iterator 'for iterator')",
    );
    check(
        "for i = 1, 'x' do end",
        "error: test:1: bad 'for' limit (number expected, got string)",
    );
}

#[test]
fn tables() {
    check(
        "local t = {1, 2, 3, x = 'a', ['y'] = 'b', [300] = 'c'}; t.z = t.x .. t.y; t[4] = #t; return t[1], t[3], t.x, t.y, t[300], t.z, t[4], #t",
        "1\t3\ta\tb\tc\tab\t3\t4",
    );
    check(
        "local t = {}; for i = 1, 300 do t[i] = i * i end; return #t, t[17], t[300]",
        "300\t289\t90000",
    );
    check(
        "local o = {v = 41}; function o:get(d) return self.v + d end; return o:get(1)",
        "42",
    );
    check(
        "local function f(...) return ... end; local t = {f(1, 2, 3)}; return #t, t[3]",
        "3\t3",
    );
}

#[test]
fn calls_recursion_and_varargs() {
    check(
        "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end; return fib(20)",
        "6765",
    );
    check(
        "local function f(...) local a, b = ...; return count(...), a, b, ... end; return f(1, nil, 3)",
        "3\t1\tnil\t1\tnil\t3",
    );
    check(
        "local function f(a, b, c) return a, b, c end; return f(1), f(1, 2, 3, 4)",
        "1\t1\t2\t3",
    );
    // Tail calls run in constant space.
    check(
        "local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + 1) end; return loop(100000, 0)",
        "100000",
    );
    check(
        "local function f() return 1, 2, 3 end; local a, b = f(); return a, b, (f())",
        "1\t2\t1",
    );
}

#[test]
fn closures_and_upvalues() {
    check(
        "local function counter() local n = 0; return function() n = n + 1; return n end end; local c = counter(); c(); c(); return c()",
        "3",
    );
    check(
        "local fs = {}; for i = 1, 3 do fs[i] = function() return i end end; return fs[1](), fs[2](), fs[3]()",
        "1\t2\t3",
    );
    check(
        "local x = 1; local function set(v) x = v end; set(5); return x",
        "5",
    );
    check(
        "local t = {}; do local a = 10; t.f = function() a = a + 1; return a end end; t.f(); return t.f()",
        "12",
    );
}

#[test]
fn globals() {
    check("x = 3; y = x * 2; return x, y, z", "3\t6\tnil");
}

#[test]
fn errors_name_variables() {
    check(
        "local t = nil; return t.x",
        "error: test:1: attempt to index a nil value (local 't')",
    );
    check(
        "return undefinedglobal.x",
        "error: test:1: attempt to index a nil value (global 'undefinedglobal')",
    );
    check(
        "local t = {}; return t.a.b",
        "error: test:1: attempt to index a nil value (field 'a')",
    );
    check(
        "local a = 1; local b = {}; return a + b",
        "error: test:1: attempt to perform arithmetic on a table value (local 'b')",
    );
    check(
        "local s = 'x'; local n = nil; return s .. n",
        "error: test:1: attempt to concatenate a nil value (local 'n')",
    );
    check(
        "nofunc()",
        "error: test:1: attempt to call a nil value (global 'nofunc')",
    );
    check(
        "local a = {}; return a < 1",
        "error: test:1: attempt to compare table with number",
    );
    check(
        "local x\nlocal y = 2\nreturn y + x",
        "error: test:3: attempt to perform arithmetic on a nil value (local 'x')",
    );
}

#[test]
fn counts_instructions() {
    let module =
        crate::frontend::compile(b"local s = 0 for i = 1, 10 do s = s + i end return s", "=t")
            .unwrap();
    let mut vm = Vm::new();
    vm.engine = super::engine();
    let f = vm.load_module(module).unwrap();
    let r = vm.call_value(f, &[], 1).unwrap();
    assert!(matches!(r[0], Value::Int(55)));
    assert!(vm.counters.instructions > 10 && vm.counters.instructions < 60);
}

#[test]
fn hand_built_sum_loop() {
    use crate::translate::build::module;
    let mut main = crate::translate::tests::sum_loop();
    main.upvals = vec![crate::bytecode::UpvalDesc {
        in_parent_local: false,
        index: 0,
        name: "_ENV".into(),
    }];
    let mut vm = Vm::new();
    vm.engine = super::engine();
    let f = vm.load_module(module(main)).unwrap();
    let r = vm.call_value(f, &[Value::Int(10)], 1).unwrap();
    assert!(matches!(r[0], Value::Int(55)));
}

#[test]
fn fused_not_and_break_jumps() {
    check(
        "local n = 0; for i = 1, 10 do if not (i % 3 == 0) then n = n + 1 end end; return n",
        "7",
    );
    check(
        "local t = {}; t[2] = true; local c = 0; for i = 1, 3 do if not t[i] then c = c + 1 end end; return c",
        "2",
    );
    check(
        "local i = 0; while true do i = i + 1; if i > 5 then break end end; return i",
        "6",
    );
    check(
        "local i, s = 0, 0; while i < 100 do i = i + 1; if i % 7 == 0 then break end; s = s + i end; return i, s",
        "7\t21",
    );
    check(
        "local n = 0; for i = 1, 5 do if not (i > 2) then else n = n + i end end; return n",
        "12",
    );
}
