use super::*;

/// The extreme values a field of this slot and signedness can hold.
fn limits(f: &FieldInfo) -> Vec<i64> {
    let bits = f.slot.bits();
    if f.ty == "Flag" {
        return vec![0, 1];
    }
    if f.signed {
        vec![-(1i64 << (bits - 1)), -1, 0, 1, (1i64 << (bits - 1)) - 1]
    } else {
        vec![0, 1, (1i64 << bits) - 1]
    }
}

/// Builds a word of opcode `op` with raw field values (using the slot layout directly).
fn raw_word(op: usize, info: &OpInfo, vals: &[i64]) -> u32 {
    let mut w = op as u32;
    for (f, &v) in info.fields.iter().zip(vals) {
        let mask = (1u64 << f.slot.bits()) - 1;
        w |= (((v as u64) & mask) as u32) << f.slot.shift();
    }
    w
}

#[test]
fn formats_match_slots() {
    for info in INFO {
        for f in info.fields {
            let ok = match info.format {
                Format::ABC => matches!(f.slot, Slot::A | Slot::B | Slot::C),
                Format::ABx => matches!(f.slot, Slot::A) || (f.slot == Slot::Bx && !f.signed),
                Format::AsBx => matches!(f.slot, Slot::A) || (f.slot == Slot::Bx && f.signed),
                Format::Ax => f.slot == Slot::Ax,
            };
            assert!(ok, "{}: field {} in slot {:?}", info.name, f.name, f.slot);
        }
        // No two fields overlap.
        for (i, f) in info.fields.iter().enumerate() {
            for g in &info.fields[i + 1..] {
                let fr = f.slot.shift()..f.slot.shift() + f.slot.bits();
                let gr = g.slot.shift()..g.slot.shift() + g.slot.bits();
                assert!(fr.end <= gr.start || gr.end <= fr.start, "{}", info.name);
            }
        }
    }
    assert!(INFO.len() <= 256);
}

#[test]
fn round_trip_at_limits() {
    for (op, info) in INFO.iter().enumerate() {
        // Every combination of limits would be large; vary one field at a time, others at
        // their maximum, plus all at minimum and all at maximum.
        let lims: Vec<Vec<i64>> = info.fields.iter().map(limits).collect();
        let mut cases: Vec<Vec<i64>> = vec![
            lims.iter().map(|l| l[0]).collect(),
            lims.iter().map(|l| *l.last().unwrap()).collect(),
        ];
        for (i, l) in lims.iter().enumerate() {
            for &v in l {
                let mut c: Vec<i64> = lims.iter().map(|l| *l.last().unwrap()).collect();
                c[i] = v;
                cases.push(c);
            }
        }
        for c in cases {
            let w = raw_word(op, info, &c);
            let i = Instr::decode(w).expect("decodes");
            assert_eq!(i.opcode() as usize, op);
            assert_eq!(i.encode().expect("encodes"), w, "{} {:?}", info.name, c);
            // And the typed values are the raw ones.
            assert_eq!(Instr::decode(i.encode().unwrap()).unwrap(), i);
        }
    }
}

#[test]
fn out_of_range_operands_are_errors() {
    let e = Instr::LoadK {
        a: Reg(0),
        bx: ConstIdx(1 << 16),
    }
    .encode()
    .unwrap_err();
    assert_eq!(e.field, "bx");
    assert!(Instr::AddI {
        a: Reg(0),
        b: Reg(0),
        c: Imm(128)
    }
    .encode()
    .is_err());
    assert!(Instr::AddI {
        a: Reg(0),
        b: Reg(0),
        c: Imm(-128)
    }
    .encode()
    .is_ok());
    assert!(Instr::Jmp {
        sj: JumpOffset(1 << 23)
    }
    .encode()
    .is_err());
    assert!(Instr::Jmp {
        sj: JumpOffset(-(1 << 23))
    }
    .encode()
    .is_ok());
    assert!(Instr::GetUpval {
        a: Reg(1),
        b: UpvalIdx(256)
    }
    .encode()
    .is_err());
}

#[test]
fn decoding_garbage_never_panics() {
    // A simple xorshift over many words, plus every opcode byte with all-ones operands.
    let mut x: u32 = 0x1234_5678;
    let mut bad = 0;
    for _ in 0..200_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        match Instr::decode(x) {
            Ok(i) => {
                let _ = i.encode();
                let _ = disassemble_word(x, 7, None);
            }
            Err(_) => bad += 1,
        }
    }
    assert!(bad > 0);
    for op in 0..=255u32 {
        let w = op | 0xffff_ff00;
        let ok = Instr::decode(w).is_ok();
        assert_eq!(ok, (op as usize) < INFO.len());
        let _ = disassemble_word(w, 0, None);
    }
}

