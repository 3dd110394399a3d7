//! Hand-written IR compiled for the host and run on fake register windows.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

mod common;

use apogee_jit::abi::{ExitCode, JitContext, Slot, TAG_BOOL, TAG_FLOAT, TAG_INT, TAG_NIL};
use apogee_jit::ir::{
    Callee, Cond, FloatBinOp, FloatUnOp, HelperSig, IntBinOp, IntUnOp, Reg, Type,
};
use apogee_jit::Builder;
use common::{compile, jit, run, run_with};

const RET0: u64 = ExitCode::Return(0).encode();

/// `R[1] = 1 + 2 + ... + R[0]` with the loop counter and sum in variables.
fn sum_function(with_osr: bool) -> (apogee_jit::Function, u32) {
    let mut b = Builder::new("sum");
    let n = b.var(Type::I64);
    let i = b.var(Type::I64);
    let acc = b.var(Type::I64);
    let one = b.var(Type::I64);
    let header = b.block();
    let body = b.block();
    let done = b.block();
    // b0: start
    b.guard_tag(Reg(0), TAG_INT, 0);
    b.inst(apogee_jit::ir::Inst::LoadInt {
        dst: n,
        reg: Reg(0),
    });
    b.inst(apogee_jit::ir::Inst::Iconst { dst: i, value: 1 });
    b.inst(apogee_jit::ir::Inst::Iconst { dst: acc, value: 0 });
    b.jump(header);
    // header: i <= n ?
    b.switch_to(header);
    let c = b.icmp(Cond::Le, i, n);
    b.branch(c, body, done);
    // body
    b.switch_to(body);
    b.inst(apogee_jit::ir::Inst::Iconst { dst: one, value: 1 });
    let a2 = b.int_bin(IntBinOp::Add, acc, i);
    b.set(acc, a2);
    let i2 = b.int_bin(IntBinOp::Add, i, one);
    b.set(i, i2);
    b.jump(header);
    // done
    b.switch_to(done);
    b.store_int(Reg(1), acc);
    b.store_tag(Reg(1), TAG_INT);
    b.ret(0);
    let mut entry = 0;
    if with_osr {
        // OSR landing pad: the interpreter left i in R[2] and acc in R[3].
        let pad = b.block();
        entry = b.add_entry(pad);
        b.switch_to(pad);
        b.inst(apogee_jit::ir::Inst::LoadInt {
            dst: n,
            reg: Reg(0),
        });
        b.inst(apogee_jit::ir::Inst::LoadInt {
            dst: i,
            reg: Reg(2),
        });
        b.inst(apogee_jit::ir::Inst::LoadInt {
            dst: acc,
            reg: Reg(3),
        });
        b.jump(header);
    }
    (b.finish().expect("valid"), entry)
}

#[test]
fn integer_loop_sums() {
    let mut j = jit();
    let (f, _) = sum_function(false);
    let c = compile(&mut j, &f);
    assert!(c.code_size() > 0);
    for n in [0i64, 1, 10, 1000, 100_000] {
        let mut w = vec![Slot::int(n), Slot::nil()];
        assert_eq!(run(&c, &mut w), ExitCode::Return(0));
        assert_eq!(w[1], Slot::int(n * (n + 1) / 2));
    }
    // Wrong tag: guard exits at pc 0 and writes nothing.
    let mut w = vec![Slot::float(3.0), Slot::nil()];
    assert_eq!(run(&c, &mut w), ExitCode::Exit(0));
    assert_eq!(w[1], Slot::nil());
}

#[test]
fn osr_entry_at_loop_header() {
    let mut j = jit();
    let (f, entry) = sum_function(true);
    assert_eq!(entry, 1);
    let c = compile(&mut j, &f);
    // Resume a loop that had summed 1..=4 (acc 10) and is about to add 5.
    let mut w = vec![Slot::int(10), Slot::nil(), Slot::int(5), Slot::int(10)];
    let (code, ctx) = run_with(&c, &mut w, entry, 8, 100, core::ptr::null_mut());
    assert_eq!(code, ExitCode::Return(0));
    assert_eq!(ctx.entry, 0, "entry id is consumed");
    assert_eq!(w[1], Slot::int(55));
    // Entry 0 still works on the same code.
    let mut w = vec![Slot::int(4), Slot::nil(), Slot::nil(), Slot::nil()];
    assert_eq!(run(&c, &mut w), ExitCode::Return(0));
    assert_eq!(w[1], Slot::int(10));
    // An unknown entry id is reported, not executed.
    let (code, _) = run_with(&c, &mut w, 7, 8, 100, core::ptr::null_mut());
    assert_eq!(code, ExitCode::BadEntry(7));
}

#[test]
fn fuel_preempts_loops() {
    let mut b = Builder::new("spin");
    let header = b.block();
    b.jump(header);
    b.switch_to(header);
    b.fuel(1, 42);
    b.jump(header);
    let f = b.finish().expect("valid");
    let mut j = jit();
    let c = compile(&mut j, &f);
    let mut w = vec![Slot::nil()];
    let (code, ctx) = run_with(&c, &mut w, 0, 8, 10, core::ptr::null_mut());
    assert_eq!(code, ExitCode::Preempt(42));
    assert_eq!(ctx.fuel, -1);
}

