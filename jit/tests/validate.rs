//! Validator rejections, builder misuse and the textual dump.

use apogee_jit::ir::{
    Block, BlockId, Callee, Cond, Function, HelperSig, Inst, IntBinOp, Reg, Terminator, Type, Var,
    MAX_REG,
};
use apogee_jit::{compile_for_target, validate, Builder, Jit, JitError};

fn one_block(vars: &[Type], insts: Vec<Inst>, term: Option<Terminator>) -> Function {
    Function {
        name: "t".to_string(),
        vars: vars.to_vec(),
        blocks: vec![Block { insts, term }],
        entries: vec![BlockId(0)],
        exit_live: Vec::new(),
        return_pcs: Vec::new(),
        helper_writes: Vec::new(),
    }
}

fn ret() -> Option<Terminator> {
    Some(Terminator::Return { value: 0 })
}

fn rejects(f: &Function, needle: &str) {
    match validate(f) {
        Ok(()) => panic!("accepted malformed IR:\n{f}"),
        Err(e) => assert!(
            e.to_string().contains(needle),
            "error {e:?} does not mention {needle:?}"
        ),
    }
}

#[test]
fn minimal_function_is_valid() {
    validate(&one_block(&[], vec![], ret())).expect("valid");
}

#[test]
fn rejects_structural_errors() {
    let mut f = one_block(&[], vec![], ret());
    f.blocks.clear();
    rejects(&f, "no blocks");

    let mut f = one_block(&[], vec![], ret());
    f.entries.clear();
    rejects(&f, "no entry");

    let mut f = one_block(&[], vec![], ret());
    f.entries.push(BlockId(3));
    rejects(&f, "b3 does not exist");

    rejects(&one_block(&[], vec![], None), "not terminated");
    rejects(
        &one_block(&[], vec![], Some(Terminator::Jump(BlockId(1)))),
        "b1 does not exist",
    );
    rejects(
        &one_block(
            &[Type::I8],
            vec![],
            Some(Terminator::Branch {
                cond: Var(0),
                then_to: BlockId(0),
                else_to: BlockId(9),
            }),
        ),
        "b9",
    );
}

#[test]
fn rejects_type_errors() {
    use Type::*;
    let cases: Vec<(Vec<Type>, Inst, &str)> = vec![
        (
            vec![],
            Inst::Iconst {
                dst: Var(0),
                value: 1,
            },
            "not declared",
        ),
        (
            vec![F64],
            Inst::Iconst {
                dst: Var(0),
                value: 1,
            },
            "f64",
        ),
        (
            vec![I8],
            Inst::Iconst {
                dst: Var(0),
                value: 300,
            },
            "fit i8",
        ),
        (
            vec![I64],
            Inst::Fconst {
                dst: Var(0),
                value: 1.0,
            },
            "expected f64",
        ),
        (
            vec![I64, F64],
            Inst::Copy {
                dst: Var(0),
                src: Var(1),
            },
            "type",
        ),
        (
            vec![I64],
            Inst::LoadTag {
                dst: Var(0),
                reg: Reg(0),
            },
            "expected i8",
        ),
        (
            vec![I64],
            Inst::LoadInt {
                dst: Var(0),
                reg: Reg(MAX_REG + 1),
            },
            "limit",
        ),
        (
            vec![F64],
            Inst::StoreInt {
                reg: Reg(0),
                src: Var(0),
            },
            "expected i64",
        ),
        (
            vec![I8, I8, I8],
            Inst::IntBin {
                op: IntBinOp::Mul,
                dst: Var(0),
                a: Var(1),
                b: Var(2),
            },
            "Mul on type i8",
        ),
        (
            vec![F64, F64, F64],
            Inst::IntBin {
                op: IntBinOp::Add,
                dst: Var(0),
                a: Var(1),
                b: Var(2),
            },
            "f64",
        ),
        (
            vec![I8, F64, F64],
            Inst::FloatCmp {
                cond: Cond::Ult,
                dst: Var(0),
                a: Var(1),
                b: Var(2),
            },
            "not valid on floats",
        ),
        (
            vec![I8, F64, F64],
            Inst::IntCmp {
                cond: Cond::Lt,
                dst: Var(0),
                a: Var(1),
                b: Var(2),
            },
            "floats",
        ),
        (
            vec![I64, I64, I64, I64],
            Inst::Select {
                dst: Var(0),
                cond: Var(1),
                a: Var(2),
                b: Var(3),
            },
            "expected i8",
        ),
        (
            vec![I64],
            Inst::Guard {
                cond: Var(0),
                exit_pc: 0,
            },
            "expected i8",
        ),
        (
            vec![I64, I64],
            Inst::FloatToInt {
                dst: Var(0),
                ok: Var(1),
                src: Var(1),
            },
            "expected i8",
        ),
        (
            vec![I64],
            Inst::CallHelper {
                addr: 0,
                sig: HelperSig::new(&[], &[]),
                args: vec![],
                results: vec![],
                live_pc: None,
            },
            "null",
        ),
        (
            vec![I64],
            Inst::CallHelper {
                addr: 16,
                sig: HelperSig::new(&[I64, I64], &[]),
                args: vec![Var(0)],
                results: vec![],
                live_pc: None,
            },
            "2 arguments, 1 given",
        ),
        (
            vec![I64],
            Inst::CallHelper {
                addr: 16,
                sig: HelperSig::new(&[F64], &[]),
                args: vec![Var(0)],
                results: vec![],
                live_pc: None,
            },
            "expected f64",
        ),
        (
            vec![I64],
            Inst::CallHelper {
                addr: 16,
                sig: HelperSig::new(&[], &[I64, I64]),
                args: vec![],
                results: vec![Var(0), Var(0)],
                live_pc: None,
            },
            "more than one result",
        ),
        (
            vec![I64],
            Inst::CallHelper {
                addr: 16,
                sig: HelperSig::new(&[I64; 9], &[]),
                args: vec![Var(0); 9],
                results: vec![],
                live_pc: None,
            },
            "at most 8",
        ),
        (
            vec![I64],
            Inst::CallNative {
                callee: Callee::Addr(0),
                window: Reg(1),
                result: Var(0),
                exit_pc: 0,
            },
            "null",
        ),
        (
            vec![I8],
            Inst::StoreValue {
                reg: Reg(0),
                tag: 2,
                src: Var(0),
            },
            "expected i64 or f64",
        ),
        (
            vec![I64, F64],
            Inst::CallNative {
                callee: Callee::Dyn(Var(1)),
                window: Reg(1),
                result: Var(0),
                exit_pc: 0,
            },
            "expected i64",
        ),
        (
            vec![F64],
            Inst::CallNative {
                callee: Callee::SelfFn,
                window: Reg(1),
                result: Var(0),
                exit_pc: 0,
            },
            "expected i64",
        ),
        (
            vec![I8],
            Inst::ExitIfNonzero { code: Var(0) },
            "expected i64",
        ),
    ];
    for (vars, inst, needle) in cases {
        rejects(&one_block(&vars, vec![inst], ret()), needle);
    }
    rejects(
        &one_block(
            &[Type::F64],
            vec![],
            Some(Terminator::ReturnCode {
                code: Var(0),
                live_pc: None,
            }),
        ),
        "expected i64",
    );
}

