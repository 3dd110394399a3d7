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
//!
//! # Weak tables and finalizers (Lua 5.4 semantics)
//! A table whose metatable has a `__mode` string containing `k` and/or `v` (read when the
//! table is traversed) holds its keys and/or values weakly. Weak-key tables are
//! *ephemerons*: a value is marked only once its key is, so after the gray stack drains
//! the collector revisits them until nothing new gets marked. Strings and native functions
//! without upvalues (Lua's light C functions) are values, never removed from weak tables.
//! A cleared key is replaced by a tombstone (a NaN float key, which no lookup can match)
//! so that probing chains and traversal order stay intact.
//!
//! A table or userdata is *marked for finalization* when it gets a metatable with a `__gc`
//! field ([`Heap::set_metatable`], [`Heap::set_userdata_metatable`]); tables and userdata
//! share one list, so their finalizers run in one order, as in Lua. When a collection finds
//! such an object unreachable it moves it
//! to the *to-be-finalized* queue (newest first, as Lua: "in the reverse order that they
//! were marked") and marks it and everything it reaches again (resurrection), so it is
//! freed only in a later cycle. The VM runs the queued finalizers after the collection,
//! outside the collector ([`crate::runtime::vm::Vm::run_pending_finalizers`]). The phase
//! order follows Lua's `atomic`: values of weak tables are cleared before resurrection,
//! keys after it, so resurrected objects leave weak values at once and weak keys only when
//! actually freed.
//!
//! # Memory limit
//! [`Heap::set_limit`] bounds the approximate bytes in use. Passing it makes the next
//! safepoint collect; if the heap is still over the limit after a full collection,
//! [`Heap::oom_pending`] is set and the VM raises a catchable "not enough memory" error at
//! the next point that can fail (see `Vm::safepoint`).
#![allow(unsafe_code)]

use std::cell::Cell;
use std::collections::VecDeque;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ptr::NonNull;

use super::coro::Thread;
use super::function::{FnProto, LuaClosure, NativeClosure, UpVal};
use super::string::LuaStr;
use super::table::Table;
use super::userdata::Userdata;
use super::value::Value;

/// A heap object and its flag bits ([`MARK`], [`FINALIZE`]).
pub struct GcBox<T> {
    flags: Cell<u8>,
    value: T,
}

