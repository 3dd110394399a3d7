//! The stack engine on hand-built procs.

use crate::bytecode::*;
use crate::runtime::ops;
use crate::runtime::value::Value;
use crate::runtime::vm::Vm;

struct P {
    params: u8,
    vararg: bool,
    locals: Vec<(&'static str, u16)>,
    num_locals: u16,
    upvals: Vec<(&'static str, bool, u16)>,
    consts: Vec<Constant>,
    code: Vec<Op>,
    protos: Vec<Proto>,
}

impl Default for P {
    fn default() -> Self {
        P {
            params: 0,
            vararg: false,
            locals: vec![],
            num_locals: 0,
            upvals: vec![("_ENV", false, 0)],
            consts: vec![],
            code: vec![],
            protos: vec![],
        }
    }
}

impl P {
    fn build(self) -> Proto {
        let n = self.code.len() as u32;
        Proto {
            line_defined: 0,
            last_line: 0,
            num_params: self.params,
            is_vararg: self.vararg,
            num_locals: self.num_locals,
            max_stack: 16,
            upvals: self
                .upvals
                .into_iter()
                .map(|(name, in_parent_local, index)| UpvalDesc {
                    in_parent_local,
                    index,
                    name: name.into(),
                })
                .collect(),
            consts: self.consts,
            lines: (1..=n).collect(),
            code: self.code,
            locals: self
                .locals
                .into_iter()
                .map(|(name, slot)| LocalInfo {
                    name: name.into(),
                    slot,
                    start_pc: 0,
                    end_pc: n,
                })
                .collect(),
            protos: self.protos,
        }
    }
}

fn s(x: &str) -> Constant {
    Constant::Str(x.as_bytes().to_vec())
}

fn vm() -> Vm {
    let mut vm = Vm::new();
    vm.engine = crate::stack::engine();
    vm.heap.stress = true;
    vm
}

/// Runs a main proc with arguments and returns its results (or the error text).
fn run_with(vm: &mut Vm, main: Proto, args: &[Value]) -> Result<Vec<Value>, String> {
    let module = Module {
        chunkname: "=test".into(),
        main,
    };
    let f = vm.load_module(module).map_err(|e| e.0)?;
    match vm.call_value(f, args, MULTI) {
        Ok(v) => Ok(v),
        Err(e) => {
            let mut out = Vec::new();
            ops::tostring_bytes(vm, e.value, &mut out).unwrap();
            Err(String::from_utf8(out).unwrap())
        }
    }
}

fn run(main: Proto) -> Result<Vec<Value>, String> {
    run_with(&mut vm(), main, &[])
}

fn ints(r: Result<Vec<Value>, String>) -> Vec<i64> {
    r.unwrap()
        .into_iter()
        .map(|v| match v {
            Value::Int(i) => i,
            other => panic!("not an integer: {other:?}"),
        })
        .collect()
}

fn l(i: u16) -> LocalSlot {
    LocalSlot(i)
}

fn k(i: u32) -> ConstIdx {
    ConstIdx(i)
}

fn call(argc: u8, results: u8) -> Op {
    Op::Call {
        argc,
        pack: false,
        results,
    }
}

fn ret(count: u8) -> Op {
    Op::Return { count, pack: false }
}

fn arith(op: ArithOp) -> Op {
    Op::Arith { op }
}

/// `local s = 0; for i = 1, limit, step do s = s + i end; return s`
fn sum_loop(limit: Op, step: Op) -> Proto {
    P {
        num_locals: 5,
        locals: vec![("s", 0), ("i", 4)],
        code: vec![
            Op::PushInt { value: 0 },
            Op::SetLocal { slot: l(0) },
            Op::PushInt { value: 1 },
            Op::SetLocal { slot: l(1) },
            limit,
            Op::SetLocal { slot: l(2) },
            step,
            Op::SetLocal { slot: l(3) },
            Op::ForPrep {
                base: l(1),
                exit: Target(14),
            },
            Op::GetLocal { slot: l(0) },
            Op::GetLocal { slot: l(4) },
            arith(ArithOp::Add),
            Op::SetLocal { slot: l(0) },
            Op::ForLoop {
                base: l(1),
                body: Target(9),
            },
            Op::GetLocal { slot: l(0) },
            ret(1),
        ],
        consts: vec![Constant::Float(0.5), Constant::Float(2.0)],
        ..P::default()
    }
    .build()
}

#[test]
fn loop_sums_numbers() {
    let r = run(sum_loop(
        Op::PushInt { value: 100 },
        Op::PushInt { value: 1 },
    ));
    assert_eq!(ints(r), [5050]);
    let r = run(sum_loop(Op::PushInt { value: 0 }, Op::PushInt { value: 1 }));
    assert_eq!(ints(r), [0]);
    // for i = 1, 2, 0.5: 1 + 1.5 + 2
    let r = run(sum_loop(
        Op::PushInt { value: 2 },
        Op::PushConst { idx: k(0) },
    ))
    .unwrap();
    assert!(r[0].raw_eq(&Value::Float(4.5)));
    let e = run(sum_loop(Op::PushInt { value: 2 }, Op::PushInt { value: 0 })).unwrap_err();
    assert_eq!(e, "test:9: 'for' step is zero");
    let mut vm = vm();
    vm.counters.instructions = 0;
    run_with(
        &mut vm,
        sum_loop(Op::PushInt { value: 10 }, Op::PushInt { value: 1 }),
        &[],
    )
    .unwrap();
    assert_eq!(vm.counters.instructions, 9 + 10 * 5 + 2);
}

/// `function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end`
fn fib_proto() -> Proto {
    P {
        params: 1,
        num_locals: 1,
        locals: vec![("n", 0)],
        consts: vec![s("fib")],
        code: vec![
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 2 },
            Op::Compare { op: CmpOp::Lt },
            Op::JumpIfFalse { target: Target(6) },
            Op::GetLocal { slot: l(0) },
            ret(1),
            Op::GetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 1 },
            arith(ArithOp::Sub),
            call(1, 1),
            Op::GetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 2 },
            arith(ArithOp::Sub),
            call(1, 1),
            arith(ArithOp::Add),
            ret(1),
        ],
        ..P::default()
    }
    .build()
}

