//! The JIT engine on compiled snippets, compared with the register interpreter, with
//! counter checks showing each path is taken.

use crate::bytecode::MULTI;
use crate::runtime::ops;
use crate::runtime::vm::{Counters, Engine, Vm};
use crate::runtime::Value;

fn render(vm: &mut Vm, v: Value) -> String {
    match ops::tostring(vm, v) {
        Ok(Value::Str(s)) => String::from_utf8_lossy(vm.heap.str(s)).into_owned(),
        _ => "?".into(),
    }
}

/// Runs `src` as a chunk; its results joined by tabs (or `error: message`) and the counters.
fn run_with(engine: Engine, src: &str, stress: bool) -> (String, Counters) {
    let module = match crate::frontend::compile(src.as_bytes(), "=test") {
        Ok(m) => m,
        Err(e) => return (format!("compile error: {e}"), Counters::default()),
    };
    let mut vm = Vm::new();
    vm.engine = engine;
    vm.heap.stress = stress;
    crate::stdlib::open_libs(&mut vm);
    let f = match vm.load_module(module) {
        Ok(f) => f,
        Err(e) => return (format!("load error: {e}"), Counters::default()),
    };
    let out = match vm.call_value(f, &[], MULTI) {
        Ok(vals) => {
            let parts: Vec<String> = vals.into_iter().map(|v| render(&mut vm, v)).collect();
            parts.join("\t")
        }
        Err(e) => format!("error: {}", render(&mut vm, e.value)),
    };
    (out, vm.counters)
}

/// Runs on the jit engine at `threshold` and on the register interpreter; checks they
/// agree (also under GC stress) and returns the jit run's counters.
fn check_at(threshold: u32, src: &str, want: &str) -> Counters {
    super::set_threshold(threshold);
    let (reg, _) = run_with(crate::interp::engine(), src, false);
    assert_eq!(reg, want, "register engine on:\n{src}");
    let (jit, counters) = run_with(super::engine(), src, false);
    assert_eq!(jit, want, "jit engine on:\n{src}");
    let (stress, _) = run_with(super::engine(), src, true);
    assert_eq!(stress, want, "jit engine under gc stress on:\n{src}");
    counters
}

fn check(src: &str, want: &str) -> Counters {
    check_at(0, src, want)
}

#[test]
fn arithmetic_and_loops_run_natively() {
    let c = check(
        "local function f(n) local s = 0 for i = 1, n do s = s + i * 2 - 1 end return s end
         return f(10), f(0), f(100)",
        "100\t0\t10000",
    );
    assert!(c.procs_compiled >= 2, "{c:?}");
    assert!(c.native_entries >= 3, "{c:?}");
    let c = check(
        "local function g(a, b) return a / b, a // b, a % b, -a end
         local x1, x2, x3, x4 = g(7, 2)
         local y1, y2, y3, y4 = g(-7, 2)
         local z1, z2, z3, z4 = g(7.5, 2)
         return x1, x2, x3, x4, y1, y2, y3, y4, z1, z2, z3, z4",
        "3.5\t3\t1\t-7\t-3.5\t-4\t1\t7\t3.75\t3.0\t1.5\t-7.5",
    );
    assert!(c.procs_compiled >= 2, "{c:?}");
}

#[test]
fn comparisons_and_tests() {
    check(
        "local function cmp(a, b)
           local r = 0
           if a < b then r = r + 1 end
           if a <= b then r = r + 10 end
           if a == b then r = r + 100 end
           if a > 3 then r = r + 1000 end
           if a ~= 5 then r = r + 10000 end
           if not (a >= 2) then r = r + 100000 end
           return r
         end
         local function lt(a, b) return a < b, a <= b, a == b end
         return cmp(1, 2), cmp(2, 2), cmp(5, 1), cmp(1.5, 2.5), cmp(4.0, 4.0), lt('a', 'b')",
        "110011\t10110\t1000\t110011\t11110\ttrue\ttrue\tfalse",
    );
    check(
        "local function lt(a, b) return a < b end return lt(1, 2), lt(1, 'x')",
        "error: test:1: attempt to compare number with string",
    );
    check(
        "local function t(x, y) return x and y, x or y, not x end
         local a, b, c = t(nil, 1)
         local d, e, f = t(false, 2)
         local g, h, i = t(3, 4)
         return a, b, c, d, e, f, g, h, i",
        "nil\t1\ttrue\tfalse\t2\ttrue\t4\t3\tfalse",
    );
}

