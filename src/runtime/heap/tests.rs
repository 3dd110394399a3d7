//! Collector tests: weak tables, ephemerons, finalization queues on a bare heap, and the
//! memory limit through a whole VM.

use super::*;

/// A table with the given metatable fields (string keys).
fn table_with(heap: &mut Heap, fields: &[(&str, Value)]) -> GcRef<Table> {
    let t = heap.alloc(Table::new());
    for &(k, v) in fields {
        let k = Value::Str(heap.intern(k.as_bytes()));
        heap.get_mut(t).set(k, v).unwrap();
    }
    t
}

fn weak_table(heap: &mut Heap, mode: &str) -> GcRef<Table> {
    let m = Value::Str(heap.intern(mode.as_bytes()));
    let mt = table_with(heap, &[("__mode", m)]);
    let t = heap.alloc(Table::new());
    heap.set_metatable(t, Some(mt));
    t
}

fn entries(heap: &Heap, t: GcRef<Table>) -> usize {
    let mut n = 0;
    let mut k = Value::Nil;
    while let Some((nk, _)) = heap.get(t).next(k).unwrap() {
        n += 1;
        k = nk;
    }
    n
}

fn same(a: Value, b: Value) -> bool {
    a.raw_eq(&b)
}

fn all_same(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.raw_eq(y))
}

fn collect_with_roots(heap: &mut Heap, roots: &[Value]) {
    heap.collect(|m| {
        for v in roots {
            m.value(*v);
        }
    });
}

#[test]
fn unreachable_objects_are_freed() {
    let mut heap = Heap::new();
    let keep = heap.alloc(Table::new());
    for _ in 0..100 {
        heap.alloc(Table::new());
    }
    collect_with_roots(&mut heap, &[Value::Table(keep)]);
    let objects = heap.stats.objects;
    collect_with_roots(&mut heap, &[]);
    assert!(heap.stats.objects < objects);
    assert!(objects < 110, "{objects} objects survived");
}

#[test]
fn weak_values_are_cleared_but_strings_stay() {
    let mut heap = Heap::new();
    let w = weak_table(&mut heap, "v");
    let live = heap.alloc(Table::new());
    let dead = heap.alloc(Table::new());
    let s = Value::Str(heap.intern(b"only in the weak table"));
    let t = heap.get_mut(w);
    t.set(Value::Int(1), Value::Table(live)).unwrap();
    t.set(Value::Int(2), Value::Table(dead)).unwrap();
    t.set(Value::Int(3), s).unwrap();
    t.set(s, Value::Table(dead)).unwrap();
    collect_with_roots(&mut heap, &[Value::Table(w), Value::Table(live)]);
    let t = heap.get(w);
    assert!(same(t.get_int(1), Value::Table(live)));
    assert!(t.get_int(2).is_nil());
    assert!(same(t.get_int(3), s));
    assert!(t.get(s).is_nil());
    assert_eq!(entries(&heap, w), 2);
}

#[test]
fn weak_keys_become_tombstones_and_lookups_still_work() {
    let mut heap = Heap::new();
    let w = weak_table(&mut heap, "k");
    let mut live = Vec::new();
    for i in 0..50 {
        let k = heap.alloc(Table::new());
        heap.get_mut(w).set(Value::Table(k), Value::Int(i)).unwrap();
        if i % 2 == 0 {
            live.push(Value::Table(k));
        }
    }
    let mut roots = live.clone();
    roots.push(Value::Table(w));
    collect_with_roots(&mut heap, &roots);
    assert_eq!(entries(&heap, w), 25);
    for (j, k) in live.iter().enumerate() {
        assert!(same(heap.get(w).get(*k), Value::Int(j as i64 * 2)));
    }
    // New keys still go in after the tombstones, and a rehash drops them.
    for _ in 0..100 {
        let k = heap.alloc(Table::new());
        heap.get_mut(w)
            .set(Value::Table(k), Value::Bool(true))
            .unwrap();
        live.push(Value::Table(k));
    }
    assert_eq!(entries(&heap, w), 125);
}