#[test]
fn compile_reports_malformed_ir_as_error() {
    let f = one_block(&[], vec![], None);
    let mut jit = Jit::new().expect("host");
    assert!(matches!(jit.compile(&f), Err(JitError::Ir(_))));
    assert!(matches!(
        compile_for_target(&f, "aarch64-unknown-linux-gnu"),
        Err(JitError::Ir(_))
    ));
}

#[test]
fn unknown_or_32_bit_targets_are_errors() {
    let f = one_block(&[], vec![], ret());
    assert!(matches!(
        compile_for_target(&f, "no-such-target"),
        Err(JitError::Unsupported(_))
    ));
    assert!(matches!(
        compile_for_target(&f, "riscv32-unknown-linux-gnu"),
        Err(JitError::Unsupported(_))
    ));
    assert!(compile_for_target(&f, "x86_64-unknown-linux-gnu").is_ok());
}

#[test]
fn builder_misuse_is_an_error() {
    let mut b = Builder::new("twice");
    b.ret(0);
    b.ret(1);
    assert!(b.finish().is_err());

    let mut b = Builder::new("after");
    b.ret(0);
    b.iconst(1);
    assert!(b.finish().is_err());

    let mut b = Builder::new("dangling");
    let next = b.block();
    b.jump(next);
    assert!(b
        .finish()
        .unwrap_err()
        .to_string()
        .contains("not terminated"));

    let mut b = Builder::new("nowhere");
    b.switch_to(BlockId(40));
    b.ret(0);
    assert!(b.finish().is_err());
}

#[test]
fn dump_is_readable() {
    let mut b = Builder::new("dump");
    let x = b.load_int(Reg(0));
    let one = b.iconst(1);
    let y = b.int_bin(IntBinOp::Add, x, one);
    let c = b.icmp(Cond::Lt, y, one);
    b.guard(c, 7);
    b.store_int(Reg(1), y);
    let body = b.block();
    b.jump(body);
    b.switch_to(body);
    let code = b.call_native(Callee::SelfFn, Reg(4), 9);
    b.exit_if_nonzero(code);
    b.exit(12);
    let entry = b.add_entry(body);
    assert_eq!(entry, 1);
    let f = b.finish().expect("valid");
    let text = f.to_string();
    let want = "\
function dump entries [b0, b1]
  var v0: i64
  var v1: i64
  var v2: i64
  var v3: i8
  var v4: i64
b0:
  v0 = load_int r0
  v1 = iconst 1
  v2 = iadd v0, v1
  v3 = icmp lt v2, v1
  guard v3 else exit 7
  store_int r1, v2
  jump b1
b1:
  v4 = call_native self window r4 else exit 9
  exit_if_nonzero v4
  exit 12
";
    assert_eq!(text, want);
}

#[test]
fn jit_handles_can_move_between_threads() {
    fn assert_send<T: Send>() {}
    assert_send::<Jit>();
    assert_send::<apogee_jit::CompiledFn>();
    assert_send::<Function>();
}
