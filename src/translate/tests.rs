//! Golden disassembly of small hand-built procs. Each expected text was checked by eye.

use super::build::*;
use super::*;
use crate::bytecode::op::*;
use crate::bytecode::{Constant, Proto};
use crate::isa::disassemble;
use crate::isa::{Count, Flag, Imm, Instr, JumpOffset, Reg, RegCode};

fn dis(p: &Proto, opts: TranslateOptions) -> String {
    let code = translate_proto(p, opts).expect("translates");
    let mut text = disassemble(&code, Some(&p.consts));
    // Strip the pc and line columns' leading spaces for readable expectations.
    text = text
        .lines()
        .map(|l| l.trim_start().to_string() + "\n")
        .collect();
    text
}

fn check(p: &Proto, opts: TranslateOptions, want: &str) {
    let have = dis(p, opts);
    let want: String = want
        .lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(|l| l.to_string() + "\n")
        .collect();
    assert_eq!(have, want, "\n--- have ---\n{have}--- want ---\n{want}");
}

const ALL: TranslateOptions = TranslateOptions::ALL;
const NONE: TranslateOptions = TranslateOptions::NONE;

/// local a = 1; local b = a + 2; return b
fn locals_arith() -> Proto {
    proto(
        0,
        false,
        2,
        vec![],
        vec![
            Op::PushInt { value: 1 },
            Op::SetLocal { slot: l(0) },
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 2 },
            Op::Arith { op: ArithOp::Add },
            Op::SetLocal { slot: l(1) },
            Op::GetLocal { slot: l(1) },
            Op::Return {
                count: 1,
                pack: false,
            },
        ],
    )
}

#[test]
fn locals_and_arith_all_passes() {
    check(
        &locals_arith(),
        ALL,
        "0 [2] LoadI     r0 #1
         1 [5] AddI      r1 r0 #2
         2 [8] Return1   r1",
    );
}

#[test]
fn locals_and_arith_no_passes() {
    check(
        &locals_arith(),
        NONE,
        "0 [1] LoadI     r2 #1
         1 [2] Move      r0 r2
         2 [3] Move      r2 r0
         3 [4] LoadI     r3 #2
         4 [5] Add       r2 r2 r3
         5 [6] Move      r1 r2
         6 [7] Move      r2 r1
         7 [8] Return1   r2",
    );
}

/// print(x, "hi") with x a local
fn global_call() -> Proto {
    main_proto(
        1,
        vec![s("print"), s("hi")],
        vec![
            Op::GetUpField {
                upval: u(0),
                key: k(0),
            },
            Op::GetLocal { slot: l(0) },
            Op::PushConst { idx: k(1) },
            Op::Call {
                argc: 2,
                pack: false,
                results: 0,
            },
            Op::Return {
                count: 0,
                pack: false,
            },
        ],
    )
}

#[test]
fn global_call_materialises_arguments() {
    check(
        &global_call(),
        ALL,
        "0 [1] GetTabUp  r1 u0 k0 ; \"print\"
         1 [4] Move      r2 r0
         2 [4] LoadK     r3 k1 ; \"hi\"
         3 [4] Call      r1 3 1
         4 [5] Return0",
    );
}

/// function(a, b) if a < b then return a else return b end end
fn if_less() -> Proto {
    proto(
        2,
        false,
        2,
        vec![],
        vec![
            Op::GetLocal { slot: l(0) },
            Op::GetLocal { slot: l(1) },
            Op::Compare { op: CmpOp::Lt },
            Op::JumpIfFalse { target: t(6) },
            Op::GetLocal { slot: l(0) },
            Op::Return {
                count: 1,
                pack: false,
            },
            Op::GetLocal { slot: l(1) },
            Op::Return {
                count: 1,
                pack: false,
            },
        ],
    )
}

