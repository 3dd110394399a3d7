//! The package library: `require` and the `package` table (lua5.4's `loadlib.c`, without
//! dynamic libraries).
//!
//! `package.loaded` is the registry's `_LOADED` table and `package.preload` its
//! `_PRELOAD` table, as in lua5.4, so replacing the fields does not change what `require`
//! consults. `package.searchers` holds four searchers like lua5.4's: preload, Lua files
//! along `package.path`, and two C searchers along `package.cpath` that never load
//! anything (a C module that exists is an error) but report the files they tried, so the
//! "module 'x' not found" message reads as lua5.4's. Paths come from `LUA_PATH_5_4` /
//! `LUA_PATH` (and `..._CPATH`), with `;;` standing for the default.

use super::{check_str, get_field, native_closure, native_upval, opt_str, set_field};
use crate::runtime::table::Table;
use crate::runtime::{GcRef, LuaError, Value, Vm};

/// `package.path` when the environment sets none: the oracle's (Debian's lua5.4) value.
pub const PATH_DEFAULT: &str =
    "/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;\
/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;\
/usr/share/lua/5.4/?.lua;/usr/share/lua/5.4/?/init.lua;./?.lua;./?/init.lua";
/// `package.cpath` when the environment sets none (searched only for the messages).
pub const CPATH_DEFAULT: &str =
    "/usr/local/lib/lua/5.4/?.so;/usr/lib/x86_64-linux-gnu/lua/5.4/?.so;\
/usr/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so";
/// `package.config`: directory separator, path separator, name mark, executable-directory
/// mark, ignore mark.
pub const CONFIG: &str = "/\n;\n?\n!\n-\n";

/// Registry keys of the loaded-modules and preload tables (lua5.4's names).
pub const LOADED_KEY: &str = "_LOADED";
pub const PRELOAD_KEY: &str = "_PRELOAD";

/// Library tables recorded in `package.loaded` when the library opens.
const STD_LIBS: &[&str] = &[
    "string",
    "table",
    "math",
    "os",
    "io",
    "utf8",
    "coroutine",
    "debug",
];

