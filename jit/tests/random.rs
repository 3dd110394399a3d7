//! Random well-typed functions: every one must validate, compile with the
//! Cranelift verifier on (host and aarch64) and run to a valid exit code.
//! Each block starts with `fuel 1`, so random loops always terminate.
//!
//! The same functions also check register promotion: compiled with and without it,
//! every run must end with the same exit code, fuel and window (its registers live at
//! the exit: exits to some pcs declare a random set of registers dead). Random code stores to
//! registers, exits at guards, reads addresses of slots, and calls a helper that reads
//! the whole window and writes one register, so a write-back or a reload missing at any
//! of those points changes the outcome.

mod common;

use apogee_jit::abi::{ExitCode, JitContext, Slot, TAG_FLOAT, TAG_INT};
use apogee_jit::ir::{
    Block, BlockId, Cond, FloatBinOp, FloatUnOp, Function, HelperSig, Inst, IntBinOp, IntUnOp, Reg,
    Terminator, Type, Var,
};
use common::{compile, jit, jit_unpromoted, run_with};

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

/// Reads every register of the window (as the interpreter or a collector would),
/// writes `R[x mod REGS] = int(hash)` and returns the hash.
extern "C" fn scramble(ctx: *mut JitContext, x: i64) -> i64 {
    // SAFETY: generated code passes the live context it was called with, whose base
    // points to a window of at least `REGS` slots (the test's), and nothing else
    // accesses the window during the call.
    let window =
        unsafe { std::slice::from_raw_parts_mut((*ctx).base.cast::<Slot>(), REGS as usize) };
    let mut h = x as u64;
    for s in window.iter() {
        h = (h ^ u64::from(s.tag)).wrapping_mul(0x100_0000_01b3);
        h = (h ^ s.payload).wrapping_mul(0x100_0000_01b3);
    }
    window[x.rem_euclid(i64::from(REGS)) as usize] = Slot::int(h as i64 >> 8);
    h as i64 >> 8
}

fn pick(rng: &mut Rng, vars: &[Type], ty: Type) -> Var {
    let of_type: Vec<usize> = (0..vars.len()).filter(|&i| vars[i] == ty).collect();
    Var(of_type[rng.below(of_type.len())] as u32)
}

/// Instructions that come in groups: slot words, helper calls, slot addresses, whole
/// stores. `None` for a plain instruction (see [`random_inst`]). `ptr` is a variable
/// that holds pointers (the context, slot addresses) and that nothing else reads, so
/// that no address reaches a register or a helper's arithmetic.
fn random_group(rng: &mut Rng, vars: &[Type], ptr: Var) -> Option<Vec<Inst>> {
    let i = |rng: &mut Rng| pick(rng, vars, Type::I64);
    let reg = |rng: &mut Rng| Reg(rng.below(REGS as usize) as u32);
    Some(match rng.below(12) {
        0 => {
            // A slot moved as its two words (tag words stay valid).
            let (w0, w1, src, dst) = (i(rng), i(rng), reg(rng), reg(rng));
            if w0 == w1 {
                return None;
            }
            vec![
                Inst::LoadSlot { w0, w1, reg: src },
                Inst::StoreSlot { reg: dst, w0, w1 },
            ]
        }
        1 => {
            let (x, r) = (i(rng), i(rng));
            vec![
                Inst::CtxPtr { dst: ptr },
                Inst::CallHelper {
                    addr: scramble as *const () as usize,
                    sig: HelperSig::new(&[Type::I64, Type::I64], &[Type::I64]),
                    args: vec![ptr, x],
                    results: vec![r],
                    live_pc: None,
                },
            ]
        }
        2 => {
            vec![
                Inst::RegAddr {
                    dst: ptr,
                    reg: reg(rng),
                },
                Inst::Load {
                    dst: i(rng),
                    addr: ptr,
                    // The payload word (a test slot's tag word has padding bytes).
                    offset: 8,
                },
            ]
        }
        3 => vec![Inst::StoreValue {
            reg: reg(rng),
            tag: TAG_INT,
            src: i(rng),
        }],
        4 => vec![Inst::StoreValue {
            reg: reg(rng),
            tag: TAG_FLOAT,
            src: pick(rng, vars, Type::F64),
        }],
        5 => vec![Inst::StoreTag {
            reg: reg(rng),
            tag: [TAG_INT, TAG_FLOAT][rng.below(2)],
        }],
        6 => vec![Inst::LoadBool {
            dst: pick(rng, vars, Type::I8),
            reg: reg(rng),
        }],
        _ => return None,
    })
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
    let ptr = Var(vars.len() as u32);
    let nblocks = 1 + rng.below(6);
    let mut blocks = Vec::new();
    for _ in 0..nblocks {
        let mut insts = vec![Inst::Fuel {
            amount: 1,
            exit_pc: 999,
        }];
        for _ in 0..rng.below(12) {
            match random_group(rng, &vars, ptr) {
                Some(group) => insts.extend(group),
                None => insts.push(random_inst(rng, &vars)),
            }
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
    vars.push(Type::I64);
    // Exits to pcs below 50 see a random half of the registers live (other pcs, all).
    let exit_live = (0..50)
        .map(|_| [rng.next() & ((1 << REGS) - 1), 0, 0, 0])
        .collect();
    Function {
        name: "random".to_string(),
        vars,
        blocks,
        entries,
        exit_live,
        return_pcs: Vec::new(),
        helper_writes: Vec::new(),
    }
}

/// The registers the interpreter may read after `code` ([`Function::exit_live`]).
fn live_after(f: &Function, code: ExitCode) -> Vec<bool> {
    (0..REGS)
        .map(|r| match code {
            ExitCode::Exit(pc) | ExitCode::Preempt(pc) => f.live_at_exit(pc, r),
            _ => true,
        })
        .collect()
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

#[test]
fn register_promotion_matches_memory_registers() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut promoted = jit();
    let mut plain = jit_unpromoted();
    for round in 0..1000 {
        let f = random_function(&mut rng);
        apogee_jit::validate(&f).unwrap_or_else(|e| panic!("round {round}: {e}\n{f}"));
        let p = compile(&mut promoted, &f);
        let m = compile(&mut plain, &f);
        for entry in 0..f.entries.len() as u32 {
            let start: Vec<Slot> = (0..REGS as i64)
                .map(|k| {
                    if k % 2 == 0 {
                        Slot::int(k * 7 - 3)
                    } else {
                        Slot::float(k as f64 * 1.5)
                    }
                })
                .collect();
            let mut wp = start.clone();
            let mut wm = start;
            let (cp, xp) = run_with(&p, &mut wp, entry, 4, 200, core::ptr::null_mut());
            let (cm, xm) = run_with(&m, &mut wm, entry, 4, 200, core::ptr::null_mut());
            // Dead registers may hold older values in the promoted run: compare the live.
            for (r, live) in live_after(&f, cm).into_iter().enumerate() {
                if !live {
                    wp[r] = Slot::int(0);
                    wm[r] = Slot::int(0);
                }
            }
            assert_eq!(
                (cp, xp.fuel, &wp),
                (cm, xm.fuel, &wm),
                "round {round}, entry {entry}\n{f}"
            );
        }
    }
}
