//! Table access (array part, constant string keys, appends, `#`), upvalues and globals.

use super::*;

/// The key of an inline table access.
#[derive(Clone, Copy)]
pub(super) enum Key {
    /// An integer constant (`GetI`, `SetI`): the array part.
    Int(i64),
    /// A register: the array part when it holds an integer, else the helper.
    Reg(Reg),
    /// An interned string constant (`GetField`, `SetField`), by object address and hash:
    /// the hash part, compared by identity.
    Str { addr: i64, hash: u64 },
    /// Anything else: always the helper.
    None,
}

/// A value slot in memory: the value is at `base + off`.
#[derive(Clone, Copy)]
struct Slot {
    base: apogee_jit::ir::Var,
    off: i32,
}

/// Hash nodes an inline string-key probe visits before handing over to the helper.
const MAX_PROBES: i64 = 8;

impl Lower<'_> {
    /// `K[k]` as an inline key, if it is a string.
    pub(super) fn str_key(&self, k: u32) -> Key {
        match self.consts.get(k as usize) {
            Some(&Value::Str(s)) => Key::Str {
                addr: s.addr() as i64,
                hash: crate::runtime::table::hash_of_key(Value::Str(s)),
            },
            _ => Key::None,
        }
    }

    /// The table reference in `r`; the current block continues only if `r` holds a
    /// table, else goes to `slow`.
    fn table_in(&mut self, r: Reg, slow: BlockId) -> apogee_jit::ir::Var {
        if self.fact(r) == Known::Table {
            return self.b.load_int(r);
        }
        let tag = self.b.load_tag(r);
        let tt = self.b.i8const(TAG_TABLE);
        let is = self.b.icmp(Cond::Eq, tag, tt);
        let ok = self.b.block();
        self.b.branch(is, ok, slow);
        self.b.switch_to(ok);
        self.b.load_int(r)
    }

    /// The value slot of `key` in table `t`; the current block continues
    /// only if the key has one in the array part (integer keys) or was found within
    /// [`MAX_PROBES`] nodes of the hash part (string keys), else goes to `slow`. The slot
    /// may hold `nil`.
    fn slot_of(
        &mut self,
        lay: TableLayout,
        t: apogee_jit::ir::Var,
        key: Key,
        slow: BlockId,
        outside: Option<BlockId>,
    ) -> Option<Slot> {
        let int_key = matches!(key, Key::Reg(r) if self.fact(r) == Known::Int);
        let b = &mut self.b;
        match key {
            Key::None => None,
            Key::Int(_) | Key::Reg(_) => {
                let i = match key {
                    Key::Int(i) => b.iconst(i),
                    Key::Reg(r) if int_key => b.load_int(r),
                    Key::Reg(r) => {
                        let tag = b.load_tag(r);
                        let ti = b.i8const(TAG_INT);
                        let is = b.icmp(Cond::Eq, tag, ti);
                        let ok = b.block();
                        b.branch(is, ok, slow);
                        b.switch_to(ok);
                        b.load_int(r)
                    }
                    _ => return None,
                };
                let one = b.iconst(1);
                let idx = b.int_bin(IntBinOp::Sub, i, one);
                let len = b.load(Type::I64, t, lay.arr_len);
                let inside = b.icmp(Cond::Ult, idx, len);
                let ok = b.block();
                b.branch(inside, ok, outside.unwrap_or(slow));
                b.switch_to(ok);
                // `data + i * 16 - 16`, the `- 16` in the accesses' displacement: Cranelift
                // rematerialises `i - 1` in each block that uses it, so `idx` would cost
                // a second subtraction here.
                let data = b.load(Type::I64, t, lay.arr_ptr);
                let size = b.iconst(i64::from(apogee_jit::abi::VALUE_SIZE));
                let off = b.int_bin(IntBinOp::Mul, i, size);
                let base = b.int_bin(IntBinOp::Add, data, off);
                self.index = Some((idx, len));
                Some(Slot {
                    base,
                    off: -apogee_jit::abi::VALUE_SIZE,
                })
            }
            Key::Str { addr, hash } => {
                use crate::runtime::table::{NODE_KEY_OFFSET, NODE_SIZE, NODE_VAL_OFFSET};
                let n = b.load(Type::I64, t, lay.nodes_len);
                let zero = b.iconst(0);
                let some = b.icmp(Cond::Ne, n, zero);
                let ok = b.block();
                b.branch(some, ok, slow);
                b.switch_to(ok);
                let one = b.iconst(1);
                let mask = b.int_bin(IntBinOp::Sub, n, one);
                let nodes = b.load(Type::I64, t, lay.nodes_ptr);
                let h = b.iconst(hash as i64);
                let i = b.int_bin(IntBinOp::And, h, mask);
                let left = b.iconst(MAX_PROBES);
                let kaddr = b.iconst(addr);
                let tstr = b.i8const(TAG_STR);
                let tnil = b.i8const(TAG_NIL);
                let size = b.iconst(NODE_SIZE as i64);
                let head = b.block();
                b.jump(head);
                b.switch_to(head);
                let off = b.int_bin(IntBinOp::Mul, i, size);
                let node = b.int_bin(IntBinOp::Add, nodes, off);
                let ktag = b.load(Type::I8, node, NODE_KEY_OFFSET as i32);
                let kptr = b.load(Type::I64, node, NODE_KEY_OFFSET as i32 + 8);
                let is_str = b.icmp(Cond::Eq, ktag, tstr);
                let same = b.icmp(Cond::Eq, kptr, kaddr);
                let hit = b.int_bin(IntBinOp::And, is_str, same);
                let found = b.block();
                let miss = b.block();
                b.branch(hit, found, miss);
                b.switch_to(miss);
                let empty = b.icmp(Cond::Eq, ktag, tnil);
                let step = b.block();
                b.branch(empty, slow, step);
                b.switch_to(step);
                let i1 = b.int_bin(IntBinOp::Add, i, one);
                let i2 = b.int_bin(IntBinOp::And, i1, mask);
                b.set(i, i2);
                let l1 = b.int_bin(IntBinOp::Sub, left, one);
                b.set(left, l1);
                let more = b.icmp(Cond::Ne, l1, zero);
                b.branch(more, head, slow);
                b.switch_to(found);
                Some(Slot {
                    base: node,
                    off: NODE_VAL_OFFSET as i32,
                })
            }
        }
    }

    /// `R[a] := R[t][key]`: inline when `R[t]` is a table and the key's slot (see
    /// [`Lower::slot_of`]) holds a non-nil value (no metamethod can then apply);
    /// otherwise the helper `f` (with operand `c`), which handles the rest or exits.
    pub(super) fn get_inline(&mut self, pc: usize, a: u8, t: u8, key: Key, f: Helper, c: i64) {
        let slow = self.b.block();
        if let Some(lay) = self.layout {
            let tr = self.table_in(reg(t), slow);
            if let Some(addr) = self.slot_of(lay, tr, key, slow, None) {
                self.copy_nonnil(pc, a, addr, slow);
            } else {
                self.b.jump(slow);
            }
        } else {
            self.b.jump(slow);
        }
        self.b.switch_to(slow);
        self.helper_op(pc, f, a.into(), t.into(), c);
    }

    /// `R[a] := #R[t]`: inline for a table without metatable or hash part whose array
    /// part is empty or ends with a non-nil value (its length is then the border
    /// `Table::len` finds); anything else (holes at the end, keys in the hash part,
    /// strings, `__len`) through the `len` helper.
    pub(super) fn len_inline(&mut self, pc: usize, a: u8, t: u8) {
        let slow = self.b.block();
        if let Some(lay) = self.layout {
            let tr = self.table_in(reg(t), slow);
            let b = &mut self.b;
            let meta = b.load(Type::I64, tr, lay.meta);
            let nodes = b.load(Type::I64, tr, lay.nodes_len);
            let zero = b.iconst(0);
            let plain = b.icmp(Cond::Eq, meta, zero);
            let no_hash = b.icmp(Cond::Eq, nodes, zero);
            let ok = b.int_bin(IntBinOp::And, plain, no_hash);
            let arr = b.block();
            b.branch(ok, arr, slow);
            b.switch_to(arr);
            let n = b.load(Type::I64, tr, lay.arr_len);
            let empty = b.icmp(Cond::Eq, n, zero);
            let done = b.block();
            let last = b.block();
            b.branch(empty, done, last);
            b.switch_to(last);
            let data = b.load(Type::I64, tr, lay.arr_ptr);
            let vsz = b.iconst(i64::from(apogee_jit::abi::VALUE_SIZE));
            let off = b.int_bin(IntBinOp::Mul, n, vsz);
            let end = b.int_bin(IntBinOp::Add, data, off);
            let tag = b.load(Type::I8, end, -apogee_jit::abi::VALUE_SIZE);
            let tnil = b.i8const(TAG_NIL);
            let some = b.icmp(Cond::Ne, tag, tnil);
            b.branch(some, done, slow);
            b.switch_to(done);
            self.store_int(reg(a), n);
            self.goto(pc + 1);
        } else {
            self.b.jump(slow);
        }
        self.b.switch_to(slow);
        self.helper_op(pc, native::len, a.into(), t.into(), 0);
    }

    /// `R[t][key] := R[v]`: inline when `R[t]` is a table and the key's slot exists and
    /// holds a non-nil value or the table has no metatable (so no `__newindex` applies);
    /// otherwise the helper `f` (operands `t, kb, v`). An integer key one past the
    /// array part may append in place ([`Lower::append_inline`]); inline stores never
    /// reallocate (no allocation: the helper counts growth and checks the memory limit),
    /// and the collector is stop-the-world (no write barrier). The slot's tag is tested
    /// before the metatable, so overwriting a value costs one test.
    pub(super) fn set_inline(&mut self, pc: usize, t: u8, key: Key, kb: i64, v: u8, f: Helper) {
        let slow = self.b.block();
        if let Some(lay) = self.layout {
            let tr = self.table_in(reg(t), slow);
            let append = self.b.block();
            self.index = None;
            if let Some(addr) = self.slot_of(lay, tr, key, slow, Some(append)) {
                let inside = self.b.current();
                self.append_inline(pc, lay, tr, append, v, slow);
                if let Some(blk) = inside {
                    self.b.switch_to(blk);
                }
                // Two branches rather than one on `some | plain`: a slot that holds a
                // value (the common case) then costs one test.
                let b = &mut self.b;
                let tag = b.load(Type::I8, addr.base, addr.off);
                let tnil = b.i8const(TAG_NIL);
                let some = b.icmp(Cond::Ne, tag, tnil);
                let fast = b.block();
                let empty = b.block();
                b.branch(some, fast, empty);
                b.switch_to(empty);
                let meta = b.load(Type::I64, tr, lay.meta);
                let zero = b.iconst(0);
                let plain = b.icmp(Cond::Eq, meta, zero);
                b.branch(plain, fast, slow);
                b.switch_to(fast);
                let (w0, w1) = b.load_slot(reg(v));
                b.store(addr.base, addr.off, w0);
                b.store(addr.base, addr.off + 8, w1);
                self.goto(pc + 1);
            } else {
                self.b.jump(slow);
            }
        } else {
            self.b.jump(slow);
        }
        self.b.switch_to(slow);
        self.helper_op(pc, f, t.into(), kb, v.into());
    }
}