/// Reached from the roots in the current collection.
const MARK: u8 = 1;
/// Marked for finalization: in the heap's `finobj` list or its to-be-finalized queue.
const FINALIZE: u8 = 2;

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

    /// The flag bits of the object, borrowed without borrowing its value (so the collector
    /// may read a mark while it holds `&mut` to the value of the same box).
    ///
    /// # Safety
    /// The box must be live.
    #[inline]
    unsafe fn flags<'a>(self) -> &'a Cell<u8> {
        // SAFETY: the caller guarantees the box is live; `addr_of!` takes the field's
        // address without creating a reference to the whole box.
        unsafe { &*std::ptr::addr_of!((*self.ptr.as_ptr()).flags) }
    }

    /// Whether the mark bit is set.
    ///
    /// # Safety
    /// The box must be live.
    #[inline]
    unsafe fn is_marked(self) -> bool {
        // SAFETY: forwarded from the caller.
        unsafe { self.flags().get() & MARK != 0 }
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
    Userdata(GcRef<Userdata>),
    Thread(GcRef<Thread>),
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
    /// Objects marked so far (to detect when ephemeron convergence stops making progress).
    marks: usize,
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
            Value::Userdata(r) => self.object(r),
            Value::Thread(r) => self.object(r),
            Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {}
        }
    }

    /// Marks an object; the first time, it is queued to have its references traced.
    #[inline]
    pub fn object<T: Collectable>(&mut self, r: GcRef<T>) {
        // SAFETY: handles passed to the marker come from roots or from live objects'
        // fields, which point to live boxes (the module invariant).
        let f = unsafe { r.flags() };
        let old = f.get();
        if old & MARK == 0 {
            f.set(old | MARK);
            self.marks += 1;
            self.gray.push(T::wrap(r));
        }
    }

    /// For weak tables: true when `v` can never be removed from one (not an object, a
    /// string, or a native function without upvalues). Such objects are marked here, as
    /// Lua marks strings it meets in weak tables.
    #[inline]
    pub fn mark_if_value(&mut self, v: Value) -> bool {
        match v {
            Value::Str(r) => {
                self.object(r);
                true
            }
            Value::NativeFn(r) if Self::is_light(r) => {
                self.object(r);
                true
            }
            Value::Table(_)
            | Value::LuaFn(_)
            | Value::NativeFn(_)
            | Value::Thread(_)
            | Value::Userdata(_) => false,
            Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) => true,
        }
    }

    fn is_light(r: GcRef<NativeClosure>) -> bool {
        // SAFETY: handles reached during marking point to live boxes; closures are only
        // read here, never mutated during a collection.
        unsafe { r.ptr.as_ref().value.upvals.is_empty() }
    }

    /// For weak tables: true when `v` is (or counts as) reachable. Strings and other
    /// values that weak tables never drop are marked and count as reachable.
    #[inline]
    pub fn is_alive(&mut self, v: Value) -> bool {
        if self.mark_if_value(v) {
            return true;
        }
        // SAFETY: `v` comes from a live table's entry, so its box is live.
        unsafe {
            match v {
                Value::Table(r) => r.is_marked(),
                Value::LuaFn(r) => r.is_marked(),
                Value::NativeFn(r) => r.is_marked(),
                Value::Userdata(r) => r.is_marked(),
                Value::Thread(r) => r.is_marked(),
                _ => true,
            }
        }
    }

    /// For clearing weak tables after marking: true when `v` is an object that nothing
    /// marked, which must leave the table.
    #[inline]
    pub fn is_cleared(&self, v: Value) -> bool {
        // SAFETY: `v` comes from a live table's entry, so its box is live until the sweep.
        unsafe {
            match v {
                Value::Table(r) => !r.is_marked(),
                Value::LuaFn(r) => !r.is_marked(),
                Value::NativeFn(r) => !r.is_marked(),
                Value::Userdata(r) => !r.is_marked(),
                Value::Thread(r) => !r.is_marked(),
                _ => false,
            }
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
            .filter(|r| unsafe { r.is_marked() })
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

/// The collector mode `collectgarbage` reports. One algorithm (a full mark-and-sweep at
/// each cycle) serves both; the mode is remembered so that switching reports the
/// previous one as Lua does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GcMode {
    Incremental,
    Generational,
}

impl GcMode {
    /// The name `collectgarbage` uses.
    pub fn name(self) -> &'static str {
        match self {
            GcMode::Incremental => "incremental",
            GcMode::Generational => "generational",
        }
    }
}

/// Names the collector itself looks up or raises, interned once and always marked.
struct HeapNames {
    mode: GcRef<LuaStr>,
    gc: GcRef<LuaStr>,
    memerr: GcRef<LuaStr>,
}

/// The heap.
pub struct Heap {
    objects: Vec<GcObject>,
    strings: Interner,
    /// Approximate bytes allocated (live after the last collection plus new since).
    bytes: usize,
    /// Collect when `bytes` passes this (set from the live size and the pause).
    threshold: usize,
    /// What safepoints compare `bytes` with: `threshold` (none while stopped), capped by
    /// the memory limit.
    trigger: usize,
    /// Upper bound on `bytes` ([`Heap::set_limit`]).
    limit: Option<usize>,
    /// Stress mode: every safepoint after an allocation collects.
    pub stress: bool,
    /// Something was allocated since the last collection.
    allocated_since: bool,
    /// The collector is stopped (`collectgarbage("stop")`); see [`Heap::set_stopped`].
    stopped: bool,
    /// A collection left the heap over its limit: the VM owes a "not enough memory" error.
    pub oom_pending: bool,
    /// A finalizer is running: no collections happen and `collectgarbage` fails (Lua's
    /// `GCSTPGC`).
    pub in_finalizer: bool,
    /// The state is closing: no collections, and no object becomes finalizable any more.
    pub closing: bool,
    /// Errors in finalizers are reported on stderr (`lua5.4 -W`, `warn("@on")`).
    pub warnings: bool,
    /// The mode `collectgarbage` reports.
    pub mode: GcMode,
    /// `collectgarbage("setpause")` and `("setstepmul")`, stored as Lua 5.4 stores them: a
    /// byte holding the value divided by 4.
    pause: u8,
    stepmul: u8,
    /// Tables and userdata marked for finalization that have not been found unreachable
    /// yet, oldest first. Only [`Finalizable`] values.
    finobj: Vec<Finalizable>,
    /// Unreachable finalizable objects whose finalizers are due, in calling order. A root.
    tobefnz: VecDeque<Finalizable>,
    names: HeapNames,
    pub stats: GcStats,
}

