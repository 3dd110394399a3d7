//! Random well-typed functions: every one must validate, compile with the
//! Cranelift verifier on (host and aarch64) and run to a valid exit code.
//! Each block starts with `fuel 1`, so random loops always terminate.

mod common;

use apogee_jit::abi::{ExitCode, Slot};
use apogee_jit::ir::{
    Block, BlockId, Cond, FloatBinOp, FloatUnOp, Function, Inst, IntBinOp, IntUnOp, Reg,
    Terminator, Type, Var,
};
use common::{compile, jit, run_with};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const REGS: u32 = 6;

fn pick(rng: &mut Rng, vars: &[Type], ty: Type) -> Var {
    let of_type: Vec<usize> = (0..vars.len()).filter(|&i| vars[i] == ty).collect();
    Var(of_type[rng.below(of_type.len())] as u32)
}

fn random_inst(rng: &mut Rng, vars: &[Type]) -> Inst {
    use Type::*;
    let i = |rng: &mut Rng| pick(rng, vars, I64);
    let f = |rng: &mut Rng| pick(rng, vars, F64);
    let b = |rng: &mut Rng| pick(rng, vars, I8);
    let reg = |rng: &mut Rng| Reg(rng.below(REGS as usize) as u32);
    let int_ops = [
        IntBinOp::Add,
        IntBinOp::Sub,
        IntBinOp::Mul,
        IntBinOp::And,
        IntBinOp::Or,
        IntBinOp::Xor,
        IntBinOp::Shl,
        IntBinOp::ShrU,
        IntBinOp::ShrS,
        IntBinOp::ShlSigned,
        IntBinOp::FloorDiv,
        IntBinOp::FloorMod,
    ];
    let conds = [Cond::Eq, Cond::Ne, Cond::Lt, Cond::Le, Cond::Gt, Cond::Ge];
    match rng.below(20) {
        0 => Inst::Iconst {
            dst: i(rng),
            value: rng.next() as i64 >> rng.below(64),
        },
        1 => Inst::Fconst {
            dst: f(rng),
            value: (rng.next() as i64 >> 20) as f64 / 7.0,
        },
        2 => Inst::LoadInt {
            dst: i(rng),
            reg: reg(rng),
        },
        3 => Inst::LoadFloat {
            dst: f(rng),
            reg: reg(rng),
        },
        4 => Inst::StoreInt {
            reg: reg(rng),
            src: i(rng),
        },
        5 => Inst::StoreFloat {
            reg: reg(rng),
            src: f(rng),
        },
        6 => Inst::IntBin {
            op: int_ops[rng.below(int_ops.len())],
            dst: i(rng),
            a: i(rng),
            b: i(rng),
        },
        7 => Inst::IntUn {
            op: if rng.below(2) == 0 {
                IntUnOp::Neg
            } else {
                IntUnOp::Not
            },
            dst: i(rng),
            src: i(rng),
        },
        8 => Inst::FloatBin {
            op: [
                FloatBinOp::Add,
                FloatBinOp::Sub,
                FloatBinOp::Mul,
                FloatBinOp::Div,
            ][rng.below(4)],
            dst: f(rng),
            a: f(rng),
            b: f(rng),
        },
        9 => Inst::FloatUn {
            op: [
                FloatUnOp::Neg,
                FloatUnOp::Abs,
                FloatUnOp::Sqrt,
                FloatUnOp::Floor,
                FloatUnOp::Ceil,
                FloatUnOp::Trunc,
            ][rng.below(6)],
            dst: f(rng),
            src: f(rng),
        },
        10 => Inst::IntCmp {
            cond: conds[rng.below(6)],
            dst: b(rng),
            a: i(rng),
            b: i(rng),
        },
        11 => Inst::FloatCmp {
            cond: conds[rng.below(6)],
            dst: b(rng),
            a: f(rng),
            b: f(rng),
        },
        12 => Inst::IntToFloat {
            dst: f(rng),
            src: i(rng),
        },
        13 => {
            let dst = i(rng);
            let ok = b(rng);
            Inst::FloatToInt {
                dst,
                ok,
                src: f(rng),
            }
        }
        14 => Inst::Select {
            dst: i(rng),
            cond: b(rng),
            a: i(rng),
            b: i(rng),
        },
        15 => Inst::Guard {
            cond: b(rng),
            exit_pc: rng.below(100) as u32,
        },
        16 => Inst::CopySlot {
            dst: reg(rng),
            src: reg(rng),
        },
        17 => Inst::StoreBool {
            reg: reg(rng),
            src: b(rng),
        },
        18 => Inst::LoadTag {
            dst: b(rng),
            reg: reg(rng),
        },
        _ => Inst::BoolNot {
            dst: b(rng),
            src: b(rng),
        },
    }
}

fn random_function(rng: &mut Rng) -> Function {
    let mut vars = vec![Type::I64, Type::F64, Type::I8];
    for _ in 0..rng.below(8) {
        vars.push([Type::I64, Type::F64, Type::I8][rng.below(3)]);
    }
    let nblocks = 1 + rng.below(6);
    let mut blocks = Vec::new();
    for _ in 0..nblocks {
        let mut insts = vec![Inst::Fuel {
            amount: 1,
            exit_pc: 999,
        }];
        for _ in 0..rng.below(12) {
            insts.push(random_inst(rng, &vars));
        }
        let to = |rng: &mut Rng| BlockId(rng.below(nblocks) as u32);
        let term = match rng.below(6) {
            0 | 1 => Terminator::Jump(to(rng)),
            2 | 3 => Terminator::Branch {
                cond: pick(rng, &vars, Type::I8),
                then_to: to(rng),
                else_to: to(rng),
            },
            4 => Terminator::Return {
                value: rng.below(10) as u32,
            },
            _ => Terminator::Exit {
                pc: rng.below(10) as u32,
            },
        };
        blocks.push(Block {
            insts,
            term: Some(term),
        });
    }
    let entries = (0..1 + rng.below(3))
        .map(|_| BlockId(rng.below(nblocks) as u32))
        .collect();
    Function {
        name: "random".to_string(),
        vars,
        blocks,
        entries,
    }
}

#[test]
fn random_functions_compile_and_run() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut j = jit();
    for round in 0..300 {
        let f = random_function(&mut rng);
        apogee_jit::validate(&f).unwrap_or_else(|e| panic!("round {round}: {e}\n{f}"));
        let c = compile(&mut j, &f);
        if round % 10 == 0 {
            if let Err(e) = apogee_jit::compile_for_target(&f, "aarch64-unknown-linux-gnu") {
                panic!("round {round}: aarch64: {e}\n{f}");
            }
        }
        for entry in 0..f.entries.len() as u32 + 1 {
            let mut w: Vec<Slot> = (0..REGS as i64).map(|k| Slot::int(k * 3 - 5)).collect();
            let (code, _) = run_with(&c, &mut w, entry, 4, 200, core::ptr::null_mut());
            if entry as usize == f.entries.len() {
                assert_eq!(code, ExitCode::BadEntry(entry));
            } else {
                assert!(
                    matches!(
                        code,
                        ExitCode::Return(_) | ExitCode::Exit(_) | ExitCode::Preempt(999)
                    ),
                    "round {round}: {code:?}"
                );
            }
        }
    }
}
