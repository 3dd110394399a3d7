//! Lua tables: an array part for keys `1..=n` and an open-addressing hash part.
//!
//! Keys are normalised before they reach the table's storage: a float with an integral value
//! is stored as that integer, so `t[1.0]` and `t[1]` are the same slot. Removing a key only
//! stores `nil` in its node (a dead entry), so `next` can continue a traversal past a key
//! that was cleared during it, as Lua allows; dead entries disappear at the next rehash.
//!
//! Weak tables (see [`super::heap`]): the collector clears an entry whose key died by
//! replacing the key with [`TOMBSTONE`], a NaN float. No key can be NaN, so no lookup
//! matches it, while probing continues past it as past any used node.

use super::heap::{
    advise_huge_pages, Collectable, GcObject, GcRef, Marker, Mutable, HUGE_PAGE_MIN,
};
use super::value::Value;

/// A node of the hash part. `repr(C)`: the JIT's inline probe reads the key at
/// [`NODE_KEY_OFFSET`] and the value at [`NODE_VAL_OFFSET`] of node `i` at
/// `nodes + i * NODE_SIZE` (see `tier::native::TableLayout`).
#[derive(Clone, Copy)]
#[repr(C)]
pub struct Node {
    /// `Nil` marks an empty node.
    key: Value,
    val: Value,
}

impl Node {
    /// The empty node (for layout probes).
    pub const EMPTY: Node = EMPTY;
}

/// Size of a hash node.
pub const NODE_SIZE: usize = std::mem::size_of::<Node>();
/// Offset of a node's key.
pub const NODE_KEY_OFFSET: usize = std::mem::offset_of!(Node, key);
/// Offset of a node's value.
pub const NODE_VAL_OFFSET: usize = std::mem::offset_of!(Node, val);
const _: () = assert!(NODE_SIZE == 32 && NODE_KEY_OFFSET == 0 && NODE_VAL_OFFSET == 16);

/// Offset of the array part (`Vec<Value>`) in a [`Table`] (for the JIT).
pub const ARR_OFFSET: usize = std::mem::offset_of!(Table, arr);
/// Offset of the hash part (`Vec<Node>`, a power-of-two length) in a [`Table`].
pub const NODES_OFFSET: usize = std::mem::offset_of!(Table, nodes);
/// Offset of the metatable (`Option<GcRef<Table>>`, `None` read as a 0 word) in a
/// [`Table`].
pub const META_OFFSET: usize = std::mem::offset_of!(Table, meta);
const _: () = assert!(std::mem::size_of::<Option<GcRef<Table>>>() == 8);

/// The hash of a key as the hash part uses it (node index `hash & (len - 1)`, then
/// linear probing); `key` must be normalised and not nil (for the JIT's inline probe of
/// constant string keys).
pub fn hash_of_key(key: Value) -> u64 {
    key_hash(key)
}

const EMPTY: Node = Node {
    key: Value::Nil,
    val: Value::Nil,
};

/// The key of a node whose key object was collected (weak keys).
const TOMBSTONE: Value = Value::Float(f64::NAN);

/// Why a key cannot be stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyError {
    Nil,
    NaN,
}

impl KeyError {
    pub fn message(self) -> &'static str {
        match self {
            KeyError::Nil => "table index is nil",
            KeyError::NaN => "table index is NaN",
        }
    }
}

/// `next` was given a key that is not in the table ("invalid key to 'next'").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidNextKey;

/// A Lua table.
#[derive(Default)]
pub struct Table {
    arr: Vec<Value>,
    nodes: Vec<Node>,
    /// Nodes with a key (live or dead).
    used: usize,
    pub meta: Option<GcRef<Table>>,
}

/// A float key with an integral value becomes an integer key.
#[inline]
pub fn normalize_key(key: Value) -> Value {
    if let Value::Float(f) = key {
        if f == f.trunc() && (-9223372036854775808.0..9223372036854775808.0).contains(&f) {
            return Value::Int(f as i64);
        }
    }
    key
}

#[inline]
fn mix(x: u64) -> u64 {
    let x = x.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 32)
}