impl Lower<'_> {
    /// Fills `append` (reached from [`Lower::slot_of`] with an integer key outside the
    /// array part): `R[t][#arr + 1] := R[v]` in place when the key is exactly one past
    /// the array part, the array has spare capacity, the hash part is empty (no later
    /// keys to migrate), the table has no metatable and the value is not nil; anything
    /// else goes to `slow`. An append into spare capacity allocates nothing, so the
    /// heap's counters stay as they are (`Table::push` counts growth when the array is
    /// reallocated, which only the helper does). Each condition is its own branch (an
    /// `and` of flags costs a `set`/`and` pair each). Unreachable `append` blocks just
    /// exit.
    fn append_inline(
        &mut self,
        pc: usize,
        lay: TableLayout,
        t: apogee_jit::ir::Var,
        append: BlockId,
        v: u8,
        slow: BlockId,
    ) {
        self.b.switch_to(append);
        let Some((idx, len)) = self.index else {
            self.b.exit(pc as u32);
            return;
        };
        let b = &mut self.b;
        let check = |b: &mut Builder, ok: apogee_jit::ir::Var| {
            let next = b.block();
            b.branch(ok, next, slow);
            b.switch_to(next);
        };
        let at_end = b.icmp(Cond::Eq, idx, len);
        check(b, at_end);
        let cap = b.load(Type::I64, t, lay.arr_cap);
        let room = b.icmp(Cond::Ult, len, cap);
        check(b, room);
        let nodes = b.load(Type::I64, t, lay.nodes_len);
        let meta = b.load(Type::I64, t, lay.meta);
        let either = b.int_bin(IntBinOp::Or, nodes, meta);
        let zero = b.iconst(0);
        let plain = b.icmp(Cond::Eq, either, zero);
        check(b, plain);
        let (w0, w1) = b.load_slot(reg(v));
        let tnil = b.iconst(i64::from(TAG_NIL));
        let some = b.icmp(Cond::Ne, w0, tnil);
        check(b, some);
        let data = b.load(Type::I64, t, lay.arr_ptr);
        let vsz = b.iconst(i64::from(apogee_jit::abi::VALUE_SIZE));
        let off = b.int_bin(IntBinOp::Mul, len, vsz);
        let addr = b.int_bin(IntBinOp::Add, data, off);
        b.store(addr, 0, w0);
        b.store(addr, 8, w1);
        let one = b.iconst(1);
        let len1 = b.int_bin(IntBinOp::Add, len, one);
        b.store(t, lay.arr_len, len1);
        self.goto(pc + 1);
    }

    /// `R[a] := U[u]` inline (the current block continues afterwards); false, emitting
    /// nothing, when upvalues cannot be read inline.
    pub(super) fn upval_inline(&mut self, a: Reg, u: u32, pc: usize) -> bool {
        let Some((w0, w1)) = self.upval_words(u, pc) else {
            return false;
        };
        self.b.store_slot(a, w0, w1);
        true
    }

    /// `U[u]` as its two words (tag word, payload), read inline; the current block
    /// continues afterwards. `None`, emitting nothing, when upvalues cannot be read
    /// inline. An upvalue parked in a suspended coroutine (neither open nor a closed
    /// value) exits to the interpreter at `pc`.
    fn upval_words(
        &mut self,
        u: u32,
        pc: usize,
    ) -> Option<(apogee_jit::ir::Var, apogee_jit::ir::Var)> {
        let (l, cl, n) = self.upvals?;
        if u as usize >= n {
            return None;
        }
        let b = &mut self.b;
        let ups = b.load(Type::I64, cl, l.cl_upvals);
        let uv = b.load(Type::I64, ups, u as i32 * 8);
        let w0 = b.load(Type::I64, uv, l.uv_box);
        let w1 = b.load(Type::I64, uv, l.uv_box + 8);
        let open_tag = b.iconst(l.open_tag);
        let is_open = b.icmp(Cond::Eq, w0, open_tag);
        let open = b.block();
        let closed = b.block();
        let done = b.block();
        b.branch(is_open, open, closed);
        // Closed: the tag word must be a value's (a parked upvalue's is a niche past them).
        b.switch_to(closed);
        let past = b.iconst(i64::from(MAX_VALUE_TAG) + 1);
        let is_value = b.icmp(Cond::Ult, w0, past);
        b.guard(is_value, pc as u32);
        b.jump(done);
        // Open: `w1` is the variable's stack index; closed: the words are the value.
        b.switch_to(open);
        let vm = b.vm_ptr();
        let sp = b.load(Type::I64, vm, l.vm_stack_ptr);
        let vsz = b.iconst(i64::from(apogee_jit::abi::VALUE_SIZE));
        let off = b.int_bin(IntBinOp::Mul, w1, vsz);
        let at = b.int_bin(IntBinOp::Add, sp, off);
        let v0 = b.load(Type::I64, at, 0);
        let v1 = b.load(Type::I64, at, 8);
        b.set(w0, v0);
        b.set(w1, v1);
        b.jump(done);
        b.switch_to(done);
        Some((w0, w1))
    }

    /// `R[a] := U[u][K[k]]` (globals, through `_ENV`): inline when the upvalue holds a
    /// table whose hash part has the string constant with a non-nil value; otherwise the
    /// `get_tabup` helper.
    pub(super) fn get_tabup_inline(&mut self, pc: usize, a: u8, u: u16, k: u32) {
        let slow = self.b.block();
        let key = self.str_key(k);
        let words = match (self.layout, key) {
            (Some(_), Key::Str { .. }) => self.upval_words(u.into(), pc),
            _ => None,
        };
        match (self.layout, words) {
            (Some(lay), Some((w0, w1))) => {
                let tt = self.b.iconst(i64::from(TAG_TABLE));
                let is = self.b.icmp(Cond::Eq, w0, tt);
                let ok = self.b.block();
                self.b.branch(is, ok, slow);
                self.b.switch_to(ok);
                if let Some(addr) = self.slot_of(lay, w1, key, slow, None) {
                    self.copy_nonnil(pc, a, addr, slow);
                } else {
                    self.b.jump(slow);
                }
            }
            _ => self.b.jump(slow),
        }
        self.b.switch_to(slow);
        self.helper_op(pc, native::get_tabup, a.into(), u.into(), k.into());
    }

    /// `R[a] := *addr` (a value slot) and on to `pc + 1` if it is not nil, else `slow`.
    fn copy_nonnil(&mut self, pc: usize, a: u8, slot: Slot, slow: BlockId) {
        let b = &mut self.b;
        let tag = b.load(Type::I8, slot.base, slot.off);
        let tnil = b.i8const(TAG_NIL);
        let some = b.icmp(Cond::Ne, tag, tnil);
        let fast = b.block();
        b.branch(some, fast, slow);
        b.switch_to(fast);
        // The whole value as two words (its tag word and payload).
        let w0 = b.load(Type::I64, slot.base, slot.off);
        let w1 = b.load(Type::I64, slot.base, slot.off + 8);
        b.store_slot(reg(a), w0, w1);
        self.goto(pc + 1);
    }
}
