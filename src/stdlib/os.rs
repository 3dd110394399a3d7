//! The os library: `clock`, `date`, `difftime`, `exit`, `getenv`, `remove`, `rename`,
//! `setlocale`, `time`, `tmpname`.
//!
//! Local time is taken to be UTC (the time zone database is not read): `os.date` without
//! `!` and `os.time` with a table agree with lua5.4 on a machine whose zone is UTC, and
//! differ elsewhere. Only the C locale exists. `os.clock` is the CPU time of the running
//! thread (the VM is single-threaded), read from `/proc`, or wall time where that is
//! missing.

use std::sync::OnceLock;
use std::time::Instant;

use super::{
    arg_error, check_int, check_str, is_none, is_none_or_nil, new_lib, ops, opt_str, push_str,
    set_field,
};
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
            ("os.date", date),
            ("os.difftime", difftime),
            ("os.execute", execute),
            ("os.exit", exit),
            ("os.getenv", getenv),
            ("os.remove", remove),
            ("os.rename", rename),
            ("os.setlocale", setlocale),
            ("os.time", time),
            ("os.tmpname", tmpname),
        ],
    );
}

/// CPU seconds used by this thread: `/proc/thread-self/schedstat` (nanoseconds), else
/// `/proc/self/stat` (user + system ticks of 1/100 s), else wall time since start.
fn cpu_seconds() -> f64 {
    if let Ok(s) = std::fs::read_to_string("/proc/thread-self/schedstat") {
        if let Some(ns) = s
            .split_whitespace()
            .next()
            .and_then(|w| w.parse::<u64>().ok())
        {
            return ns as f64 / 1e9;
        }
    }
    if let Ok(s) = std::fs::read_to_string("/proc/self/stat") {
        // Fields after the parenthesised command name; utime and stime are fields 14, 15.
        if let Some((_, rest)) = s.rsplit_once(')') {
            let f: Vec<&str> = rest.split_whitespace().collect();
            if let (Some(u), Some(st)) = (f.get(11), f.get(12)) {
                if let (Ok(u), Ok(st)) = (u.parse::<u64>(), st.parse::<u64>()) {
                    return (u + st) as f64 / 100.0;
                }
            }
        }
    }
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

fn clock(vm: &mut Vm) -> Result<usize, LuaError> {
    vm.push(Value::Float(cpu_seconds()));
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

/// Broken-down time (`struct tm` with a full year and 1-based month and day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Tm {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    /// Days since Sunday, 0..=6.
    wday: i64,
    /// Days since January 1st, 0..=365.
    yday: i64,
}

/// The proleptic Gregorian date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `gmtime` (and `localtime`, the zone being UTC); `None` when the year does not fit a C
/// `int` as `tm_year`.
fn tm_from_time(t: i64) -> Option<Tm> {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    i32::try_from(year - 1900).ok()?;
    Some(Tm {
        year,
        month,
        day,
        hour: secs / 3600,
        min: secs / 60 % 60,
        sec: secs % 60,
        wday: (days + 4).rem_euclid(7),
        yday: days - days_from_civil(year, 1, 1),
    })
}

const REPRESENT_ERROR: &str = "time result cannot be represented in this installation";

/// `os.time([t])`. A date table is normalised like `mktime` (in UTC, see the module
/// docs) and, as lua5.4 does, its fields are rewritten with the normalised values.
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
    // mktime normalises out-of-range fields; month first, the rest is linear. Every
    // field fits an i32, so none of this overflows an i64.
    let y = 1900 + year + mon.div_euclid(12);
    let m = mon.rem_euclid(12) + 1;
    let days = days_from_civil(y, m, 1) + day - 1;
    let mut secs = days * 86_400 + hour * 3_600 + min * 60 + sec;
    // glibc's mktime, told that daylight saving time is in effect in a zone without it,
    // moves the time back by an hour.
    let isdst = super::get_field(vm, t, "isdst");
    if !isdst.is_nil() && isdst.truthy() {
        secs -= 3_600;
    }
    let Some(tm) = tm_from_time(secs).filter(|_| secs != -1) else {
        return Err(vm.lib_error(REPRESENT_ERROR));
    };
    set_date_fields(vm, t, &tm);
    vm.push(Value::Int(secs));
    Ok(1)
}

