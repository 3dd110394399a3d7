//! Full userdata: a heap object that carries a Rust payload for the embedding program, a
//! metatable and a fixed number of user values (Lua 5.4's `lua_newuserdatauv`).
//!
//! To Lua a userdata is opaque: `type(u)` is `"userdata"`, equality is identity (or
//! `__eq`), and every operation on it (indexing, calls, arithmetic, `tostring`, `#`, `..`,
//! comparisons, `__close`) goes through its metatable exactly as for a table. Lua code
//! cannot set a userdata's metatable (`setmetatable` wants a table), only the host and
//! `debug.setmetatable` can.
//!
//! # Embedding API
//! ```
//! use apogee::runtime::{userdata::Userdata, Value, Vm};
//! struct Counter(u32);
//! let mut vm = Vm::new();
//! let u = vm.new_userdata(Userdata::new(Counter(0)), None);
//! if let Value::Userdata(r) = u {
//!     if let Some(c) = vm.heap.get_mut(r).payload_mut::<Counter>() {
//!         c.0 += 1;
//!     }
//!     assert_eq!(vm.heap.get(r).payload::<Counter>().map(|c| c.0), Some(1));
//! }
//! ```
//! A native function receiving a userdata argument recognises its own kind by downcasting
//! the payload (`payload::<T>()` is `None` for any other type), the way C code checks a
//! metatable with `luaL_checkudata`. The payload is dropped when the collector frees the
//! userdata, after its `__gc` finalizer (if its metatable had one when it was set) has run,
//! or when the VM is dropped. A finalizer may resurrect the object, so a payload must stay
//! valid after whatever `__gc` does to it (close a file, but keep the handle object).
//!
//! The payload must be `Send` so that a whole VM stays `Send` (one isolate per thread).

use std::any::Any;

use super::heap::{Collectable, GcObject, GcRef, Marker, Mutable};
use super::table::Table;
use super::value::Value;

/// A full userdata object.
pub struct Userdata {
    /// The metatable (set by the host or `debug.setmetatable`; see
    /// [`super::heap::Heap::set_userdata_metatable`] for the `__gc` rule).
    pub meta: Option<GcRef<Table>>,
    /// Lua values attached to the userdata (`debug.getuservalue(u, n)` reads
    /// `user_values[n - 1]`); their number is fixed at creation. Kept alive by the userdata.
    pub user_values: Vec<Value>,
    payload: Box<dyn Any + Send>,
    /// Bytes the payload owns beyond its box, as the host declared it (GC pacing only).
    extra_bytes: usize,
}

impl Userdata {
    /// A userdata holding `payload`, with no metatable and no user values.
    pub fn new<T: Any + Send>(payload: T) -> Self {
        Self::with_user_values(payload, 0)
    }

    /// A userdata holding `payload` with `n` user values, all nil.
    pub fn with_user_values<T: Any + Send>(payload: T, n: usize) -> Self {
        Userdata {
            meta: None,
            user_values: vec![Value::Nil; n],
            payload: Box::new(payload),
            extra_bytes: std::mem::size_of::<T>(),
        }
    }

    /// The payload, if it is a `T`.
    pub fn payload<T: Any>(&self) -> Option<&T> {
        self.payload.downcast_ref::<T>()
    }

    /// The payload for writing, if it is a `T`.
    pub fn payload_mut<T: Any>(&mut self) -> Option<&mut T> {
        self.payload.downcast_mut::<T>()
    }

    /// True when the payload is a `T`.
    pub fn is<T: Any>(&self) -> bool {
        self.payload.is::<T>()
    }
}

impl Mutable for Userdata {}