#[test]
fn guard_exits_fall_back_to_the_interpreter() {
    let c = check(
        "local function add(a, b) return a + b end
         local r1 = add(1, 2)
         local r2 = add(1.5, 2)
         local r3 = add('10', 5)
         return r1, r2, r3",
        "3\t3.5\t15",
    );
    assert!(c.guard_exits >= 2, "{c:?}");
    check(
        "local function add(a, b) return a + b end return add(1, 2) + add({}, 1)",
        "error: test:1: attempt to perform arithmetic on a table value (local 'a')",
    );
    let c = check(
        "local function d(a, b) return a // b end return d(7, 2) + d(1, 0)",
        "error: test:1: attempt to divide by zero",
    );
    assert!(c.guard_exits >= 1, "{c:?}");
}

#[test]
fn table_access_through_helpers() {
    let before = super::helper_calls();
    let c = check(
        "local function fill(t, n) for i = 1, n do t[i] = i * i end return t end
         local function sum(t) local s = 0 for i = 1, #t do s = s + t[i] end return s end
         local t = fill({}, 10)
         local u = {x = 1}
         local function f(u) u.y = u.x + 1; u[1] = 5; return u.y + u[1] end
         return sum(t), f(u), t[3]",
        "385\t7\t9",
    );
    assert!(c.procs_compiled >= 3, "{c:?}");
    assert!(super::helper_calls() > before);
}

#[test]
fn recursion_and_upvalues() {
    let c = check(
        "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
         local count = 0
         local function inc() count = count + 1 return count end
         inc() inc()
         return fib(20), inc()",
        "6765\t3",
    );
    // Calls made by compiled code itself count only with dynamic counters on
    // (`native::CallLayout::count_calls`; see `calls_counted_with_dyn_counters`).
    assert!(c.calls >= 1 && c.native_entries >= 1, "{c:?}");
    check(
        "function gfib(n) if n < 2 then return n end return gfib(n - 1) + gfib(n - 2) end
         return gfib(15)",
        "610",
    );
}

#[test]
fn native_calls_nest_propagate_errors_and_stay_bounded() {
    check(
        "local function f(x) return x + 1 end
         local function g(x) return f(x) * 2 end
         return g(1) + g({})",
        "error: test:1: attempt to perform arithmetic on a table value (local 'x')",
    );
    check(
        "local function d(n) if n == 0 then return 0 end return 1 + d(n - 1) end
         return d(5000)",
        "5000",
    );
    check(
        "local function v(...) return ... end
         local function w(a) local x, y = v(a, a + 1) return x + y end
         return w(3), w(4.5)",
        "7\t10.0",
    );
}

#[test]
fn osr_enters_a_running_loop() {
    let c = check_at(
        100,
        "local s = 0
         for i = 1, 100000 do s = s + i end
         local j, t = 0, 0
         while j < 1000 do j = j + 1; t = t + j * 2 end
         return s, t",
        "5000050000\t1001000",
    );
    assert!(c.osr_entries >= 1, "{c:?}");
    assert!(c.procs_compiled == 1, "{c:?}");
    // Most iterations ran natively: far fewer instructions were interpreted.
    assert!(c.instructions < 10_000, "{c:?}");
}

#[test]
fn float_loops_and_errors_match() {
    check(
        "local function f() local s = 0 for x = 1, 2, 0.5 do s = s + x end return s end
         return f()",
        "4.5",
    );
    check(
        "local function f(n) for i = 1, n, 0 do end end return f(3)",
        "error: test:1: 'for' step is zero",
    );
}

#[test]
fn lowers_and_compiles_for_aarch64() {
    let module = crate::frontend::compile(
        b"local t = {1, 2} local s = 0 for i = 1, 100 do s = s + i * 2 + t[2] t[1] = s end return s",
        "=test",
    )
    .expect("compiles");
    let code =
        crate::translate::translate_proto(&module.main, crate::translate::TranslateOptions::ALL)
            .expect("translates");
    let consts: Vec<Value> = module
        .main
        .consts
        .iter()
        .chain(code.extra_consts.iter())
        .map(|c| match c {
            crate::bytecode::Constant::Int(i) => Value::Int(*i),
            crate::bytecode::Constant::Float(f) => Value::Float(*f),
            _ => Value::Nil,
        })
        .collect();
    // With the inline table paths (the layout of this build, as a stand-in).
    let layouts = super::lower::Layouts {
        table: super::native::table_layout(&Vm::new()),
        ..Default::default()
    };
    assert!(layouts.table.is_some());
    let lowered = super::lower::lower(
        &code,
        &consts,
        "loop",
        layouts,
        None,
        super::spec::Policy {
            arith: true,
            reads: true,
            loops: true,
        },
    )
    .expect("lowers");
    assert!(lowered.entries.iter().any(|e| e.osr));
    let bytes = apogee_jit::compile_for_target(&lowered.func, "aarch64-unknown-linux-gnu")
        .expect("aarch64 code");
    assert!(!bytes.is_empty());
}