#[test]
fn float_arithmetic_and_conversions() {
    // R[2] = (R[0] + R[1]) * R[0] / R[1] - sqrt(R[1]); R[3] = floor(R[0]);
    // R[4] = float(int R[5]); R[6], R[7] = float_to_int(R[0]).
    let mut b = Builder::new("float");
    let x = b.load_float(Reg(0));
    let y = b.load_float(Reg(1));
    let s = b.float_bin(FloatBinOp::Add, x, y);
    let m = b.float_bin(FloatBinOp::Mul, s, x);
    let d = b.float_bin(FloatBinOp::Div, m, y);
    let r = b.float_un(FloatUnOp::Sqrt, y);
    let out = b.float_bin(FloatBinOp::Sub, d, r);
    b.store_float(Reg(2), out);
    b.store_tag(Reg(2), TAG_FLOAT);
    let fl = b.float_un(FloatUnOp::Floor, x);
    b.store_float(Reg(3), fl);
    b.store_tag(Reg(3), TAG_FLOAT);
    let k = b.load_int(Reg(5));
    let kf = b.int_to_float(k);
    b.store_float(Reg(4), kf);
    b.store_tag(Reg(4), TAG_FLOAT);
    let (i, ok) = b.float_to_int(x);
    b.store_int(Reg(6), i);
    b.store_tag(Reg(6), TAG_INT);
    b.store_bool(Reg(7), ok);
    b.store_tag(Reg(7), TAG_BOOL);
    let neg = b.float_un(FloatUnOp::Neg, x);
    let abs = b.float_un(FloatUnOp::Abs, neg);
    let ce = b.float_un(FloatUnOp::Ceil, abs);
    let tr = b.float_un(FloatUnOp::Trunc, neg);
    let sum = b.float_bin(FloatBinOp::Add, ce, tr);
    b.store_float(Reg(8), sum);
    b.store_tag(Reg(8), TAG_FLOAT);
    b.ret(3);
    let f = b.finish().expect("valid");
    let mut j = jit();
    let c = compile(&mut j, &f);

    let cases: [(f64, f64, i64); 4] = [
        (2.5, 4.0, -3),
        (-1.5, 0.5, 1 << 53),
        (7.0, 2.0, 0),
        (1e300, 3.0, -1),
    ];
    for (x, y, k) in cases {
        let mut w = vec![Slot::nil(); 9];
        w[0] = Slot::float(x);
        w[1] = Slot::float(y);
        w[5] = Slot::int(k);
        assert_eq!(run(&c, &mut w), ExitCode::Return(3));
        let want = (x + y) * x / y - y.sqrt();
        assert_eq!(w[2].as_float().to_bits(), want.to_bits(), "x={x} y={y}");
        assert_eq!(w[3].as_float(), x.floor());
        assert_eq!(w[4].as_float(), k as f64);
        assert_eq!(w[8].as_float(), (-x).abs().ceil() + (-x).trunc());
    }

    let conv = [
        (3.0, Some(3)),
        (-0.0, Some(0)),
        (3.5, None),
        (-2.25, None),
        (f64::NAN, None),
        (f64::INFINITY, None),
        (f64::NEG_INFINITY, None),
        (9_223_372_036_854_775_808.0, None),
        (-9_223_372_036_854_775_808.0, Some(i64::MIN)),
        (9_007_199_254_740_993.0, Some(9_007_199_254_740_992)),
        (1e18, Some(1_000_000_000_000_000_000)),
    ];
    for (x, want) in conv {
        let mut w = vec![Slot::nil(); 9];
        w[0] = Slot::float(x);
        w[1] = Slot::float(1.0);
        run(&c, &mut w);
        assert_eq!(w[7], Slot::boolean(want.is_some()), "float_to_int({x}) ok");
        if let Some(i) = want {
            assert_eq!(w[6].as_int(), i, "float_to_int({x})");
        }
    }
}

#[test]
fn nan_comparisons_follow_ieee_and_lua() {
    let conds = [Cond::Eq, Cond::Ne, Cond::Lt, Cond::Le, Cond::Gt, Cond::Ge];
    let mut b = Builder::new("fcmp");
    let x = b.load_float(Reg(0));
    let y = b.load_float(Reg(1));
    for (k, &cond) in conds.iter().enumerate() {
        let r = b.fcmp(cond, x, y);
        let reg = Reg(2 + k as u32);
        b.store_bool(reg, r);
        b.store_tag(reg, TAG_BOOL);
    }
    b.ret(0);
    let f = b.finish().expect("valid");
    let mut j = jit();
    let c = compile(&mut j, &f);
    let nan = f64::NAN;
    let pairs = [
        (1.0, 2.0),
        (2.0, 1.0),
        (1.0, 1.0),
        (nan, 1.0),
        (1.0, nan),
        (nan, nan),
        (-0.0, 0.0),
        (f64::INFINITY, f64::INFINITY),
    ];
    for (x, y) in pairs {
        let mut w = vec![Slot::nil(); 8];
        w[0] = Slot::float(x);
        w[1] = Slot::float(y);
        run(&c, &mut w);
        #[allow(clippy::float_cmp)]
        let want = [x == y, x != y, x < y, x <= y, x > y, x >= y];
        for (k, &wb) in want.iter().enumerate() {
            assert_eq!(w[2 + k], Slot::boolean(wb), "{:?} on {x} {y}", conds[k]);
        }
    }
}

