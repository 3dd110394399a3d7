//! apogee-jit: the JIT IR and its lowering to Cranelift. Knows nothing of Lua.