/// `fib(27)` on the register and jit engines (run with
/// `cargo test --release --lib tier::tests::bench_fib -- --ignored --nocapture`).
#[test]
#[ignore]
fn bench_fib() {
    let fib = "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
               return fib(27)";
    let sum = "local s = 0 for i = 1, 10000000 do s = s + i % 7 * 2 end return s";
    super::set_threshold(super::DEFAULT_THRESHOLD);
    for (what, src) in [("fib(27)", fib), ("loop 1e7", sum)] {
        for (name, engine) in [
            ("register", crate::interp::engine()),
            ("jit", super::engine()),
        ] {
            let start = std::time::Instant::now();
            let (out, c) = run_with(engine, src, false);
            eprintln!("{name}: {what} = {out} in {:?} ({c:?})", start.elapsed());
        }
    }
}

#[test]
fn compiled_callees_are_called_natively() {
    let before = super::native_calls();
    let c = check(
        "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
         local function add3(a, b, c) return a + b + c end
         local function none() end
         local function two(x) return x, x * 2 end
         local s = 0
         for i = 1, 50 do s = s + add3(i, 1, 2) end
         local p, q = two(21)
         local r1, r2, r3 = two(5)
         return fib(20), s, none(), p, q, r1, r2, r3",
        "6765\t1425\tnil\t21\t42\t5\t10\tnil",
    );
    let fast = super::native_calls() - before;
    // Nearly all of fib's 21890 calls go natively (each run above counts).
    assert!(fast >= 20_000, "native calls: {fast} {c:?}");
    // Calls with an argument count other than the parameter count take the general path.
    check(
        "local function f(a, b) return b end
         local function g() local x = f(1) local y = f(1, 2, 3) return x, y end
         return g()",
        "nil\t2",
    );
}

#[test]
fn errors_inside_native_calls_have_the_callees_position() {
    // The error is raised at line 2, inside `inner`, called natively by `outer`.
    check(
        "local function inner(t)
           return t.x + 1
         end
         local function outer(t) return inner(t) * 2 end
         local ok = outer({x = 1})
         return ok, outer({})",
        "error: test:2: attempt to perform arithmetic on a nil value (field 'x')",
    );
    check(
        "local function inner(n) if n == 0 then error('boom') end return inner(n - 1) end
         local function outer(n) return inner(n) end
         local ok, e = pcall(outer, 10)
         local ok2, e2 = pcall(outer, 3)
         return ok, e, ok2, e2, outer == outer",
        "false\ttest:1: boom\tfalse\ttest:1: boom\ttrue",
    );
    // A pcall inside a native call chain, and the chain going on after it.
    check(
        "local function bad(x) return x.y.z end
         local function guarded(x) local ok, e = pcall(bad, x) return ok and 1 or 0 end
         local function chain(n) if n == 0 then return guarded({}) end return chain(n - 1) + 1 end
         return chain(30)",
        "30",
    );
}

/// With dynamic counters on (`--stats`), every call counts, the inline ones of compiled
/// code included: the jit engine reports the interpreter's figure.
#[test]
fn calls_counted_with_dyn_counters() {
    super::set_threshold(0);
    let src = "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
               return fib(20)";
    let calls = |engine: Engine| {
        let module = crate::frontend::compile(src.as_bytes(), "=calls").expect("compiles");
        let mut vm = Vm::new();
        vm.engine = engine;
        vm.collect_dyn_counters(true);
        crate::stdlib::open_libs(&mut vm);
        let f = vm.load_module(module).expect("loads");
        let before = super::native_calls();
        let out = vm.call_value(f, &[], MULTI).expect("runs");
        assert_eq!(
            out.first().map(|v| render(&mut vm, *v)).as_deref(),
            Some("6765")
        );
        (vm.counters.calls, super::native_calls() - before)
    };
    let (interp, _) = calls(crate::interp::engine());
    let (jit, inline) = calls(super::engine());
    assert!(inline >= 20_000, "inline calls: {inline}");
    assert_eq!(jit, interp);
}