#[test]
fn ephemerons_converge_through_chains() {
    let mut heap = Heap::new();
    let w = weak_table(&mut heap, "k");
    // k0 -> {k1} -> ... -> {k9}, inserted so that one pass over the table is not enough.
    let keys: Vec<GcRef<Table>> = (0..10).map(|_| heap.alloc(Table::new())).collect();
    for i in (0..9).rev() {
        let v = heap.alloc(Table::new());
        heap.get_mut(v)
            .set(Value::Int(1), Value::Table(keys[i + 1]))
            .unwrap();
        heap.get_mut(w)
            .set(Value::Table(keys[i]), Value::Table(v))
            .unwrap();
    }
    let roots = [Value::Table(w), Value::Table(keys[0])];
    drop(keys);
    collect_with_roots(&mut heap, &roots);
    assert_eq!(entries(&heap, w), 9);
    collect_with_roots(&mut heap, &roots[..1]);
    assert_eq!(entries(&heap, w), 0);
}

#[test]
fn finalizers_are_queued_newest_first_and_resurrect() {
    let mut heap = Heap::new();
    let f = Value::Bool(true); // any non-nil __gc marks the object
    let mt = table_with(&mut heap, &[("__gc", f)]);
    let objs: Vec<GcRef<Table>> = (0..3).map(|_| heap.alloc(Table::new())).collect();
    for &o in &objs {
        heap.set_metatable(o, Some(mt));
    }
    // a __gc added to a metatable later does not count
    let late_mt = heap.alloc(Table::new());
    let late = heap.alloc(Table::new());
    heap.set_metatable(late, Some(late_mt));
    let k = Value::Str(heap.intern(b"__gc"));
    heap.get_mut(late_mt).set(k, f).unwrap();
    collect_with_roots(&mut heap, &[Value::Table(mt)]);
    assert!(heap.has_pending_finalizers());
    let order = finalize_order(&mut heap);
    assert_eq!(order, vec![objs[2], objs[1], objs[0]]);
    // The queued objects survived the cycle that found them; the next one frees them.
    assert!(same(heap.gc_metamethod(Value::Table(objs[0])), f));
    let before = heap.stats.objects;
    collect_with_roots(&mut heap, &[Value::Table(mt)]);
    assert_eq!(heap.stats.objects, before - 3);
    assert!(!heap.has_pending_finalizers());
}

#[test]
fn finalize_all_queues_reachable_objects() {
    let mut heap = Heap::new();
    let mt = table_with(&mut heap, &[("__gc", Value::Int(1))]);
    let a = heap.alloc(Table::new());
    let b = heap.alloc(Table::new());
    heap.set_metatable(a, Some(mt));
    heap.set_metatable(b, Some(mt));
    heap.closing = true;
    heap.finalize_all();
    let c = heap.alloc(Table::new());
    heap.set_metatable(c, Some(mt)); // closing: not marked any more
    let order = finalize_order(&mut heap);
    assert_eq!(order, vec![b, a]);
}

/// The tables whose finalizers are due, in calling order.
fn finalize_order(heap: &mut Heap) -> Vec<GcRef<Table>> {
    std::iter::from_fn(|| heap.next_to_finalize())
        .map(|v| match v {
            Value::Table(t) => t,
            _ => panic!("not a table"),
        })
        .collect()
}