impl Default for Heap {
    fn default() -> Self {
        Self::new()
    }
}

/// The heap never waits for less than this before the next cycle.
const MIN_THRESHOLD: usize = 1 << 20;
/// Nor for less than this much growth over the live size (whatever the pause).
const MIN_STEP: usize = 256 << 10;
/// Lua 5.4's defaults (`LUAI_GCPAUSE`, `LUAI_GCMUL`), in the stored (divided by 4) form.
const DEFAULT_PAUSE: u8 = 200 / 4;
const DEFAULT_STEPMUL: u8 = 100 / 4;

impl Heap {
    pub fn new() -> Self {
        let mut strings = Interner::new();
        let mut objects = Vec::new();
        let mut bytes = 0;
        let mut name = |b: &[u8]| {
            let hash = LuaStr::hash_bytes(b);
            let r = new_box(LuaStr::new(b, hash), &mut bytes);
            objects.push(GcObject::Str(r));
            if let Err(slot) = strings.find(b, hash) {
                strings.insert_at(slot, r);
            }
            r
        };
        let names = HeapNames {
            mode: name(b"__mode"),
            gc: name(b"__gc"),
            memerr: name(b"not enough memory"),
        };
        Heap {
            objects,
            strings,
            bytes,
            threshold: MIN_THRESHOLD,
            trigger: MIN_THRESHOLD,
            limit: None,
            stress: false,
            allocated_since: false,
            stopped: false,
            oom_pending: false,
            in_finalizer: false,
            closing: false,
            warnings: false,
            mode: GcMode::Incremental,
            pause: DEFAULT_PAUSE,
            stepmul: DEFAULT_STEPMUL,
            finobj: Vec::new(),
            tobefnz: VecDeque::new(),
            names,
            stats: GcStats::default(),
        }
    }

    /// Moves a value onto the heap.
    pub fn alloc<T: Collectable>(&mut self, value: T) -> GcRef<T> {
        let r = new_box(value, &mut self.bytes);
        self.allocated_since = true;
        self.objects.push(T::wrap(r));
        r
    }

    /// Records growth of an existing object (a table's parts), for pacing. Growth of 0
    /// bytes (a store that reallocated nothing) is no allocation: it neither counts for
    /// stress mode nor makes a safepoint collect.
    #[inline]
    pub fn note_growth(&mut self, bytes: usize) {
        if bytes != 0 {
            self.bytes += bytes;
            self.allocated_since = true;
        }
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

    /// True when a safepoint should collect: the heap grew past its pacing threshold (or
    /// its memory limit, even while stopped), or stress mode is on; never while a
    /// finalizer runs or the state closes.
    #[inline]
    pub fn should_collect(&self) -> bool {
        self.allocated_since
            && (self.bytes >= self.trigger || (self.stress && !self.stopped))
            && !self.in_finalizer
            && !self.closing
    }

    /// Approximate bytes in use.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Bounds the approximate bytes in use (`None`: no bound). Past the bound a safepoint
    /// collects, and if that does not bring the heap under it the VM raises "not enough
    /// memory" (a catchable error).
    pub fn set_limit(&mut self, limit: Option<usize>) {
        self.limit = limit;
        self.update_trigger();
    }

    /// The memory limit, if any.
    pub fn limit(&self) -> Option<usize> {
        self.limit
    }

    /// True when the heap uses more than its limit.
    pub fn over_limit(&self) -> bool {
        self.limit.is_some_and(|l| self.bytes > l)
    }

    /// Stops (`collectgarbage("stop")`) or restarts automatic collections. Explicit ones
    /// (`collectgarbage()`) and those forced by the memory limit still happen.
    pub fn set_stopped(&mut self, stopped: bool) {
        self.stopped = stopped;
        self.update_trigger();
    }

    /// Whether automatic collections are stopped.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    fn update_trigger(&mut self) {
        let t = if self.stopped {
            usize::MAX
        } else {
            self.threshold
        };
        self.trigger = match self.limit {
            Some(l) => t.min(l.saturating_add(1)),
            None => t,
        };
    }

    /// Sets the pause as `collectgarbage("setpause", v)` does and returns the previous one
    /// (Lua 5.4 keeps `v / 4` in a byte, so the value read back is a multiple of 4 and
    /// wraps past 1023).
    pub fn set_pause(&mut self, v: i32) -> i32 {
        let old = self.pause as i32 * 4;
        self.pause = (v / 4) as u8;
        old
    }

