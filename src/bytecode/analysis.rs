//! Static questions about stack bytecode that the runtime asks when it builds messages.
//!
//! [`describe_operand`] tells where a value an instruction pops came from, so that errors
//! read like lua5.4's: `attempt to index a nil value (global 'x')`. It is Lua's
//! `getobjname` for a stack machine: walk back from the instruction, counting stack effects,
//! to the instruction that pushed the operand, and name it if that instruction reads a
//! variable or a constant. It gives up (None) at a jump target, since the value may then
//! come from several places, and at anything else it does not recognise.

use super::op::{Op, MULTI};
use super::proto::{Constant, Proto};

/// Recursion bound for naming the table of a field access (`a.b.c`: is `a` `_ENV`?).
const MAX_NESTING: u32 = 8;

/// Where operand `operand` of the instruction at `pc` came from: `("global", "x")`,
/// `("local", "x")`, `("upvalue", "x")`, `("field", "x")`, `("method", "m")`,
/// `("constant", "s")`, or None if unknown.
///
/// Operands count the values the instruction pops, from the deepest (0) upwards: for `Call`
/// and `TailCall` operand 0 is the function; for `GetTable`/`GetField`/`Method`/`SetTable`/
/// `SetField` operand 0 is the table; for binary operators 0 is the left operand; for
/// `Concat` operand `i` is the `i`-th value. Special cases: for `GetUpField`/`SetUpField`
/// operand 0 is the upvalue being indexed; for `TForCall` it is the iterator (named as
/// lua5.4 does, `for iterator 'for iterator'`). `SetTableAt`/`SetFieldAt` are not described.
pub fn describe_operand(proto: &Proto, pc: usize, operand: u8) -> Option<(&'static str, String)> {
    describe(proto, pc, operand as u32, 0)
}

fn describe(
    proto: &Proto,
    pc: usize,
    operand: u32,
    nesting: u32,
) -> Option<(&'static str, String)> {
    if nesting > MAX_NESTING {
        return None;
    }
    let op = *proto.code.get(pc)?;
    match op {
        Op::GetUpField { upval, .. } | Op::SetUpField { upval, .. } => {
            let name = &proto.upvals.get(upval.0 as usize)?.name;
            return Some(("upvalue", upvalue_name(name)));
        }
        Op::TForCall { .. } => return Some(("for iterator", "for iterator".to_string())),
        Op::SetTableAt { .. } | Op::SetFieldAt { .. } => return None,
        _ => {}
    }
    let (pops, _) = op.stack_effect();
    if operand >= pops {
        return None;
    }
    // Distance from the top of the operand stack just before `pc` (0 = the top).
    let from_top = pops - 1 - operand;
    let (at, nth) = find_pusher(proto, pc, from_top)?;
    describe_push(proto, at, nth, nesting)
}

/// Walks back from `pc` to the instruction that pushed the value `from_top` places below
/// the top of the stack before `pc`. Returns its pc and which of its pushes it is (0 = the
/// first pushed).
fn find_pusher(proto: &Proto, pc: usize, mut from_top: u32) -> Option<(usize, u32)> {
    let mut at = pc;
    while at > 0 {
        if is_jump_target(proto, at) {
            return None;
        }
        at -= 1;
        let op = proto.code[at];
        if op.ends_block() {
            return None;
        }
        let (pops, pushes) = op.stack_effect();
        if from_top < pushes {
            return Some((at, pushes - 1 - from_top));
        }
        from_top = from_top - pushes + pops;
    }
    None
}

fn is_jump_target(proto: &Proto, pc: usize) -> bool {
    proto
        .code
        .iter()
        .any(|op| op.branch_target().is_some_and(|t| t.0 as usize == pc))
}

fn const_str(proto: &Proto, idx: u32) -> Option<String> {
    match proto.consts.get(idx as usize)? {
        Constant::Str(s) => Some(String::from_utf8_lossy(s).into_owned()),
        _ => None,
    }
}

/// The name of local `slot` at `pc`, if a named variable is live there.
fn local_name(proto: &Proto, slot: u16, pc: usize) -> Option<String> {
    proto
        .locals
        .iter()
        .rev()
        .find(|l| l.slot == slot && (l.start_pc as usize) <= pc && pc < l.end_pc as usize)
        .map(|l| l.name.clone())
}