fn floor_div(a: i64, b: i64) -> i64 {
    if b == 0 {
        return 0;
    }
    if b == -1 {
        return a.wrapping_neg();
    }
    let q = a / b;
    if a % b != 0 && ((a % b) ^ b) < 0 {
        q - 1
    } else {
        q
    }
}

fn floor_mod(a: i64, b: i64) -> i64 {
    if b == 0 || b == -1 {
        return 0;
    }
    let r = a % b;
    if r != 0 && (r ^ b) < 0 {
        r + b
    } else {
        r
    }
}

fn shl_signed(a: i64, b: i64) -> i64 {
    if b <= -64 || b >= 64 {
        0
    } else if b >= 0 {
        ((a as u64) << b) as i64
    } else {
        ((a as u64) >> -b) as i64
    }
}

#[test]
fn integer_ops_wrap_and_floor() {
    let ops = [
        IntBinOp::Add,
        IntBinOp::Sub,
        IntBinOp::Mul,
        IntBinOp::FloorDiv,
        IntBinOp::FloorMod,
        IntBinOp::ShlSigned,
        IntBinOp::And,
        IntBinOp::Or,
        IntBinOp::Xor,
        IntBinOp::Shl,
        IntBinOp::ShrU,
        IntBinOp::ShrS,
    ];
    let mut b = Builder::new("int");
    let x = b.load_int(Reg(0));
    let y = b.load_int(Reg(1));
    for (k, &op) in ops.iter().enumerate() {
        let r = b.int_bin(op, x, y);
        b.store_int(Reg(2 + k as u32), r);
    }
    let n = b.int_un(IntUnOp::Neg, x);
    b.store_int(Reg(20), n);
    let nt = b.int_un(IntUnOp::Not, x);
    b.store_int(Reg(21), nt);
    let lt = b.icmp(Cond::Lt, x, y);
    b.store_bool(Reg(22), lt);
    let ult = b.icmp(Cond::Ult, x, y);
    b.store_bool(Reg(23), ult);
    let sel = b.select(lt, x, y);
    b.store_int(Reg(24), sel);
    b.ret(0);
    let f = b.finish().expect("valid");
    let mut j = jit();
    let c = compile(&mut j, &f);
    let vals = [
        0,
        1,
        -1,
        2,
        -2,
        3,
        7,
        -7,
        63,
        64,
        65,
        -63,
        -64,
        -65,
        i64::MAX,
        i64::MIN,
        i64::MIN + 1,
        1 << 40,
    ];
    for &x in &vals {
        for &y in &vals {
            let mut w = vec![Slot::nil(); 25];
            w[0] = Slot::int(x);
            w[1] = Slot::int(y);
            run(&c, &mut w);
            let want = [
                x.wrapping_add(y),
                x.wrapping_sub(y),
                x.wrapping_mul(y),
                floor_div(x, y),
                floor_mod(x, y),
                shl_signed(x, y),
                x & y,
                x | y,
                x ^ y,
                x.wrapping_shl(y as u32),
                ((x as u64).wrapping_shr(y as u32)) as i64,
                x.wrapping_shr(y as u32),
            ];
            for (k, &wv) in want.iter().enumerate() {
                assert_eq!(w[2 + k].as_int(), wv, "{:?} {x} {y}", ops[k]);
            }
            assert_eq!(w[20].as_int(), x.wrapping_neg());
            assert_eq!(w[21].as_int(), !x);
            assert_eq!(w[22].payload, u64::from(x < y));
            assert_eq!(w[23].payload, u64::from((x as u64) < (y as u64)));
            assert_eq!(w[24].as_int(), if x < y { x } else { y });
        }
    }
}

