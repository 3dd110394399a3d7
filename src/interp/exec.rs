//! The dispatch loop.

use crate::bytecode::{ArithOp, UnOp, MULTI};
use crate::isa::{ConstIdx, Instr, Reg};
use crate::runtime::ops;
use crate::runtime::table::Table;
use crate::runtime::vm::{FrameKind, Vm, FRAME_ENTRY};
use crate::runtime::{LuaError, Value};

/// Integer and float fast paths of the binary operators; `None` sends the operation to
/// `ops::arith` (the shared semantics, which also produce the error messages).
#[inline(always)]
fn arith_fast(op: ArithOp, x: Value, y: Value) -> Option<Value> {
    use ArithOp::*;
    match (x, y) {
        (Value::Int(a), Value::Int(b)) => match op {
            Add => Some(Value::Int(a.wrapping_add(b))),
            Sub => Some(Value::Int(a.wrapping_sub(b))),
            Mul => Some(Value::Int(a.wrapping_mul(b))),
            BAnd => Some(Value::Int(a & b)),
            BOr => Some(Value::Int(a | b)),
            BXor => Some(Value::Int(a ^ b)),
            Div => Some(Value::Float(a as f64 / b as f64)),
            _ => None,
        },
        (Value::Float(a), Value::Float(b)) => float_op(op, a, b),
        (Value::Int(a), Value::Float(b)) => float_op(op, a as f64, b),
        (Value::Float(a), Value::Int(b)) => float_op(op, a, b as f64),
        _ => None,
    }
}

#[inline(always)]
fn float_op(op: ArithOp, a: f64, b: f64) -> Option<Value> {
    match op {
        ArithOp::Add => Some(Value::Float(a + b)),
        ArithOp::Sub => Some(Value::Float(a - b)),
        ArithOp::Mul => Some(Value::Float(a * b)),
        ArithOp::Div => Some(Value::Float(a / b)),
        _ => None,
    }
}

#[inline(always)]
fn lt_fast(x: Value, y: Value) -> Option<bool> {
    match (x, y) {
        (Value::Int(a), Value::Int(b)) => Some(a < b),
        (Value::Float(a), Value::Float(b)) => Some(a < b),
        _ => None,
    }
}

#[inline(always)]
fn le_fast(x: Value, y: Value) -> Option<bool> {
    match (x, y) {
        (Value::Int(a), Value::Int(b)) => Some(a <= b),
        (Value::Float(a), Value::Float(b)) => Some(a <= b),
        _ => None,
    }
}

/// Signed 24-bit jump offset of a `Jmp` word.
#[inline(always)]
fn sj(w: u32) -> i64 {
    ((w as i32) >> 8) as i64
}

/// 24-bit payload of an `ExtraArg` word.
#[inline(always)]
fn payload(w: u32) -> u32 {
    w >> 8
}

fn internal(vm: &mut Vm, what: &str) -> LuaError {
    vm.rt_error(&format!(
        "internal error in the register interpreter: {what}"
    ))
}

/// Hooks of a tier above the interpreter (the JIT). The plain register engine uses
/// [`NoTier`], whose `PROFILE` is false: every hook call sits behind `if T::PROFILE`, so
/// its loop contains no profiling code at all.
pub(crate) trait Tier {
    const PROFILE: bool;
    /// Called when a frame is entered or resumed at register pc `pc` (its window is
    /// allocated); may run native code and returns the pc to continue interpreting at.
    fn enter(vm: &mut Vm, fi: usize, pc: usize) -> Result<usize, LuaError>;
    /// Called on a taken back edge to `target`; true asks the loop to go through
    /// [`Tier::enter`] at `target` (an OSR entry).
    fn back_edge(vm: &mut Vm, fi: usize, target: usize) -> bool;
}

/// No tier: the plain register interpreter.
pub(crate) struct NoTier;

impl Tier for NoTier {
    const PROFILE: bool = false;
    #[inline(always)]
    fn enter(_: &mut Vm, _: usize, pc: usize) -> Result<usize, LuaError> {
        Ok(pc)
    }
    #[inline(always)]
    fn back_edge(_: &mut Vm, _: usize, _: usize) -> bool {
        false
    }
}

/// Runs Lua frames until the frame at index `entry` returns (see `runtime::vm::Engine`).
pub fn exec(vm: &mut Vm, entry: usize) -> Result<(), LuaError> {
    run::<NoTier>(vm, entry)
}

