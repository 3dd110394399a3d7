//! Loading untrusted stack bytecode: malformed binary and JSON files and modules that break
//! the verifier's rules are all rejected with a specific error, and no input panics.

use apogee::bytecode::op::{ArithOp, ConstIdx, LocalSlot, Op, ProtoIdx, Target, UpvalIdx, MULTI};
use apogee::bytecode::{
    disassemble, read_json, read_sbc, stack_states, verify, write_json, write_sbc, Constant,
    LocalInfo, Module, Proto, StackState, UpvalDesc,
};

fn s(text: &str) -> Constant {
    Constant::Str(text.as_bytes().to_vec())
}

fn proto(params: u8, vararg: bool, locals: u16, max_stack: u16, code: Vec<Op>) -> Proto {
    let lines = (0..code.len() as u32).map(|i| 1 + i / 3).collect();
    Proto {
        line_defined: 0,
        last_line: 0,
        num_params: params,
        is_vararg: vararg,
        num_locals: locals,
        max_stack,
        upvals: vec![],
        consts: vec![],
        code,
        lines,
        locals: vec![],
        protos: vec![],
    }
}

fn upval(in_parent_local: bool, index: u16, name: &str) -> UpvalDesc {
    UpvalDesc {
        in_parent_local,
        index,
        name: name.into(),
    }
}

/// `function(a) local b = a and a.y or 2.5; return t, b end`: and/or jumps that keep the
/// tested value, an upvalue from the parent's local 0.
fn child_andor() -> Proto {
    let mut p = proto(
        1,
        false,
        2,
        2,
        vec![
            Op::GetLocal { slot: LocalSlot(0) },
            Op::JumpIfFalseKeep { target: Target(4) },
            Op::GetLocal { slot: LocalSlot(0) },
            Op::GetField { key: ConstIdx(0) },
            Op::JumpIfTrueKeep { target: Target(6) },
            Op::PushConst { idx: ConstIdx(1) },
            Op::SetLocal { slot: LocalSlot(1) },
            Op::GetUpval { idx: UpvalIdx(0) },
            Op::GetLocal { slot: LocalSlot(1) },
            Op::Return {
                count: 2,
                pack: false,
            },
        ],
    );
    p.line_defined = 5;
    p.last_line = 7;
    p.consts = vec![s("y"), Constant::Float(2.5)];
    p.upvals = vec![upval(true, 0, "t")];
    p.locals = vec![
        LocalInfo {
            name: "a".into(),
            slot: 0,
            start_pc: 0,
            end_pc: 10,
        },
        LocalInfo {
            name: "b".into(),
            slot: 1,
            start_pc: 7,
            end_pc: 10,
        },
    ];
    p
}

/// `function(o) for k, v in pairs(o) do o:m(k, v) end local a, b; a[1], b.z = 1, 2 end`:
/// a generic for, a method call, multiple assignment into tables.
fn child_tfor() -> Proto {
    let mut p = proto(
        1,
        false,
        9,
        5,
        vec![
            Op::GetUpField {
                upval: UpvalIdx(0),
                key: ConstIdx(0),
            },
            Op::GetLocal { slot: LocalSlot(0) },
            Op::Call {
                argc: 1,
                pack: false,
                results: 3,
            },
            Op::SetLocal { slot: LocalSlot(3) },
            Op::SetLocal { slot: LocalSlot(2) },
            Op::SetLocal { slot: LocalSlot(1) },
            Op::PushNil { n: 1 },
            Op::SetLocal { slot: LocalSlot(4) },
            Op::Jump { target: Target(14) },
            Op::GetLocal { slot: LocalSlot(0) }, // 9: loop body
            Op::Method { key: ConstIdx(1) },
            Op::GetLocal { slot: LocalSlot(5) },
            Op::GetLocal { slot: LocalSlot(6) },
            Op::Call {
                argc: 3,
                pack: false,
                results: 0,
            },
            Op::TForCall {
                base: LocalSlot(1),
                nvars: 2,
            }, // 14
            Op::TForLoop {
                base: LocalSlot(1),
                body: Target(9),
            },
            Op::PushNil { n: 2 },
            Op::SetLocal { slot: LocalSlot(8) },
            Op::SetLocal { slot: LocalSlot(7) },
            Op::GetLocal { slot: LocalSlot(7) },
            Op::PushInt { value: 1 },
            Op::GetLocal { slot: LocalSlot(8) },
            Op::PushInt { value: 1 },
            Op::PushInt { value: 2 },
            Op::SetFieldAt {
                depth: 2,
                key: ConstIdx(2),
            },
            Op::SetTableAt { depth: 0 },
            Op::Pop { n: 3 },
            Op::Return {
                count: 0,
                pack: false,
            },
        ],
    );
    p.line_defined = 9;
    p.last_line = 14;
    p.consts = vec![s("pairs"), s("m"), s("z")];
    p.upvals = vec![upval(false, 0, "_ENV")];
    p
}

