//! The stack bytecode: the format every program enters the VM in.
//!
//! A [`Module`] is a tree of [`Proto`]s. Each proc's code is a vector of [`Op`]s, the stack
//! instruction set declared once in [`op`]. The format is documented in
//! `docs/stack-bytecode.md`.

pub mod analysis;
pub mod binary;
pub mod disasm;
pub mod json;
pub mod op;
pub mod proto;
pub mod verify;

pub use binary::{read_sbc, write_sbc};
pub use disasm::disassemble;
pub use json::{read_json, write_json};
pub use op::{ArithOp, CmpOp, ConstIdx, LocalSlot, Op, ProtoIdx, Target, UnOp, UpvalIdx, MULTI};
pub use proto::{Constant, LocalInfo, Module, Proto, UpvalDesc};
pub use verify::{stack_states, verify, StackState};

/// Room for a chunk name in messages (Lua's `LUA_IDSIZE`, terminator included).
const ID_SIZE: usize = 60;

/// The chunk name as Lua shows it in messages (`luaO_chunkid`): `@file` -> `file`
/// (long names keep their end, after `...`), `=name` -> `name` (truncated), anything
/// else -> `[string "first line..."]`.
pub fn chunk_display_name(chunkname: &str) -> String {
    let src = chunkname.as_bytes();
    let len = src.len();
    let out: Vec<u8> = match src.first() {
        Some(b'=') => {
            if len <= ID_SIZE {
                src[1..].to_vec()
            } else {
                src[1..ID_SIZE].to_vec()
            }
        }
        Some(b'@') => {
            if len <= ID_SIZE {
                src[1..].to_vec()
            } else {
                // "..." then the last ID_SIZE - 3 - 1 bytes of the name.
                let keep = ID_SIZE - 3 - 1;
                let mut v = b"...".to_vec();
                v.extend_from_slice(&src[len - keep..]);
                v
            }
        }
        _ => {
            let room = ID_SIZE - "[string \"...\"]".len() - 1;
            let nl = src.iter().position(|&c| c == b'\n');
            let mut v = b"[string \"".to_vec();
            if len < room && nl.is_none() {
                v.extend_from_slice(src);
            } else {
                let n = nl.unwrap_or(len).min(room);
                v.extend_from_slice(&src[..n]);
                v.extend_from_slice(b"...");
            }
            v.extend_from_slice(b"\"]");
            v
        }
    };
    String::from_utf8_lossy(&out).into_owned()
}

/// Serde helper: byte strings as JSON strings when they are valid UTF-8, otherwise as an
/// array of byte values, so the JSON form is readable and still lossless.
pub mod serde_bytes {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Text(String),
        Bytes(Vec<u8>),
    }

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => text.serialize(s),
            Err(_) => bytes.serialize(s),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Ok(match Repr::deserialize(d)? {
            Repr::Text(t) => t.into_bytes(),
            Repr::Bytes(b) => b,
        })
    }
}