    /// As [`Heap::set_pause`], for the step multiplier (which only pacing would use).
    pub fn set_stepmul(&mut self, v: i32) -> i32 {
        let old = self.stepmul as i32 * 4;
        self.stepmul = (v / 4) as u8;
        old
    }

    /// The string "not enough memory" (interned at start, so raising it never allocates).
    pub fn memory_error_value(&self) -> Value {
        Value::Str(self.names.memerr)
    }

    /// Sets a table's metatable (as `setmetatable` does). If the new metatable has a
    /// `__gc` field now, the table is marked for finalization (Lua 5.4: a `__gc` added to
    /// the metatable later does not count).
    pub fn set_metatable(&mut self, t: GcRef<Table>, mt: Option<GcRef<Table>>) {
        self.get_mut(t).meta = mt;
        self.check_finalizer(Finalizable::Table(t), mt);
    }

    /// Sets a userdata's metatable, with the same `__gc` rule as [`Heap::set_metatable`].
    pub fn set_userdata_metatable(&mut self, u: GcRef<Userdata>, mt: Option<GcRef<Table>>) {
        self.get_mut(u).meta = mt;
        self.check_finalizer(Finalizable::Userdata(u), mt);
    }

    /// Marks `obj` for finalization if its new metatable `mt` has a `__gc` field
    /// (`luaC_checkfinalizer`).
    fn check_finalizer(&mut self, obj: Finalizable, mt: Option<GcRef<Table>>) {
        let Some(mt) = mt else { return };
        if self.closing || self.get(mt).get_str(self.names.gc).is_nil() {
            return;
        }
        // SAFETY: `obj` is live (the caller holds it as a rooted value).
        let f = unsafe { obj.flags() };
        if f.get() & FINALIZE == 0 {
            f.set(f.get() | FINALIZE);
            self.finobj.push(obj);
        }
    }

    /// The `__gc` field of the current metatable of a table or userdata (what its
    /// finalizer call uses); nil for other values.
    pub fn gc_metamethod(&self, obj: Value) -> Value {
        let meta = match obj {
            Value::Table(t) => self.get(t).meta,
            Value::Userdata(u) => self.get(u).meta,
            _ => None,
        };
        match meta {
            Some(mt) => self.get(mt).get_str(self.names.gc),
            None => Value::Nil,
        }
    }

    /// True when finalizers are due.
    pub fn has_pending_finalizers(&self) -> bool {
        !self.tobefnz.is_empty()
    }

    /// Takes the next object (a table or userdata value) whose finalizer is due; it becomes
    /// an ordinary object again (a later `setmetatable` with `__gc` may mark it anew). The
    /// caller must root it before the next safepoint.
    pub fn next_to_finalize(&mut self) -> Option<Value> {
        let obj = self.tobefnz.pop_front()?;
        // SAFETY: queued objects are roots, hence live.
        let f = unsafe { obj.flags() };
        f.set(f.get() & !FINALIZE);
        Some(obj.value())
    }

    /// Queues the finalizers of every object marked for finalization, reachable or not,
    /// newest first, after those already due (what `lua_close` does).
    pub fn finalize_all(&mut self) {
        let mut all = std::mem::take(&mut self.finobj);
        all.reverse();
        self.tobefnz.extend(all);
    }