#[test]
fn recursive_call() {
    let main = P {
        consts: vec![s("fib")],
        code: vec![
            Op::Closure { proto: ProtoIdx(0) },
            Op::SetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::GetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::PushInt { value: 20 },
            call(1, 1),
            ret(1),
        ],
        protos: vec![fib_proto()],
        ..P::default()
    }
    .build();
    assert_eq!(ints(run(main)), [6765]);
}

#[test]
fn varargs_and_packs() {
    // function f(a, ...) return ..., a end   (the pack must come last: `return a, ...`)
    let f = P {
        params: 1,
        vararg: true,
        num_locals: 1,
        code: vec![
            Op::GetLocal { slot: l(0) },
            Op::VarArg { count: MULTI },
            Op::Return {
                count: 1,
                pack: true,
            },
        ],
        ..P::default()
    }
    .build();
    // function g(...) local x, y = ...; return y, x end
    let g = P {
        vararg: true,
        num_locals: 2,
        code: vec![
            Op::VarArg { count: 2 },
            Op::SetLocal { slot: l(1) },
            Op::SetLocal { slot: l(0) },
            Op::GetLocal { slot: l(1) },
            Op::GetLocal { slot: l(0) },
            ret(2),
        ],
        ..P::default()
    }
    .build();
    // return f(1, 2, 3), then g(f(7, 8, 9)) and main's own varargs
    let main = P {
        vararg: true,
        num_locals: 2,
        code: vec![
            Op::Closure { proto: ProtoIdx(0) },
            Op::SetLocal { slot: l(0) },
            Op::Closure { proto: ProtoIdx(1) },
            Op::SetLocal { slot: l(1) },
            Op::GetLocal { slot: l(1) }, // g
            Op::GetLocal { slot: l(0) }, // f
            Op::PushInt { value: 7 },
            Op::PushInt { value: 8 },
            Op::PushInt { value: 9 },
            call(3, MULTI),
            Op::Call {
                argc: 0,
                pack: true,
                results: 2,
            }, // g(7, 8, 9) -> 8, 7
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 1 },
            Op::VarArg { count: MULTI },
            Op::Call {
                argc: 1,
                pack: true,
                results: MULTI,
            }, // f(1, ...) -> 1, ...
            Op::Return {
                count: 2,
                pack: true,
            },
        ],
        protos: vec![f, g],
        ..P::default()
    }
    .build();
    let r = run_with(&mut vm(), main, &[Value::Int(40), Value::Int(50)]);
    assert_eq!(ints(r), [8, 7, 1, 40, 50]);
}