/// Describes push `nth` of the instruction at `at`.
fn describe_push(
    proto: &Proto,
    at: usize,
    nth: u32,
    nesting: u32,
) -> Option<(&'static str, String)> {
    match proto.code[at] {
        Op::GetLocal { slot } => local_name(proto, slot.0, at).map(|n| ("local", n)),
        Op::GetUpval { idx } => {
            let name = &proto.upvals.get(idx.0 as usize)?.name;
            Some(("upvalue", upvalue_name(name)))
        }
        Op::PushConst { idx } => const_str(proto, idx.0).map(|s| ("constant", s)),
        Op::GetUpField { upval, key } => {
            let key = const_str(proto, key.0)?;
            let up = &proto.upvals.get(upval.0 as usize)?.name;
            Some((if up == "_ENV" { "global" } else { "field" }, key))
        }
        Op::GetField { key } => {
            let key = const_str(proto, key.0)?;
            Some((table_kind(proto, at, nesting), key))
        }
        Op::GetTable {} => {
            // lua5.4 names a constant key, says "integer index" for small integer
            // constants (its GETI instruction) and "?" otherwise.
            let key = match find_pusher(proto, at, 0).map(|(k, _)| proto.code[k]) {
                Some(Op::PushConst { idx }) => {
                    const_str(proto, idx.0).unwrap_or_else(|| "?".to_string())
                }
                Some(Op::PushInt { value }) if (0..=255).contains(&value) => {
                    "integer index".to_string()
                }
                _ => "?".to_string(),
            };
            Some((table_kind(proto, at, nesting), key))
        }
        Op::Method { key } if nth == 0 => const_str(proto, key.0).map(|k| ("method", k)),
        Op::VarArg { count } if count != MULTI => None,
        _ => None,
    }
}

/// An upvalue's name in messages: `?` when stripped (lua5.4's `upvalname`).
fn upvalue_name(name: &str) -> String {
    if name.is_empty() {
        "?".to_string()
    } else {
        name.to_string()
    }
}

