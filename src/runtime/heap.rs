//! The garbage-collected heap: allocation, string interning and a precise mark-and-sweep
//! collector.
//!
//! Objects live in boxes owned by the heap; [`GcRef`] is a copyable handle to one. A handle
//! is only a token: reading or writing the object goes through the heap (`heap.get(r)`,
//! `heap.get_mut(r)`), so Rust's borrow rules over `&Heap` / `&mut Heap` guarantee that no
//! two mutable views of an object exist.
//!
//! Invariant that makes this sound: **the collector runs only when [`Heap::collect`] is
//! called, and the caller passes every root.** The VM calls it only at safepoints (between
//! instructions, after native calls return), where every live value is on a value stack, in
//! an upvalue, in the registry or in the globals. Code that holds a `GcRef` in a Rust local
//! across something that may run Lua (and so reach a safepoint) must keep the value
//! reachable from a root, typically by leaving it on the value stack. A black object never
//! needs re-scanning because marking and sweeping are done in one atomic step.
//!
//! Marking uses an explicit gray stack, never recursion, so deep structures cannot overflow
//! the Rust stack.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ptr::NonNull;

use super::function::{FnProto, LuaClosure, NativeClosure, UpVal};
use super::string::LuaStr;
use super::table::Table;
use super::value::Value;

/// A heap object and its mark bit.
pub struct GcBox<T> {
    marked: Cell<bool>,
    value: T,
}

/// A handle to a heap object. Equality and hashing are by identity.
pub struct GcRef<T> {
    ptr: NonNull<GcBox<T>>,
    _marker: PhantomData<*const T>,
}

impl<T> Clone for GcRef<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for GcRef<T> {}
impl<T> PartialEq for GcRef<T> {
    fn eq(&self, other: &Self) -> bool {
        self.ptr == other.ptr
    }
}
impl<T> Eq for GcRef<T> {}
impl<T> Hash for GcRef<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.ptr.hash(state)
    }
}
impl<T> fmt::Debug for GcRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GcRef({:p})", self.ptr)
    }
}

impl<T> GcRef<T> {
    /// The object's address, for identity (`%p`, `tostring` of tables and functions).
    pub fn addr(self) -> usize {
        self.ptr.as_ptr() as usize
    }
}

/// Objects that may be written through [`Heap::get_mut`]. Strings are not: they are never
/// mutated, which is what lets [`GcRef::content_hash`] read one without the heap.
pub trait Mutable {}

impl GcRef<LuaStr> {
    /// The string's content hash (stable across runs, unlike its address).
    #[inline]
    pub fn content_hash(self) -> u64 {
        // SAFETY: the handle points to a live string (module invariant) and strings are
        // never mutated (`LuaStr` is not `Mutable`), so this read aliases no `&mut`.
        unsafe { self.ptr.as_ref().value.hash() }
    }
}

/// Every kind of heap object, for the object list and the gray stack.
#[derive(Clone, Copy)]
pub enum GcObject {
    Str(GcRef<LuaStr>),
    Table(GcRef<Table>),
    LuaFn(GcRef<LuaClosure>),
    NativeFn(GcRef<NativeClosure>),
    UpVal(GcRef<UpVal>),
    Proto(GcRef<FnProto>),
}

/// Implemented by every type that lives on the heap.
pub trait Collectable: Sized {
    /// Wraps a handle into the object list's enum.
    fn wrap(r: GcRef<Self>) -> GcObject;
    /// Marks everything this object refers to.
    fn trace(&self, m: &mut Marker);
    /// Approximate bytes owned (for GC pacing).
    fn heap_size(&self) -> usize {
        std::mem::size_of::<Self>()
    }
}

/// Collects gray objects during marking.
pub struct Marker {
    gray: Vec<GcObject>,
}

impl Marker {
    /// Marks a value (if it refers to a heap object).
    #[inline]
    pub fn value(&mut self, v: Value) {
        match v {
            Value::Str(r) => self.object(r),
            Value::Table(r) => self.object(r),
            Value::LuaFn(r) => self.object(r),
            Value::NativeFn(r) => self.object(r),
            Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {}
        }
    }

    /// Marks an object; the first time, it is queued to have its references traced.
    #[inline]
    pub fn object<T: Collectable>(&mut self, r: GcRef<T>) {
        // SAFETY: handles passed to the marker come from roots or from live objects'
        // fields, which point to live boxes (the module invariant).
        let b = unsafe { r.ptr.as_ref() };
        if !b.marked.replace(true) {
            self.gray.push(T::wrap(r));
        }
    }
}

/// Interned strings: an open-addressing set keyed by content. Every string is interned,
/// so string equality anywhere in the VM is identity.
struct Interner {
    slots: Vec<Option<GcRef<LuaStr>>>,
    count: usize,
}