#[test]
fn closures_share_upvalues() {
    // function make() local n = 0; return function() n = n + 1; return n end,
    //                                     function() return n end end
    let inc = P {
        upvals: vec![("n", true, 0)],
        code: vec![
            Op::GetUpval { idx: UpvalIdx(0) },
            Op::PushInt { value: 1 },
            arith(ArithOp::Add),
            Op::SetUpval { idx: UpvalIdx(0) },
            Op::GetUpval { idx: UpvalIdx(0) },
            ret(1),
        ],
        ..P::default()
    }
    .build();
    let get = P {
        upvals: vec![("n", true, 0)],
        code: vec![Op::GetUpval { idx: UpvalIdx(0) }, ret(1)],
        ..P::default()
    }
    .build();
    let make = P {
        num_locals: 1,
        upvals: vec![],
        code: vec![
            Op::PushInt { value: 0 },
            Op::SetLocal { slot: l(0) },
            Op::Closure { proto: ProtoIdx(0) },
            Op::Closure { proto: ProtoIdx(1) },
            ret(2),
        ],
        protos: vec![inc, get.clone()],
        ..P::default()
    }
    .build();
    // local x = 10; local function dbl() x = x * 2 end  (open upvalue on main's x)
    let dbl = P {
        upvals: vec![("x", true, 3)],
        code: vec![
            Op::GetUpval { idx: UpvalIdx(0) },
            Op::PushInt { value: 2 },
            arith(ArithOp::Mul),
            Op::SetUpval { idx: UpvalIdx(0) },
            ret(0),
        ],
        ..P::default()
    }
    .build();
    let main = P {
        num_locals: 5,
        code: vec![
            Op::Closure { proto: ProtoIdx(0) },
            Op::SetLocal { slot: l(0) },
            Op::GetLocal { slot: l(0) },
            call(0, 2),
            Op::SetLocal { slot: l(2) },
            Op::SetLocal { slot: l(1) },
            Op::GetLocal { slot: l(1) },
            call(0, 0),
            Op::GetLocal { slot: l(1) },
            call(0, 0),
            Op::PushInt { value: 10 },
            Op::SetLocal { slot: l(3) },
            Op::Closure { proto: ProtoIdx(1) },
            Op::SetLocal { slot: l(4) },
            Op::GetLocal { slot: l(4) },
            call(0, 0),
            Op::GetLocal { slot: l(4) },
            call(0, 0),
            Op::Close { slot: l(3) },
            Op::PushInt { value: 1 },
            Op::SetLocal { slot: l(3) }, // after Close the closure no longer sees x
            Op::GetLocal { slot: l(2) },
            call(0, 1),
            Op::GetLocal { slot: l(4) },
            call(0, 0),
            Op::GetLocal { slot: l(3) },
            ret(2),
        ],
        protos: vec![make, dbl],
        ..P::default()
    }
    .build();
    assert_eq!(ints(run(main)), [2, 1]);
}