/// Hash of a normalised, non-nil key.
#[inline]
fn key_hash(key: Value) -> u64 {
    match key {
        Value::Int(i) => mix(i as u64),
        Value::Float(f) => mix(f.to_bits()),
        Value::Bool(b) => b as u64 + 1,
        Value::Str(s) => s.content_hash(),
        other => mix(other.object_addr().unwrap_or(0) as u64),
    }
}

/// Key identity for normalised keys (strings are interned, so identity is equality).
#[inline]
fn key_eq(a: Value, b: Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Table(x), Value::Table(y)) => x == y,
        (Value::LuaFn(x), Value::LuaFn(y)) => x == y,
        (Value::NativeFn(x), Value::NativeFn(y)) => x == y,
        (Value::Userdata(x), Value::Userdata(y)) => x == y,
        (Value::Thread(x), Value::Thread(y)) => x == y,
        _ => false,
    }
}

impl Table {
    pub fn new() -> Self {
        Table::default()
    }

    /// A table with room for `narr` array items and `nhash` other keys.
    pub fn with_capacity(narr: usize, nhash: usize) -> Self {
        let mut t = Table {
            arr: Vec::with_capacity(narr),
            ..Table::default()
        };
        if nhash > 0 {
            t.nodes = vec![EMPTY; (nhash * 4 / 3 + 1).next_power_of_two()];
        }
        t
    }

    /// Length of the array part (for `SetList` and the JIT).
    #[inline]
    pub fn array_len(&self) -> usize {
        self.arr.len()
    }