impl Interner {
    fn new() -> Self {
        Interner {
            slots: vec![None; 256],
            count: 0,
        }
    }

    fn find(&self, bytes: &[u8], hash: u64) -> Result<GcRef<LuaStr>, usize> {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i] {
                None => return Err(i),
                Some(r) => {
                    // SAFETY: interned strings are live: unmarked ones are removed from the
                    // set before they are freed (see `Heap::collect`).
                    let s = unsafe { &r.ptr.as_ref().value };
                    if s.hash() == hash && s.as_bytes() == bytes {
                        return Ok(r);
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    fn insert_at(&mut self, i: usize, r: GcRef<LuaStr>) {
        self.slots[i] = Some(r);
        self.count += 1;
        if self.count * 2 > self.slots.len() {
            self.rebuild(self.slots.len() * 2);
        }
    }

    fn rebuild(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.slots, vec![None; size]);
        let mask = size - 1;
        for r in old.into_iter().flatten() {
            // SAFETY: as in `find`, every string in the set is live.
            let h = unsafe { r.ptr.as_ref().value.hash() };
            let mut i = h as usize & mask;
            while self.slots[i].is_some() {
                i = (i + 1) & mask;
            }
            self.slots[i] = Some(r);
        }
    }

    /// Drops every unmarked string from the set (before the sweep frees them).
    fn remove_unmarked(&mut self) {
        let live: Vec<GcRef<LuaStr>> = self
            .slots
            .iter()
            .flatten()
            .copied()
            // SAFETY: every string in the set is still allocated at this point.
            .filter(|r| unsafe { r.ptr.as_ref().marked.get() })
            .collect();
        self.count = live.len();
        let mut size = 256;
        while size < live.len() * 4 {
            size *= 2;
        }
        self.slots = vec![None; size];
        let mask = size - 1;
        for r in live {
            // SAFETY: marked strings survive the sweep.
            let h = unsafe { r.ptr.as_ref().value.hash() };
            let mut i = h as usize & mask;
            while self.slots[i].is_some() {
                i = (i + 1) & mask;
            }
            self.slots[i] = Some(r);
        }
    }
}

/// Counters the collector keeps (for `collectgarbage("count")` and `--stats`).
#[derive(Clone, Copy, Debug, Default)]
pub struct GcStats {
    pub collections: u64,
    pub objects: usize,
    pub bytes: usize,
}

/// The heap.
pub struct Heap {
    objects: Vec<GcObject>,
    strings: Interner,
    /// Approximate bytes allocated (live after the last collection plus new since).
    bytes: usize,
    /// Collect when `bytes` passes this.
    threshold: usize,
    /// Stress mode: every safepoint after an allocation collects.
    pub stress: bool,
    /// Something was allocated since the last collection.
    allocated_since: bool,
    /// The collector is stopped (`collectgarbage("stop")`).
    pub stopped: bool,
    pub stats: GcStats,
}

impl Default for Heap {
    fn default() -> Self {
        Self::new()
    }
}

const MIN_THRESHOLD: usize = 1 << 20;

impl Heap {
    pub fn new() -> Self {
        Heap {
            objects: Vec::new(),
            strings: Interner::new(),
            bytes: 0,
            threshold: MIN_THRESHOLD,
            stress: false,
            allocated_since: false,
            stopped: false,
            stats: GcStats::default(),
        }
    }

    /// Moves a value onto the heap.
    pub fn alloc<T: Collectable>(&mut self, value: T) -> GcRef<T> {
        self.bytes += value.heap_size() + 16;
        self.allocated_since = true;
        let b = Box::new(GcBox {
            marked: Cell::new(false),
            value,
        });
        let r = GcRef {
            ptr: NonNull::from(Box::leak(b)),
            _marker: PhantomData,
        };
        self.objects.push(T::wrap(r));
        r
    }

    /// Records growth of an existing object (a table's parts), for pacing.
    pub fn note_growth(&mut self, bytes: usize) {
        self.bytes += bytes;
        self.allocated_since = true;
    }

    /// The interned string with these contents, created if needed.
    pub fn intern(&mut self, bytes: &[u8]) -> GcRef<LuaStr> {
        let hash = LuaStr::hash_bytes(bytes);
        match self.strings.find(bytes, hash) {
            Ok(r) => r,
            Err(slot) => {
                let r = self.alloc(LuaStr::new(bytes, hash));
                self.strings.insert_at(slot, r);
                r
            }
        }
    }

    /// Reads an object.
    #[inline(always)]
    pub fn get<T>(&self, r: GcRef<T>) -> &T {
        // SAFETY: `r` points to a live box (module invariant: objects are freed only by
        // `collect`, and only when unreachable from the roots the VM passes); the shared
        // borrow of the heap rules out a concurrent `get_mut`.
        unsafe { &r.ptr.as_ref().value }
    }

    /// Writes an object.
    #[inline(always)]
    pub fn get_mut<T: Mutable>(&mut self, r: GcRef<T>) -> &mut T {
        // SAFETY: as in `get`; the exclusive borrow of the heap guarantees this is the only
        // reference into any object for its duration.
        unsafe { &mut (*r.ptr.as_ptr()).value }
    }

    /// The bytes of a string.
    #[inline(always)]
    pub fn str(&self, r: GcRef<LuaStr>) -> &[u8] {
        self.get(r).as_bytes()
    }

    /// True when a safepoint should collect.
    #[inline]
    pub fn should_collect(&self) -> bool {
        self.allocated_since && !self.stopped && (self.stress || self.bytes >= self.threshold)
    }

    /// Approximate bytes in use.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// A full collection. `mark_roots` must mark every root (see the module invariant).
    pub fn collect(&mut self, mark_roots: impl FnOnce(&mut Marker)) {
        let mut m = Marker { gray: Vec::new() };
        mark_roots(&mut m);
        while let Some(obj) = m.gray.pop() {
            // SAFETY: gray objects were reached from roots, so they are live.
            unsafe {
                match obj {
                    GcObject::Str(_) => {}
                    GcObject::Table(r) => r.ptr.as_ref().value.trace(&mut m),
                    GcObject::LuaFn(r) => r.ptr.as_ref().value.trace(&mut m),
                    GcObject::NativeFn(r) => r.ptr.as_ref().value.trace(&mut m),
                    GcObject::UpVal(r) => r.ptr.as_ref().value.trace(&mut m),
                    GcObject::Proto(r) => r.ptr.as_ref().value.trace(&mut m),
                }
            }
        }
        self.strings.remove_unmarked();
        let mut live_bytes = 0;
        self.objects.retain(|obj| {
            // SAFETY: every object in the list is allocated until this sweep frees it; an
            // unmarked object is unreachable from the roots, so no handle to it is used
            // again (module invariant), and it is removed from the list as it is freed.
            unsafe {
                match *obj {
                    GcObject::Str(r) => sweep(r, &mut live_bytes),
                    GcObject::Table(r) => sweep(r, &mut live_bytes),
                    GcObject::LuaFn(r) => sweep(r, &mut live_bytes),
                    GcObject::NativeFn(r) => sweep(r, &mut live_bytes),
                    GcObject::UpVal(r) => sweep(r, &mut live_bytes),
                    GcObject::Proto(r) => sweep(r, &mut live_bytes),
                }
            }
        });
        self.bytes = live_bytes;
        self.threshold = (live_bytes * 2).max(MIN_THRESHOLD);
        self.allocated_since = false;
        self.stats.collections += 1;
        self.stats.objects = self.objects.len();
        self.stats.bytes = live_bytes;
    }
}

/// Frees an unmarked object or clears the mark of a live one; returns whether it survives.
///
/// # Safety
/// `r` must point to a live box owned by the heap's object list, and when unmarked, no
/// handle to it may be used afterwards.
unsafe fn sweep<T: Collectable>(r: GcRef<T>, live_bytes: &mut usize) -> bool {
    // SAFETY: the caller guarantees the box is live.
    let b = unsafe { r.ptr.as_ref() };
    if b.marked.replace(false) {
        *live_bytes += b.value.heap_size() + 16;
        true
    } else {
        // SAFETY: the box was created by `Box::leak` in `alloc` and is freed exactly once,
        // here, as it leaves the object list.
        drop(unsafe { Box::from_raw(r.ptr.as_ptr()) });
        false
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        for obj in self.objects.drain(..) {
            // SAFETY: dropping the heap frees every object exactly once; no handle outlives
            // the heap (handles are only meaningful with the heap that made them).
            unsafe {
                match obj {
                    GcObject::Str(r) => drop(Box::from_raw(r.ptr.as_ptr())),
                    GcObject::Table(r) => drop(Box::from_raw(r.ptr.as_ptr())),
                    GcObject::LuaFn(r) => drop(Box::from_raw(r.ptr.as_ptr())),
                    GcObject::NativeFn(r) => drop(Box::from_raw(r.ptr.as_ptr())),
                    GcObject::UpVal(r) => drop(Box::from_raw(r.ptr.as_ptr())),
                    GcObject::Proto(r) => drop(Box::from_raw(r.ptr.as_ptr())),
                }
            }
        }
    }
}