#[test]
fn error_messages_name_variables() {
    // return x + 1
    let main = P {
        consts: vec![s("x")],
        code: vec![
            Op::GetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::PushInt { value: 1 },
            arith(ArithOp::Add),
            ret(1),
        ],
        ..P::default()
    }
    .build();
    assert_eq!(
        run(main).unwrap_err(),
        "test:3: attempt to perform arithmetic on a nil value (global 'x')"
    );
    // local f; f()
    let main = P {
        num_locals: 1,
        locals: vec![("f", 0)],
        code: vec![Op::GetLocal { slot: l(0) }, call(0, 0), ret(0)],
        ..P::default()
    }
    .build();
    assert_eq!(
        run(main).unwrap_err(),
        "test:2: attempt to call a nil value (local 'f')"
    );
    // t = {}; return t.x.y, with the error two calls deep through a tail call
    let inner = P {
        consts: vec![s("t"), s("x"), s("y")],
        code: vec![
            Op::GetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::GetField { key: k(1) },
            Op::GetField { key: k(2) },
            ret(1),
        ],
        ..P::default()
    }
    .build();
    let main = P {
        consts: vec![s("t")],
        code: vec![
            Op::NewTable { array: 0, hash: 0 },
            Op::SetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::Closure { proto: ProtoIdx(0) },
            Op::TailCall {
                argc: 0,
                pack: false,
            },
        ],
        protos: vec![inner],
        ..P::default()
    }
    .build();
    assert_eq!(
        run(main).unwrap_err(),
        "test:3: attempt to index a nil value (field 'x')"
    );
    // ("a" .. nil_local)
    let main = P {
        num_locals: 1,
        locals: vec![("z", 0)],
        consts: vec![s("a")],
        code: vec![
            Op::PushConst { idx: k(0) },
            Op::GetLocal { slot: l(0) },
            Op::Concat { n: 2 },
            ret(1),
        ],
        ..P::default()
    }
    .build();
    assert_eq!(
        run(main).unwrap_err(),
        "test:3: attempt to concatenate a nil value (local 'z')"
    );
}

#[test]
fn tail_calls_run_in_constant_space() {
    // function loop(n) if n == 0 then return 42 end return loop(n - 1) end
    let lp = P {
        params: 1,
        num_locals: 1,
        consts: vec![s("loop")],
        code: vec![
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 0 },
            Op::Compare { op: CmpOp::Eq },
            Op::JumpIfFalse { target: Target(6) },
            Op::PushInt { value: 42 },
            ret(1),
            Op::GetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 1 },
            arith(ArithOp::Sub),
            Op::TailCall {
                argc: 1,
                pack: false,
            },
        ],
        ..P::default()
    }
    .build();
    let main = P {
        consts: vec![s("loop")],
        code: vec![
            Op::Closure { proto: ProtoIdx(0) },
            Op::SetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::GetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::PushInt { value: 2_000_000 },
            call(1, 1),
            ret(1),
        ],
        protos: vec![lp],
        ..P::default()
    }
    .build();
    let mut vm = Vm::new();
    vm.engine = crate::stack::engine();
    assert_eq!(ints(run_with(&mut vm, main, &[])), [42]);
    assert!(vm.frames.is_empty());
}

#[test]
fn deep_recursion_is_a_stack_overflow() {
    // function r(n) return 1 + r(n) end
    let r = P {
        params: 1,
        num_locals: 1,
        consts: vec![s("r")],
        code: vec![
            Op::PushInt { value: 1 },
            Op::GetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::GetLocal { slot: l(0) },
            call(1, 1),
            arith(ArithOp::Add),
            ret(1),
        ],
        ..P::default()
    }
    .build();
    let main = P {
        consts: vec![s("r")],
        code: vec![
            Op::Closure { proto: ProtoIdx(0) },
            Op::SetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::GetUpField {
                upval: UpvalIdx(0),
                key: k(0),
            },
            Op::PushInt { value: 1 },
            call(1, 1),
            ret(1),
        ],
        protos: vec![r],
        ..P::default()
    }
    .build();
    let mut vm = Vm::new();
    vm.engine = crate::stack::engine();
    let e = run_with(&mut vm, main, &[]).unwrap_err();
    assert!(e.contains("stack overflow"), "{e}");
}

fn native_iter(vm: &mut Vm) -> Result<usize, crate::runtime::LuaError> {
    match vm.arg(1) {
        Value::Int(i) if i < 3 => {
            vm.push(Value::Int(i + 1));
            vm.push(Value::Int(i * 10));
            Ok(2)
        }
        _ => {
            vm.push(Value::Nil);
            Ok(1)
        }
    }
}