/// The main chunk: a table from varargs (a pack into SetList), closures, a call whose
/// multiple results feed another call, a numeric for, a tail call.
fn base_module() -> Module {
    let mut main = proto(
        0,
        true,
        6,
        3,
        vec![
            Op::NewTable { array: 0, hash: 0 },
            Op::VarArg { count: MULTI },
            Op::SetList {
                count: 0,
                pack: true,
                first: 1,
            },
            Op::SetLocal { slot: LocalSlot(0) },
            Op::Closure { proto: ProtoIdx(0) },
            Op::SetLocal { slot: LocalSlot(1) },
            Op::GetUpField {
                upval: UpvalIdx(0),
                key: ConstIdx(0),
            },
            Op::GetLocal { slot: LocalSlot(1) },
            Op::GetLocal { slot: LocalSlot(0) },
            Op::Call {
                argc: 1,
                pack: false,
                results: MULTI,
            },
            Op::Call {
                argc: 0,
                pack: true,
                results: 0,
            },
            Op::PushInt { value: 1 }, // 11
            Op::SetLocal { slot: LocalSlot(2) },
            Op::PushInt { value: 3 },
            Op::SetLocal { slot: LocalSlot(3) },
            Op::PushInt { value: 1 },
            Op::SetLocal { slot: LocalSlot(4) },
            Op::ForPrep {
                base: LocalSlot(2),
                exit: Target(23),
            }, // 17
            Op::GetLocal { slot: LocalSlot(5) },
            Op::PushConst { idx: ConstIdx(2) },
            Op::Concat { n: 2 },
            Op::SetUpField {
                upval: UpvalIdx(0),
                key: ConstIdx(1),
            },
            Op::ForLoop {
                base: LocalSlot(2),
                body: Target(18),
            },
            Op::Closure { proto: ProtoIdx(1) }, // 23
            Op::PushInt { value: -7 },
            Op::TailCall {
                argc: 1,
                pack: false,
            },
        ],
    );
    main.upvals = vec![upval(true, 0, "_ENV")];
    main.consts = vec![
        s("print"),
        s("x"),
        s("!"),
        Constant::Nil,
        Constant::Bool(true),
        Constant::Int(i64::MIN),
        Constant::Float(-0.0),
        Constant::Float(f64::INFINITY),
        Constant::Str(vec![0xff, 0x00, b'a']),
    ];
    main.locals = vec![
        LocalInfo {
            name: "t".into(),
            slot: 0,
            start_pc: 4,
            end_pc: 26,
        },
        LocalInfo {
            name: "i".into(),
            slot: 5,
            start_pc: 18,
            end_pc: 22,
        },
    ];
    main.protos = vec![child_andor(), child_tfor()];
    Module {
        chunkname: "@base.lua".into(),
        main,
    }
}

/// A minimal valid module around one proc's code.
fn module_of(p: Proto) -> Module {
    Module {
        chunkname: "=test".into(),
        main: p,
    }
}

fn verify_err(m: &Module) -> String {
    match verify(m) {
        Ok(()) => panic!("module unexpectedly verified:\n{}", disassemble(m)),
        Err(e) => e.0,
    }
}

fn sbc_err(bytes: &[u8]) -> String {
    match read_sbc(bytes) {
        Ok(_) => panic!("binary unexpectedly read"),
        Err(e) => e.0,
    }
}

fn json_err(text: &str) -> String {
    match read_json(text) {
        Ok(_) => panic!("JSON unexpectedly read"),
        Err(e) => e.0,
    }
}

#[track_caller]
fn assert_has(msg: &str, part: &str) {
    assert!(
        msg.contains(part),
        "error {msg:?} does not contain {part:?}"
    );
}

/// Encodes a module whose main code holds a marker `PushInt` followed by `op`; returns the
/// bytes and the offset right after the marker (where `op` starts).
fn with_marker(op: Op) -> (Vec<u8>, usize) {
    let m = module_of(proto(
        0,
        false,
        0,
        2,
        vec![
            Op::PushInt { value: 0x1234_5678 },
            op,
            Op::Return {
                count: 0,
                pack: false,
            },
        ],
    ));
    let bytes = write_sbc(&m);
    let mut marker = vec![5u8]; // PushInt's opcode
    let z = 0x1234_5678u64 << 1;
    let mut v = z;
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            marker.push(b);
            break;
        }
        marker.push(b | 0x80);
    }
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker.as_slice())
        .expect("marker present");
    (bytes, at + marker.len())
}