#[test]
fn compare_and_branch_fuse() {
    check(
        &if_less(),
        ALL,
        "0 [3] Lt        r0 r1 !k
         1 [3] Jmp       ->3
         2 [6] Return1   r0
         3 [8] Return1   r1",
    );
}

#[test]
fn compare_and_branch_unfused() {
    let opts = TranslateOptions {
        fusion: false,
        ..ALL
    };
    check(
        &if_less(),
        opts,
        "0 [3] Lt        r0 r1 k
         1 [3] Jmp       ->4
         2 [3] LoadFalse r2
         3 [3] Jmp       ->5
         4 [3] LoadTrue  r2
         5 [4] Test      r2 !k
         6 [4] Jmp       ->8
         7 [6] Return1   r0
         8 [8] Return1   r1",
    );
}

/// function(n) local s = 0; for i = 1, n do s = s + i end; return s end
pub(crate) fn sum_loop() -> Proto {
    proto(
        1,
        false,
        6,
        vec![],
        vec![
            Op::PushInt { value: 0 },
            Op::SetLocal { slot: l(1) },
            Op::PushInt { value: 1 },
            Op::SetLocal { slot: l(2) },
            Op::GetLocal { slot: l(0) },
            Op::SetLocal { slot: l(3) },
            Op::PushInt { value: 1 },
            Op::SetLocal { slot: l(4) },
            Op::ForPrep {
                base: l(2),
                exit: t(14),
            },
            Op::GetLocal { slot: l(1) },
            Op::GetLocal { slot: l(5) },
            Op::Arith { op: ArithOp::Add },
            Op::SetLocal { slot: l(1) },
            Op::ForLoop {
                base: l(2),
                body: t(9),
            },
            Op::GetLocal { slot: l(1) },
            Op::Return {
                count: 1,
                pack: false,
            },
        ],
    )
}

#[test]
fn numeric_for_loop() {
    check(
        &sum_loop(),
        ALL,
        "0 [2] LoadI     r1 #0
         1 [4] LoadI     r2 #1
         2 [6] Move      r3 r0
         3 [8] LoadI     r4 #1
         4 [9] ForPrep   r2 ->7
         5 [12] AddForLoop r1 r1 r5
         6 [14] ForLoop   r2 ->5
         7 [16] Return1   r1",
    );
}

/// local a, b = 1, 2; a, b = b, a   (the pending read of `a` is copied before the write)
fn swap() -> Proto {
    proto(
        0,
        false,
        2,
        vec![],
        vec![
            Op::PushInt { value: 1 },
            Op::SetLocal { slot: l(0) },
            Op::PushInt { value: 2 },
            Op::SetLocal { slot: l(1) },
            Op::GetLocal { slot: l(1) },
            Op::GetLocal { slot: l(0) },
            Op::SetLocal { slot: l(1) },
            Op::SetLocal { slot: l(0) },
            Op::GetLocal { slot: l(0) },
            Op::GetLocal { slot: l(1) },
            Op::Return {
                count: 2,
                pack: false,
            },
        ],
    )
}

#[test]
fn pending_local_is_copied_before_overwrite() {
    check(
        &swap(),
        ALL,
        "0 [2] LoadI     r0 #1
         1 [4] LoadI     r1 #2
         2 [7] MoveMove  r2 r1
         3 [7] Move      r1 r0
         4 [8] MoveMove  r0 r2
         5 [11] Move      r2 r0
         6 [11] Move      r3 r1
         7 [11] Return    r2 3",
    );
}