#[test]
fn tracebacks_see_natively_pushed_frames() {
    super::set_threshold(0);
    // The first calls compile the procs; the third goes natively down to `c`.
    let src = "local function c(x) if x > 2 then return x + nil end return x end
               local function b(x) return c(x) + 1 end
               local function a(x) return b(x) + 1 end
               return a(1) + a(2) + a(3)";
    let module = crate::frontend::compile(src.as_bytes(), "=tb").expect("compiles");
    let mut vm = Vm::new();
    vm.engine = super::engine();
    crate::stdlib::open_libs(&mut vm);
    let f = vm.load_module(module).expect("loads");
    let before = super::native_calls();
    let err = crate::host::run_main(&mut vm, f, &[]).expect_err("raises");
    assert!(super::native_calls() > before);
    let msg = render(&mut vm, err.value);
    assert_eq!(msg, "tb:1: attempt to perform arithmetic on a nil value");
    let tb = err.traceback.unwrap_or_default();
    let lines: Vec<&str> = tb.lines().collect();
    let want = ["tb:1: in ", "tb:2: in ", "tb:3: in ", "tb:4: in "];
    let mut at = 0;
    for l in &lines {
        if at < want.len() && l.trim_start().starts_with(want[at]) {
            at += 1;
        }
    }
    assert_eq!(at, want.len(), "traceback:\n{tb}");
}

#[test]
fn deep_native_recursion_is_bounded_and_overflows_cleanly() {
    // Much deeper than the native nesting bound: the rest runs in the interpreter.
    check(
        "local function d(n) if n == 0 then return 0 end return 1 + d(n - 1) end
         return d(20000)",
        "20000",
    );
    // Unbounded recursion ends with Lua's error, caught by pcall.
    check(
        "local function inf(n) return inf(n + 1) + 1 end
         local ok, e = pcall(inf, 1)
         return ok, string.find(e, 'stack overflow') ~= nil",
        "false\ttrue",
    );
}

#[test]
fn fused_upvalue_calls_exit_and_rebind_correctly() {
    // `f(x - 1)` fuses `GetUpval f` into the call; a failing guard on `x - 1` exits at
    // the `GetUpval` and the interpreter redoes the sequence.
    check(
        "local function f(n) return n * 2 end
         local function g(x) return f(x - 1) end
         local a, b, c = g(5), g('7'), g(2.5)
         f = function(n) return n + 100 end
         return a, b, c, g(1)",
        "8\t12\t3.0\t100",
    );
    check(
        "local function f(n) return n end
         local function g(x) return f(x - 1) end
         return g(1), g({})",
        "error: test:2: attempt to perform arithmetic on a table value (local 'x')",
    );
    // The upvalue is not a function: the general path raises the call error.
    check(
        "local f = 1
         local function g(x) return f(x) end
         return pcall(g, 1)",
        "false\ttest:2: attempt to call a number value (upvalue 'f')",
    );
}

#[test]
fn pow_bitwise_len_and_float_loops_run_natively() {
    let c = check(
        "local function f(n)
           local s, b, l = 0.0, 0, 0
           for x = 0.5, n, 0.25 do s = s + x ^ 2 + 2 ^ 0.5 end
           for x = n, 1, -0.5 do s = s - x end
           for i = 1, 20 do b = b ~ (i << 3) | (i >> 1) & 7 ~ ~i end
           local t, str = {1, 2, 3, 4}, 'hello'
           for i = 1, 10 do l = l + #t + #str end
           return s, b, l, 1 << 64, 1 >> -1, (-1) >> 60, 3 ^ -1
         end
         return f(10)",
        "1334.3418289326\t-1\t90\t0\t2\t15\t0.33333333333333",
    );
    assert!(c.instructions < 200, "mostly native: {c:?}");
    check(
        "local function f(x) return x & 1 end
         local a = f(3)
         return a, f(2.0), pcall(f, 1.5)",
        "1\t0\tfalse\ttest:1: number (local 'x') has no integer representation",
    );
    check(
        "local function f(x) return #x end return f('abc'), pcall(f, 5)",
        "3\tfalse\ttest:1: attempt to get length of a number value (local 'x')",
    );
}

#[test]
fn value_layout_matches_the_jit_abi() {
    assert!(super::native::layout_matches_abi());
}

/// Helper calls made by the jit engine (threshold 0) running `src`, which must return
/// `want`.
fn helpers_for(src: &str, want: &str) -> u64 {
    super::set_threshold(0);
    let before = super::helper_calls();
    let (out, _) = run_with(super::engine(), src, false);
    assert_eq!(out, want, "jit engine on:\n{src}");
    super::helper_calls() - before
}