/// Stores the fields of a date table (loslib's `setallfields`).
fn set_date_fields(vm: &mut Vm, t: GcRef<Table>, tm: &Tm) {
    let fields = [
        ("year", tm.year),
        ("month", tm.month),
        ("day", tm.day),
        ("hour", tm.hour),
        ("min", tm.min),
        ("sec", tm.sec),
        ("yday", tm.yday + 1),
        ("wday", tm.wday + 1),
    ];
    for (k, v) in fields {
        set_field(vm, t, k, Value::Int(v));
    }
    set_field(vm, t, "isdst", Value::Bool(false));
}

/// `os.date([format [, time]])`.
fn date(vm: &mut Vm) -> Result<usize, LuaError> {
    let fmt = opt_str(vm, 1, "date")?;
    let fmt = fmt.map_or(b"%c".to_vec(), |s| vm.heap.str(s).to_vec());
    let t = if is_none_or_nil(vm, 2) {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    } else {
        check_int(vm, 2, "date")?
    };
    let (utc, spec) = match fmt.strip_prefix(b"!") {
        Some(rest) => (true, rest),
        None => (false, &fmt[..]),
    };
    let Some(tm) = tm_from_time(t) else {
        return Err(vm.lib_error("date result cannot be represented in this installation"));
    };
    if spec == b"*t" {
        let table = vm.heap.alloc(Table::new());
        vm.push(Value::Table(table));
        set_date_fields(vm, table, &tm);
        return Ok(1);
    }
    match strftime(spec, &tm, utc) {
        Ok(out) => {
            push_str(vm, &out);
            Ok(1)
        }
        Err(rest) => {
            let msg = format!(
                "invalid conversion specifier '%{}'",
                String::from_utf8_lossy(rest)
            );
            Err(arg_error(vm, 1, "date", &msg))
        }
    }
}

const DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Conversions `os.date` accepts (loslib's `LUA_STRFTIMEOPTIONS` for C99): single
/// letters, then `E` and `O` modifiers with the letters they may modify.
const OPTIONS_1: &[u8] = b"aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
const OPTIONS_E: &[u8] = b"cCxXyY";
const OPTIONS_O: &[u8] = b"deHImMSuUVwWy";

/// ISO 8601 week-based year and week number.
fn iso_week(tm: &Tm) -> (i64, i64) {
    fn weeks_in(y: i64) -> i64 {
        let p =
            |y: i64| (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)).rem_euclid(7);
        if p(y) == 4 || p(y - 1) == 3 {
            53
        } else {
            52
        }
    }
    let wday_mon = (tm.wday + 6) % 7;
    let week = (tm.yday - wday_mon + 10).div_euclid(7);
    if week < 1 {
        (tm.year - 1, weeks_in(tm.year - 1))
    } else if week > weeks_in(tm.year) {
        (tm.year + 1, 1)
    } else {
        (tm.year, week)
    }
}

/// `strftime` in the C locale. `Err(rest)` names an invalid conversion: the text after
/// its `%` up to the end of the format, as lua5.4 reports it.
fn strftime<'a>(fmt: &'a [u8], tm: &Tm, utc: bool) -> Result<Vec<u8>, &'a [u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            out.push(fmt[i]);
            i += 1;
            continue;
        }
        let rest = &fmt[i + 1..];
        let conv = match rest {
            [m @ (b'E' | b'O'), c, ..] => {
                let allowed = if *m == b'E' { OPTIONS_E } else { OPTIONS_O };
                if !allowed.contains(c) {
                    return Err(rest);
                }
                i += 3;
                *c
            }
            [c, ..] if OPTIONS_1.contains(c) => {
                i += 2;
                *c
            }
            _ => return Err(rest),
        };
        format_conv(conv, tm, utc, &mut out);
    }
    Ok(out)
}