/// The interpreter loop with the hooks of tier `T`.
pub(crate) fn run<T: Tier>(vm: &mut Vm, entry: usize) -> Result<(), LuaError> {
    'frame: loop {
        let fi = vm.frames.len() - 1;
        let frame = vm.frames[fi];
        let FrameKind::Lua(cl) = frame.kind else {
            return Err(internal(vm, "native frame on top"));
        };
        let proto = vm.heap.get(cl).proto;
        let code = super::code_for(vm, proto)?;
        let base = frame.base;
        if frame.pc == 0 {
            let need = base + code.frame_size as usize;
            if need > frame.top {
                vm.check_stack(need)?;
                vm.frames[fi].top = need;
                if vm.stack.len() < need {
                    vm.stack.resize(need, Value::Nil);
                }
            }
        }
        let words: &[u32] = &code.code;
        let mut pc = frame.pc as usize;
        if T::PROFILE {
            pc = T::enter(vm, fi, pc)?;
        }

        macro_rules! r {
            ($r:expr) => {
                vm.stack[base + $r.0 as usize]
            };
        }
        macro_rules! k {
            ($k:expr) => {
                vm.heap.get(proto).consts[$k.0 as usize]
            };
        }
        macro_rules! save {
            () => {
                vm.frames[fi].pc = pc as u32
            };
        }
        macro_rules! next_word {
            () => {{
                let Some(&w) = words.get(pc) else {
                    return Err(internal(vm, "missing extra word"));
                };
                pc += 1;
                w
            }};
        }
        // A conditional's pair: take the following `Jmp` when `cond == k`, else skip it.
        macro_rules! cond_jump {
            ($cond:expr, $k:expr) => {{
                if $cond == $k.0 {
                    let w = next_word!();
                    pc = (pc as i64 + sj(w)) as usize;
                } else {
                    pc += 1;
                }
            }};
        }
        macro_rules! arith {
            ($op:expr, $a:expr, $x:expr, $y:expr) => {{
                let (x, y) = ($x, $y);
                let v = match arith_fast($op, x, y) {
                    Some(v) => v,
                    None => {
                        if !ops::is_int_division_by_zero($op, x, y) {
                            save!();
                        }
                        ops::arith(vm, $op, x, y)?
                    }
                };
                r!($a) = v;
            }};
        }
        macro_rules! get_index {
            ($a:expr, $obj:expr, $key:expr) => {{
                let (obj, key) = ($obj, $key);
                let fast = match (obj, key) {
                    (Value::Table(t), Value::Int(i)) => {
                        let tb = vm.heap.get(t);
                        let v = tb.get_int(i);
                        (!v.is_nil() || tb.meta.is_none()).then_some(v)
                    }
                    (Value::Table(t), Value::Str(s)) => {
                        let tb = vm.heap.get(t);
                        let v = tb.get_str(s);
                        (!v.is_nil() || tb.meta.is_none()).then_some(v)
                    }
                    _ => None,
                };
                let v = match fast {
                    Some(v) => v,
                    None => {
                        save!();
                        ops::index(vm, obj, key)?
                    }
                };
                r!($a) = v;
            }};
        }
        macro_rules! set_index {
            ($obj:expr, $key:expr, $val:expr) => {{
                let (obj, key, val) = ($obj, $key, $val);
                let mut done = false;
                if let Value::Table(t) = obj {
                    let tb = vm.heap.get_mut(t);
                    if tb.meta.is_none() {
                        match key {
                            Value::Int(i) => {
                                let grew = tb.set_int(i, val);
                                vm.heap.note_growth(grew);
                                done = true;
                            }
                            Value::Str(_) => {
                                let grew = tb.set(key, val).unwrap_or(0);
                                vm.heap.note_growth(grew);
                                done = true;
                            }
                            _ => {}
                        }
                    }
                }
                if !done {
                    save!();
                    ops::set_index(vm, obj, key, val)?;
                }
            }};
        }
        macro_rules! compare {
            ($fast:ident, $slow:path, $x:expr, $y:expr) => {{
                let (x, y) = ($x, $y);
                match $fast(x, y) {
                    Some(b) => b,
                    None => {
                        save!();
                        $slow(vm, x, y)?
                    }
                }
            }};
        }
        // Returns `n` values from `first` to the caller; continues with the caller's frame.
        macro_rules! do_return {
            ($first:expr, $n:expr) => {{
                let (first, n) = ($first, $n);
                if vm.open_upvals.last().is_some() {
                    vm.close_upvals(base);
                }
                let Some(f) = vm.frames.pop() else {
                    return Err(internal(vm, "no frame to return from"));
                };
                vm.postcall(f.func, first, n, f.nresults);
                if fi == entry {
                    return Ok(());
                }
                vm.gc_check();
                continue 'frame;
            }};
        }

        loop {
            let Some(&w) = words.get(pc) else {
                return Err(internal(vm, "pc out of range"));
            };
            pc += 1;
            vm.counters.instructions += 1;
            let ins = match Instr::decode(w) {
                Ok(i) => i,
                Err(e) => return Err(internal(vm, &e.to_string())),
            };
            match ins {
                Instr::Move { a, b } => r!(a) = r!(b),
                Instr::LoadI { a, sbx } => r!(a) = Value::Int(sbx.0 as i64),
                Instr::LoadF { a, sbx } => r!(a) = Value::Float(sbx.0 as f64),
                Instr::LoadK { a, bx } => r!(a) = k!(bx),
                Instr::LoadKx { a } => {
                    let w = next_word!();
                    r!(a) = k!(ConstIdx(payload(w)));
                }
                Instr::LoadFalse { a } => r!(a) = Value::Bool(false),
                Instr::LoadTrue { a } => r!(a) = Value::Bool(true),
                Instr::LoadNil { a, b } => {
                    let s = base + a.0 as usize;
                    for v in &mut vm.stack[s..=s + b.0 as usize] {
                        *v = Value::Nil;
                    }
                }
                Instr::GetUpval { a, b } => {
                    let u = vm.heap.get(cl).upvals[b.0 as usize];
                    r!(a) = vm.upval_get(u);
                }
                Instr::SetUpval { a, b } => {
                    let u = vm.heap.get(cl).upvals[b.0 as usize];
                    let v = r!(a);
                    vm.upval_set(u, v);
                }
                Instr::GetTabUp { a, b, c } => {
                    let u = vm.heap.get(cl).upvals[b.0 as usize];
                    let t = vm.upval_get(u);
                    get_index!(a, t, k!(c));
                }
                Instr::SetTabUp { a, b, c } => {
                    let u = vm.heap.get(cl).upvals[a.0 as usize];
                    let t = vm.upval_get(u);
                    set_index!(t, k!(b), r!(c));
                }
                Instr::GetTable { a, b, c } => get_index!(a, r!(b), r!(c)),
                Instr::GetI { a, b, c } => get_index!(a, r!(b), Value::Int(c.0 as i64)),
                Instr::GetField { a, b, c } => get_index!(a, r!(b), k!(c)),
                Instr::SetTable { a, b, c } => set_index!(r!(a), r!(b), r!(c)),
                Instr::SetI { a, b, c } => set_index!(r!(a), Value::Int(b.0 as i64), r!(c)),
                Instr::SetField { a, b, c } => set_index!(r!(a), k!(b), r!(c)),
                Instr::NewTable { a, b, c } => {
                    let w = next_word!();
                    let narr = c.0 as usize + ((payload(w) as usize) << 8);
                    let t = vm.heap.alloc(Table::with_capacity(narr, b.0 as usize));
                    r!(a) = Value::Table(t);
                    vm.gc_check();
                }
                Instr::Self_ { a, b, c } => {
                    let obj = r!(b);
                    vm.stack[base + a.0 as usize + 1] = obj;
                    get_index!(a, obj, k!(c));
                }
                Instr::Add { a, b, c } => arith!(ArithOp::Add, a, r!(b), r!(c)),
                Instr::Sub { a, b, c } => arith!(ArithOp::Sub, a, r!(b), r!(c)),
                Instr::Mul { a, b, c } => arith!(ArithOp::Mul, a, r!(b), r!(c)),
                Instr::Mod { a, b, c } => arith!(ArithOp::Mod, a, r!(b), r!(c)),
                Instr::Pow { a, b, c } => arith!(ArithOp::Pow, a, r!(b), r!(c)),
                Instr::Div { a, b, c } => arith!(ArithOp::Div, a, r!(b), r!(c)),
                Instr::IDiv { a, b, c } => arith!(ArithOp::IDiv, a, r!(b), r!(c)),
                Instr::BAnd { a, b, c } => arith!(ArithOp::BAnd, a, r!(b), r!(c)),
                Instr::BOr { a, b, c } => arith!(ArithOp::BOr, a, r!(b), r!(c)),
                Instr::BXor { a, b, c } => arith!(ArithOp::BXor, a, r!(b), r!(c)),
                Instr::Shl { a, b, c } => arith!(ArithOp::Shl, a, r!(b), r!(c)),
                Instr::Shr { a, b, c } => arith!(ArithOp::Shr, a, r!(b), r!(c)),
                Instr::AddK { a, b, c } => arith!(ArithOp::Add, a, r!(b), k!(c)),
                Instr::SubK { a, b, c } => arith!(ArithOp::Sub, a, r!(b), k!(c)),
                Instr::MulK { a, b, c } => arith!(ArithOp::Mul, a, r!(b), k!(c)),
                Instr::ModK { a, b, c } => arith!(ArithOp::Mod, a, r!(b), k!(c)),
                Instr::PowK { a, b, c } => arith!(ArithOp::Pow, a, r!(b), k!(c)),
                Instr::DivK { a, b, c } => arith!(ArithOp::Div, a, r!(b), k!(c)),
                Instr::IDivK { a, b, c } => arith!(ArithOp::IDiv, a, r!(b), k!(c)),
                Instr::BAndK { a, b, c } => arith!(ArithOp::BAnd, a, r!(b), k!(c)),
                Instr::BOrK { a, b, c } => arith!(ArithOp::BOr, a, r!(b), k!(c)),
                Instr::BXorK { a, b, c } => arith!(ArithOp::BXor, a, r!(b), k!(c)),
                Instr::ShlK { a, b, c } => arith!(ArithOp::Shl, a, r!(b), k!(c)),
                Instr::ShrK { a, b, c } => arith!(ArithOp::Shr, a, r!(b), k!(c)),
                Instr::AddI { a, b, c } => {
                    arith!(ArithOp::Add, a, r!(b), Value::Int(c.0 as i64))
                }
                Instr::Unm { a, b } => {
                    let v = r!(b);
                    r!(a) = match v {
                        Value::Int(i) => Value::Int(i.wrapping_neg()),
                        Value::Float(f) => Value::Float(-f),
                        _ => {
                            save!();
                            ops::unary(vm, UnOp::Unm, v)?
                        }
                    };
                }
                Instr::BNot { a, b } => {
                    let v = r!(b);
                    r!(a) = match v {
                        Value::Int(i) => Value::Int(!i),
                        _ => {
                            save!();
                            ops::unary(vm, UnOp::BNot, v)?
                        }
                    };
                }
                Instr::Not { a, b } => r!(a) = Value::Bool(!r!(b).truthy()),
                Instr::Len { a, b } => {
                    let v = r!(b);
                    let fast = match v {
                        Value::Str(s) => Some(Value::Int(vm.heap.get(s).len() as i64)),
                        Value::Table(t) => {
                            let tb = vm.heap.get(t);
                            tb.meta.is_none().then(|| Value::Int(tb.len()))
                        }
                        _ => None,
                    };
                    r!(a) = match fast {
                        Some(v) => v,
                        None => {
                            save!();
                            ops::len(vm, v)?
                        }
                    };
                }
                Instr::Concat { a, b } => {
                    let s = base + a.0 as usize;
                    let vals: Vec<Value> = vm.stack[s..s + b.0 as usize].to_vec();
                    save!();
                    let v = ops::concat(vm, &vals)?;
                    r!(a) = v;
                    vm.gc_check();
                }
                Instr::Jmp { sj } => {
                    pc = (pc as i64 + sj.0 as i64) as usize;
                    if T::PROFILE && sj.0 < 0 && T::back_edge(vm, fi, pc) {
                        vm.frames[fi].pc = pc as u32;
                        continue 'frame;
                    }
                }
                Instr::Eq { a, b, k } => {
                    let (x, y) = (r!(a), r!(b));
                    save!();
                    let c = ops::equals(vm, x, y)?;
                    cond_jump!(c, k);
                }
                Instr::Lt { a, b, k } => {
                    let c = compare!(lt_fast, ops::less_than, r!(a), r!(b));
                    cond_jump!(c, k);
                }
                Instr::Le { a, b, k } => {
                    let c = compare!(le_fast, ops::less_equal, r!(a), r!(b));
                    cond_jump!(c, k);
                }
                Instr::EqK { a, b, k } => {
                    let c = r!(a).raw_eq(&k!(b));
                    cond_jump!(c, k);
                }
                Instr::EqI { a, b, k } => {
                    let c = r!(a).raw_eq(&Value::Int(b.0 as i64));
                    cond_jump!(c, k);
                }
                Instr::LtI { a, b, k } => {
                    let c = compare!(lt_fast, ops::less_than, r!(a), Value::Int(b.0 as i64));
                    cond_jump!(c, k);
                }
                Instr::LeI { a, b, k } => {
                    let c = compare!(le_fast, ops::less_equal, r!(a), Value::Int(b.0 as i64));
                    cond_jump!(c, k);
                }
                Instr::GtI { a, b, k } => {
                    let c = compare!(lt_fast, ops::less_than, Value::Int(b.0 as i64), r!(a));
                    cond_jump!(c, k);
                }
                Instr::GeI { a, b, k } => {
                    let c = compare!(le_fast, ops::less_equal, Value::Int(b.0 as i64), r!(a));
                    cond_jump!(c, k);
                }
                Instr::Test { a, k } => cond_jump!(r!(a).truthy(), k),
                Instr::TestSet { a, b, k } => {
                    let v = r!(b);
                    if v.truthy() == k.0 {
                        r!(a) = v;
                        let w = next_word!();
                        pc = (pc as i64 + sj(w)) as usize;
                    } else {
                        pc += 1;
                    }
                }
                Instr::Call { a, b, c } => {
                    let func = base + a.0 as usize;
                    let nargs = if b.0 == 0 {
                        vm.pack_end.saturating_sub(func + 1)
                    } else {
                        b.0 as usize - 1
                    };
                    let nres = if c.0 == 0 { MULTI } else { (c.0 - 1) as u8 };
                    save!();
                    if vm.precall(func, nargs, nres)? {
                        continue 'frame;
                    }
                    vm.gc_check();
                }
                Instr::TailCall { a, b } => {
                    let func = base + a.0 as usize;
                    let nargs = if b.0 == 0 {
                        vm.pack_end.saturating_sub(func + 1)
                    } else {
                        b.0 as usize - 1
                    };
                    save!();
                    if !matches!(vm.stack[func], Value::LuaFn(_) | Value::NativeFn(_)) {
                        // Raise "attempt to call" from this frame.
                        vm.precall(func, nargs, 0)?;
                        return Err(internal(vm, "call of a non-function succeeded"));
                    }
                    if let Value::NativeFn(_) = vm.stack[func] {
                        // A native callee runs with this frame still in place, as in
                        // lua5.4, so its errors are positioned at this call.
                        vm.precall(func, nargs, MULTI)?;
                        let n = vm.pack_end - func;
                        do_return!(func, n);
                    }
                    if vm.open_upvals.last().is_some() {
                        vm.close_upvals(base);
                    }
                    let f = vm.frames[fi];
                    for i in 0..=nargs {
                        vm.stack[f.func + i] = vm.stack[func + i];
                    }
                    vm.frames.pop();
                    if vm.precall(f.func, nargs, f.nresults)? {
                        let top = vm.frames.len() - 1;
                        vm.frames[top].flags |= f.flags & FRAME_ENTRY;
                        continue 'frame;
                    }
                    if fi == entry {
                        return Ok(());
                    }
                    vm.gc_check();
                    continue 'frame;
                }
                Instr::Return { a, b } => {
                    let first = base + a.0 as usize;
                    let n = if b.0 == 0 {
                        vm.pack_end.saturating_sub(first)
                    } else {
                        b.0 as usize - 1
                    };
                    do_return!(first, n);
                }
                Instr::Return0 {} => do_return!(base, 0),
                Instr::Return1 { a } => do_return!(base + a.0 as usize, 1),
                Instr::ForPrep { a, sbx } => {
                    let s = base + a.0 as usize;
                    let mut slots = [vm.stack[s], vm.stack[s + 1], vm.stack[s + 2], Value::Nil];
                    save!();
                    let run = ops::for_prep(vm, &mut slots)?;
                    vm.stack[s..s + 4].copy_from_slice(&slots);
                    if !run {
                        pc = (pc as i64 + sbx.0 as i64) as usize;
                    }
                }
                Instr::ForLoop { a, sbx } => {
                    let s = base + a.0 as usize;
                    match (vm.stack[s], vm.stack[s + 1], vm.stack[s + 2]) {
                        (Value::Int(idx), Value::Int(count), Value::Int(step)) => {
                            if count != 0 {
                                let i = idx.wrapping_add(step);
                                vm.stack[s] = Value::Int(i);
                                vm.stack[s + 1] = Value::Int((count as u64 - 1) as i64);
                                vm.stack[s + 3] = Value::Int(i);
                                pc = (pc as i64 + sbx.0 as i64) as usize;
                                if T::PROFILE && T::back_edge(vm, fi, pc) {
                                    vm.frames[fi].pc = pc as u32;
                                    continue 'frame;
                                }
                            }
                        }
                        _ => {
                            let mut slots = [
                                vm.stack[s],
                                vm.stack[s + 1],
                                vm.stack[s + 2],
                                vm.stack[s + 3],
                            ];
                            if ops::for_step(&mut slots) {
                                vm.stack[s..s + 4].copy_from_slice(&slots);
                                pc = (pc as i64 + sbx.0 as i64) as usize;
                            }
                        }
                    }
                }
                Instr::TForCall { a, c } => {
                    let s = base + a.0 as usize;
                    vm.stack[s + 4] = vm.stack[s];
                    vm.stack[s + 5] = vm.stack[s + 1];
                    vm.stack[s + 6] = vm.stack[s + 2];
                    save!();
                    if vm.precall(s + 4, 2, c.0 as u8)? {
                        continue 'frame;
                    }
                    vm.gc_check();
                }
                Instr::TForLoop { a, sbx } => {
                    let s = base + a.0 as usize;
                    let v = vm.stack[s + 4];
                    if !v.is_nil() {
                        vm.stack[s + 2] = v;
                        pc = (pc as i64 + sbx.0 as i64) as usize;
                    }
                }
                Instr::SetList { a, b } => {
                    let w = next_word!();
                    let first = payload(w) as i64;
                    let t = base + a.0 as usize;
                    let end = if b.0 == 0 {
                        vm.pack_end.max(t + 1)
                    } else {
                        t + 1 + b.0 as usize
                    };
                    let Value::Table(tr) = vm.stack[t] else {
                        return Err(internal(vm, "SetList on a non-table"));
                    };
                    let Vm { heap, stack, .. } = &mut *vm;
                    let grew = heap.get_mut(tr).set_list(first, &stack[t + 1..end]);
                    heap.note_growth(grew);
                    vm.gc_check();
                }
                Instr::Closure { a, bx } => {
                    if bx.0 as usize >= vm.heap.get(proto).children.len() {
                        return Err(internal(vm, "bad child proc index"));
                    }
                    let v = vm.new_closure(cl, bx.0 as usize, base);
                    r!(a) = v;
                    vm.gc_check();
                }
                Instr::VarArg { a, c } => {
                    let nv = vm.frames[fi].nvarargs as usize;
                    let from = base - 1 - nv;
                    let to = base + a.0 as usize;
                    let n = if c.0 == 0 { nv } else { c.0 as usize - 1 };
                    if vm.stack.len() < to + n {
                        vm.check_stack(to + n)?;
                        vm.stack.resize(to + n, Value::Nil);
                    }
                    for i in 0..n {
                        vm.stack[to + i] = if i < nv {
                            vm.stack[from + i]
                        } else {
                            Value::Nil
                        };
                    }
                    if c.0 == 0 {
                        vm.pack_end = to + n;
                    }
                }
                Instr::Close { a } => vm.close_upvals(base + a.0 as usize),
                Instr::Tbc { a } => {
                    let v = r!(a);
                    if v.truthy() {
                        save!();
                        let name = local_name(vm, proto, a, pc);
                        let msg = format!("variable '{name}' got a non-closable value");
                        return Err(vm.rt_error(&msg));
                    }
                }
                Instr::ExtraArg { .. } => return Err(internal(vm, "stray ExtraArg")),
            }
        }
    }
}

/// The name of the local in register `r` at register pc `pc` (debug information).
#[cold]
fn local_name(
    vm: &Vm,
    proto: crate::runtime::GcRef<crate::runtime::function::FnProto>,
    r: Reg,
    pc: usize,
) -> String {
    let p = vm.heap.get(proto);
    let spc = p
        .ext
        .reg
        .get()
        .map_or(0, |c| c.stack_pc(pc.saturating_sub(1)));
    p.bc.locals
        .iter()
        .find(|l| l.slot == r.0 as u16 && l.start_pc <= spc + 1 && spc < l.end_pc)
        .map_or_else(|| "?".to_string(), |l| l.name.clone())
}