#[test]
fn guard_taken_and_not_taken() {
    // R[1] = R[0] + 1 is written first; then guard R[0] < 10 else exit 5;
    // then R[2] = true.
    let mut b = Builder::new("guard");
    b.guard_tag(Reg(0), TAG_INT, 1);
    let x = b.load_int(Reg(0));
    let one = b.iconst(1);
    let y = b.int_bin(IntBinOp::Add, x, one);
    b.store_int(Reg(1), y);
    b.store_tag(Reg(1), TAG_INT);
    let ten = b.iconst(10);
    let small = b.icmp(Cond::Lt, x, ten);
    b.guard(small, 5);
    let t = b.i8const(1);
    b.store_bool(Reg(2), t);
    b.store_tag(Reg(2), TAG_BOOL);
    b.ret(1);
    let f = b.finish().expect("valid");
    let mut j = jit();
    let c = compile(&mut j, &f);

    let mut w = vec![Slot::int(3), Slot::nil(), Slot::nil()];
    assert_eq!(run(&c, &mut w), ExitCode::Return(1));
    assert_eq!(w, vec![Slot::int(3), Slot::int(4), Slot::boolean(true)]);

    let mut w = vec![Slot::int(30), Slot::nil(), Slot::nil()];
    assert_eq!(run(&c, &mut w), ExitCode::Exit(5));
    assert_eq!(w, vec![Slot::int(30), Slot::int(31), Slot::nil()]);

    let mut w = vec![Slot::boolean(true), Slot::nil(), Slot::nil()];
    assert_eq!(run(&c, &mut w), ExitCode::Exit(1));
    assert_eq!(w[1], Slot::nil());
}

#[test]
fn slots_copy_and_bools() {
    let mut b = Builder::new("slots");
    b.copy_slot(Reg(1), Reg(0));
    let v = b.load_bool(Reg(2));
    let nv = b.bool_not(v);
    b.store_bool(Reg(3), nv);
    b.store_tag(Reg(3), TAG_BOOL);
    let t = b.load_tag(Reg(0));
    let wide = b.extend8(t);
    b.store_int(Reg(4), wide);
    b.store_tag(Reg(4), TAG_INT);
    b.exit(77);
    let f = b.finish().expect("valid");
    let mut j = jit();
    let c = compile(&mut j, &f);
    let mut w = vec![
        Slot {
            tag: 9,
            payload: 0xdead_beef_1234,
        },
        Slot::nil(),
        Slot::boolean(false),
        Slot::nil(),
        Slot::nil(),
    ];
    assert_eq!(run(&c, &mut w), ExitCode::Exit(77));
    assert_eq!(w[1], w[0]);
    assert_eq!(w[3], Slot::boolean(true));
    assert_eq!(w[4], Slot::int(9));
}

/// A fake VM whose value stack the helper below reallocates.
struct FakeVm {
    stack: Vec<Slot>,
    old: Vec<Vec<Slot>>,
    calls: u32,
}

/// Moves the stack to a fresh, larger allocation, trashes the old one,
/// updates `ctx.base`, writes `R[1] = x * 10` and returns `x + 1`.
extern "C" fn grow_stack(ctx: *mut JitContext, x: i64) -> i64 {
    // SAFETY: generated code passes the live context it was called with; the
    // test put a `FakeVm` pointer in `vm` and nothing else borrows either
    // while the native code runs.
    let ctx = unsafe { &mut *ctx };
    // SAFETY: see above.
    let vm = unsafe { &mut *ctx.vm.cast::<FakeVm>() };
    let start = (ctx.base as usize - vm.stack.as_ptr() as usize) / 16;
    let mut bigger = vec![Slot::nil(); vm.stack.len() * 2];
    bigger[..vm.stack.len()].copy_from_slice(&vm.stack);
    let mut old = std::mem::replace(&mut vm.stack, bigger);
    for s in old.iter_mut() {
        *s = Slot {
            tag: 0xee,
            payload: 0xbad,
        };
    }
    vm.old.push(old);
    vm.calls += 1;
    vm.stack[start + 1] = Slot::int(x.wrapping_mul(10));
    ctx.base = vm.stack[start..].as_mut_ptr().cast();
    x + 1
}

fn run_on_vm(c: &apogee_jit::CompiledFn, vm: &mut FakeVm) -> ExitCode {
    let vm_ptr: *mut FakeVm = vm;
    // SAFETY: `vm_ptr` comes from a live exclusive borrow; only the helper
    // reads it during the call.
    let base = unsafe { (*vm_ptr).stack.as_mut_ptr() };
    let mut ctx = JitContext::new(base.cast(), vm_ptr.cast(), 16, i64::MAX);
    // SAFETY: the base points into the VM's stack, which is large enough for
    // every register used; the helper keeps `ctx.base` up to date when it
    // moves the stack, and the Jit outlives the call.
    let raw = unsafe { c.call(&mut ctx) };
    ExitCode::decode(raw).expect("valid code")
}

#[test]
fn helper_call_moves_the_window() {
    let sig = HelperSig::new(&[Type::I64, Type::I64], &[Type::I64]);
    let mut b = Builder::new("helper");
    let ctx = b.ctx_ptr();
    let x = b.load_int(Reg(0));
    let r = b.call_helper(grow_stack as *const () as usize, sig, &[ctx, x]);
    b.store_int(Reg(2), r[0]);
    b.store_tag(Reg(2), TAG_INT);
    b.copy_slot(Reg(3), Reg(1));
    let y = b.load_int(Reg(0));
    b.store_int(Reg(4), y);
    b.store_tag(Reg(4), TAG_INT);
    b.ret(0);
    let f = b.finish().expect("valid");
    let mut j = jit();
    let c = compile(&mut j, &f);
    let mut vm = FakeVm {
        stack: vec![
            Slot::int(7),
            Slot::nil(),
            Slot::nil(),
            Slot::nil(),
            Slot::nil(),
        ],
        old: Vec::new(),
        calls: 0,
    };
    assert_eq!(run_on_vm(&c, &mut vm), ExitCode::Return(0));
    assert_eq!(vm.calls, 1);
    assert_eq!(vm.stack[1], Slot::int(70));
    assert_eq!(vm.stack[2], Slot::int(8));
    assert_eq!(vm.stack[3], Slot::int(70));
    assert_eq!(vm.stack[4], Slot::int(7));
}

