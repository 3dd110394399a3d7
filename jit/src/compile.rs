//! Compilation of IR functions to machine code: in memory for the host
//! ([`Jit`]), or to bytes for another target ([`compile_for_target`]).

use std::fmt;
use std::str::FromStr;
use std::time::Instant;

use cranelift_codegen::ir::{
    self as clif, ExtFuncData, ExternalName, UserExternalName, UserFuncName,
};
use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::{control::ControlPlane, Context};
use cranelift_frontend::FunctionBuilderContext;
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Linkage, Module};
use target_lexicon::Triple;

use crate::abi::{EntryFn, JitContext};
use crate::ir::Function;
use crate::lower::{entry_signature, lower_function};
use crate::validate::{validate, IrError};

/// Why compilation failed. JIT failures are internal: the VM keeps
/// interpreting the function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JitError {
    /// The IR is malformed.
    Ir(IrError),
    /// The host or the requested target is not supported.
    Unsupported(String),
    /// Cranelift rejected the function (verifier or code generation).
    Codegen(String),
    /// The code could not be placed in memory or linked.
    Module(String),
}

impl fmt::Display for JitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JitError::Ir(e) => write!(f, "malformed JIT IR: {e}"),
            JitError::Unsupported(m) => write!(f, "unsupported target: {m}"),
            JitError::Codegen(m) => write!(f, "code generation failed: {m}"),
            JitError::Module(m) => write!(f, "JIT module error: {m}"),
        }
    }
}

impl std::error::Error for JitError {}

impl From<IrError> for JitError {
    fn from(e: IrError) -> JitError {
        JitError::Ir(e)
    }
}

/// Code generation options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JitOptions {
    /// Run Cranelift's IR verifier on every function (slower compiles; on in
    /// debug builds by default).
    pub verify: bool,
    /// Optimise for speed (`true`) or compile as fast as possible.
    pub optimize: bool,
    /// Keep register slots in Cranelift variables between exits and calls
    /// (`promote.rs`); off, every register access goes to the window.
    pub promote: bool,
}

impl Default for JitOptions {
    fn default() -> JitOptions {
        JitOptions {
            verify: cfg!(debug_assertions),
            optimize: true,
            promote: true,
        }
    }
}

fn flags(options: JitOptions) -> Result<settings::Flags, JitError> {
    let mut b = settings::builder();
    let set = |b: &mut settings::Builder, k: &str, v: &str| {
        b.set(k, v)
            .map_err(|e| JitError::Unsupported(format!("setting {k}={v}: {e}")))
    };
    set(
        &mut b,
        "enable_verifier",
        if options.verify { "true" } else { "false" },
    )?;
    set(
        &mut b,
        "opt_level",
        if options.optimize { "speed" } else { "none" },
    )?;
    // Helpers and libcalls may be anywhere in the address space.
    set(&mut b, "use_colocated_libcalls", "false")?;
    set(&mut b, "is_pic", "false")?;
    Ok(settings::Flags::new(b))
}

fn check_isa(isa: &OwnedTargetIsa) -> Result<(), JitError> {
    if isa.pointer_bits() != 64 {
        return Err(JitError::Unsupported(format!(
            "{} has {}-bit pointers; only 64-bit targets are supported",
            isa.triple(),
            isa.pointer_bits()
        )));
    }
    Ok(())
}

/// A function compiled into a [`Jit`]'s memory.
#[derive(Clone, Copy, Debug)]
pub struct CompiledFn {
    entry: EntryFn,
    code_size: usize,
    compile_us: u64,
}

impl CompiledFn {
    /// The entry point, `extern "C" fn(*mut JitContext) -> u64`.
    pub fn entry(&self) -> EntryFn {
        self.entry
    }

    /// The entry address, for `Callee::Addr` in other functions.
    pub fn addr(&self) -> usize {
        self.entry as usize
    }

    /// Size of the machine code in bytes.
    pub fn code_size(&self) -> usize {
        self.code_size
    }