/// local t = {10, 20, x = 1}; return t[1] + t.x, t[300]
fn table_ctor() -> Proto {
    proto(
        0,
        false,
        1,
        vec![s("x"), Constant::Int(300)],
        vec![
            Op::NewTable { array: 2, hash: 1 },
            Op::PushInt { value: 10 },
            Op::PushInt { value: 20 },
            Op::SetList {
                count: 2,
                pack: false,
                first: 1,
            },
            Op::PushInt { value: 1 },
            Op::SetFieldAt {
                depth: 0,
                key: k(0),
            },
            Op::SetLocal { slot: l(0) },
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 1 },
            Op::GetTable {},
            Op::GetLocal { slot: l(0) },
            Op::GetField { key: k(0) },
            Op::Arith { op: ArithOp::Add },
            Op::GetLocal { slot: l(0) },
            Op::PushConst { idx: k(1) },
            Op::GetTable {},
            Op::Return {
                count: 2,
                pack: false,
            },
        ],
    )
}

#[test]
fn table_constructor_and_indexing() {
    // SetField's value is a constant: it is loaded into the canonical register first.
    check(
        &table_ctor(),
        ALL,
        "0 [1] NewTable  r1 1 2
         1 [1] ExtraArg  0
         2 [4] LoadI     r2 #10
         3 [4] LoadI     r3 #20
         4 [4] SetList   r1 2
         5 [4] ExtraArg  1
         6 [6] LoadI     r2 #1
         7 [6] SetField  r1 k0 r2 ; \"x\"
         8 [7] Move      r0 r1
         9 [10] GetI      r1 r0 1
        10 [12] GetField  r2 r0 k0 ; \"x\"
        11 [13] AddLoadK  r1 r1 r2
        12 [16] LoadK     r3 k1 ; 300
        13 [16] GetTable  r2 r0 r3
        14 [17] Return    r1 3",
    );
}

/// obj:m(1) with obj a local
fn method_call() -> Proto {
    proto(
        1,
        false,
        1,
        vec![s("m")],
        vec![
            Op::GetLocal { slot: l(0) },
            Op::Method { key: k(0) },
            Op::PushInt { value: 1 },
            Op::Call {
                argc: 2,
                pack: false,
                results: 1,
            },
            Op::Return {
                count: 1,
                pack: false,
            },
        ],
    )
}

#[test]
fn method_call_uses_self() {
    check(
        &method_call(),
        ALL,
        "0 [2] Self_     r1 r0 k0 ; \"m\"
         1 [4] LoadI     r3 #1
         2 [4] Call      r1 3 2
         3 [5] Return1   r1",
    );
}

/// function(a, b) return a and b or 0 end
fn and_or() -> Proto {
    proto(
        2,
        false,
        2,
        vec![],
        vec![
            Op::GetLocal { slot: l(0) },
            Op::JumpIfFalseKeep { target: t(3) },
            Op::GetLocal { slot: l(1) },
            Op::JumpIfTrueKeep { target: t(5) },
            Op::PushInt { value: 0 },
            Op::Return {
                count: 1,
                pack: false,
            },
        ],
    )
}

#[test]
fn and_or_use_testset() {
    check(
        &and_or(),
        ALL,
        "0 [2] TestSet   r2 r0 !k
         1 [2] Jmp       ->3
         2 [4] Move      r2 r1
         3 [4] Test      r2 k
         4 [4] Jmp       ->6
         5 [6] LoadI     r2 #0
         6 [6] Return1   r2",
    );
}

/// function(...) return select('#', ...), ... end  (a pack feeding a call and a return)
fn varargs() -> Proto {
    main_proto(
        0,
        vec![s("select"), s("#")],
        vec![
            Op::GetUpField {
                upval: u(0),
                key: k(0),
            },
            Op::PushConst { idx: k(1) },
            Op::VarArg { count: MULTI },
            Op::Call {
                argc: 1,
                pack: true,
                results: 1,
            },
            Op::VarArg { count: MULTI },
            Op::Return {
                count: 1,
                pack: true,
            },
        ],
    )
}

#[test]
fn varargs_and_packs() {
    check(
        &varargs(),
        ALL,
        "0 [1] GetTabUp  r0 u0 k0 ; \"select\"
         1 [3] VarArg    r2 0
         2 [4] LoadK     r1 k1 ; \"#\"
         3 [4] Call      r0 0 2
         4 [5] VarArg    r1 0
         5 [6] Return    r0 0",
    );
}

