//! The instrumentation through the embedding API: the instruction limit of `Options`
//! (and `Vm::set_instruction_limit`), the dynamic counters (`Options::dyn_counters`,
//! `host::Stats`), and hooks set by the host.

use apogee::host::{self, EngineKind, Options, Stats};
use apogee::runtime::{Value, Vm};

const ENGINES: [EngineKind; 3] = [EngineKind::Stack, EngineKind::Register, EngineKind::Jit];

fn run(vm: &mut Vm, src: &str) -> Result<Vec<Value>, String> {
    let f =
        host::load_source(vm, src.as_bytes(), "=t").map_err(|e| host::error_text(vm, e.value))?;
    host::run_main(vm, f, &[]).map_err(|e| host::error_text(vm, e.value))
}

fn on_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn instruction_limit_ends_a_runaway_script_and_cannot_be_caught() {
    on_thread(|| {
        for engine in ENGINES {
            let (mut vm, _) = host::new_vm(&Options {
                engine,
                jit_threshold: 0,
                instruction_limit: Some(50_000),
                ..Options::default()
            });
            let e = run(&mut vm, "local n = 0 while true do n = n + 1 end").unwrap_err();
            assert_eq!(e, "t:1: instruction limit exceeded", "{engine:?}");
            // pcall returns, but the script cannot go on.
            let e = run(&mut vm, "pcall(function() while true do end end) return 1").unwrap_err();
            assert_eq!(e, "t:1: instruction limit exceeded", "{engine:?}");
            // A new budget lets the VM run again.
            vm.set_instruction_limit(Some(1000));
            let r = run(
                &mut vm,
                "local x = 0 for i = 1, 10 do x = x + i end return x",
            )
            .unwrap();
            assert!(matches!(r[..], [Value::Int(55)]), "{engine:?}");
            vm.set_instruction_limit(None);
            let r = run(
                &mut vm,
                "local x = 0 for i = 1, 1e5 do x = x + 1 end return x",
            )
            .unwrap();
            assert!(matches!(r[..], [Value::Int(100_000)]), "{engine:?}");
        }
    });
}

#[test]
fn dynamic_counters_through_the_api() {
    on_thread(|| {
        for (engine, isa, mv) in [
            (EngineKind::Stack, "stack", "GetLocal"),
            (EngineKind::Register, "register", "Move"),
        ] {
            let (mut vm, _) = host::new_vm(&Options {
                engine,
                dyn_counters: true,
                ..Options::default()
            });
            vm.counters.instructions = 0;
            run(
                &mut vm,
                "local a, b = 1, 2 for i = 1, 10 do a, b = b, a end return a",
            )
            .unwrap();
            let s = Stats::of(&vm);
            let d = s.dynamic.expect("counters collected");
            assert_eq!(d.isa, isa);
            let total: u64 = d.opcodes.iter().map(|o| o.count).sum();
            assert_eq!(total, s.instructions);
            assert!(
                d.opcodes.iter().any(|o| o.op == mv),
                "{isa}: {:?}",
                d.opcodes
            );
            assert!(d.moves >= 20, "{isa}: {}", d.moves);
        }
        // Off by default.
        let (vm, _) = host::new_vm(&Options::default());
        assert!(Stats::of(&vm).dynamic.is_none());
    });
}

#[test]
fn a_hook_set_by_the_host_runs_on_every_engine() {
    on_thread(|| {
        for engine in ENGINES {
            let (mut vm, _) = host::new_vm(&Options {
                engine,
                jit_threshold: 0,
                ..Options::default()
            });
            let hook = run(
                &mut vm,
                "n = 0 return function(ev, line) if ev == 'line' then n = n + 1 end end",
            )
            .unwrap()[0];
            vm.set_hook(hook, apogee::runtime::instr::MASK_LINE, 0);
            run(&mut vm, "local a = 1\nlocal b = 2\nlocal c = 3\n").unwrap();
            vm.set_hook(Value::Nil, 0, 0);
            let r = run(&mut vm, "return n").unwrap();
            assert!(matches!(r[..], [Value::Int(3)]), "{engine:?}: {r:?}");
        }
    });
}