#[test]
fn native_call_follows_a_moved_stack() {
    let mut j = jit();
    // Callee: grows the stack via the helper, then R[0] = 99.
    let sig = HelperSig::new(&[Type::I64, Type::I64], &[Type::I64]);
    let mut g = Builder::new("callee");
    let ctx = g.ctx_ptr();
    let zero = g.iconst(0);
    g.call_helper(grow_stack as *const () as usize, sig, &[ctx, zero]);
    let k = g.iconst(99);
    g.store_int(Reg(0), k);
    g.store_tag(Reg(0), TAG_INT);
    g.ret(0);
    let callee = compile(&mut j, &g.finish().expect("valid"));
    // Caller: R[4] = 5; call callee on window R[2]; R[1] = R[4] + 1.
    let mut b = Builder::new("caller");
    let five = b.iconst(5);
    b.store_int(Reg(4), five);
    b.store_tag(Reg(4), TAG_INT);
    let code = b.call_native(Callee::Addr(callee.addr()), Reg(2), 9);
    let want = b.iconst(RET0 as i64);
    let ok = b.icmp(Cond::Eq, code, want);
    b.guard(ok, 10);
    let v = b.load_int(Reg(4));
    let one = b.iconst(1);
    let s = b.int_bin(IntBinOp::Add, v, one);
    b.store_int(Reg(1), s);
    b.store_tag(Reg(1), TAG_INT);
    b.ret(0);
    let caller = compile(&mut j, &b.finish().expect("valid"));
    let mut vm = FakeVm {
        stack: vec![Slot::nil(); 8],
        old: Vec::new(),
        calls: 0,
    };
    assert_eq!(run_on_vm(&caller, &mut vm), ExitCode::Return(0));
    assert_eq!(vm.calls, 1);
    assert_eq!(vm.stack[1], Slot::int(6));
    assert_eq!(vm.stack[2], Slot::int(99));
    assert_eq!(vm.stack[3], Slot::int(0));
}

#[test]
fn store_value_writes_whole_slots() {
    let mut j = jit();
    let mut b = Builder::new("store_value");
    let i = b.iconst(-42);
    b.store_value(Reg(0), TAG_INT, i);
    let f = b.fconst(2.5);
    b.store_value(Reg(1), TAG_FLOAT, f);
    let t = b.iconst(1);
    b.store_value(Reg(2), TAG_BOOL, t);
    b.ret(0);
    let func = b.finish().expect("valid");
    assert!(func.to_string().contains("store_value r1, 3, v1"), "{func}");
    let c = compile(&mut j, &func);
    let mut vm = FakeVm {
        stack: vec![Slot::nil(); 3],
        old: Vec::new(),
        calls: 0,
    };
    vm.stack[0] = Slot { tag: 9, payload: 5 };
    assert_eq!(run_on_vm(&c, &mut vm), ExitCode::Return(0));
    assert_eq!(vm.stack[0], Slot::int(-42));
    assert_eq!(vm.stack[1], Slot::float(2.5));
    assert_eq!(vm.stack[2].tag, TAG_BOOL);
    assert_eq!(vm.stack[2].payload, 1);
}

#[test]
fn native_call_through_a_runtime_address() {
    let mut j = jit();
    // Callee: R[0] = R[0] * 3.
    let mut g = Builder::new("triple");
    let x = g.load_int(Reg(0));
    let three = g.iconst(3);
    let y = g.int_bin(IntBinOp::Mul, x, three);
    g.store_int(Reg(0), y);
    g.ret(0);
    let callee = compile(&mut j, &g.finish().expect("valid"));
    // Caller: the callee's address comes from a variable (as from a lookup helper).
    let mut b = Builder::new("caller");
    let addr = b.iconst(callee.addr() as i64);
    let code = b.call_native(Callee::Dyn(addr), Reg(1), 9);
    let want = b.iconst(RET0 as i64);
    let ok = b.icmp(Cond::Eq, code, want);
    b.guard(ok, 10);
    b.copy_slot(Reg(0), Reg(1));
    b.ret(0);
    let f = b.finish().expect("valid");
    assert!(f.to_string().contains("call_native v0 window r1"), "{f}");
    let caller = compile(&mut j, &f);
    let mut vm = FakeVm {
        stack: vec![Slot::nil(); 4],
        old: Vec::new(),
        calls: 0,
    };
    vm.stack[1] = Slot::int(14);
    assert_eq!(run_on_vm(&caller, &mut vm), ExitCode::Return(0));
    assert_eq!(vm.stack[0], Slot::int(42));
}