/// local x = 1; local f = function() return x end; x = x + 1; return f
fn closure() -> Proto {
    proto(
        0,
        false,
        2,
        vec![],
        vec![
            Op::PushInt { value: 1 },
            Op::SetLocal { slot: l(0) },
            Op::Closure {
                proto: crate::bytecode::ProtoIdx(0),
            },
            Op::SetLocal { slot: l(1) },
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 1 },
            Op::Arith { op: ArithOp::Add },
            Op::SetLocal { slot: l(0) },
            Op::GetLocal { slot: l(1) },
            Op::Return {
                count: 1,
                pack: false,
            },
        ],
    )
}

#[test]
fn closure_and_backward_propagation() {
    check(
        &closure(),
        ALL,
        "0 [2] LoadI     r0 #1
         1 [3] Closure   r1 p0
         2 [7] AddI      r0 r0 #1
         3 [10] Return1   r1",
    );
}

/// return a > 10, a ~= "s", 5 <= a  (comparisons producing values, with immediates)
fn compares() -> Proto {
    proto(
        1,
        false,
        1,
        vec![s("s")],
        vec![
            Op::GetLocal { slot: l(0) },
            Op::PushInt { value: 10 },
            Op::Compare { op: CmpOp::Gt },
            Op::GetLocal { slot: l(0) },
            Op::PushConst { idx: k(0) },
            Op::Compare { op: CmpOp::Ne },
            Op::PushInt { value: 5 },
            Op::GetLocal { slot: l(0) },
            Op::Compare { op: CmpOp::Le },
            Op::Return {
                count: 3,
                pack: false,
            },
        ],
    )
}

#[test]
fn compare_immediates_and_constants() {
    check(
        &compares(),
        ALL,
        "0 [3] GtI       r0 #10 k
         1 [3] Jmp       ->4
         2 [3] LoadFalse r1
         3 [3] Jmp       ->5
         4 [3] LoadTrue  r1
         5 [6] EqK       r0 k0 !k ; \"s\"
         6 [6] Jmp       ->9
         7 [6] LoadFalse r2
         8 [6] Jmp       ->10
         9 [6] LoadTrue  r2
        10 [9] GeI       r0 #5 k
        11 [9] Jmp       ->14
        12 [9] LoadFalse r3
        13 [9] Jmp       ->15
        14 [9] LoadTrue  r3
        15 [10] Return    r1 4",
    );
}

/// for k, v in next, t do s = v end: generic for with TForCall/TForLoop
fn generic_for() -> Proto {
    // locals: 0 t, 1 s, 2..5 iterator state (f, s, ctl, closing), 6 k, 7 v
    main_proto(
        8,
        vec![s("next")],
        vec![
            Op::GetUpField {
                upval: u(0),
                key: k(0),
            },
            Op::SetLocal { slot: l(2) },
            Op::GetLocal { slot: l(0) },
            Op::SetLocal { slot: l(3) },
            Op::PushNil { n: 1 },
            Op::SetLocal { slot: l(4) },
            Op::Jump { target: t(9) },
            Op::GetLocal { slot: l(7) },
            Op::SetLocal { slot: l(1) },
            Op::TForCall {
                base: l(2),
                nvars: 2,
            },
            Op::TForLoop {
                base: l(2),
                body: t(7),
            },
            Op::GetLocal { slot: l(1) },
            Op::Return {
                count: 1,
                pack: false,
            },
        ],
    )
}

#[test]
fn generic_for_loop() {
    check(
        &generic_for(),
        ALL,
        "0 [1] GetTabUp  r2 u0 k0 ; \"next\"
         1 [4] Move      r3 r0
         2 [6] LoadNil   r4 0
         3 [7] Jmp       ->5
         4 [9] Move      r1 r7
         5 [10] TForCall  r2 2
         6 [11] TForLoop  r2 ->4
         7 [13] Return1   r1",
    );
}