    /// A full collection. `mark_roots` must mark every root (see the module invariant).
    /// Unreachable finalizable tables are queued and survive this cycle; the caller runs
    /// their finalizers afterwards ([`Heap::next_to_finalize`]).
    pub fn collect(&mut self, mark_roots: impl FnOnce(&mut Marker)) {
        let mut m = Marker {
            gray: Vec::new(),
            marks: 0,
        };
        let mode_key = self.names.mode;
        let mut weak: Vec<WeakTable> = Vec::new();
        mark_roots(&mut m);
        m.object(self.names.mode);
        m.object(self.names.gc);
        m.object(self.names.memerr);
        for &obj in &self.tobefnz {
            m.value(obj.value());
        }
        propagate(&mut m, &mut weak, mode_key);
        converge_ephemerons(&mut m, &mut weak, mode_key);
        // Values first: objects about to be resurrected leave weak values now.
        for w in &weak {
            if w.weak_vals {
                clear_weak(&m, w.table, false, true);
            }
        }
        // Unreachable finalizable tables are queued newest first and resurrected.
        let mut due = Vec::new();
        self.finobj.retain(|&obj| {
            // SAFETY: objects in `finobj` are never freed while there (they are marked or
            // moved to the queue below before the sweep).
            let live = unsafe { obj.flags() }.get() & MARK != 0;
            if !live {
                due.push(obj);
            }
            live
        });
        due.reverse();
        for &obj in &due {
            m.value(obj.value());
        }
        self.tobefnz.extend(due);
        propagate(&mut m, &mut weak, mode_key);
        converge_ephemerons(&mut m, &mut weak, mode_key);
        // Keys last: resurrected objects stay as weak keys until they are really freed.
        for w in &weak {
            clear_weak(&m, w.table, w.weak_keys, w.weak_vals);
        }
        self.strings.remove_unmarked();
        let mut live_bytes = 0;
        self.objects.retain(|obj| {
            // SAFETY: every object in the list is allocated until this sweep frees it; an
            // unmarked object is unreachable from the roots, so no handle to it is used
            // again (module invariant: weak tables dropped theirs just above), and it is
            // removed from the list as it is freed.
            unsafe {
                match *obj {
                    GcObject::Str(r) => sweep(r, &mut live_bytes),
                    GcObject::Table(r) => sweep(r, &mut live_bytes),
                    GcObject::LuaFn(r) => sweep(r, &mut live_bytes),
                    GcObject::NativeFn(r) => sweep(r, &mut live_bytes),
                    GcObject::UpVal(r) => sweep(r, &mut live_bytes),
                    GcObject::Proto(r) => sweep(r, &mut live_bytes),
                    GcObject::Userdata(r) => sweep(r, &mut live_bytes),
                    GcObject::Thread(r) => sweep(r, &mut live_bytes),
                }
            }
        });
        self.bytes = live_bytes;
        let pause = self.pause as usize * 4;
        self.threshold = (live_bytes.saturating_mul(pause) / 100)
            .max(live_bytes.saturating_add(MIN_STEP))
            .max(MIN_THRESHOLD);
        self.update_trigger();
        self.allocated_since = false;
        self.oom_pending = self.over_limit();
        self.stats.collections += 1;
        self.stats.objects = self.objects.len();
        self.stats.bytes = live_bytes;
    }
}

/// An object that may carry a finalizer.
#[derive(Clone, Copy)]
enum Finalizable {
    Table(GcRef<Table>),
    Userdata(GcRef<Userdata>),
}

impl Finalizable {
    /// The object's flag bits.
    ///
    /// # Safety
    /// The object must be live.
    unsafe fn flags<'a>(self) -> &'a Cell<u8> {
        // SAFETY: forwarded from the caller.
        unsafe {
            match self {
                Finalizable::Table(t) => t.flags(),
                Finalizable::Userdata(u) => u.flags(),
            }
        }
    }

    fn value(self) -> Value {
        match self {
            Finalizable::Table(t) => Value::Table(t),
            Finalizable::Userdata(u) => Value::Userdata(u),
        }
    }
}

/// A weak table met during marking, with its mode.
#[derive(Clone, Copy)]
struct WeakTable {
    table: GcRef<Table>,
    weak_keys: bool,
    weak_vals: bool,
}

/// The weakness of a table: its metatable's `__mode` string, read now.
fn weak_mode(t: &Table, mode_key: GcRef<LuaStr>) -> (bool, bool) {
    let Some(mt) = t.meta else {
        return (false, false);
    };
    // SAFETY: the metatable of a live table is live, and nothing mutates objects while
    // the collector marks.
    let mt = unsafe { &mt.ptr.as_ref().value };
    match mt.get_str(mode_key) {
        Value::Str(s) => {
            // SAFETY: as above, for the mode string.
            let b = unsafe { s.ptr.as_ref().value.as_bytes() };
            (b.contains(&b'k'), b.contains(&b'v'))
        }
        _ => (false, false),
    }
}

/// Traces gray objects until none is left.
fn propagate(m: &mut Marker, weak: &mut Vec<WeakTable>, mode_key: GcRef<LuaStr>) {
    while let Some(obj) = m.gray.pop() {
        // SAFETY: gray objects were reached from roots, so they are live, and no object
        // is mutated while marking.
        unsafe {
            match obj {
                GcObject::Str(_) => {}
                GcObject::Table(r) => {
                    let t = &r.ptr.as_ref().value;
                    let (weak_keys, weak_vals) = weak_mode(t, mode_key);
                    if weak_keys || weak_vals {
                        t.trace_weak(m, weak_keys, weak_vals);
                        weak.push(WeakTable {
                            table: r,
                            weak_keys,
                            weak_vals,
                        });
                    } else {
                        t.trace(m);
                    }
                }
                GcObject::LuaFn(r) => r.ptr.as_ref().value.trace(m),
                GcObject::NativeFn(r) => r.ptr.as_ref().value.trace(m),
                GcObject::UpVal(r) => r.ptr.as_ref().value.trace(m),
                GcObject::Proto(r) => r.ptr.as_ref().value.trace(m),
                GcObject::Userdata(r) => r.ptr.as_ref().value.trace(m),
                GcObject::Thread(r) => r.ptr.as_ref().value.trace(m),
            }
        }
    }
}