    fn find_node(&self, key: Value) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        let mask = self.nodes.len() - 1;
        let mut i = key_hash(key) as usize & mask;
        loop {
            let n = &self.nodes[i];
            if n.key.is_nil() {
                return None;
            }
            if key_eq(n.key, key) {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// `t[key]` without metamethods.
    #[inline]
    pub fn get(&self, key: Value) -> Value {
        match key {
            Value::Int(i) => self.get_int(i),
            Value::Nil => Value::Nil,
            Value::Float(_) => match normalize_key(key) {
                Value::Int(i) => self.get_int(i),
                k => self.get_hashed(k),
            },
            k => self.get_hashed(k),
        }
    }

    #[inline]
    pub fn get_int(&self, i: i64) -> Value {
        if (i as u64).wrapping_sub(1) < self.arr.len() as u64 {
            self.arr[(i - 1) as usize]
        } else {
            self.get_hashed(Value::Int(i))
        }
    }

    #[inline]
    pub fn get_str(&self, key: GcRef<super::string::LuaStr>) -> Value {
        self.get_hashed(Value::Str(key))
    }

    #[inline]
    fn get_hashed(&self, key: Value) -> Value {
        match self.find_node(key) {
            Some(i) => self.nodes[i].val,
            None => Value::Nil,
        }
    }

    /// `t[key] = val` without metamethods. Returns the bytes the table grew by.
    pub fn set(&mut self, key: Value, val: Value) -> Result<usize, KeyError> {
        match normalize_key(key) {
            Value::Nil => Err(KeyError::Nil),
            Value::Float(f) if f.is_nan() => Err(KeyError::NaN),
            Value::Int(i) => Ok(self.set_int(i, val)),
            k => Ok(self.set_hashed(k, val)),
        }
    }

    /// `t[i] = val`; returns the bytes the table grew by (its parts' reallocations, see
    /// `Table::push`).
    #[inline]
    pub fn set_int(&mut self, i: i64, val: Value) -> usize {
        let n = self.arr.len();
        if (i as u64).wrapping_sub(1) < n as u64 {
            self.arr[(i - 1) as usize] = val;
            0
        } else if i as u64 == n as u64 + 1 && !val.is_nil() && self.nodes.is_empty() {
            self.push(val)
        } else if i as u64 == n as u64 + 1 && !val.is_nil() {
            // Append and pull following keys out of the hash part.
            if let Some(ix) = self.find_node(Value::Int(i)) {
                self.nodes[ix].val = Value::Nil;
            }
            self.push(val) + self.migrate_from_hash()
        } else {
            self.set_hashed(Value::Int(i), val)
        }
    }

    /// Appends to the array part; returns the bytes its capacity grew by. Growth is
    /// counted when the array is reallocated, as `heap_size` counts it (capacity, not
    /// length), so an append into spare capacity allocates nothing (the JIT appends in
    /// place only then, and leaves the heap's counters alone).
    #[inline]
    fn push(&mut self, val: Value) -> usize {
        if self.arr.len() == self.arr.capacity() {
            return self.push_grow(val);
        }
        self.arr.push(val);
        0
    }

    /// [`Table::push`] into a full array part. A large one moves to a new buffer that is
    /// advised ([`advise_huge_pages`]) before anything touches it, so all of it can get
    /// huge pages (after a `realloc`, the copied half would already be in small pages).
    #[cold]
    #[inline(never)]
    fn push_grow(&mut self, val: Value) -> usize {
        let cap = self.arr.capacity();
        if cap * 32 >= HUGE_PAGE_MIN {
            let mut bigger: Vec<Value> = Vec::with_capacity(cap * 2);
            advise_huge_pages(bigger.as_ptr().cast(), bigger.capacity() * 16);
            bigger.extend_from_slice(&self.arr);
            self.arr = bigger;
        }
        self.arr.push(val);
        (self.arr.capacity() - cap) * 16
    }

    /// Moves the keys following the array part out of the hash part; returns the bytes
    /// the array part grew by.
    fn migrate_from_hash(&mut self) -> usize {
        let mut grew = 0;
        loop {
            let next = Value::Int(self.arr.len() as i64 + 1);
            match self.find_node(next) {
                Some(ix) if !self.nodes[ix].val.is_nil() => {
                    let v = self.nodes[ix].val;
                    self.nodes[ix].val = Value::Nil;
                    grew += self.push(v);
                }
                _ => break,
            }
        }
        grew
    }

    fn set_hashed(&mut self, key: Value, val: Value) -> usize {
        if let Some(i) = self.find_node(key) {
            self.nodes[i].val = val;
            return 0;
        }
        if val.is_nil() {
            return 0;
        }
        let mut grew = 0;
        if (self.used + 1) * 4 > self.nodes.len() * 3 {
            grew = self.rehash(key);
            // The rehash may have made room for the key in the array part.
            if let Value::Int(i) = key {
                if (i as u64).wrapping_sub(1) < self.arr.len() as u64 {
                    self.arr[(i - 1) as usize] = val;
                    return grew;
                }
                if i as u64 == self.arr.len() as u64 + 1 {
                    grew += self.push(val);
                    return grew + self.migrate_from_hash();
                }
            }
        }
        let mask = self.nodes.len() - 1;
        let mut i = key_hash(key) as usize & mask;
        while !self.nodes[i].key.is_nil() {
            i = (i + 1) & mask;
        }
        self.nodes[i] = Node { key, val };
        self.used += 1;
        grew
    }

    /// Rebuilds both parts to fit the live keys plus `extra`, choosing the array size as
    /// Lua does: the largest `n` (a power of two) such that more than half of `1..=n` are
    /// in use. Returns the bytes grown.
    fn rehash(&mut self, extra: Value) -> usize {
        let before = (self.arr.capacity() + self.nodes.len() * 2) * 16;
        // nums[b]: integer keys in (2^(b-1), 2^b].
        let mut nums = [0usize; 65];
        let count_int = |k: i64, nums: &mut [usize; 65]| {
            if k >= 1 {
                let b = 64 - ((k - 1) as u64).leading_zeros() as usize;
                nums[b] += 1;
            }
        };
        let mut total_int = 0;
        for (i, v) in self.arr.iter().enumerate() {
            if !v.is_nil() {
                count_int(i as i64 + 1, &mut nums);
                total_int += 1;
            }
        }
        let mut live = Vec::with_capacity(self.used + 1);
        for n in &self.nodes {
            if !n.key.is_nil() && !n.val.is_nil() {
                if let Value::Int(k) = n.key {
                    if k >= 1 {
                        count_int(k, &mut nums);
                        total_int += 1;
                    }
                }
                live.push(*n);
            }
        }
        if let Value::Int(k) = extra {
            if k >= 1 {
                count_int(k, &mut nums);
                total_int += 1;
            }
        }
        // computesizes
        let mut a = 0usize;
        let mut na = 0usize;
        let mut optimal = 0usize;
        let mut twotoi = 1usize;
        for &c in nums.iter() {
            if twotoi > 0 && total_int > twotoi / 2 {
                a += c;
                if a > twotoi / 2 {
                    optimal = twotoi;
                    na = a;
                }
            } else {
                break;
            }
            twotoi = twotoi.wrapping_mul(2);
        }
        let _ = na;
        // Move array items beyond `optimal` into the hash part, and hash items within it
        // into the array part.
        let old_arr = std::mem::take(&mut self.arr);
        let mut new_arr: Vec<Value> = Vec::with_capacity(optimal);
        let mut hashed: Vec<Node> = Vec::new();
        for (i, v) in old_arr.into_iter().enumerate() {
            if i < optimal {
                new_arr.push(v);
            } else if !v.is_nil() {
                hashed.push(Node {
                    key: Value::Int(i as i64 + 1),
                    val: v,
                });
            }
        }
        for n in live {
            match n.key {
                Value::Int(k) if k >= 1 && (k as u64) <= optimal as u64 => {
                    let k = k as usize;
                    if new_arr.len() < k {
                        new_arr.resize(k, Value::Nil);
                    }
                    new_arr[k - 1] = n.val;
                }
                _ => hashed.push(n),
            }
        }
        // Keep the array part dense at its end (trailing nils add nothing).
        while matches!(new_arr.last(), Some(Value::Nil)) {
            new_arr.pop();
        }
        self.arr = new_arr;
        if self.arr.capacity() * 16 >= HUGE_PAGE_MIN {
            advise_huge_pages(self.arr.as_ptr().cast(), self.arr.capacity() * 16);
        }
        let need = hashed.len() + 1;
        let size = (need * 4 / 3 + 1).next_power_of_two().max(4);
        self.nodes = vec![EMPTY; size];
        self.used = 0;
        let mask = size - 1;
        for n in hashed {
            let mut i = key_hash(n.key) as usize & mask;
            while !self.nodes[i].key.is_nil() {
                i = (i + 1) & mask;
            }
            self.nodes[i] = n;
            self.used += 1;
        }
        let after = (self.arr.capacity() + self.nodes.len() * 2) * 16;
        after.saturating_sub(before)
    }

    /// The length operator without metamethods: a border of the table.
    pub fn len(&self) -> i64 {
        let n = self.arr.len();
        if n > 0 && self.arr[n - 1].is_nil() {
            // Binary search for a border inside the array part.
            let (mut lo, mut hi) = (0usize, n);
            while hi - lo > 1 {
                let m = (lo + hi) / 2;
                if self.arr[m - 1].is_nil() {
                    hi = m;
                } else {
                    lo = m;
                }
            }
            return lo as i64;
        }
        if self.nodes.is_empty() || self.get_hashed(Value::Int(n as i64 + 1)).is_nil() {
            return n as i64;
        }
        // Unbounded search in the hash part.
        let mut i = n as u64 + 1;
        let mut j = i * 2;
        while !self.get_int(j as i64).is_nil() {
            i = j;
            if j > (i64::MAX as u64) / 2 {
                // Pathological: fall back to a linear search.
                let mut k = 1i64;
                while !self.get_int(k).is_nil() {
                    k += 1;
                }
                return k - 1;
            }
            j *= 2;
        }
        while j - i > 1 {
            let m = (i + j) / 2;
            if self.get_int(m as i64).is_nil() {
                j = m;
            } else {
                i = m;
            }
        }
        i as i64
    }

    /// True when the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.next(Value::Nil).ok().flatten().is_none()
    }

    /// The entry after `key` in traversal order (`next`); `Err` if `key` is not in the table.
    pub fn next(&self, key: Value) -> Result<Option<(Value, Value)>, InvalidNextKey> {
        let key = normalize_key(key);
        let mut start_arr = 0usize;
        let mut start_node = 0usize;
        match key {
            Value::Nil => {}
            Value::Int(i) if (i as u64).wrapping_sub(1) < self.arr.len() as u64 => {
                start_arr = i as usize;
            }
            k => {
                let ix = self.find_node(k).ok_or(InvalidNextKey)?;
                start_arr = self.arr.len();
                start_node = ix + 1;
            }
        }
        for i in start_arr..self.arr.len() {
            if !self.arr[i].is_nil() {
                return Ok(Some((Value::Int(i as i64 + 1), self.arr[i])));
            }
        }
        for n in &self.nodes[start_node.min(self.nodes.len())..] {
            if !n.key.is_nil() && !n.val.is_nil() {
                return Ok(Some((n.key, n.val)));
            }
        }
        Ok(None)
    }

    /// Appends values at array indices `first..` (table constructors).
    pub fn set_list(&mut self, first: i64, values: &[Value]) -> usize {
        let mut grew = 0;
        for (k, v) in values.iter().enumerate() {
            grew += self.set_int(first + k as i64, *v);
        }
        grew
    }
}

/// Whether `v` refers to a heap object (the marker has something to do).
#[inline(always)]
fn is_object(v: &Value) -> bool {
    !matches!(
        v,
        Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_)
    )
}