#[test]
fn too_many_registers_is_an_error() {
    let mut code = vec![];
    for _ in 0..300 {
        code.push(Op::PushInt { value: 1 });
    }
    code.push(Op::Return {
        count: 0,
        pack: false,
    });
    // Pop them all before returning would be needed for a verified proc; the translator
    // fails on the 256th register first.
    code.insert(300, Op::Pop { n: 255 });
    code.insert(301, Op::Pop { n: 45 });
    let mut p = proto(0, false, 0, vec![], code);
    p.max_stack = 300;
    let opts = TranslateOptions {
        constant_operands: false,
        ..ALL
    };
    let e = translate_proto(&p, opts).unwrap_err();
    assert!(e.0.starts_with(TOO_MANY_REGISTERS), "{e}");
}

#[test]
fn every_option_combination_translates() {
    let procs = [
        locals_arith(),
        global_call(),
        if_less(),
        sum_loop(),
        swap(),
        table_ctor(),
        method_call(),
        and_or(),
        varargs(),
        closure(),
        compares(),
        generic_for(),
    ];
    for bits in 0..64u8 {
        let opts = TranslateOptions {
            copy_propagation: bits & 1 != 0,
            constant_operands: bits & 2 != 0,
            fusion: bits & 4 != 0,
            backward_propagation: bits & 8 != 0,
            dead_moves: bits & 16 != 0,
            superinstructions: bits & 32 != 0,
        };
        for p in &procs {
            let c =
                translate_proto(p, opts).unwrap_or_else(|e| panic!("{opts:?} {:?}: {e}", p.code));
            assert_eq!(c.code.len(), c.stack_pcs.len());
            assert_eq!(c.code.len(), c.lines.len());
            for &w in &c.code {
                crate::isa::Instr::decode(w).unwrap();
            }
        }
    }
}

/// The register code of the first child proc of compiled Lua source.
fn dis_child(src: &str) -> String {
    let m = crate::frontend::compile(src.as_bytes(), "=test").expect("compiles");
    let p = &m.main.protos[0];
    dis(p, ALL)
}

#[test]
fn not_before_a_conditional_jump_flips_the_test() {
    let text = dis_child("local function f(t, i) if not t[i] then return 1 end return 2 end");
    assert!(!text.contains("Not"), "{text}");
    assert!(text.contains("Test      r2 k"), "{text}");
}

#[test]
fn conditional_break_is_one_conditional_jump() {
    let text = dis_child(
        "local function f(n) local i = 0 while true do i = i + 1 if i > n then break end end return i end",
    );
    // The compare jumps straight out of the loop: no `Jmp` jumps over another `Jmp`.
    let lines: Vec<&str> = text.lines().collect();
    for w in lines.windows(3) {
        let jumps = w.iter().filter(|l| l.contains("Jmp")).count();
        assert!(jumps < 3, "{text}");
    }
    assert!(text.contains("Lt        r0 r1 k"), "{text}");
    assert!(!text.contains("Test"), "{text}");
}

/// Register code from instructions, each on its own line (for the post-pass tests).
fn reg_code(instrs: &[Instr]) -> RegCode {
    RegCode {
        code: instrs.iter().map(|i| i.encode().unwrap()).collect(),
        stack_pcs: (0..instrs.len() as u32).collect(),
        lines: (1..=instrs.len() as u32).collect(),
        frame_size: 8,
        extra_consts: vec![],
    }
}

fn decoded(code: &RegCode) -> Vec<Instr> {
    code.code
        .iter()
        .map(|&w| Instr::decode(w).unwrap())
        .collect()
}

