//! The io library (this subset): `io.write` and `io.stdout:write`, both writing
//! to the VM's output buffer (`vm.out`, shared with `print`).

use super::base::write_out;
use super::{new_lib, set_field, type_error};
use crate::runtime::number::write_float_conv;
use crate::runtime::{LuaError, Value, Vm};

/// Registry key of the `io.stdout` object, returned by the write functions.
const STDOUT_KEY: &str = "apogee.stdout";

pub fn open(vm: &mut Vm) {
    let io = new_lib(vm, "io", &[("io.write", io_write)]);
    let stdout = vm.heap.alloc(crate::runtime::table::Table::new());
    let w = vm.native_fn("write", file_write);
    set_field(vm, stdout, "write", w);
    set_field(vm, io, "stdout", Value::Table(stdout));
    let reg = vm.registry;
    set_field(vm, reg, STDOUT_KEY, Value::Table(stdout));
}

/// Writes arguments `first..` (0-based).
fn write_args(vm: &mut Vm, first: usize) -> Result<usize, LuaError> {
    let n = vm.arg_count();
    let mut buf = Vec::new();
    for i in first..n {
        buf.clear();
        match vm.arg(i) {
            Value::Int(x) => buf.extend_from_slice(x.to_string().as_bytes()),
            Value::Float(f) => {
                // LUA_NUMBER_FMT ("%.14g"), without tostring's ".0".
                if f.is_sign_negative() {
                    buf.push(b'-');
                }
                write_float_conv(f, b'g', Some(14), false, &mut buf);
            }
            Value::Str(s) => buf.extend_from_slice(vm.heap.str(s)),
            _ => return Err(type_error(vm, i + 1, "write", "string")),
        }
        write_out(vm, &buf);
    }
    let reg = vm.registry;
    let f = super::get_field(vm, reg, STDOUT_KEY);
    vm.push(f);
    Ok(1)
}

fn io_write(vm: &mut Vm) -> Result<usize, LuaError> {
    write_args(vm, 0)
}

/// `file:write(...)`: argument 0 is the file (as a method call, messages do not count it).
fn file_write(vm: &mut Vm) -> Result<usize, LuaError> {
    write_args(vm, 1)
}