// ---------------------------------------------------------------- valid modules

#[test]
fn base_module_verifies_and_round_trips() {
    let m = base_module();
    verify(&m).unwrap();
    let bytes = write_sbc(&m);
    let back = read_sbc(&bytes).unwrap();
    assert_eq!(back, m);
    let json = write_json(&back);
    let again = read_json(&json).unwrap();
    assert_eq!(again, m);
    assert_eq!(write_sbc(&again), bytes);
    // Non-finite and negative-zero floats survive JSON.
    let json = write_json(&module_of(Proto {
        consts: vec![
            Constant::Float(f64::NAN),
            Constant::Float(-f64::NAN),
            Constant::Float(f64::NEG_INFINITY),
            Constant::Float(-0.0),
            Constant::Float(0.1),
        ],
        ..proto(0, false, 0, 0, vec![])
    }));
    let back = read_json(&json).unwrap();
    let Constant::Float(a) = back.main.consts[0] else {
        panic!()
    };
    let Constant::Float(b) = back.main.consts[1] else {
        panic!()
    };
    assert!(a.is_nan() && !a.is_sign_negative() && b.is_nan() && b.is_sign_negative());
    assert_eq!(back.main.consts[2], Constant::Float(f64::NEG_INFINITY));
    let Constant::Float(z) = back.main.consts[3] else {
        panic!()
    };
    assert!(z == 0.0 && z.is_sign_negative());
    assert_eq!(back.main.consts[4], Constant::Float(0.1));
}

/// The committed fixtures `tests/bytecode/base.sbc` and `base.json` pin the format: if the
/// encoding of an unchanged module changes, the version must change too. Regenerate with
/// `UPDATE_FIXTURES=1` after a deliberate format change.
#[test]
fn fixtures_match_the_current_encoding() {
    let m = base_module();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bytecode");
    let (sbc, json) = (write_sbc(&m), write_json(&m));
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(format!("{dir}/base.sbc"), &sbc).unwrap();
        std::fs::write(format!("{dir}/base.json"), &json).unwrap();
    }
    let file_sbc = std::fs::read(format!("{dir}/base.sbc")).unwrap();
    let file_json = std::fs::read_to_string(format!("{dir}/base.json")).unwrap();
    assert_eq!(read_sbc(&file_sbc).unwrap(), m);
    assert_eq!(read_json(&file_json).unwrap(), m);
    assert_eq!(file_sbc, sbc, "binary encoding changed: bump the version");
    assert_eq!(file_json, json, "JSON encoding changed");
}

#[test]
fn smallest_file_matches_the_documented_bytes() {
    let mut m = Module {
        chunkname: "=x".into(),
        main: proto(0, true, 0, 0, vec![ret()]),
    };
    m.main.lines = vec![0];
    let expected = [
        0x1b, 0x53, 0x42, 0x43, 0x01, 0x0d, 0x0a, 0x1a, 0x0a, 0x02, 0x3d, 0x78, 0, 0, 0, 1, 0, 0,
        0, 0, 0x01, 0x21, 0, 0, 0, 0, 0,
    ];
    assert_eq!(write_sbc(&m), expected);
    let doc = include_str!("../docs/stack-bytecode.md");
    assert!(doc.contains(
        "`1B 53 42 43 01 0D 0A 1A 0A | 02 3D 78 | 00 00 00 01 00 00 | 00 | 00 | 01 21 00 00 | 00 | 00 | 00`"
    ));
}

#[test]
fn stack_states_are_exact() {
    let m = base_module();
    let st = stack_states(&m.main).unwrap();
    let d = |depth, pack| Some(StackState { depth, pack });
    assert_eq!(st[1], d(1, false));
    assert_eq!(st[2], d(1, true));
    assert_eq!(st[10], d(1, true));
    assert_eq!(st[17], d(0, false));
    assert_eq!(st[21], d(1, false));
    let child = stack_states(&m.main.protos[0]).unwrap();
    assert_eq!(child[4], d(1, false));
    assert_eq!(child[6], d(1, false));
    // Unreachable code is allowed and reported as such.
    let mut p = proto(
        0,
        false,
        0,
        1,
        vec![
            Op::Return {
                count: 0,
                pack: false,
            },
            Op::Pop { n: 5 },
            Op::Jump { target: Target(0) },
        ],
    );
    verify(&module_of(p.clone())).unwrap();
    assert_eq!(stack_states(&p).unwrap()[1], None);
    p.max_stack = 0;
    verify(&module_of(p)).unwrap();
}