/// A helper that raises: returns `Error(13)` when `x < 0`, else 0.
extern "C" fn check_nonneg(x: i64) -> u64 {
    if x < 0 {
        ExitCode::Error(13).encode()
    } else {
        0
    }
}

/// A helper taking and returning bytes and floats.
extern "C" fn mix(flag: bool, tag: u8, f: f64) -> f64 {
    if flag {
        f * f64::from(tag)
    } else {
        -f
    }
}

#[test]
fn helper_status_is_propagated() {
    let mut b = Builder::new("status");
    let x = b.load_int(Reg(0));
    let st = b.call_helper(
        check_nonneg as *const () as usize,
        HelperSig::new(&[Type::I64], &[Type::I64]),
        &[x],
    );
    b.exit_if_nonzero(st[0]);
    let flag = b.load_bool(Reg(1));
    let tag = b.load_tag(Reg(1));
    let f = b.load_float(Reg(2));
    let r = b.call_helper(
        mix as *const () as usize,
        HelperSig::new(&[Type::I8, Type::I8, Type::F64], &[Type::F64]),
        &[flag, tag, f],
    );
    b.store_float(Reg(3), r[0]);
    b.store_tag(Reg(3), TAG_FLOAT);
    b.ret(2);
    let f = b.finish().expect("valid");
    let mut j = jit();
    let c = compile(&mut j, &f);
    let mut w = vec![
        Slot::int(-1),
        Slot::boolean(true),
        Slot::float(1.5),
        Slot::nil(),
    ];
    assert_eq!(run(&c, &mut w), ExitCode::Error(13));
    assert_eq!(w[3], Slot::nil());
    w[0] = Slot::int(1);
    assert_eq!(run(&c, &mut w), ExitCode::Return(2));
    assert_eq!(w[3], Slot::float(1.5 * f64::from(TAG_BOOL)));
    w[1] = Slot::boolean(false);
    assert_eq!(run(&c, &mut w), ExitCode::Return(2));
    assert_eq!(w[3], Slot::float(-1.5));
}

/// fib(R[0]) into R[0] by native recursion; callee windows start at R[2].
fn fib_function() -> apogee_jit::Function {
    let mut b = Builder::new("fib");
    let base_case = b.block();
    let rec = b.block();
    let second = b.block();
    let propagate = b.block();
    let propagate2 = b.block();
    let n = b.load_int(Reg(0));
    let two = b.iconst(2);
    let small = b.icmp(Cond::Lt, n, two);
    b.branch(small, base_case, rec);

    b.switch_to(base_case);
    b.ret(0);

    b.switch_to(rec);
    let one = b.iconst(1);
    let n1 = b.int_bin(IntBinOp::Sub, n, one);
    b.store_int(Reg(2), n1);
    b.store_tag(Reg(2), TAG_INT);
    let code = b.call_native(Callee::SelfFn, Reg(2), 100);
    let ret0 = b.iconst(RET0 as i64);
    let ok = b.icmp(Cond::Eq, code, ret0);
    b.branch(ok, second, propagate);

    b.switch_to(propagate);
    b.ret_code(code);

    b.switch_to(second);
    b.copy_slot(Reg(1), Reg(2));
    let n2 = b.int_bin(IntBinOp::Sub, n, two);
    b.store_int(Reg(2), n2);
    let code2 = b.call_native(Callee::SelfFn, Reg(2), 101);
    let ok2 = b.icmp(Cond::Eq, code2, ret0);
    let fin = b.block();
    b.branch(ok2, fin, propagate2);

    b.switch_to(propagate2);
    b.ret_code(code2);

    b.switch_to(fin);
    let a = b.load_int(Reg(1));
    let c = b.load_int(Reg(2));
    let s = b.int_bin(IntBinOp::Add, a, c);
    b.store_int(Reg(0), s);
    b.ret(0);
    b.finish().expect("valid")
}

#[test]
fn native_recursion_computes_fib() {
    let mut j = jit();
    let c = compile(&mut j, &fib_function());
    let mut w = vec![Slot::nil(); 2 * 30 + 4];
    w[0] = Slot::int(20);
    let (code, ctx) = run_with(&c, &mut w, 0, 100, 0, core::ptr::null_mut());
    assert_eq!(code, ExitCode::Return(0));
    assert_eq!(w[0], Slot::int(6765));
    assert_eq!(ctx.depth, 0);
    assert_eq!(ctx.base, w.as_mut_ptr().cast::<u8>());

    // With a depth limit the deepest frame exits to the interpreter, and the
    // exit code travels up unchanged.
    let mut w = vec![Slot::nil(); 2 * 30 + 4];
    w[0] = Slot::int(20);
    let (code, ctx) = run_with(&c, &mut w, 0, 5, 0, core::ptr::null_mut());
    assert_eq!(code, ExitCode::Exit(100));
    assert_eq!(ctx.depth, 0);
    assert_eq!(ctx.base, w.as_mut_ptr().cast::<u8>());
}

