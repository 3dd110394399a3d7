//! The stack bytecode: the format every program enters the VM in.
//!
//! A [`Module`] is a tree of [`Proto`]s. Each proc's code is a vector of [`Op`]s, the stack
//! instruction set declared once in [`op`]. The format is documented in
//! `docs/stack-bytecode.md`.

pub mod analysis;
pub mod op;
pub mod proto;

pub use op::{ArithOp, CmpOp, ConstIdx, LocalSlot, Op, ProtoIdx, Target, UnOp, UpvalIdx, MULTI};
pub use proto::{Constant, LocalInfo, Module, Proto, UpvalDesc};

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