/// `src` with `N` replaced by `small` and by `big`: the helper calls must not grow with
/// `N` (the loop's table accesses are inline), and both engines must agree.
fn assert_inline(src: &str, small: (u32, &str), big: (u32, &str)) {
    let (s, b) = (
        src.replace('N', &small.0.to_string()),
        src.replace('N', &big.0.to_string()),
    );
    check(&s, small.1);
    check(&b, big.1);
    let (hs, hb) = (helpers_for(&s, small.1), helpers_for(&b, big.1));
    assert!(
        hb <= hs + 2,
        "helper calls grow with N ({hs} -> {hb}):\n{src}"
    );
}

#[test]
fn table_layout_is_found() {
    let vm = Vm::new();
    let l = super::native::table_layout(&vm);
    assert!(
        l.is_some(),
        "table layout not determined: no inline table access"
    );
}

#[test]
fn array_access_is_inline() {
    // GetTable/SetTable with integer keys in the array part.
    assert_inline(
        "local t = {1, 2, 3, 4, 5, 6, 7, 8}
         local s = 0
         for r = 1, N do for i = 1, 8 do t[i] = t[i] + 1; s = s + t[i] end end
         return s, t[8]",
        (10, "800\t18"),
        (1000, "4040000\t1008"),
    );
    // GetI/SetI, a value of every kind copied in and out.
    assert_inline(
        "local t = {1, 2.5, 'x', false, {}}
         local n = 0
         for r = 1, N do
           t[1] = t[1] + 1; t[2] = t[2] * 1; t[3] = t[3]; t[4] = not t[4]; t[5] = t[5]
           if t[4] then n = n + 1 end
         end
         return t[1], t[2], t[3], t[4], n, type(t[5])",
        (10, "11\t2.5\tx\tfalse\t5\ttable"),
        (1001, "1002\t2.5\tx\ttrue\t501\ttable"),
    );
}

#[test]
fn field_access_is_inline() {
    assert_inline(
        "local o = {x = 1, y = 2.0, z = 'z', a = 1, b = 2, c = 3, d = 4, e = 5, f = 6}
         for r = 1, N do o.x = o.x + o.y; o.z = o.z; o.f = o.e + o.d end
         return o.x, o.z, o.f",
        (10, "21.0\tz\t9"),
        (1000, "2001.0\tz\t9"),
    );
    // Fields found in an object with a metatable are read and written in place.
    assert_inline(
        "local C = {__index = {get = 1}}
         local o = setmetatable({v = 0}, C)
         for r = 1, N do o.v = o.v + 1 end
         return o.v, o.get",
        (10, "10\t1"),
        (1000, "1000\t1"),
    );
}