/// Revisits weak-key tables until no value becomes reachable through a newly marked key
/// (Lua's `convergeephemerons`).
fn converge_ephemerons(m: &mut Marker, weak: &mut Vec<WeakTable>, mode_key: GcRef<LuaStr>) {
    loop {
        let before = m.marks;
        let mut i = 0;
        while i < weak.len() {
            let w = weak[i];
            if w.weak_keys && !w.weak_vals {
                // SAFETY: tables in `weak` were marked, so they are live.
                unsafe { w.table.ptr.as_ref().value.trace_weak(m, true, false) };
            }
            i += 1;
        }
        propagate(m, weak, mode_key);
        if m.marks == before {
            break;
        }
    }
}

/// Removes the entries of a weak table whose key (`keys`) or value (`vals`) is an
/// unmarked object.
fn clear_weak(m: &Marker, t: GcRef<Table>, keys: bool, vals: bool) {
    // SAFETY: `t` was marked, so it is live; during the collection no other reference to
    // its value exists, and the marker reads only flag bits (never values of tables).
    let t = unsafe { &mut (*t.ptr.as_ptr()).value };
    t.clear_weak(m, keys, vals);
}

/// Buffers at least this large get [`advise_huge_pages`] (a few huge pages' worth: the
/// advice only covers the buffer's 2 MB-aligned interior).
pub const HUGE_PAGE_MIN: usize = 8 << 20;

/// Asks the kernel to back the 2 MB-aligned interior of the buffer at `ptr` (`bytes`
/// long) with transparent huge pages, where the system leaves that to the program
/// (`/sys/kernel/mm/transparent_hugepage/enabled` = `madvise`). A large table's array
/// part walked with a stride (a sieve) otherwise misses the TLB on nearly every access.
/// Pages already touched stay as they are; the advice sticks to the memory, so the
/// allocator's later reuse of it profits too. Only a hint: failures are ignored.
pub fn advise_huge_pages(ptr: *const u8, bytes: usize) {
    #[cfg(all(
        target_os = "linux",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    {
        const HUGE: usize = 2 << 20;
        /// `MADV_HUGEPAGE` (asm-generic/mman-common.h, the value on x86-64 and aarch64).
        const MADV_HUGEPAGE: i32 = 14;
        extern "C" {
            fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: i32) -> i32;
        }
        let start = (ptr as usize).saturating_add(HUGE - 1) & !(HUGE - 1);
        let end = (ptr as usize).saturating_add(bytes) & !(HUGE - 1);
        if end > start {
            // SAFETY: `madvise` with `MADV_HUGEPAGE` changes only how the kernel backs
            // the pages (never their contents, never the mapping's existence); the range
            // is page-aligned and inside the caller's live allocation, and the call
            // touches no Rust-visible memory.
            unsafe {
                madvise(start as *mut std::ffi::c_void, end - start, MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(all(
        target_os = "linux",
        any(target_arch = "x86_64", target_arch = "aarch64")
    )))]
    let _ = (ptr, bytes);
}

/// Boxes a value and counts its bytes.
fn new_box<T: Collectable>(value: T, bytes: &mut usize) -> GcRef<T> {
    *bytes += value.heap_size() + 16;
    let b = Box::new(GcBox {
        flags: Cell::new(0),
        value,
    });
    GcRef {
        ptr: NonNull::from(Box::leak(b)),
        _marker: PhantomData,
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
    let f = b.flags.get();
    if f & MARK != 0 {
        b.flags.set(f & !MARK);
        *live_bytes += b.value.heap_size() + 16;
        true
    } else {
        // SAFETY: the box was created by `Box::leak` in `new_box` and is freed exactly
        // once, here, as it leaves the object list.
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
                    GcObject::Userdata(r) => drop(Box::from_raw(r.ptr.as_ptr())),
                    GcObject::Thread(r) => drop(Box::from_raw(r.ptr.as_ptr())),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