#[test]
fn generic_for_with_lua_and_native_iterators() {
    // local acc = 0; for i, j in iter, nil, 0 do acc = acc + i + j end; return acc
    // (L[1..4] the loop state, L[5], L[6] the loop variables, L[7] acc)
    let main = P {
        num_locals: 8,
        params: 1,
        code: vec![
            Op::PushInt { value: 0 },
            Op::SetLocal { slot: l(7) },
            Op::GetLocal { slot: l(0) },
            Op::SetLocal { slot: l(1) },
            Op::PushNil { n: 1 },
            Op::SetLocal { slot: l(2) },
            Op::PushInt { value: 0 },
            Op::SetLocal { slot: l(3) },
            Op::Jump { target: Target(17) },
            // 9: body: acc = acc + i + j
            Op::GetLocal { slot: l(7) },
            Op::GetLocal { slot: l(5) },
            arith(ArithOp::Add),
            Op::GetLocal { slot: l(6) },
            arith(ArithOp::Add),
            Op::SetLocal { slot: l(7) },
            Op::Nop {},
            Op::Nop {},
            // 17
            Op::TForCall {
                base: l(1),
                nvars: 2,
            },
            Op::TForLoop {
                base: l(1),
                body: Target(9),
            },
            Op::GetLocal { slot: l(7) },
            ret(1),
        ],
        ..P::default()
    }
    .build();
    // 1+0 + 2+10 + 3+20 = 36, with the Lua iterator and with a native one.
    let mut vm = vm();
    let lua_iter = {
        let m = Module {
            chunkname: "=iter".into(),
            main: P {
                code: vec![Op::Closure { proto: ProtoIdx(0) }, ret(1)],
                protos: vec![P {
                    params: 2,
                    num_locals: 2,
                    code: vec![
                        Op::GetLocal { slot: l(1) },
                        Op::PushInt { value: 3 },
                        Op::Compare { op: CmpOp::Lt },
                        Op::JumpIfFalse { target: Target(11) },
                        Op::GetLocal { slot: l(1) },
                        Op::PushInt { value: 1 },
                        arith(ArithOp::Add),
                        Op::GetLocal { slot: l(1) },
                        Op::PushInt { value: 10 },
                        arith(ArithOp::Mul),
                        ret(2),
                        ret(0),
                    ],
                    ..P::default()
                }
                .build()],
                ..P::default()
            }
            .build(),
        };
        let f = vm.load_module(m).unwrap();
        vm.call_value(f, &[], 1).unwrap()[0]
    };
    vm.host_roots.push(lua_iter);
    assert_eq!(ints(run_with(&mut vm, main.clone(), &[lua_iter])), [36]);
    let nat = vm.native_fn("iter", native_iter);
    assert_eq!(ints(run_with(&mut vm, main.clone(), &[nat])), [36]);
    let e = run_with(&mut vm, main, &[Value::Nil]).unwrap_err();
    assert_eq!(
        e,
        "test:18: attempt to call a nil value (for iterator 'for iterator')"
    );
}

#[test]
fn tables_and_setlist() {
    // local t = {10, 20, f()}; t.k = #t; return t[1], t[3], t[4], t.k
    let f = P {
        code: vec![Op::PushInt { value: 30 }, Op::PushInt { value: 40 }, ret(2)],
        ..P::default()
    }
    .build();
    let main = P {
        num_locals: 1,
        consts: vec![s("k")],
        code: vec![
            Op::NewTable { array: 3, hash: 0 },
            Op::PushInt { value: 10 },
            Op::PushInt { value: 20 },
            Op::Closure { proto: ProtoIdx(0) },
            call(0, MULTI),
            Op::SetList {
                count: 2,
                pack: true,
                first: 1,
            },
            Op::SetLocal { slot: l(0) },
            Op::GetLocal { slot: l(0) },
            Op::GetLocal { slot: l(0) },
            Op::Unary { op: UnOp::Len },
            Op::SetField { key: k(0) },
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 1 },
            Op::GetTable {},
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 3 },
            Op::GetTable {},
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 4 },
            Op::GetTable {},
            Op::GetLocal { slot: l(0) },
            Op::GetField { key: k(0) },
            ret(4),
        ],
        protos: vec![f],
        ..P::default()
    }
    .build();
    assert_eq!(ints(run(main)), [10, 30, 40, 4]);
}

#[test]
fn tbc_needs_a_close_metamethod() {
    // nil is accepted; a number is not (no debug information: the name is `?`).
    let main = P {
        num_locals: 1,
        code: vec![
            Op::Tbc { slot: l(0) },
            Op::PushInt { value: 42 },
            Op::SetLocal { slot: l(0) },
            Op::Tbc { slot: l(0) },
            ret(0),
        ],
        ..P::default()
    }
    .build();
    assert_eq!(
        run(main).unwrap_err(),
        "test:4: variable '?' got a non-closable value"
    );
}