#[test]
fn byte_constants_and_branches() {
    // I8 constants across the whole accepted range, I8 arithmetic, and a
    // branch whose two targets are the same block.
    let mut b = Builder::new("bytes");
    let join = b.block();
    let hi = b.var(Type::I8);
    b.inst(apogee_jit::ir::Inst::Iconst { dst: hi, value: -1 });
    let lo = b.i8const(255);
    let same = b.icmp(Cond::Eq, hi, lo);
    b.store_bool(Reg(0), same);
    let one = b.i8const(1);
    let wrapped = b.int_bin(IntBinOp::Add, lo, one);
    let w64 = b.extend8(wrapped);
    b.store_int(Reg(1), w64);
    let t = b.load_tag(Reg(2));
    b.branch(t, join, join);
    b.switch_to(join);
    b.store_tag(Reg(2), 255);
    b.ret(0);
    let f = b.finish().expect("valid");
    let mut j = jit();
    let c = compile(&mut j, &f);
    let mut w = vec![Slot::nil(); 3];
    assert_eq!(run(&c, &mut w), ExitCode::Return(0));
    assert_eq!(w[0].payload, 1);
    assert_eq!(w[1].payload, 0);
    assert_eq!(w[2].tag, 255);
    assert!(apogee_jit::compile_for_target(&f, "aarch64-unknown-linux-gnu").is_ok());
}

#[test]
fn tags_and_nil() {
    let mut b = Builder::new("nil");
    b.store_tag(Reg(0), TAG_NIL);
    let vm = b.vm_ptr();
    b.store_int(Reg(1), vm);
    let a = b.reg_addr(Reg(1));
    b.store_int(Reg(2), a);
    b.ret(0);
    let f = b.finish().expect("valid");
    let mut j = jit();
    let c = compile(&mut j, &f);
    let mut w = vec![Slot::int(5), Slot::nil(), Slot::nil()];
    let fake_vm = 0x1234usize as *mut core::ffi::c_void;
    run_with(&c, &mut w, 0, 1, 0, fake_vm);
    assert_eq!(w[0].tag, TAG_NIL);
    assert_eq!(w[1].payload, 0x1234);
    assert_eq!(w[2].payload as usize, w.as_ptr() as usize + 16);
}

#[test]
fn many_functions_in_one_jit() {
    let mut j = jit();
    let mut compiled = Vec::new();
    for k in 0..50u32 {
        let mut b = Builder::new(&format!("f{k}"));
        b.ret(k);
        compiled.push(compile(&mut j, &b.finish().expect("valid")));
    }
    for (k, c) in compiled.iter().enumerate() {
        let mut w = vec![Slot::nil()];
        assert_eq!(run(c, &mut w), ExitCode::Return(k as u32));
    }
}

#[test]
fn aarch64_code_is_generated_and_verified() {
    let (sum, _) = sum_function(true);
    let mut b = Builder::new("helper");
    let x = b.load_float(Reg(0));
    let flag = b.i8const(1);
    let tag = b.load_tag(Reg(1));
    let r = b.call_helper(
        mix as *const () as usize,
        HelperSig::new(&[Type::I8, Type::I8, Type::F64], &[Type::F64]),
        &[flag, tag, x],
    );
    b.store_float(Reg(2), r[0]);
    let (i, ok) = b.float_to_int(r[0]);
    b.guard(ok, 3);
    let q = b.int_bin(IntBinOp::FloorDiv, i, i);
    let m = b.int_bin(IntBinOp::FloorMod, q, i);
    let s = b.int_bin(IntBinOp::ShlSigned, m, q);
    b.store_int(Reg(3), s);
    b.fuel(2, 4);
    b.ret(0);
    let helper = b.finish().expect("valid");
    for f in [sum, fib_function(), helper] {
        match apogee_jit::compile_for_target(&f, "aarch64-unknown-linux-gnu") {
            Ok(code) => {
                assert!(!code.is_empty());
                assert_eq!(code.len() % 4, 0, "aarch64 instructions are 4 bytes");
            }
            Err(e) => panic!("aarch64 compile of {} failed: {e}", f.name),
        }
    }
}

#[test]
fn unverified_unoptimized_mode_runs() {
    let mut j = apogee_jit::Jit::with_options(apogee_jit::JitOptions {
        verify: false,
        optimize: false,
        promote: false,
    })
    .expect("host");
    let c = compile(&mut j, &fib_function());
    let mut w = vec![Slot::nil(); 40];
    w[0] = Slot::int(15);
    let (code, _) = run_with(&c, &mut w, 0, 64, 0, core::ptr::null_mut());
    assert_eq!(code, ExitCode::Return(0));
    assert_eq!(w[0], Slot::int(610));
    assert!(c.compile_us() > 0 || c.code_size() > 0);
}