    /// Wall-clock time spent compiling (validation, lowering, code
    /// generation, linking), in microseconds.
    pub fn compile_us(&self) -> u64 {
        self.compile_us
    }

    /// Runs the function and returns its raw exit code (see
    /// [`crate::abi::ExitCode::decode`]).
    ///
    /// # Safety
    /// - The [`Jit`] that compiled this function is still alive.
    /// - `ctx` points to a valid, writable [`JitContext`] that nothing else
    ///   accesses during the call, and `ctx.base` points to a register window
    ///   of 16-byte slots, aligned to 8, covering every register the IR
    ///   touches (including callee windows of native calls).
    /// - Every helper address used by the IR is an `extern "C"` function with
    ///   the declared signature, and it keeps `ctx.base` up to date if it
    ///   moves the value stack.
    /// - `ctx.depth <= ctx.max_depth`, and `max_depth` is small enough that
    ///   that many nested native frames fit on the current thread's stack.
    pub unsafe fn call(&self, ctx: *mut JitContext) -> u64 {
        // SAFETY: the caller guarantees the contract above, which is exactly
        // what the generated code relies on.
        unsafe { (self.entry)(ctx) }
    }
}

/// An in-memory compiler for the host machine. Code compiled by a `Jit`
/// stays valid (and executable) until the `Jit` is dropped.
pub struct Jit {
    module: Option<JITModule>,
    promote: bool,
    ctx: Context,
    fctx: FunctionBuilderContext,
    next_id: u64,
}

impl fmt::Debug for Jit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jit")
            .field("compiled", &self.next_id)
            .finish_non_exhaustive()
    }
}

impl Jit {
    /// A JIT for the host with default options.
    pub fn new() -> Result<Jit, JitError> {
        Jit::with_options(JitOptions::default())
    }

    /// A JIT for the host.
    pub fn with_options(options: JitOptions) -> Result<Jit, JitError> {
        let builder = cranelift_native::builder()
            .map_err(|m| JitError::Unsupported(format!("host machine: {m}")))?;
        let isa = builder
            .finish(flags(options)?)
            .map_err(|e| JitError::Unsupported(e.to_string()))?;
        check_isa(&isa)?;
        let module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
        Ok(Jit {
            promote: options.promote,
            ctx: module.make_context(),
            module: Some(module),
            fctx: FunctionBuilderContext::new(),
            next_id: 0,
        })
    }

    /// Validates, lowers and compiles `func`, making it executable.
    pub fn compile(&mut self, func: &Function) -> Result<CompiledFn, JitError> {
        let start = Instant::now();
        validate(func)?;
        let Some(module) = self.module.as_mut() else {
            return Err(JitError::Module("JIT already shut down".to_string()));
        };
        let call_conv = module.isa().default_call_conv();
        let sig = entry_signature(call_conv);
        let name = format!("apogee_jit_{}_{}", self.next_id, sanitize(&func.name));
        self.next_id += 1;
        let id = module
            .declare_function(&name, Linkage::Local, &sig)
            .map_err(|e| JitError::Module(e.to_string()))?;
        module.clear_context(&mut self.ctx);
        self.ctx.func.signature = sig;
        self.ctx.func.name = UserFuncName::user(0, id.as_u32());
        let self_ref = module.declare_func_in_func(id, &mut self.ctx.func);
        let config = module.isa().frontend_config();
        let dump = std::env::var_os("APOGEE_JIT_DUMP").is_some();
        if dump {
            eprintln!("=== {name} apogee IR\n{func}");
        }
        lower_function(
            func,
            &mut self.ctx.func,
            &mut self.fctx,
            call_conv,
            self_ref,
            config,
            self.promote && std::env::var_os("APOGEE_JIT_NOPROMOTE").is_none(),
        );
        if dump {
            eprintln!("=== {name} Cranelift IR\n{}", self.ctx.func.display());
            self.ctx.set_disasm(true);
        }
        let defined = module.define_function(id, &mut self.ctx);
        if let Err(e) = defined {
            module.clear_context(&mut self.ctx);
            return Err(JitError::Codegen(format!("{e:?}")));
        }
        let code_size = self
            .ctx
            .compiled_code()
            .map(|c| c.code_info().total_size as usize)
            .unwrap_or(0);
        let mut bytes = Vec::new();
        if dump {
            if let Some(c) = self.ctx.compiled_code() {
                if let Some(v) = &c.vcode {
                    eprintln!("=== {name} machine code\n{v}");
                }
                bytes = c.code_buffer().to_vec();
            }
        }
        module.clear_context(&mut self.ctx);
        module
            .finalize_definitions()
            .map_err(|e| JitError::Module(e.to_string()))?;
        let ptr = module.get_finalized_function(id);
        if ptr.is_null() {
            return Err(JitError::Module("no code address".to_string()));
        }
        if dump {
            // For `objdump -D -b binary -m i386:x86-64 --adjust-vma=ADDRESS` (the bytes
            // before relocation: call targets are not filled in).
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            eprintln!("=== {name} code at {ptr:p}, {} bytes\n{hex}", bytes.len());
        }
        // SAFETY: `ptr` is the finalized (executable) code of a function
        // whose Cranelift signature is `entry_signature(default_call_conv)`,
        // i.e. the platform C ABI `fn(*mut JitContext) -> u64`.
        let entry = unsafe { std::mem::transmute::<*const u8, EntryFn>(ptr) };
        Ok(CompiledFn {
            entry,
            code_size,
            compile_us: start.elapsed().as_micros() as u64,
        })
    }
}