#[test]
fn inline_table_fallbacks_match_the_interpreter() {
    // Holes, misses and metamethods.
    check(
        "local log = {}
         local mt = {__index = function(t, k) return 'idx' .. tostring(k) end,
                     __newindex = function(t, k, v) log[#log + 1] = tostring(k); rawset(t, k, v) end}
         local t = setmetatable({1, nil, 3, a = 1}, mt)
         local function f(t)
           local r = {}
           r[1] = t[1]; r[2] = t[2]; r[3] = t.a; r[4] = t.b; r[5] = t[9]
           t[1] = 10; t[2] = 20; t.a = 2; t.b = 3; t[9] = 9
           t.a = nil; t.a = 5
           return table.concat(r, ','), table.concat(log, ','), t[1], t[2], t.a, t.b, t[9]
         end
         return f(t)",
        "1,idx2,1,idxb,idx9\t2,b,9,a\t10\t20\t5\t3\t9",
    );
    // Float keys, growth, non-array integer keys, strings as keys in registers,
    // non-tables.
    check(
        "local function f(t, k)
           t[1.0] = 'one'; t[2.5] = 'half'; t[#t + 1] = 'grow'; t[-1] = 'neg'; t[k] = 'k'
           t[100] = 'far'
           return t[1], t[2.5], t[2], t[-1], t.key, t[k], t[100], #t
         end
         return f({}, 'key')",
        "one\thalf\tgrow\tneg\tk\tk\tfar\t2",
    );
    check(
        "local function f(s) return type(s.len), s[1] end return f('abc')",
        "function\tnil",
    );
    check(
        "local function f(t) return t.x.y end return f({x = 1})",
        "error: test:1: attempt to index a number value (field 'x')",
    );
    check(
        "local function f(t) t[nil] = 1 end return pcall(f, {})",
        "false\ttest:1: table index is nil",
    );
    // Many colliding keys: the probe gives up after a few nodes and the helper answers.
    let mut src = String::from("local t = {} for i = 1, 200 do t['k' .. i] = i end local s = 0\n");
    src.push_str("for r = 1, 3 do s = s + t.k1 + t.k77 + t.k200 end t.k5 = nil return s, t.k5");
    check(&src, "834\tnil");
}

#[test]
fn compiled_table_stores_respect_the_memory_limit() {
    let src = "local t = {} for i = 1, 10000000 do t[i] = i end return #t";
    super::set_threshold(0);
    for engine in [crate::interp::engine(), super::engine()] {
        let module = crate::frontend::compile(src.as_bytes(), "=test").expect("compiles");
        let mut vm = Vm::new();
        vm.engine = engine;
        crate::stdlib::open_libs(&mut vm);
        vm.heap.set_limit(Some(4 << 20));
        let f = vm.load_module(module).expect("loads");
        let r = vm.call_value(f, &[], MULTI);
        let msg = match r {
            Ok(_) => "no error".to_string(),
            Err(e) => render(&mut vm, e.value),
        };
        assert_eq!(msg, "not enough memory", "engine {}", engine.name);
    }
}

#[test]
fn procs_that_keep_exiting_go_back_to_the_interpreter() {
    // `mk` exits at its `NewTable` on every call: after a few dozen exits it is no longer
    // entered; `sum` (no exits) stays native.
    let c = check(
        "local function mk(x) local t = {x} return t[1] end
         local function sum(n) local s = 0 for i = 1, n do s = s + i end return s end
         local s = 0
         for i = 1, 5000 do s = s + mk(i) + sum(3) end
         return s",
        "12532500",
    );
    assert!(c.guard_exits < 1000, "{c:?}");
    let before = super::native_calls();
    check(
        "local function sum(n) local s = 0 for i = 1, n do s = s + i end return s end
         local s = 0
         for i = 1, 5000 do s = s + sum(3) end
         return s",
        "30000",
    );
    assert!(super::native_calls() - before >= 5000);
}

#[test]
fn math_sqrt_is_inline_and_falls_back() {
    assert_inline(
        "local s = 0.0 for i = 1, N do s = s + math.sqrt(4) + math.sqrt(2.25) end return s",
        (10, "35.0"),
        (1000, "3500.0"),
    );
    check(
        "local function f(x) return math.sqrt(x) end
         local a, b = f('16'), pcall(f, {})
         local sq = math.sqrt
         math.sqrt = function(x) return -x end
         local c = f(9)
         math.sqrt = sq
         return a, b, c, f(-1) ~= f(-1), f(2 ^ 1024)",
        "4.0\tfalse\t-9\ttrue\tinf",
    );
}

#[test]
fn operand_type_paths_match_the_interpreter() {
    // int/int, float/float, int/float and float/int, constants of both kinds, a string
    // operand (exit: coercion in the interpreter), NaN, and floats vs immediates.
    check(
        r"local function ar(a, b) return a + b, a - b, a * b, a / b, a // b, a % b, a ^ b end
local function cmp(a, b) return a < b, a <= b, a == b, a > 3, a >= -2, a < 2.5 end
local r = {}
for _, p in ipairs({{7, 2}, {7.5, 2.0}, {7, 2.5}, {7.5, 2}, {'7', 2}, {-3, 2.0}}) do
  local a, b = p[1], p[2]
  r[#r + 1] = table.concat({ar(a, b)}, ',')
  if type(a) == 'number' then
    local c = {cmp(a, b)}
    for i = 1, #c do c[i] = tostring(c[i]) end
    r[#r + 1] = table.concat(c, ',')
  end
end
local nan = 0/0
r[#r + 1] = tostring(nan < 1) .. tostring(nan <= 1.5) .. tostring(nan == nan) .. tostring(nan > 3)
local s = 0.5 for i = 1, 10 do s = s * 2 + i - 1.5 end
return table.concat(r, ' '), s",
        "9,5,14,3.5,3,1,49.0 false,false,false,true,true,false 9.5,5.5,15.0,3.75,3.0,1.5,56.25 false,false,false,true,true,false 9.5,4.5,17.5,2.8,2.0,2.0,129.64181424216 false,false,false,true,true,false 9.5,5.5,15.0,3.75,3.0,1.5,56.25 false,false,false,true,true,false 9,5,14,3.5,3,1,49.0 -1.0,-5.0,-6.0,-1.5,-2.0,1.0,9.0 true,true,false,false,false,true falsefalsefalsefalse\t1013.5",
    );
}

#[test]
fn appends_are_inline_and_fall_back() {
    // Appends within capacity are inline: helper calls only when the array grows.
    let src = "local t = {} for i = 1, 100000 do t[i] = i * 2 end return #t, t[100000]";
    check(src, "100000\t200000");
    let h = helpers_for(src, "100000\t200000");
    assert!(h < 200, "{h} helper calls for 100000 appends");
    // Fallbacks: `__newindex` on a metatable, later keys waiting in the hash part, nil,
    // non-integer keys, and a constant key (`SetI`).
    check(
        "local log = {}
         local m = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v) end})
         for i = 1, 5 do m[i] = i end
         local h = {}
         h[4] = 'd'; h[5] = 'e'
         for i = 1, 3 do h[i] = i end
         local n = {1, 2}
         n[3] = nil
         for i = 1, 3 do n[#n + 1] = i end
         local f = {}
         for i = 1, 3 do f[i + 0.0] = i end
         local c = {}
         c[1] = 'x'; c[2] = 'y'
         return table.concat(log, ','), #h, h[5], #n, n[5], #f, f[3], #c, c[2]",
        "1,2,3,4,5\t5\te\t5\t3\t3\t3\t2\ty",
    );
}

#[test]
fn known_tags_skip_checks_and_entries_check_them() {
    // `x * 1.0` is a float whenever native code continues past it, so loop headers
    // assume a float `x`; a metamethod in the interpreter makes it a table, and the
    // entries at the loop header must then exit instead of reading it as a float.
    check(
        "local t = setmetatable({}, {__mul = function(a, b) return a end})
         local x, n, s = 1.0, 0, 0
         for i = 1, 200 do
           if i == 100 then x = t end
           x = x * 1.0
           if x == t then n = n + 1 end
         end
         for i = 1, 10 do s = s + i * 2 // 3 + i / 2 end
         local y = 0.5
         while y < 1000 do y = y * 2 + 1 end
         return n, x == t, s, y",
        "101\ttrue\t60.5\t1535.0",
    );
}

/// A site speculated on from type feedback (`spec`) whose kind changes: the guard exits,
/// the interpreter redoes the instruction, and code that keeps exiting is recompiled
/// (here `f` twice: integer speculation, then floats with less speculation; the read in
/// `g`, speculated float, once). Results stay the interpreter's.
#[test]
fn failed_speculation_exits_and_recompiles() {
    let c = check_at(
        10,
        "local function f(a, b) return a * b + a end
         local s = 0
         for i = 1, 200 do s = s + f(i, 3) end
         for i = 1, 400 do s = s + f(i + 0.5, 3) end
         for i = 1, 200 do s = s + f(i, 3) end
         local t = {x = 1.5}
         local function g(o) return o.x * 2 end
         local u = 0
         for i = 1, 300 do u = u + g(t) end
         t.x = 2
         for i = 1, 300 do u = u + g(t) end
         return s, u",
        "482400.0\t2100.0",
    );
    assert!(c.guard_exits > 0, "{c:?}");
    assert!(c.procs_compiled >= 5, "{c:?}");
}

/// The plain register engine records no type feedback; the JIT engine compiles a hot
/// float function on its feedback, which then never fails.
#[test]
fn feedback_is_recorded_only_by_the_jit_engine() {
    let src = "local function f(x) return x * 0.5 + 1.0 end
               local s = 0 for i = 1, 100 do s = s + f(i + 0.25) end return s";
    let module = crate::frontend::compile(src.as_bytes(), "=test").expect("compiles");
    let mut vm = Vm::new();
    vm.engine = crate::interp::engine();
    crate::stdlib::open_libs(&mut vm);
    let f = vm.load_module(module).expect("loads");
    vm.call_value(f, &[], MULTI).expect("runs");
    let Value::LuaFn(c) = f else {
        panic!("not a Lua function")
    };
    let proto = vm.heap.get(c).proto;
    assert!(vm.heap.get(proto).ext.feedback.get().is_none());
    let c = check_at(10, src, "2637.5");
    assert_eq!(c.guard_exits, 0, "{c:?}");
}

#[test]
fn integer_loops_are_speculated_and_float_loops_fall_back() {
    // `sum`'s loop is compiled as an integer loop (its bounds are parameters): float
    // bounds exit at its `ForPrep`, and a float loop already running in the interpreter
    // cannot enter it by OSR (the header's entry checks the integer facts).
    let src =
        "local function sum(a, b, c) local s = 0 for i = a, b, c do s = s + i end return s end
         local r = 0
         for k = 1, 10 do r = r + sum(0.5, 200.5, 1) + sum(1, 200, 1) + sum(10, 1.5, -2) end
         local function g(a) local s = 0 for x = a, 3000 do s = s + x end return s end
         local function h(a) local s = 0 for x = 1, 3000, a do s = s + x end return s end
         return r, g(0.5), g(1), h(1), h(1.5)";
    let want = "403305.0\t4500000.0\t4501500\t4501500\t3000500.0";
    for t in [0, 2, 10, 50] {
        check_at(t, src, want);
    }
    // A loop whose bounds are known integers has no counter tag checks at all: its
    // header's only facts are the loop's own slots.
    let facts = |src: &str| {
        let module = crate::frontend::compile(src.as_bytes(), "=test").expect("compiles");
        let mut vm = Vm::new();
        crate::stdlib::open_libs(&mut vm);
        let f = vm.load_module(module).expect("loads");
        let Value::LuaFn(c) = f else {
            panic!("not a Lua function")
        };
        let p = vm.heap.get(vm.heap.get(c).proto);
        let code =
            crate::translate::translate_proto(&p.bc, crate::translate::TranslateOptions::ALL)
                .expect("translates");
        let words: Vec<u32> = code
            .code
            .iter()
            .map(|&w| crate::isa::unfuse_word(w))
            .collect();
        super::types::infer(&words, &p.consts, usize::from(code.frame_size), &[], true)
    };
    let f = facts("local t = {} for i = 2, 10 do for j = i * i, 100, i do t[j] = true end end");
    let kinds: Vec<_> = f
        .kinds
        .iter()
        .filter(|k| **k != super::types::LoopKind::Dyn)
        .collect();
    assert_eq!(kinds, [&super::types::LoopKind::Int; 4]);
    let f = facts("local s = 0 for x = 1, 10, 0.5 do s = s + x end");
    assert!(f.kinds.contains(&super::types::LoopKind::Float));
}

#[test]
fn length_is_inline_and_matches_the_interpreter() {
    assert_inline(
        "local t, s = {1, 2, 3}, 0 for i = 1, N do s = s + #t end return s",
        (10, "30"),
        (1000, "3000"),
    );
    // Borders of tables with holes are whatever `Table::len` says: the inline path must
    // agree with the interpreter on every shape (array ending in nil, holes inside,
    // keys continuing in the hash part, emptied arrays).
    let src = "local function len(t) return #t end
         local r = {}
         local shapes = {
           {1, 2, nil, 4}, {1, nil, 3}, {nil, nil, 3}, {1, 2, 3, nil, nil}, {},
         }
         local h = {} for i = 1, 8 do h[i] = i end h[4] = nil h[8] = nil
         shapes[#shapes + 1] = h
         local k = {1, 2} k[3] = 3 k[5] = 5 k[4] = 4
         shapes[#shapes + 1] = k
         local e = {1, 2, 3} for i = 3, 1, -1 do e[i] = nil end
         shapes[#shapes + 1] = e
         for _, t in ipairs(shapes) do r[#r + 1] = len(t) end
         return table.concat(r, ',')";
    let (want, _) = run_with(crate::interp::engine(), src, false);
    check(src, &want);
}

/// Code is not entered where it would exit at once (an instruction it does not
/// implement, here `NewTable` at pc 0), and leaving at such an instruction after making
/// progress is not a failure: a hot function that starts by making a table and then
/// loops stays native (entered by OSR at its loop on every call), without backing off.
#[test]
fn planned_exits_do_not_back_off() {
    let c = check_at(
        5,
        "local function f(n)
           local t = {}
           for i = 1, n do t[i] = i * 2 end
           local s = 0
           for i = 1, n do s = s + t[i] end
           return s
         end
         local total = 0
         for _ = 1, 500 do total = total + f(100) end
         return total",
        "5050000",
    );
    assert_eq!(c.guard_exits, 0, "{c:?}");
    assert!(c.osr_entries >= 400, "{c:?}");
}

/// A loop compiled as an integer loop on unknown bounds (`types::LoopKind`) that keeps
/// getting float bounds exits at its `ForPrep` until the proc is recompiled; the
/// recompiled code no longer assumes integer loops and runs the float loop natively.
#[test]
fn float_loops_recompile_without_the_integer_assumption() {
    let c = check_at(
        5,
        "local function f(a, b) local s = 0 for x = a, b do s = s + x end return s end
         local t = 0
         for _ = 1, 1000 do t = t + f(0.5, 10.5) end
         return t",
        "60500.0",
    );
    assert!(c.guard_exits < 100, "{c:?}");
    assert!(c.procs_compiled >= 3, "{c:?}");
}