#[test]
fn disassembly_shows_constants_depths_and_names() {
    let text = disassemble(&base_module());
    assert_has(
        &text,
        "main <@base.lua:0,0> params=0+vararg locals=6 max_stack=3",
    );
    assert_has(&text, "GetUpField upval=U0(_ENV) key=\"print\"");
    assert_has(&text, "Call argc=1 results=MULTI");
    assert_has(&text, "1+p  Call argc=0 pack results=0");
    assert_has(&text, "GetField \"y\"");
    assert_has(&text, "function 1 <@base.lua:9,14>");
    assert_has(&text, "SetFieldAt depth=2 key=\"z\"");
    assert_has(&text, r#"const 8 "\xff\x00a""#);
    // A proc that fails verification is still listed, with the reason.
    let bad = module_of(proto(
        0,
        false,
        0,
        0,
        vec![
            Op::Pop { n: 1 },
            Op::Return {
                count: 0,
                pack: false,
            },
        ],
    ));
    let text = disassemble(&bad);
    assert_has(&text, "stack underflow");
    assert_has(&text, "?  Pop 1");
}

// ---------------------------------------------------------------- binary encoding

#[test]
fn bad_magic() {
    let mut b = write_sbc(&base_module());
    b[1] = b'L';
    assert_has(
        &sbc_err(&b),
        "not a stack bytecode file (bad magic bytes) at byte 0",
    );
    assert_has(&sbc_err(b"-- lua source"), "bad magic");
}

#[test]
fn wrong_version() {
    let mut b = write_sbc(&base_module());
    b[4] = 2;
    assert_has(
        &sbc_err(&b),
        "unsupported format version 2 (this build reads version 1) at byte 4",
    );
}

#[test]
fn mangled_header_check_bytes() {
    let mut b = write_sbc(&base_module());
    b[5] = b'\n';
    assert_has(&sbc_err(&b), "corrupted header check bytes");
}

#[test]
fn truncated_in_header() {
    let b = write_sbc(&base_module());
    assert_has(
        &sbc_err(&b[..3]),
        "unexpected end of input in header at byte 0",
    );
    assert_has(
        &sbc_err(&b[..7]),
        "unexpected end of input in header at byte 5",
    );
    assert_has(&sbc_err(&[]), "in header");
}

#[test]
fn truncated_in_a_string() {
    let b = write_sbc(&base_module());
    // Header (9 bytes), chunkname length (1 byte), then "@base.lua".
    assert_eq!(&b[10..19], b"@base.lua");
    assert_has(
        &sbc_err(&b[..14]),
        "length of chunk name 9 exceeds the 4 remaining bytes at byte 9",
    );
}

#[test]
fn truncated_in_code() {
    let (b, at) = with_marker(Op::Arith { op: ArithOp::Add });
    assert_has(
        &sbc_err(&b[..at + 1]),
        &format!(
            "unexpected end of input in arithmetic operator at byte {}",
            at + 1
        ),
    );
    let (b, at) = with_marker(Op::PushInt { value: i64::MAX });
    assert_has(
        &sbc_err(&b[..at + 3]),
        &format!(
            "unexpected end of input in integer operand at byte {}",
            at + 3
        ),
    );
}

#[test]
fn every_truncation_is_an_error() {
    let b = write_sbc(&base_module());
    for n in 0..b.len() {
        let e = sbc_err(&b[..n]);
        assert!(e.starts_with("bad binary format: "), "{e}");
    }
}

#[test]
fn huge_length_claim_does_not_allocate() {
    let mut b = write_sbc(&base_module())[..9].to_vec();
    b.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]); // 4 GiB - 1
    b.extend_from_slice(b"abc");
    assert_has(
        &sbc_err(&b),
        "length of chunk name 4294967295 exceeds the 3 remaining bytes at byte 9",
    );
    // A huge instruction count.
    let m = module_of(proto(0, false, 0, 0, vec![]));
    let mut b = write_sbc(&m);
    // Empty proc: ... upvals(0) consts(0) code(0) locals(0) protos(0): the code count is
    // the third byte from the end.
    let at = b.len() - 3;
    b.splice(
        at..at + 1,
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
    );
    assert_has(
        &sbc_err(&b),
        &format!(
            "instruction count 9223372036854775807 exceeds the 2 remaining bytes at byte {at}"
        ),
    );
}