impl Drop for Jit {
    fn drop(&mut self) {
        if let Some(module) = self.module.take() {
            // SAFETY: the contract of `CompiledFn::call` forbids calling code
            // of a dropped `Jit`, and no code can be running while `self` is
            // being dropped (`call` does not borrow the `Jit`, but its
            // contract requires the `Jit` to outlive the call).
            unsafe { module.free_memory() };
        }
    }
}

fn sanitize(name: &str) -> String {
    name.chars()
        .take(48)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Compiles `func` for another target (e.g. `"aarch64-unknown-linux-gnu"`)
/// and returns the machine code bytes, with Cranelift's verifier enabled.
/// The code is not linked: self-calls and libcalls are left as relocations.
pub fn compile_for_target(func: &Function, triple: &str) -> Result<Vec<u8>, JitError> {
    validate(func)?;
    // `isa::lookup_by_name` panics on a malformed triple; parse it ourselves.
    let parsed =
        Triple::from_str(triple).map_err(|e| JitError::Unsupported(format!("{triple}: {e}")))?;
    let builder =
        isa::lookup(parsed).map_err(|e| JitError::Unsupported(format!("{triple}: {e}")))?;
    let isa = builder
        .finish(flags(JitOptions {
            verify: true,
            ..JitOptions::default()
        })?)
        .map_err(|e| JitError::Unsupported(e.to_string()))?;
    check_isa(&isa)?;
    let call_conv = isa.default_call_conv();
    let mut cfunc =
        clif::Function::with_name_signature(UserFuncName::user(0, 0), entry_signature(call_conv));
    let name = cfunc.declare_imported_user_function(UserExternalName::new(0, 0));
    let sigref = cfunc.import_signature(entry_signature(call_conv));
    let self_ref = cfunc.import_function(ExtFuncData {
        name: ExternalName::user(name),
        signature: sigref,
        colocated: false,
        patchable: false,
    });
    let mut fctx = FunctionBuilderContext::new();
    lower_function(
        func,
        &mut cfunc,
        &mut fctx,
        call_conv,
        self_ref,
        isa.frontend_config(),
        true,
    );
    let mut ctx = Context::for_function(cfunc);
    let code = ctx
        .compile(&*isa, &mut ControlPlane::default())
        .map_err(|e| JitError::Codegen(format!("{:?}", e.inner)))?;
    Ok(code.code_buffer().to_vec())
}