#[test]
fn dead_move_into_a_temporary_is_deleted_and_jumps_follow() {
    let (r, j) = (Reg, JumpOffset);
    let mut code = reg_code(&[
        Instr::Jmp { sj: j(1) }, // 0: -> 2, the dead move
        Instr::LoadI {
            a: r(0),
            sbx: Imm(1),
        }, // 1
        Instr::Move { a: r(3), b: r(0) }, // 2: dead, r3 is written next
        Instr::LoadI {
            a: r(3),
            sbx: Imm(2),
        }, // 3
        Instr::Test {
            a: r(3),
            k: Flag(true),
        }, // 4
        Instr::Jmp { sj: j(-5) }, // 5: -> 1
        Instr::Move { a: r(1), b: r(0) }, // 6: into a local: kept
        Instr::Move { a: r(4), b: r(0) }, // 7: read by the call
        Instr::Call {
            a: r(4),
            b: Count(1),
            c: Count(1),
        },
        Instr::Move { a: r(5), b: r(0) }, // 9: kept: Add's metamethods may see r5
        Instr::Add {
            a: r(6),
            b: r(0),
            c: r(0),
        },
        Instr::LoadI {
            a: r(5),
            sbx: Imm(0),
        },
        Instr::Return0 {},
    ]);
    let removed = super::post::remove_dead_moves(&mut code, 2);
    assert_eq!(removed, 1);
    let got = decoded(&code);
    assert_eq!(got.len(), 12, "{got:?}");
    assert_eq!(got[0], Instr::Jmp { sj: j(1) }, "{got:?}");
    assert_eq!(
        got[2],
        Instr::LoadI {
            a: r(3),
            sbx: Imm(2)
        }
    );
    assert_eq!(got[4], Instr::Jmp { sj: j(-4) }, "{got:?}");
    assert_eq!(code.lines, vec![1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    assert_eq!(code.stack_pcs, vec![0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
}

#[test]
fn superinstructions_fuse_pairs_but_never_into_a_jump_target() {
    let (r, j) = (Reg, JumpOffset);
    let plain = reg_code(&[
        Instr::Mul {
            a: r(2),
            b: r(0),
            c: r(1),
        },
        Instr::Add {
            a: r(2),
            b: r(2),
            c: r(0),
        },
        Instr::Mul {
            a: r(3),
            b: r(0),
            c: r(1),
        },
        Instr::Add {
            a: r(3),
            b: r(3),
            c: r(0),
        }, // a jump target
        Instr::Jmp { sj: j(-2) },
        Instr::Return0 {},
    ]);
    let mut code = plain.clone();
    assert_eq!(super::post::fuse_superinstructions(&mut code), 1);
    let got = decoded(&code);
    assert_eq!(
        got[0],
        Instr::MulAdd {
            a: r(2),
            b: r(0),
            c: r(1)
        }
    );
    assert_eq!(
        got[1],
        Instr::Add {
            a: r(2),
            b: r(2),
            c: r(0)
        }
    );
    assert_eq!(
        got[2],
        Instr::Mul {
            a: r(3),
            b: r(0),
            c: r(1)
        }
    );
    // Only opcode bytes change, and unfusing gives the plain code back.
    let back: Vec<u32> = code
        .code
        .iter()
        .map(|&w| crate::isa::unfuse_word(w))
        .collect();
    assert_eq!(back, plain.code);
    assert_eq!((code.lines, code.stack_pcs), (plain.lines, plain.stack_pcs));
}

#[test]
fn superinstruction_pass_has_its_own_switch() {
    let src = "local function f(a, b, c) return a * b + c end";
    let text = dis_child(src);
    assert!(text.contains("MulAdd    r3 r0 r1"), "{text}");
    assert!(text.contains("Add       r3 r3 r2"), "{text}");
    let m = crate::frontend::compile(src.as_bytes(), "=test").expect("compiles");
    let off = TranslateOptions {
        superinstructions: false,
        ..ALL
    };
    let text = dis(&m.main.protos[0], off);
    assert!(!text.contains("MulAdd"), "{text}");
}