/// Appends one conversion (already validated).
fn format_conv(conv: u8, tm: &Tm, utc: bool, out: &mut Vec<u8>) {
    use std::io::Write;
    let day = DAY_NAMES[tm.wday as usize % 7];
    let month = MONTH_NAMES[(tm.month - 1).rem_euclid(12) as usize];
    let hour12 = if tm.hour % 12 == 0 { 12 } else { tm.hour % 12 };
    // Writing into a Vec cannot fail.
    let _ = match conv {
        b'a' => write!(out, "{}", &day[..3]),
        b'A' => write!(out, "{day}"),
        b'b' | b'h' => write!(out, "{}", &month[..3]),
        b'B' => write!(out, "{month}"),
        b'c' => write!(
            out,
            "{} {} {:2} {:02}:{:02}:{:02} {}",
            &day[..3],
            &month[..3],
            tm.day,
            tm.hour,
            tm.min,
            tm.sec,
            tm.year
        ),
        b'C' => write!(out, "{}", tm.year.div_euclid(100)),
        b'd' => write!(out, "{:02}", tm.day),
        b'D' | b'x' => write!(
            out,
            "{:02}/{:02}/{:02}",
            tm.month,
            tm.day,
            tm.year.rem_euclid(100)
        ),
        b'e' => write!(out, "{:2}", tm.day),
        b'F' => write!(out, "{}-{:02}-{:02}", tm.year, tm.month, tm.day),
        b'g' => write!(out, "{:02}", iso_week(tm).0.rem_euclid(100)),
        b'G' => write!(out, "{}", iso_week(tm).0),
        b'H' => write!(out, "{:02}", tm.hour),
        b'I' => write!(out, "{hour12:02}"),
        b'j' => write!(out, "{:03}", tm.yday + 1),
        b'm' => write!(out, "{:02}", tm.month),
        b'M' => write!(out, "{:02}", tm.min),
        b'n' => out.write_all(b"\n"),
        b'p' => write!(out, "{}", if tm.hour < 12 { "AM" } else { "PM" }),
        b'r' => write!(
            out,
            "{hour12:02}:{:02}:{:02} {}",
            tm.min,
            tm.sec,
            if tm.hour < 12 { "AM" } else { "PM" }
        ),
        b'R' => write!(out, "{:02}:{:02}", tm.hour, tm.min),
        b'S' => write!(out, "{:02}", tm.sec),
        b't' => out.write_all(b"\t"),
        b'T' | b'X' => write!(out, "{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec),
        b'u' => write!(out, "{}", if tm.wday == 0 { 7 } else { tm.wday }),
        b'U' => write!(out, "{:02}", (tm.yday + 7 - tm.wday) / 7),
        b'V' => write!(out, "{:02}", iso_week(tm).1),
        b'w' => write!(out, "{}", tm.wday),
        b'W' => write!(out, "{:02}", (tm.yday + 7 - (tm.wday + 6) % 7) / 7),
        b'y' => write!(out, "{:02}", tm.year.rem_euclid(100)),
        b'Y' => write!(out, "{}", tm.year),
        b'z' => write!(out, "+0000"),
        b'Z' => write!(out, "{}", if utc { "GMT" } else { "UTC" }),
        _ => write!(out, "%"),
    };
}

/// `os.difftime(t2, t1)`: `t2 - t1` in seconds, as a float.
fn difftime(vm: &mut Vm) -> Result<usize, LuaError> {
    let t2 = check_int(vm, 1, "difftime")?;
    let t1 = check_int(vm, 2, "difftime")?;
    vm.push(Value::Float(t2 as f64 - t1 as f64));
    Ok(1)
}

fn path_of(bytes: &[u8]) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    std::path::PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// Pushes `true`, or `nil, "[name: ]message", errno` (`luaL_fileresult`).
fn push_file_result(vm: &mut Vm, r: std::io::Result<()>, name: Option<&[u8]>) -> usize {
    match r {
        Ok(()) => {
            vm.push(Value::Bool(true));
            1
        }
        Err(e) => {
            let (msg, code) = super::iofile::describe(&e);
            let mut text = Vec::new();
            if let Some(name) = name {
                text.extend_from_slice(name);
                text.extend_from_slice(b": ");
            }
            text.extend_from_slice(msg.as_bytes());
            vm.push(Value::Nil);
            push_str(vm, &text);
            vm.push(Value::Int(code));
            3
        }
    }
}

/// `os.execute([command])`: runs `command` with `/bin/sh -c` (C's `system`) and returns
/// `true|nil, "exit"|"signal", code`; without a command, whether a shell is available.
/// Our buffered standard output is flushed first, so the command's output comes after
/// what the script printed before it.
fn execute(vm: &mut Vm) -> Result<usize, LuaError> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::process::ExitStatusExt;
    let Some(cmd) = opt_str(vm, 1, "execute")? else {
        let available = std::path::Path::new("/bin/sh").exists();
        vm.push(Value::Bool(available));
        return Ok(1);
    };
    // C's `system` sees the command up to its first NUL byte.
    let bytes = vm.heap.str(cmd);
    let bytes = bytes.split(|&c| c == 0).next().unwrap_or(bytes);
    let cmd = std::ffi::OsStr::from_bytes(bytes).to_os_string();
    super::base::flush_out(vm);
    let status = match std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(cmd)
        .status()
    {
        Ok(status) => status,
        Err(e) => return Ok(push_file_result(vm, Err(e), None)),
    };
    let (ok, what, code) = match (status.code(), status.signal()) {
        (Some(c), _) => (c == 0, "exit", i64::from(c)),
        (None, Some(sig)) => (false, "signal", i64::from(sig)),
        (None, None) => (false, "exit", -1),
    };
    vm.push(if ok { Value::Bool(true) } else { Value::Nil });
    push_str(vm, what.as_bytes());
    vm.push(Value::Int(code));
    Ok(3)
}