#[test]
fn unknown_opcode() {
    let (mut b, at) = with_marker(Op::Nop {});
    b[at] = 200;
    assert_has(&sbc_err(&b), &format!("unknown opcode 200 at byte {at}"));
}

#[test]
fn unknown_enum_operand() {
    let (mut b, at) = with_marker(Op::Arith { op: ArithOp::Shr });
    assert_eq!(b[at + 1], 11);
    b[at + 1] = 12;
    assert_has(
        &sbc_err(&b),
        &format!("unknown arithmetic operator 12 at byte {}", at + 1),
    );
    let (mut b, at) = with_marker(Op::Return {
        count: 1,
        pack: true,
    });
    b[at + 2] = 2;
    assert_has(&sbc_err(&b), "boolean operand must be 0 or 1, found 2");
}

#[test]
fn operand_out_of_range_for_its_type() {
    let (mut b, at) = with_marker(Op::GetLocal { slot: LocalSlot(0) });
    // Replace the 1-byte slot with 70000 (3 bytes).
    b.splice(at + 1..at + 2, [0xf0, 0xa2, 0x04]);
    assert_has(
        &sbc_err(&b),
        &format!(
            "instruction operand 70000 out of range for u16 at byte {}",
            at + 1
        ),
    );
}

#[test]
fn varint_overflow() {
    let (mut b, at) = with_marker(Op::Jump { target: Target(0) });
    b.splice(at + 1..at + 2, [0xff; 10]);
    assert_has(
        &sbc_err(&b),
        &format!(
            "varint overflows 64 bits in instruction operand at byte {}",
            at + 1
        ),
    );
}

#[test]
fn bad_utf8_in_names() {
    let mut m = base_module();
    m.main.protos[0].upvals[0].name = "tt".into();
    let mut b = write_sbc(&m);
    let at = b.windows(2).position(|w| w == b"tt").unwrap();
    b[at] = 0xc3; // a lead byte followed by ASCII
    assert_has(&sbc_err(&b), &format!("upvalue name is not valid UTF-8 (invalid utf-8 sequence of 1 bytes from index 0) at byte {}", at - 1));
}

#[test]
fn unknown_constant_tag_and_proc_flags() {
    let m = module_of(Proto {
        consts: vec![Constant::Bool(false)],
        ..proto(
            0,
            false,
            0,
            0,
            vec![Op::Return {
                count: 0,
                pack: false,
            }],
        )
    });
    let b = write_sbc(&m);
    // header 9, chunkname 6, line_defined, last_line, params, flags, locals, max_stack,
    // upval count, const count, then the tag.
    let tag = 9 + 6 + 8;
    assert_eq!(b[tag], 1);
    let mut bad = b.clone();
    bad[tag] = 9;
    assert_has(
        &sbc_err(&bad),
        &format!("unknown constant tag 9 at byte {tag}"),
    );
    let mut bad = b.clone();
    bad[9 + 6 + 3] = 0x81;
    assert_has(&sbc_err(&bad), "unknown proc flags 0x81 at byte 18");
}

#[test]
fn trailing_bytes() {
    let mut b = write_sbc(&base_module());
    let n = b.len();
    b.extend_from_slice(&[0, 0, 0]);
    assert_has(
        &sbc_err(&b),
        &format!("3 trailing bytes after the module at byte {n}"),
    );
}

fn nested(levels: usize) -> Module {
    let leaf = || {
        proto(
            0,
            false,
            0,
            0,
            vec![Op::Return {
                count: 0,
                pack: false,
            }],
        )
    };
    let mut p = leaf();
    for _ in 1..levels {
        let mut parent = leaf();
        parent.protos.push(p);
        p = parent;
    }
    module_of(p)
}

#[test]
fn deep_proto_nesting() {
    let ok = nested(200);
    verify(&ok).unwrap();
    assert_eq!(read_sbc(&write_sbc(&ok)).unwrap(), ok);
    let deep = nested(201);
    assert_has(
        &sbc_err(&write_sbc(&deep)),
        "functions nested deeper than 200 levels",
    );
    assert_has(
        &verify_err(&deep),
        "functions nested deeper than 200 levels",
    );
    // Far deeper than the limit: still an error, not a stack overflow.
    let very = nested(100_000);
    assert_has(&sbc_err(&write_sbc(&very)), "nested deeper than 200");
    assert_has(&verify_err(&very), "nested deeper than 200");
    let _ = disassemble(&nested(300));
    // Dropping a 100 000-deep tree recursively could overflow the test thread's stack.
    std::mem::forget(very);
}

// ---------------------------------------------------------------- verifier

fn ret() -> Op {
    Op::Return {
        count: 0,
        pack: false,
    }
}