#[test]
fn disassembly_text() {
    let code = RegCode {
        code: vec![
            Instr::LoadK {
                a: Reg(1),
                bx: ConstIdx(0),
            }
            .encode()
            .unwrap(),
            Instr::AddI {
                a: Reg(2),
                b: Reg(1),
                c: Imm(-3),
            }
            .encode()
            .unwrap(),
            Instr::Jmp { sj: JumpOffset(-3) }.encode().unwrap(),
            Instr::Return0 {}.encode().unwrap(),
            0xff,
        ],
        stack_pcs: vec![0, 1, 2, 3, 4],
        lines: vec![1, 1, 2, 3, 3],
        frame_size: 3,
        extra_consts: vec![],
    };
    let consts = [crate::bytecode::Constant::Str(b"hi".to_vec())];
    let text = disassemble(&code, Some(&consts));
    let expected = "   0 [1] LoadK     r1 k0 ; \"hi\"\n\
                    \x20  1 [1] AddI      r2 r1 #-3\n\
                    \x20  2 [2] Jmp       ->0\n\
                    \x20  3 [3] Return0\n\
                    \x20  4 [3] <bad 0x000000ff>\n";
    assert_eq!(text, expected);
}

#[test]
fn reference_doc_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/register-isa.md");
    let want = reference_doc();
    if std::env::var_os("APOGEE_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "docs/register-isa.md is stale: run `APOGEE_BLESS=1 cargo test --lib isa`"
    );
}

#[test]
fn raw_fields_match_typed_decoding() {
    // A spread of words: every byte pattern in each position.
    let mut words = vec![0u32, u32::MAX];
    for shift in [0, 8, 16, 24] {
        for v in [0x01u32, 0x7f, 0x80, 0xff, 0x5a] {
            words.push(v << shift);
            words.push(!(v << shift));
        }
    }
    let mut x = 0x1234_5678u32;
    for _ in 0..200 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        words.push(x);
    }
    for &w in &words {
        assert_eq!(raw::a(w), get_field::<Reg>(w, Slot::A).0 as usize);
        assert_eq!(raw::b(w), get_field::<Reg>(w, Slot::B).0 as usize);
        assert_eq!(raw::c(w), get_field::<Reg>(w, Slot::C).0 as usize);
        assert_eq!(raw::sb(w), get_field::<Imm>(w, Slot::B).0 as i64);
        assert_eq!(raw::sc(w), get_field::<Imm>(w, Slot::C).0 as i64);
        assert_eq!(raw::k(w), get_field::<Flag>(w, Slot::C).0);
        assert_eq!(raw::bx(w), get_field::<ConstIdx>(w, Slot::Bx).0 as usize);
        assert_eq!(raw::sbx(w), get_field::<JumpOffset>(w, Slot::Bx).0 as isize);
        assert_eq!(raw::ax(w), get_field::<Payload>(w, Slot::Ax).0);
        assert_eq!(raw::sj(w), get_field::<JumpOffset>(w, Slot::Ax).0 as isize);
    }
    for (n, op) in Opcode::ALL.iter().enumerate() {
        assert_eq!(*op as usize, n);
    }
    assert_eq!(opnum::Move, Opcode::Move as u8);
    assert_eq!(opnum::ExtraArg, Opcode::ExtraArg as u8);
}

/// Each superinstruction has its first part's operands, the union of both parts' flags
/// (plus `FUSED`), and parts that are plain, single-word instructions.
#[test]
fn superinstructions_match_their_parts() {
    use super::{flags, fuse, fused_parts, unfuse_word, FUSED};
    for op in Opcode::ALL {
        let is_super = op.info().has(flags::FUSED);
        assert_eq!(is_super, fused_parts(*op).is_some(), "{op:?}");
    }
    for &(s, x, y) in FUSED {
        let (si, xi, yi) = (s.info(), x.info(), y.info());
        assert_eq!(si.format, xi.format, "{s:?}");
        let names = |i: &OpInfo| -> Vec<(&str, &str, &str)> {
            i.fields
                .iter()
                .map(|f| (f.name, f.ty, f.slot.name()))
                .collect()
        };
        assert_eq!(names(si), names(xi), "{s:?}");
        assert_eq!(si.flags, xi.flags | yi.flags | flags::FUSED, "{s:?}");
        for part in [xi, yi] {
            let bad = flags::COND | flags::EXTRA | flags::FUSED;
            assert_eq!(part.flags & bad, 0, "{s:?}: part {}", part.name);
        }
        assert_eq!(xi.flags & (flags::JUMP | flags::ENDS), 0, "{s:?}");
        assert_eq!(fuse(x, y), Some(s));
        let w = 0xfedc_ba00 | s as u32;
        assert_eq!(unfuse_word(w), 0xfedc_ba00 | x as u32);
        assert_eq!(unfuse_word(0xfedc_ba00 | x as u32), 0xfedc_ba00 | x as u32);
    }
}