#[test]
fn userdata_and_tables_share_the_finalizer_order() {
    use crate::runtime::userdata::Userdata;
    let mut heap = Heap::new();
    let mt = table_with(&mut heap, &[("__gc", Value::Int(1))]);
    let t = heap.alloc(Table::new());
    heap.set_metatable(t, Some(mt));
    let u = heap.alloc(Userdata::new(7u32));
    heap.set_userdata_metatable(u, Some(mt));
    let plain = heap.alloc(Userdata::new(8u32));
    heap.get_mut(plain).user_values.push(Value::Userdata(u));
    collect_with_roots(&mut heap, &[Value::Table(mt)]);
    let order: Vec<Value> = std::iter::from_fn(|| heap.next_to_finalize()).collect();
    assert_eq!(order.len(), 2);
    assert!(matches!(order[0], Value::Userdata(r) if r == u));
    assert!(matches!(order[1], Value::Table(r) if r == t));
    assert!(same(heap.gc_metamethod(order[0]), Value::Int(1)));
    let before = heap.stats.objects;
    collect_with_roots(&mut heap, &[Value::Table(mt)]);
    // `plain` went in the first cycle (it has no finalizer); `t` and `u` go now.
    assert_eq!(heap.stats.objects, before - 2);
}

#[test]
fn pause_and_stepmul_read_back_as_lua_stores_them() {
    let mut heap = Heap::new();
    assert_eq!(heap.set_pause(100), 200);
    assert_eq!(heap.set_pause(2000), 100);
    assert_eq!(heap.set_pause(101), 976);
    assert_eq!(heap.set_pause(200), 100);
    assert_eq!(heap.set_stepmul(400), 100);
    assert_eq!(heap.set_stepmul(100), 400);
}

#[test]
fn limit_makes_safepoints_collect_even_when_stopped() {
    let mut heap = Heap::new();
    heap.set_stopped(true);
    heap.alloc(Table::new());
    assert!(!heap.should_collect());
    heap.set_limit(Some(heap.bytes() / 2));
    assert!(heap.should_collect());
    collect_with_roots(&mut heap, &[]);
    // the interned names alone exceed a tiny limit: the VM owes an error
    assert!(heap.oom_pending);
    heap.set_limit(None);
    collect_with_roots(&mut heap, &[]);
    assert!(!heap.oom_pending);
}

/// Runs a chunk on a fresh VM with the standard library and returns what it returns.
fn run(limit: Option<usize>, src: &str) -> Vec<Value> {
    let (mut vm, _) = crate::host::new_vm(&crate::host::Options::default());
    vm.heap.set_limit(limit);
    let f = crate::host::load_source(&mut vm, src.as_bytes(), "=test").unwrap();
    let r = crate::host::run_main(&mut vm, f, &[]).unwrap();
    // keep the results readable: strings are copied out below by the callers
    vm.host_roots.extend_from_slice(&r);
    let out = r
        .iter()
        .map(|v| match v {
            Value::Str(s) => Value::Int(if vm.heap.str(*s) == b"not enough memory" {
                -1
            } else {
                -2
            }),
            v => *v,
        })
        .collect();
    vm.close();
    out
}

#[test]
fn memory_limit_is_a_catchable_error() {
    let src = r#"
        local ok, err = pcall(function()
            local t = {}
            for i = 1, 1e8 do t[i] = tostring(i) .. "x" end
        end)
        local survived = {}
        for i = 1, 100 do survived[i] = i end   -- the VM still works after the error
        return ok, err, #survived
    "#;
    let r = run(Some(8 << 20), src);
    assert!(
        all_same(&r, &[Value::Bool(false), Value::Int(-1), Value::Int(100)]),
        "{r:?}"
    );
    // the same program without a limit would run far longer: check a short one instead
    let r = run(
        None,
        "local t = {} for i = 1, 1000 do t[i] = {} end return #t",
    );
    assert!(all_same(&r, &[Value::Int(1000)]), "{r:?}");
}

#[test]
fn memory_limit_error_when_stopped_and_in_nested_tables() {
    let src = r#"
        collectgarbage("stop")
        local ok, err = pcall(function()
            local t = {}
            local i = 0
            while true do
                i = i + 1
                t[i] = setmetatable({}, {})  -- a call in the loop body reaches the check
            end
        end)
        collectgarbage("restart")
        collectgarbage()
        return ok, err, collectgarbage("count") < 8192
    "#;
    let r = run(Some(8 << 20), src);
    assert!(
        all_same(&r, &[Value::Bool(false), Value::Int(-1), Value::Bool(true)]),
        "{r:?}"
    );
}