#[test]
fn jump_out_of_range() {
    let mut m = base_module();
    m.main.code[17] = Op::ForPrep {
        base: LocalSlot(2),
        exit: Target(26),
    };
    assert_has(
        &verify_err(&m),
        "main chunk, pc 17 (ForPrep): jump target 26 out of range (code has 26 instructions)",
    );
}

#[test]
fn jump_into_inconsistent_depth() {
    // if x then push 1 end; merge with depth 1 on one path and 0 on the other.
    let p = proto(
        1,
        false,
        1,
        2,
        vec![
            Op::GetLocal { slot: LocalSlot(0) },
            Op::JumpIfFalse { target: Target(3) },
            Op::PushInt { value: 1 },
            ret(),
        ],
    );
    assert_has(
        &verify_err(&module_of(p)),
        "pc 2 (PushInt): inconsistent operand stack at pc 3: this path arrives with depth 1 but another with depth 0",
    );
    // The kept value of an `and` jump counts at the target.
    let mut m = base_module();
    m.main.protos[0].code[5] = Op::Nop {};
    assert_has(
        &verify_err(&m),
        "function at line 5 (proto 0), pc 5 (Nop): inconsistent operand stack at pc 6: this path arrives with depth 0 but another with depth 1",
    );
}

#[test]
fn stack_underflow() {
    let p = proto(
        0,
        false,
        0,
        2,
        vec![
            Op::PushInt { value: 1 },
            Op::Arith { op: ArithOp::Add },
            ret(),
        ],
    );
    assert_has(
        &verify_err(&module_of(p)),
        "main chunk, pc 1 (Arith): stack underflow: pops 2 values but the depth is 1",
    );
    let mut m = base_module();
    m.main.protos[1].code[24] = Op::SetFieldAt {
        depth: 4,
        key: ConstIdx(2),
    };
    assert_has(
        &verify_err(&m),
        "pc 24 (SetFieldAt): table at stack position 4 not below the value (depth 5)",
    );
}

#[test]
fn pack_not_consumed() {
    let mut m = base_module();
    m.main.code[2] = Op::SetList {
        count: 0,
        pack: false,
        first: 1,
    };
    assert_has(
        &verify_err(&m),
        "main chunk, pc 2 (SetList): a pack (multiple results) is pending but this instruction does not consume it",
    );
    // A pack left for Return without its pack flag.
    let p = Proto {
        is_vararg: true,
        ..proto(0, true, 0, 0, vec![Op::VarArg { count: MULTI }, ret()])
    };
    assert_has(&verify_err(&module_of(p)), "pc 1 (Return): a pack");
    // Nop and Jump pass a pack through.
    let p = proto(
        0,
        true,
        0,
        0,
        vec![
            Op::VarArg { count: MULTI },
            Op::Nop {},
            Op::Jump { target: Target(3) },
            Op::Return {
                count: 0,
                pack: true,
            },
        ],
    );
    verify(&module_of(p)).unwrap();
}

#[test]
fn pack_consumed_without_producer() {
    let mut m = base_module();
    m.main.code[9] = Op::Call {
        argc: 1,
        pack: false,
        results: 1,
    };
    assert_has(
        &verify_err(&m),
        "main chunk, pc 10 (Call): consumes a pack but no pack is pending",
    );
}

#[test]
fn local_out_of_range() {
    let mut m = base_module();
    m.main.code[18] = Op::GetLocal { slot: LocalSlot(6) };
    assert_has(
        &verify_err(&m),
        "main chunk, pc 18 (GetLocal): local slot 6 out of range (num_locals is 6)",
    );
    let mut m = base_module();
    m.main.protos[1].code[14] = Op::TForCall {
        base: LocalSlot(1),
        nvars: 5,
    };
    assert_has(
        &verify_err(&m),
        "function at line 9 (proto 1), pc 14 (TForCall): local slots 1..9 out of range (num_locals is 9)",
    );
    let mut m = base_module();
    m.main.code[22] = Op::ForLoop {
        base: LocalSlot(3),
        body: Target(18),
    };
    assert_has(&verify_err(&m), "local slots 3..6 out of range");
}

#[test]
fn constant_out_of_range() {
    let mut m = base_module();
    m.main.code[19] = Op::PushConst { idx: ConstIdx(9) };
    assert_has(
        &verify_err(&m),
        "main chunk, pc 19 (PushConst): constant 9 out of range (9 constants)",
    );
}

