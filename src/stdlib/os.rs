//! The os library (this subset): `clock`, `time`, `getenv`, `exit`.

use std::sync::OnceLock;
use std::time::Instant;

use super::{check_str, is_none, is_none_or_nil, new_lib, ops, push_str};
use crate::runtime::table::Table;
use crate::runtime::{GcRef, LuaError, Value, Vm};

static START: OnceLock<Instant> = OnceLock::new();

pub fn open(vm: &mut Vm) {
    START.get_or_init(Instant::now);
    new_lib(
        vm,
        "os",
        &[
            ("os.clock", clock),
            ("os.time", time),
            ("os.getenv", getenv),
            ("os.exit", exit),
        ],
    );
}

/// Seconds since the process started. lua5.4 returns CPU time; for this single-threaded
/// VM wall time is a close stand-in and needs no platform calls.
fn clock(vm: &mut Vm) -> Result<usize, LuaError> {
    let start = *START.get_or_init(Instant::now);
    vm.push(Value::Float(start.elapsed().as_secs_f64()));
    Ok(1)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (`month` 1..=12).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `getfield` of loslib.c: an integer field, `default` when absent (`None`: required).
fn date_field(
    vm: &mut Vm,
    t: GcRef<Table>,
    key: &str,
    default: Option<i64>,
    delta: i64,
) -> Result<i64, LuaError> {
    let v = super::get_field(vm, t, key);
    match ops::to_integer(vm, v) {
        Some(x) => {
            let fits = if x >= 0 {
                x - delta <= i64::from(i32::MAX)
            } else {
                i64::from(i32::MIN) + delta <= x
            };
            if !fits {
                return Err(vm.lib_error(&format!("field '{key}' is out-of-bound")));
            }
            Ok(x - delta)
        }
        None if !v.is_nil() => Err(vm.lib_error(&format!("field '{key}' is not an integer"))),
        None => match default {
            Some(d) => Ok(d),
            None => Err(vm.lib_error(&format!("field '{key}' missing in date table"))),
        },
    }
}

/// `os.time([t])`. A date table is read as UTC (the local time zone is not consulted).
fn time(vm: &mut Vm) -> Result<usize, LuaError> {
    if is_none_or_nil(vm, 1) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        vm.push(Value::Int(now));
        return Ok(1);
    }
    let t = super::check_table(vm, 1, "time")?;
    let year = date_field(vm, t, "year", None, 1900)?;
    let mon = date_field(vm, t, "month", None, 1)?;
    let day = date_field(vm, t, "day", None, 0)?;
    let hour = date_field(vm, t, "hour", Some(12), 0)?;
    let min = date_field(vm, t, "min", Some(0), 0)?;
    let sec = date_field(vm, t, "sec", Some(0), 0)?;
    // mktime normalises out-of-range fields; month first, the rest is linear.
    let y = 1900 + year + mon.div_euclid(12);
    let m = mon.rem_euclid(12) + 1;
    let days = days_from_civil(y, m, 1) + day - 1;
    let secs = days * 86_400 + hour * 3_600 + min * 60 + sec;
    vm.push(Value::Int(secs));
    Ok(1)
}

fn getenv(vm: &mut Vm) -> Result<usize, LuaError> {
    let name = check_str(vm, 1, "getenv")?;
    let name = String::from_utf8_lossy(vm.heap.str(name)).into_owned();
    match std::env::var_os(&name) {
        Some(v) => {
            use std::os::unix::ffi::OsStrExt;
            push_str(vm, v.as_bytes());
        }
        None => vm.push(Value::Nil),
    }
    Ok(1)
}

/// `os.exit([code])`: flushes `print`/`io.write` output, then ends the process.
fn exit(vm: &mut Vm) -> Result<usize, LuaError> {
    let code = match vm.arg(0) {
        Value::Bool(b) => i32::from(!b),
        _ if is_none(vm, 1) => 0,
        _ => super::opt_int(vm, 1, "exit", 0)? as i32,
    };
    super::base::flush_out(vm);
    std::process::exit(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        // lua5.4 (TZ=UTC): os.time{year=2020,month=1,day=1,hour=0} == 1577836800
        assert_eq!(days_from_civil(2020, 1, 1) * 86_400, 1_577_836_800);
        assert_eq!(days_from_civil(2021, 2, 1) * 86_400, 1_612_137_600);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }
}