/// Installs `require` and `package`. Open it after the other libraries: it records them
/// in `package.loaded`.
pub fn open(vm: &mut Vm) {
    let pkg = vm.heap.alloc(Table::new());
    let g = vm.globals;
    set_field(vm, g, "package", Value::Table(pkg));
    let loaded = registry_table(vm, LOADED_KEY);
    let preload = registry_table(vm, PRELOAD_KEY);
    set_field(vm, pkg, "loaded", Value::Table(loaded));
    set_field(vm, pkg, "preload", Value::Table(preload));
    set_field(vm, loaded, "_G", Value::Table(g));
    set_field(vm, loaded, "package", Value::Table(pkg));
    for &name in STD_LIBS {
        let lib = get_field(vm, g, name);
        if let Value::Table(_) = lib {
            set_field(vm, loaded, name, lib);
        }
    }
    let path = env_path("LUA_PATH", PATH_DEFAULT);
    let path = vm.str_value(path.as_bytes());
    set_field(vm, pkg, "path", path);
    let cpath = env_path("LUA_CPATH", CPATH_DEFAULT);
    let cpath = vm.str_value(cpath.as_bytes());
    set_field(vm, pkg, "cpath", cpath);
    let config = vm.str_value(CONFIG.as_bytes());
    set_field(vm, pkg, "config", config);
    let searchpath = vm.native_fn("package.searchpath", searchpath);
    set_field(vm, pkg, "searchpath", searchpath);
    let loadlib = vm.native_fn("package.loadlib", loadlib);
    set_field(vm, pkg, "loadlib", loadlib);
    let searchers = vm.heap.alloc(Table::new());
    set_field(vm, pkg, "searchers", Value::Table(searchers));
    let up = [Value::Table(pkg)];
    let fns: [(&'static str, crate::runtime::function::NativeFnPtr); 4] = [
        ("searcher_preload", searcher_preload),
        ("searcher_Lua", searcher_lua),
        ("searcher_C", searcher_c),
        ("searcher_Croot", searcher_croot),
    ];
    for (i, (name, f)) in fns.into_iter().enumerate() {
        let v = native_closure(vm, name, f, &up);
        let grew = vm.heap.get_mut(searchers).set_int(i as i64 + 1, v);
        vm.heap.note_growth(grew);
    }
    let require = native_closure(vm, "require", require, &up);
    set_field(vm, g, "require", require);
}

/// The registry table under `key`, created if missing.
fn registry_table(vm: &mut Vm, key: &str) -> GcRef<Table> {
    let reg = vm.registry;
    if let Value::Table(t) = get_field(vm, reg, key) {
        return t;
    }
    let t = vm.heap.alloc(Table::new());
    set_field(vm, reg, key, Value::Table(t));
    t
}

/// A path from `{var}_5_4` or `{var}`, with its first `;;` replaced by the default
/// (lua5.4's `setpath`).
fn env_path(var: &str, default: &str) -> String {
    let value = std::env::var_os(format!("{var}_5_4")).or_else(|| std::env::var_os(var));
    let Some(value) = value else {
        return default.to_string();
    };
    let path = value.to_string_lossy().into_owned();
    expand_default(&path, default)
}

/// Replaces the first `;;` of `path` by `;default;` (without the separators at either end
/// when nothing precedes or follows it).
pub fn expand_default(path: &str, default: &str) -> String {
    let Some(at) = path.find(";;") else {
        return path.to_string();
    };
    let mut out = String::new();
    if at > 0 {
        out.push_str(&path[..at]);
        out.push(';');
    }
    out.push_str(default);
    if at + 2 < path.len() {
        out.push(';');
        out.push_str(&path[at + 2..]);
    }
    out
}

/// Looks `name` up along `path` (lua5.4's `searchpath`): every `sep` in the name becomes
/// `dirsep`, every `?` of each `;`-separated template becomes the name, and the first
/// readable file wins. Otherwise the error lists every file tried
/// (`no file 'a'\n\tno file 'b'`).
pub fn search_path(name: &str, path: &str, sep: &str, dirsep: &str) -> Result<String, String> {
    let name = if sep.is_empty() {
        name.to_string()
    } else {
        name.replace(sep, dirsep)
    };
    let full = path.replace('?', &name);
    for candidate in full.split(';').filter(|c| !c.is_empty()) {
        if std::fs::File::open(candidate).is_ok() {
            return Ok(candidate.to_string());
        }
    }
    Err(format!("no file '{}'", full.replace(';', "'\n\tno file '")))
}

/// The `package` table a searcher or `require` closes over.
fn package_table(vm: &Vm) -> Option<GcRef<Table>> {
    match native_upval(vm, 0) {
        Value::Table(t) => Some(t),
        _ => None,
    }
}

/// Field `field` of the package table as a string, or lua5.4's error.
fn package_string(vm: &mut Vm, field: &str) -> Result<String, LuaError> {
    let v = match package_table(vm) {
        Some(p) => get_field(vm, p, field),
        None => Value::Nil,
    };
    let mut out = Vec::new();
    match v {
        Value::Str(s) => out.extend_from_slice(vm.heap.str(s)),
        Value::Int(_) | Value::Float(_) => super::ops::tostring_bytes(vm, v, &mut out)?,
        _ => return Err(vm.lib_error(&format!("'package.{field}' must be a string"))),
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn name_arg(vm: &mut Vm, fname: &str) -> Result<String, LuaError> {
    let s = check_str(vm, 1, fname)?;
    Ok(String::from_utf8_lossy(vm.heap.str(s)).into_owned())
}

fn push_string(vm: &mut Vm, s: &str) {
    let v = vm.str_value(s.as_bytes());
    vm.push(v);
}

/// `package.searchpath(name, path [, sep [, rep]])`.
fn searchpath(vm: &mut Vm) -> Result<usize, LuaError> {
    // lua5.4 (built by gcc) checks the path before the name.
    let path = check_str(vm, 2, "searchpath")?;
    let path = String::from_utf8_lossy(vm.heap.str(path)).into_owned();
    let name = name_arg(vm, "searchpath")?;
    let sep = opt_str(vm, 3, "searchpath")?.map_or(".".to_string(), |s| {
        String::from_utf8_lossy(vm.heap.str(s)).into_owned()
    });
    let rep = opt_str(vm, 4, "searchpath")?.map_or("/".to_string(), |s| {
        String::from_utf8_lossy(vm.heap.str(s)).into_owned()
    });
    match search_path(&name, &path, &sep, &rep) {
        Ok(file) => {
            push_string(vm, &file);
            Ok(1)
        }
        Err(msg) => {
            vm.push(Value::Nil);
            push_string(vm, &msg);
            Ok(2)
        }
    }
}

fn searcher_preload(vm: &mut Vm) -> Result<usize, LuaError> {
    let s = check_str(vm, 1, "searcher_preload")?;
    let preload = registry_table(vm, PRELOAD_KEY);
    let loader = vm.heap.get(preload).get_str(s);
    if loader.is_nil() {
        let name = String::from_utf8_lossy(vm.heap.str(s)).into_owned();
        push_string(vm, &format!("no field package.preload['{name}']"));
        Ok(1)
    } else {
        vm.push(loader);
        push_string(vm, ":preload:");
        Ok(2)
    }
}

fn searcher_lua(vm: &mut Vm) -> Result<usize, LuaError> {
    let name = name_arg(vm, "searcher_Lua")?;
    let path = package_string(vm, "path")?;
    let file = match search_path(&name, &path, ".", "/") {
        Ok(f) => f,
        Err(msg) => {
            push_string(vm, &msg);
            return Ok(1);
        }
    };
    match super::load::load_file_chunk(vm, Some(&file), b"bt") {
        Ok(f) => {
            vm.push(f);
            push_string(vm, &file);
            Ok(2)
        }
        Err(msg) => Err(vm.lib_error(&format!(
            "error loading module '{name}' from file '{file}':\n\t{msg}"
        ))),
    }
}

/// A C searcher: looks along `package.cpath` so that misses read as lua5.4's, but cannot
/// load what it finds.
fn search_c(vm: &mut Vm, name: &str, file_name: &str) -> Result<usize, LuaError> {
    let cpath = package_string(vm, "cpath")?;
    match search_path(file_name, &cpath, ".", "/") {
        Ok(file) => Err(vm.lib_error(&format!(
            "error loading module '{name}' from file '{file}':\n\t\
             C modules are not supported by apogee"
        ))),
        Err(msg) => {
            push_string(vm, &msg);
            Ok(1)
        }
    }
}

/// `package.loadlib(path, funcname)`: apogee loads no C code, so this answers as lua5.4
/// built without dynamic-library support does: `nil, message, "absent"`.
fn loadlib(vm: &mut Vm) -> Result<usize, LuaError> {
    check_str(vm, 1, "loadlib")?;
    check_str(vm, 2, "loadlib")?;
    vm.push(Value::Nil);
    push_string(
        vm,
        "dynamic libraries not enabled; check your Lua installation",
    );
    push_string(vm, "absent");
    Ok(3)
}

fn searcher_c(vm: &mut Vm) -> Result<usize, LuaError> {
    let name = name_arg(vm, "searcher_C")?;
    search_c(vm, &name, &name)
}

fn searcher_croot(vm: &mut Vm) -> Result<usize, LuaError> {
    let name = name_arg(vm, "searcher_Croot")?;
    match name.find('.') {
        None => Ok(0),
        Some(dot) => {
            let root = name[..dot].to_string();
            search_c(vm, &name, &root)
        }
    }
}

/// `require(name)`: the module's value from `package.loaded`, or found by the searchers,
/// loaded by calling its loader with `(name, loader data)`; returns the value stored in
/// `package.loaded[name]` (true when the loader gave nothing) and the loader data.
fn require(vm: &mut Vm) -> Result<usize, LuaError> {
    let name_ref = check_str(vm, 1, "require")?;
    let name = String::from_utf8_lossy(vm.heap.str(name_ref)).into_owned();
    let base = vm.native_base();
    vm.stack.truncate(base + 1);
    let loaded = registry_table(vm, LOADED_KEY);
    vm.push(Value::Table(loaded)); // base + 1: rooted for the calls below
    let have = vm.heap.get(loaded).get_str(name_ref);
    if have.truthy() {
        vm.push(have);
        return Ok(1);
    }
    find_loader(vm, base, &name)?; // base + 2: loader, base + 3: loader data
    let func = vm.stack.len();
    let (loader, data) = (vm.stack[base + 2], vm.stack[base + 3]);
    vm.push(loader);
    vm.push(Value::Str(name_ref));
    vm.push(data);
    vm.call(func, 2, 1)?;
    let r = vm.stack[func];
    vm.stack.truncate(func);
    let key = Value::Str(name_ref);
    if !r.is_nil() {
        set_raw(vm, loaded, key, r);
    }
    let mut result = vm.heap.get(loaded).get(key);
    if result.is_nil() {
        result = Value::Bool(true);
        set_raw(vm, loaded, key, result);
    }
    vm.push(result);
    vm.push(data);
    Ok(2)
}

fn set_raw(vm: &mut Vm, t: GcRef<Table>, k: Value, v: Value) {
    // A string key is never nil or NaN.
    let grew = vm.heap.get_mut(t).set(k, v).unwrap_or(0);
    vm.heap.note_growth(grew);
}

/// Calls the searchers in order until one returns a loader; leaves the loader and its
/// data at `stack[base + 2..base + 4]`, or raises "module 'x' not found:" with every
/// searcher's explanation.
fn find_loader(vm: &mut Vm, base: usize, name: &str) -> Result<(), LuaError> {
    let searchers = match package_table(vm).map(|p| get_field(vm, p, "searchers")) {
        Some(Value::Table(t)) => t,
        _ => return Err(vm.lib_error("'package.searchers' must be a table")),
    };
    vm.push(Value::Table(searchers)); // base + 2, replaced by the loader when found
    let mut msg = String::new();
    let mut i = 1;
    loop {
        let searcher = vm.heap.get(searchers).get_int(i);
        if searcher.is_nil() {
            return Err(vm.lib_error(&format!("module '{name}' not found:{msg}")));
        }
        let func = vm.stack.len();
        vm.push(searcher);
        push_string(vm, name);
        vm.call(func, 1, 2)?;
        let (found, extra) = (vm.stack[func], vm.stack[func + 1]);
        match found {
            Value::LuaFn(_) | Value::NativeFn(_) => {
                vm.stack.truncate(base + 2);
                vm.push(found);
                vm.push(extra);
                return Ok(());
            }
            Value::Str(s) => {
                msg.push_str("\n\t");
                msg.push_str(&String::from_utf8_lossy(vm.heap.str(s)));
            }
            Value::Int(_) | Value::Float(_) => {
                let mut out = Vec::new();
                super::ops::tostring_bytes(vm, found, &mut out)?;
                msg.push_str("\n\t");
                msg.push_str(&String::from_utf8_lossy(&out));
            }
            _ => {}
        }
        vm.stack.truncate(func);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_expansion() {
        assert_eq!(expand_default("a;;b", "D"), "a;D;b");
        assert_eq!(expand_default(";;b", "D"), "D;b");
        assert_eq!(expand_default("a;;", "D"), "a;D");
        assert_eq!(expand_default(";;", "D"), "D");
        assert_eq!(expand_default("a;b", "D"), "a;b");
    }

    #[test]
    fn not_found_lists_every_file() {
        let e = search_path("no.such", "/nonexistent/?.lua;/x/?/init.lua", ".", "/");
        assert_eq!(
            e,
            Err("no file '/nonexistent/no/such.lua'\n\tno file '/x/no/such/init.lua'".into())
        );
    }
}