#[test]
fn field_key_not_a_string() {
    let mut m = base_module();
    m.main.protos[0].code[3] = Op::GetField { key: ConstIdx(1) };
    assert_has(
        &verify_err(&m),
        "function at line 5 (proto 0), pc 3 (GetField): key constant 1 is Float(2.5), not a string",
    );
    let mut m = base_module();
    m.main.protos[1].code[10] = Op::Method { key: ConstIdx(7) };
    assert_has(&verify_err(&m), "pc 10 (Method): constant 7 out of range");
}

#[test]
fn upvalue_out_of_range() {
    let mut m = base_module();
    m.main.protos[0].code[7] = Op::GetUpval { idx: UpvalIdx(1) };
    assert_has(
        &verify_err(&m),
        "pc 7 (GetUpval): upvalue 1 out of range (1 upvalues)",
    );
}

#[test]
fn child_proto_out_of_range() {
    let mut m = base_module();
    m.main.code[23] = Op::Closure { proto: ProtoIdx(2) };
    assert_has(
        &verify_err(&m),
        "main chunk, pc 23 (Closure): child proto 2 out of range (2 child protos)",
    );
}

#[test]
fn bad_upvalue_descriptor() {
    let mut m = base_module();
    m.main.protos[0].upvals[0] = upval(true, 6, "t");
    assert_has(
        &verify_err(&m),
        "main chunk: child proto 0 (line 5): upvalue 0 't' refers to parent local slot 6 but the parent has 6",
    );
    let mut m = base_module();
    m.main.protos[1].upvals[0] = upval(false, 1, "_ENV");
    assert_has(
        &verify_err(&m),
        "refers to parent upvalue 1 but the parent has 1",
    );
}

#[test]
fn lines_length_mismatch() {
    let mut m = base_module();
    m.main.protos[1].lines.pop();
    assert_has(
        &verify_err(&m),
        "function at line 9 (proto 1): line table has 27 entries for 28 instructions",
    );
    // The binary form cannot express the mismatch; the JSON form can.
    let json = write_json(&base_module()).replacen("\"lines\": [\n      1,", "\"lines\": [", 1);
    let m = read_json(&json).unwrap();
    assert_has(
        &verify_err(&m),
        "main chunk: line table has 25 entries for 26 instructions",
    );
}

#[test]
fn falls_off_the_end() {
    let mut m = base_module();
    m.main.protos[0].code[9] = Op::Pop { n: 2 };
    assert_has(
        &verify_err(&m),
        "function at line 5 (proto 0), pc 9 (Pop): control falls off the end of the code",
    );
    assert_has(
        &verify_err(&module_of(proto(0, false, 0, 0, vec![]))),
        "main chunk: empty code",
    );
}

#[test]
fn max_stack_exceeded() {
    let mut m = base_module();
    m.main.protos[1].max_stack = 4;
    assert_has(
        &verify_err(&m),
        "function at line 9 (proto 1), pc 23 (PushInt): operand stack depth 5 exceeds max_stack 4",
    );
    let mut m = base_module();
    m.main.num_locals = 250;
    m.main.max_stack = 6;
    assert_has(
        &verify_err(&m),
        "num_locals (250) + max_stack (6) = 256 exceeds 255, the register translation's frame limit",
    );
}

#[test]
fn vararg_in_a_non_vararg_proc() {
    let mut m = base_module();
    m.main.is_vararg = false;
    assert_has(
        &verify_err(&m),
        "main chunk, pc 1 (VarArg): VarArg in a proc that is not vararg",
    );
}

#[test]
fn other_static_rules() {
    let mut m = base_module();
    m.main.code[20] = Op::Concat { n: 1 };
    assert_has(
        &verify_err(&m),
        "pc 20 (Concat): Concat of 1 values (needs at least 2)",
    );
    let mut m = base_module();
    m.main.code[0] = Op::NewTable {
        array: 1 << 30,
        hash: 0,
    };
    assert_has(
        &verify_err(&m),
        "table size hints 1073741824/0 exceed twice the instruction count (52)",
    );
    let mut m = base_module();
    m.main.num_params = 7;
    assert_has(
        &verify_err(&m),
        "main chunk: 7 parameters but only 6 local slots",
    );
    let mut m = base_module();
    m.main.locals[1].end_pc = 27;
    assert_has(
        &verify_err(&m),
        "debug info: local 'i' has bad range 18..27",
    );
}

