//! Lua strings: immutable byte strings, all interned (so equality is identity) and hashed
//! once at creation.

use super::heap::{Collectable, GcObject, GcRef, Marker};

/// A Lua string.
pub struct LuaStr {
    hash: u64,
    bytes: Box<[u8]>,
}

impl LuaStr {
    pub(crate) fn new(bytes: &[u8], hash: u64) -> Self {
        LuaStr {
            hash,
            bytes: bytes.into(),
        }
    }

    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    #[inline]
    pub fn hash(&self) -> u64 {
        self.hash
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The content hash used for interning (FxHash-style, eight bytes at a time).
    pub fn hash_bytes(bytes: &[u8]) -> u64 {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h: u64 = bytes.len() as u64;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
        h ^ (h >> 29)
    }
}

impl Collectable for LuaStr {
    fn wrap(r: GcRef<Self>) -> GcObject {
        GcObject::Str(r)
    }
    fn trace(&self, _m: &mut Marker) {}
    fn heap_size(&self) -> usize {
        std::mem::size_of::<Self>() + self.bytes.len()
    }
}