/// `f(R[0]) = R[0] <= 0 ? 0 : f(R[0] - 1) + 1` into R[0], recursing with `DepthOk` tested
/// first (exiting at 7 when it fails) and `CallNative` told the depth is checked.
fn countdown_checked() -> apogee_jit::Function {
    use apogee_jit::ir::DEPTH_CHECKED;
    let mut b = Builder::new("countdown");
    let done = b.block();
    let rec = b.block();
    let go = b.block();
    let deep = b.block();
    let back = b.block();
    let fail = b.block();
    let n = b.load_int(Reg(0));
    let zero = b.iconst(0);
    let le = b.icmp(Cond::Le, n, zero);
    b.branch(le, done, rec);
    b.switch_to(done);
    b.store_value(Reg(0), TAG_INT, zero);
    b.ret(0);
    b.switch_to(rec);
    let ok = b.depth_ok();
    b.branch(ok, go, deep);
    b.switch_to(deep);
    b.exit(7);
    b.switch_to(go);
    let one = b.iconst(1);
    let n1 = b.int_bin(IntBinOp::Sub, n, one);
    b.store_value(Reg(1), TAG_INT, n1);
    let code = b.call_native(Callee::SelfFn, Reg(1), DEPTH_CHECKED);
    let ret0 = b.iconst(RET0 as i64);
    let ok = b.icmp(Cond::Eq, code, ret0);
    b.branch(ok, back, fail);
    b.switch_to(fail);
    b.ret_code(code);
    b.switch_to(back);
    let r = b.load_int(Reg(1));
    let r1 = b.int_bin(IntBinOp::Add, r, one);
    b.store_value(Reg(0), TAG_INT, r1);
    b.ret(0);
    b.finish().expect("valid")
}

#[test]
fn native_call_with_the_depth_checked_by_the_caller() {
    let mut j = jit();
    let c = compile(&mut j, &countdown_checked());
    let mut w = vec![Slot::nil(); 40];
    w[0] = Slot::int(30);
    let (code, ctx) = run_with(&c, &mut w, 0, 64, i64::MAX, core::ptr::null_mut());
    assert_eq!(code, ExitCode::Return(0));
    assert_eq!(w[0], Slot::int(30));
    assert_eq!((ctx.depth, ctx.entry), (0, 0));
    // At the bound the caller's own `DepthOk` test exits (`CallNative` does not check).
    let mut w = vec![Slot::nil(); 40];
    w[0] = Slot::int(30);
    let (code, ctx) = run_with(&c, &mut w, 0, 5, i64::MAX, core::ptr::null_mut());
    assert_eq!(code, ExitCode::Exit(7));
    assert_eq!(ctx.depth, 0);
    assert_eq!(ctx.base, w.as_mut_ptr().cast::<u8>());
}

#[test]
fn memory_slot_words_divu_and_depth() {
    // A buffer outside the window, reached through an address constant.
    let mut buf = [0u64, 41, 0];
    let addr = buf.as_mut_ptr() as i64;
    let mut b = Builder::new("mem");
    let p = b.iconst(addr);
    let x = b.load(Type::I64, p, 8);
    let one = b.iconst(1);
    let y = b.int_bin(IntBinOp::Add, x, one);
    b.store(p, 16, y);
    // Whole slot words: R[1] = R[0]; R[2] = (int tag, 42).
    let (w0, w1) = b.load_slot(Reg(0));
    b.store_slot(Reg(1), w0, w1);
    let tag = b.iconst(i64::from(TAG_INT));
    b.store_slot(Reg(2), tag, y);
    // A float stored then read back through the slot (forwarded or not, the same).
    let f = b.fconst(2.5);
    b.store_value(Reg(3), TAG_FLOAT, f);
    let g = b.load_float(Reg(3));
    let h = b.float_bin(FloatBinOp::Mul, g, g);
    b.store_value(Reg(4), TAG_FLOAT, h);
    // Unsigned division, by zero too.
    let big = b.iconst(-2);
    let three = b.iconst(3);
    let q = b.int_bin(IntBinOp::DivU, big, three);
    b.store_value(Reg(5), TAG_INT, q);
    let zero = b.iconst(0);
    let q0 = b.int_bin(IntBinOp::DivU, big, zero);
    b.store_value(Reg(6), TAG_INT, q0);
    let ok = b.depth_ok();
    let okw = b.extend8(ok);
    b.store_value(Reg(7), TAG_INT, okw);
    b.ret(0);
    let func = b.finish().expect("valid");
    let mut j = jit();
    let c = compile(&mut j, &func);
    let mut w = vec![Slot::float(-1.5); 8];
    let (code, _) = run_with(&c, &mut w, 0, 1, i64::MAX, core::ptr::null_mut());
    assert_eq!(code, ExitCode::Return(0));
    assert_eq!(buf[2], 42);
    assert_eq!(w[1], Slot::float(-1.5));
    assert_eq!(w[2], Slot::int(42));
    assert_eq!(w[4], Slot::float(6.25));
    assert_eq!(w[5], Slot::int(((-2i64) as u64 / 3) as i64));
    assert_eq!(w[6], Slot::int(0));
    assert_eq!(w[7], Slot::int(1));
    let (_, _) = run_with(&c, &mut w, 0, 0, i64::MAX, core::ptr::null_mut());
    assert_eq!(w[7], Slot::int(0));
}