#[test]
fn loop_instruction_with_values_on_the_stack() {
    let mut m = base_module();
    m.main.code[16] = Op::Nop {}; // leaves the step on the stack at ForPrep
    m.main.max_stack = 3;
    assert_has(
        &verify_err(&m),
        "main chunk, pc 17 (ForPrep): loop instruction at operand-stack depth 1 (must be 0)",
    );
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_rejections() {
    let good = write_json(&base_module());
    assert_has(
        &json_err(&good.replacen("apogee-stack-bytecode", "lua-bytecode", 1)),
        "format is \"lua-bytecode\", expected \"apogee-stack-bytecode\"",
    );
    assert_has(
        &json_err(&good.replacen("\"version\": 1", "\"version\": 7", 1)),
        "unsupported version 7",
    );
    assert_has(
        &json_err(&good.replacen("\"NewTable\"", "\"NewDict\"", 1)),
        "unknown variant `NewDict`",
    );
    assert_has(
        &json_err(&good.replacen("\"max_stack\"", "\"max_stak\"", 1)),
        "unknown field `max_stak`",
    );
    assert_has(&json_err(&good[..good.len() / 2]), "EOF while parsing");
    assert_has(
        &json_err(&good.replacen("\"num_locals\": 6", "\"num_locals\": 70000", 1)),
        "invalid value: integer `70000`",
    );
    assert_has(
        &json_err(&good.replacen("\"Float\": -0.0", "\"Float\": \"minus zero\"", 1)),
        "float constant must be a number",
    );
    // Well-formed JSON, bad bytecode: the verifier's job.
    let m = read_json(&good.replacen("\"key\": 0", "\"key\": 3", 1)).unwrap();
    assert_has(&verify_err(&m), "key constant 3 is Nil, not a string");
}

#[test]
fn json_shape_example() {
    // The example in docs/stack-bytecode.md reads and verifies.
    let doc = include_str!("../docs/stack-bytecode.md");
    let start = doc.find("```json\n").expect("JSON example") + 8;
    let len = doc[start..].find("```").unwrap();
    let m = read_json(&doc[start..start + len]).unwrap();
    verify(&m).unwrap();
    assert_eq!(m.main.code.len(), 4);
}

#[test]
fn json_nesting_limit() {
    let ok = nested(60);
    assert_eq!(read_json(&write_json(&ok)).unwrap(), ok);
    assert_has(
        &json_err(&write_json(&nested(100))),
        "recursion limit exceeded",
    );
}

// ---------------------------------------------------------------- no panics

/// xorshift64*: deterministic pseudo-random numbers without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Whatever loads must verify, disassemble and re-serialise without panicking.
fn exercise(m: &Module) {
    let _ = verify(m);
    let _ = disassemble(m);
    let _ = write_json(m);
    let _ = read_sbc(&write_sbc(m)).map(|x| verify(&x));
}

#[test]
fn random_mutations_never_panic() {
    let base = write_sbc(&base_module());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut loaded = 0;
    for _ in 0..20_000 {
        let mut b = base.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(b.len());
            match rng.below(6) {
                0 => b[at] = rng.next() as u8,
                1 => b[at] ^= 1 << rng.below(8),
                2 => b.truncate(at),
                3 => b.insert(at, rng.next() as u8),
                4 if !b.is_empty() => {
                    b.remove(at);
                }
                _ => {
                    let end = (at + 1 + rng.below(10)).min(b.len());
                    for x in &mut b[at..end] {
                        *x = 0xff;
                    }
                }
            }
            if b.is_empty() {
                break;
            }
        }
        if let Ok(m) = read_sbc(&b) {
            loaded += 1;
            exercise(&m);
        }
    }
    // Many mutations (a changed line delta or constant) still decode.
    assert!(loaded > 100, "only {loaded} mutants decoded");

    let json = write_json(&base_module());
    for _ in 0..2_000 {
        let mut t = json.clone().into_bytes();
        let at = rng.below(t.len());
        t[at] = b"0123456789{}[]\":,-aez "[rng.below(22)];
        if let Ok(text) = std::str::from_utf8(&t) {
            if let Ok(m) = read_json(text) {
                exercise(&m);
            }
        }
    }
}

#[test]
fn random_modules_never_panic_the_verifier() {
    // Random instruction sequences drawn from the table's limit values and small values.
    let mut rng = Rng(12345);
    let pool: Vec<Op> = apogee::bytecode::binary::ops_at_limits(false)
        .into_iter()
        .chain(apogee::bytecode::binary::ops_at_limits(true))
        .chain(base_module().main.code)
        .chain(child_tfor().code)
        .collect();
    for _ in 0..5_000 {
        let n = 1 + rng.below(12);
        let code: Vec<Op> = (0..n).map(|_| pool[rng.below(pool.len())]).collect();
        let mut m = base_module();
        m.main.lines = vec![1; code.len()];
        m.main.code = code;
        exercise(&m);
    }
}