/// `os.remove(name)`: a file, or an empty directory (C's `remove`).
fn remove(vm: &mut Vm) -> Result<usize, LuaError> {
    let name = check_str(vm, 1, "remove")?;
    let name = vm.heap.str(name).to_vec();
    let path = path_of(&name);
    let r = match std::fs::remove_file(&path) {
        // unlink(2) refuses directories with EISDIR; remove(3) then tries rmdir(2).
        Err(e) if e.raw_os_error() == Some(21) => std::fs::remove_dir(&path),
        r => r,
    };
    Ok(push_file_result(vm, r, Some(&name)))
}

/// `os.rename(old, new)`; lua5.4 names no file in its failure message.
fn rename(vm: &mut Vm) -> Result<usize, LuaError> {
    let from = check_str(vm, 1, "rename")?;
    let to = check_str(vm, 2, "rename")?;
    let (from, to) = (path_of(vm.heap.str(from)), path_of(vm.heap.str(to)));
    let r = std::fs::rename(from, to);
    Ok(push_file_result(vm, r, None))
}

/// `os.tmpname()`: creates `/tmp/lua_XXXXXX` (as `mkstemp` does) and returns its name.
fn tmpname(vm: &mut Vm) -> Result<usize, LuaError> {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
        ^ (u64::from(std::process::id()) << 32);
    for _ in 0..100 {
        let mut name = b"/tmp/lua_".to_vec();
        for _ in 0..6 {
            // xorshift64*: enough to make collisions unlikely; they are retried anyway.
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            let r = seed.wrapping_mul(0x2545_F491_4F6C_DD1D);
            name.push(ALNUM[(r >> 32) as usize % ALNUM.len()]);
        }
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path_of(&name));
        if created.is_ok() {
            push_str(vm, &name);
            return Ok(1);
        }
    }
    Err(vm.lib_error("unable to generate a unique filename"))
}

/// `os.setlocale([locale [, category]])`: only the C locale exists. Queries and requests
/// for "C", "POSIX" or "" (the environment's choice, taken to be C) return "C"; any other
/// locale cannot be set and gives nil.
fn setlocale(vm: &mut Vm) -> Result<usize, LuaError> {
    let locale = opt_str(vm, 1, "setlocale")?;
    let cat = opt_str(vm, 2, "setlocale")?;
    if let Some(c) = cat {
        let c = vm.heap.str(c);
        const CATS: [&[u8]; 6] = [
            b"all",
            b"collate",
            b"ctype",
            b"monetary",
            b"numeric",
            b"time",
        ];
        if !CATS.contains(&c) {
            let msg = format!("invalid option '{}'", String::from_utf8_lossy(c));
            return Err(arg_error(vm, 2, "setlocale", &msg));
        }
    }
    let ok = match locale {
        None => true,
        Some(l) => matches!(vm.heap.str(l), b"C" | b"POSIX" | b""),
    };
    if ok {
        push_str(vm, b"C");
    } else {
        vm.push(Value::Nil);
    }
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
        _ => check_int(vm, 1, "exit")? as i32,
    };
    if vm.arg(1).truthy() {
        // `close`: lua_close's work first. Every pending to-be-closed variable is closed
        // (protected, errors ignored) with the frames gone, then the finalizers run.
        vm.close_upvals(0);
        vm.frames.clear();
        vm.native_depth = 0;
        let _ = vm.close_tbc_protected(0, None, &mut |_, e| e);
        vm.close();
    }
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

    #[test]
    fn civil_round_trip() {
        for z in [-1_000_000, -719_468, -1, 0, 1, 59, 10_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn strftime_c_locale() {
        // lua5.4: os.date("!...", 1234567890)
        let tm = tm_from_time(1_234_567_890).unwrap();
        let out = strftime(b"%c|%D|%j|%U|%W|%V|%G|%u|%w|%I%p|%Ey|%Od", &tm, true).unwrap();
        assert_eq!(
            out,
            b"Fri Feb 13 23:31:30 2009|02/13/09|044|06|06|07|2009|5|5|11PM|09|13"
        );
        assert_eq!(strftime(b"x%Ez y", &tm, true), Err(&b"Ez y"[..]));
        assert_eq!(strftime(b"%", &tm, true), Err(&b""[..]));
    }
}