/// "global" if the table operand of the field access at `at` is a variable named `_ENV`.
fn table_kind(proto: &Proto, at: usize, nesting: u32) -> &'static str {
    match describe(proto, at, 0, nesting + 1) {
        Some((_, name)) if name == "_ENV" => "global",
        _ => "field",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::{ArithOp, ConstIdx, LocalInfo, LocalSlot, Target, UpvalDesc, UpvalIdx};

    fn proto(code: Vec<Op>, consts: Vec<Constant>) -> Proto {
        let n = code.len();
        Proto {
            line_defined: 0,
            last_line: 0,
            num_params: 0,
            is_vararg: true,
            num_locals: 2,
            max_stack: 8,
            upvals: vec![
                UpvalDesc {
                    in_parent_local: true,
                    index: 0,
                    name: "_ENV".into(),
                },
                UpvalDesc {
                    in_parent_local: true,
                    index: 1,
                    name: "up".into(),
                },
            ],
            consts,
            code,
            lines: vec![1; n],
            locals: vec![LocalInfo {
                name: "a".into(),
                slot: 0,
                start_pc: 0,
                end_pc: n as u32,
            }],
            protos: vec![],
        }
    }

    fn s(x: &str) -> Constant {
        Constant::Str(x.as_bytes().to_vec())
    }

    fn d(kind: &'static str, name: &str) -> Option<(&'static str, String)> {
        Some((kind, name.to_string()))
    }

    #[test]
    fn globals_locals_upvalues() {
        // x + a ; up + "k"
        let p = proto(
            vec![
                Op::GetUpField {
                    upval: UpvalIdx(0),
                    key: ConstIdx(0),
                },
                Op::GetLocal { slot: LocalSlot(0) },
                Op::Arith { op: ArithOp::Add },
                Op::GetUpval { idx: UpvalIdx(1) },
                Op::PushConst { idx: ConstIdx(1) },
                Op::Arith { op: ArithOp::Add },
                Op::GetLocal { slot: LocalSlot(1) },
                Op::Arith { op: ArithOp::Add },
            ],
            vec![s("x"), s("k")],
        );
        assert_eq!(describe_operand(&p, 2, 0), d("global", "x"));
        assert_eq!(describe_operand(&p, 2, 1), d("local", "a"));
        assert_eq!(describe_operand(&p, 5, 0), d("upvalue", "up"));
        assert_eq!(describe_operand(&p, 5, 1), d("constant", "k"));
        // Operand 0 of the last Add is the result of an Add: unknown. Slot 1 has no name.
        assert_eq!(describe_operand(&p, 7, 0), None);
        assert_eq!(describe_operand(&p, 7, 1), None);
        assert_eq!(describe_operand(&p, 7, 2), None);
    }

    #[test]
    fn fields_methods_and_calls() {
        // t.x.y ; a:m() ; f(a, g())
        let p = proto(
            vec![
                Op::GetUpField {
                    upval: UpvalIdx(0),
                    key: ConstIdx(0),
                }, // 0: t
                Op::GetField { key: ConstIdx(1) }, // 1: t.x
                Op::GetField { key: ConstIdx(2) }, // 2: .y
                Op::Pop { n: 1 },
                Op::GetLocal { slot: LocalSlot(0) }, // 4
                Op::Method { key: ConstIdx(3) },     // 5
                Op::Call {
                    argc: 1,
                    pack: false,
                    results: 0,
                }, // 6
                Op::GetUpField {
                    upval: UpvalIdx(0),
                    key: ConstIdx(4),
                }, // 7: f
                Op::GetLocal { slot: LocalSlot(0) }, // 8
                Op::GetUpField {
                    upval: UpvalIdx(0),
                    key: ConstIdx(5),
                }, // 9: g
                Op::Call {
                    argc: 0,
                    pack: false,
                    results: MULTI,
                }, // 10
                Op::Call {
                    argc: 1,
                    pack: true,
                    results: 0,
                }, // 11
                Op::GetUpval { idx: UpvalIdx(0) },   // 12: _ENV as a value
                Op::GetField { key: ConstIdx(0) },   // 13: _ENV.t
                Op::GetField { key: ConstIdx(1) },   // 14
            ],
            vec![s("t"), s("x"), s("y"), s("m"), s("f"), s("g")],
        );
        assert_eq!(describe_operand(&p, 1, 0), d("global", "t"));
        assert_eq!(describe_operand(&p, 2, 0), d("field", "x"));
        assert_eq!(describe_operand(&p, 5, 0), d("local", "a"));
        assert_eq!(describe_operand(&p, 6, 0), d("method", "m"));
        assert_eq!(describe_operand(&p, 10, 0), d("global", "g"));
        assert_eq!(describe_operand(&p, 11, 0), d("global", "f"));
        assert_eq!(describe_operand(&p, 11, 1), d("local", "a"));
        assert_eq!(describe_operand(&p, 13, 0), d("upvalue", "_ENV"));
        assert_eq!(describe_operand(&p, 14, 0), d("global", "t"));
    }

    #[test]
    fn table_keys() {
        let p = proto(
            vec![
                Op::GetLocal { slot: LocalSlot(0) },
                Op::PushInt { value: 1 },
                Op::GetTable {},
                Op::GetField { key: ConstIdx(0) }, // 3
                Op::GetLocal { slot: LocalSlot(0) },
                Op::GetLocal { slot: LocalSlot(0) },
                Op::GetTable {},
                Op::GetField { key: ConstIdx(0) }, // 7
                Op::GetLocal { slot: LocalSlot(0) },
                Op::PushConst { idx: ConstIdx(0) },
                Op::GetTable {},
                Op::GetField { key: ConstIdx(0) }, // 11
            ],
            vec![s("k")],
        );
        assert_eq!(describe_operand(&p, 3, 0), d("field", "integer index"));
        assert_eq!(describe_operand(&p, 7, 0), d("field", "?"));
        assert_eq!(describe_operand(&p, 11, 0), d("field", "k"));
    }

    #[test]
    fn stops_at_jump_targets() {
        // (a or up).x : the value at GetField may come from either side.
        let p = proto(
            vec![
                Op::GetLocal { slot: LocalSlot(0) },
                Op::JumpIfTrueKeep { target: Target(3) },
                Op::GetUpval { idx: UpvalIdx(1) },
                Op::GetField { key: ConstIdx(0) },
            ],
            vec![s("x")],
        );
        assert_eq!(describe_operand(&p, 3, 0), None);
        assert_eq!(describe_operand(&p, 99, 0), None);
    }

    #[test]
    fn upfield_and_for_iterator() {
        let p = proto(
            vec![
                Op::GetUpField {
                    upval: UpvalIdx(1),
                    key: ConstIdx(0),
                },
                Op::TForCall {
                    base: LocalSlot(0),
                    nvars: 1,
                },
            ],
            vec![s("x")],
        );
        assert_eq!(describe_operand(&p, 0, 0), d("upvalue", "up"));
        assert_eq!(
            describe_operand(&p, 1, 0),
            d("for iterator", "for iterator")
        );
    }
}