impl Collectable for Userdata {
    fn wrap(r: GcRef<Self>) -> GcObject {
        GcObject::Userdata(r)
    }
    fn trace(&self, m: &mut Marker) {
        if let Some(mt) = self.meta {
            m.object(mt);
        }
        for v in &self.user_values {
            m.value(*v);
        }
    }
    fn heap_size(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.extra_bytes
            + self.user_values.len() * std::mem::size_of::<Value>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::error::LuaError;
    use crate::runtime::vm::Vm;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A host type: `value` is readable from Lua; `gc_calls` counts `__gc` calls and
    /// `drops` counts payload drops, both seen by the test after the VM is done with them.
    struct Counter {
        value: i64,
        gc_calls: Arc<AtomicUsize>,
        drops: Arc<AtomicUsize>,
    }

    impl Drop for Counter {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counter_of(vm: &Vm) -> Option<&Counter> {
        match vm.arg(0) {
            Value::Userdata(u) => vm.heap.get(u).payload::<Counter>(),
            _ => None,
        }
    }

    /// `__index`: `c.value` is the payload's value, any other key nil.
    fn counter_index(vm: &mut Vm) -> Result<usize, LuaError> {
        let v = counter_of(vm).map_or(Value::Nil, |c| Value::Int(c.value));
        vm.push(v);
        Ok(1)
    }

    fn counter_gc(vm: &mut Vm) -> Result<usize, LuaError> {
        if let Some(c) = counter_of(vm) {
            c.gc_calls.fetch_add(1, Ordering::SeqCst);
        }
        Ok(0)
    }

    #[test]
    fn host_userdata_from_lua_with_finalizer() {
        use crate::stdlib::set_field;
        let (mut vm, _) = crate::host::new_vm(&crate::host::Options::default());
        let mt = vm.heap.alloc(crate::runtime::table::Table::new());
        let idx = vm.native_fn("counter_index", counter_index);
        set_field(&mut vm, mt, "__index", idx);
        let gc = vm.native_fn("counter_gc", counter_gc);
        set_field(&mut vm, mt, "__gc", gc);
        let gc_calls = Arc::new(AtomicUsize::new(0));
        let drops = Arc::new(AtomicUsize::new(0));
        let payload = Counter {
            value: 41,
            gc_calls: gc_calls.clone(),
            drops: drops.clone(),
        };
        let u = vm.new_userdata(Userdata::new(payload), Some(mt));
        let g = vm.globals;
        set_field(&mut vm, g, "c", u);
        let src =
            b"local v = c.value + 1\nlocal t = type(c)\nc = nil\ncollectgarbage()\nreturn v, t";
        let f = crate::host::load_source(&mut vm, src, "=t").unwrap();
        let r = crate::host::run_main(&mut vm, f, &[]).unwrap();
        assert!(r[0].raw_eq(&Value::Int(42)));
        assert!(matches!(r[1], Value::Str(s) if vm.heap.str(s) == b"userdata"));
        // The finalizer ran in that cycle; the object (resurrected for it) goes in the next.
        assert_eq!(gc_calls.load(Ordering::SeqCst), 1);
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        vm.collect_garbage();
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        assert_eq!(gc_calls.load(Ordering::SeqCst), 1);
    }

    struct Payload(Vec<u8>);

    #[test]
    fn payload_downcasts_only_to_its_type() {
        let mut vm = Vm::new();
        let v = vm.new_userdata(Userdata::new(Payload(vec![1, 2])), None);
        let Value::Userdata(r) = v else {
            panic!("not a userdata")
        };
        assert!(vm.heap.get(r).is::<Payload>());
        assert!(vm.heap.get(r).payload::<u32>().is_none());
        vm.heap
            .get_mut(r)
            .payload_mut::<Payload>()
            .unwrap()
            .0
            .push(3);
        assert_eq!(vm.heap.get(r).payload::<Payload>().unwrap().0, [1, 2, 3]);
        assert_eq!(v.type_name(), "userdata");
        assert!(v.raw_eq(&v));
        let w = vm.new_userdata(Userdata::new(Payload(vec![])), None);
        assert!(!v.raw_eq(&w));
    }
}