impl Mutable for Table {}

impl Collectable for Table {
    fn wrap(r: GcRef<Self>) -> GcObject {
        GcObject::Table(r)
    }
    fn trace(&self, m: &mut Marker) {
        if let Some(mt) = self.meta {
            m.object(mt);
        }
        // Array parts are often long runs of numbers and booleans: test the tag in a
        // tight loop and call the marker only for objects.
        for v in &self.arr {
            if is_object(v) {
                m.value(*v);
            }
        }
        for n in &self.nodes {
            if !n.key.is_nil() {
                m.value(n.key);
                m.value(n.val);
            }
        }
    }
    fn heap_size(&self) -> usize {
        std::mem::size_of::<Self>() + (self.arr.capacity() + self.nodes.len() * 2) * 16
    }
}

impl Table {
    /// Traces a weak table (the collector's counterpart of `trace`). Weak keys make the
    /// table an ephemeron: a value is marked only when its key is alive, so the collector
    /// calls this again until marking converges. Keys and values that weak tables never
    /// drop (strings, numbers...) are marked as if strong.
    pub(crate) fn trace_weak(&self, m: &mut Marker, weak_keys: bool, weak_vals: bool) {
        if let Some(mt) = self.meta {
            m.object(mt);
        }
        // Array keys are integers: only the values can be weak.
        for v in &self.arr {
            if weak_vals {
                m.mark_if_value(*v);
            } else {
                m.value(*v);
            }
        }
        for n in &self.nodes {
            if n.key.is_nil() {
                continue;
            }
            let key_alive = if weak_keys {
                m.is_alive(n.key)
            } else {
                m.value(n.key);
                true
            };
            if weak_vals {
                m.mark_if_value(n.val);
            } else if key_alive {
                m.value(n.val);
            }
        }
    }

    /// Drops entries whose key (`keys`) or value (`vals`) is an object the collector did
    /// not mark. Cleared keys become tombstones, so traversal order is unchanged.
    pub(crate) fn clear_weak(&mut self, m: &Marker, keys: bool, vals: bool) {
        if vals {
            for v in &mut self.arr {
                if m.is_cleared(*v) {
                    *v = Value::Nil;
                }
            }
        }
        for n in &mut self.nodes {
            if n.key.is_nil() {
                continue;
            }
            if keys && m.is_cleared(n.key) {
                n.key = TOMBSTONE;
                n.val = Value::Nil;
            } else if vals && m.is_cleared(n.val) {
                n.val = Value::Nil;
            }
        }
    }
}
