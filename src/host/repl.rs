//! The read-eval-print loop of `apogee -i`, as lua.c's `doREPL` behaves:
//!
//! - the prompt is `tostring(_PROMPT)` (default `"> "`), and `tostring(_PROMPT2)`
//!   (default `">> "`) for continuation lines;
//! - a line is first compiled as `return <line>;` (an expression: its results are printed
//!   with the global `print`); if that fails it is compiled as a statement, and while the
//!   syntax error ends in `<eof>` (the statement is incomplete) another line is read and
//!   joined with a newline;
//! - a first line starting with `=` means `return` (compatibility with Lua 5.2);
//! - chunks are named `=stdin`; errors are reported without a program name: the message,
//!   then the traceback for runtime errors ([`error_report`]).
//!
//! Input and output go through a [`Console`], so the loop can be driven by a terminal
//! (rustyline, in `main.rs`), a pipe, or a test that hands it lines.

use crate::runtime::{ops, LuaError, Value, Vm};
use crate::stdlib::base::flush_out;

/// Where the REPL reads lines and writes what is not program output.
pub trait Console {
    /// Shows `prompt` and reads one line (without its newline); `None` at end of input.
    fn read_line(&mut self, prompt: &str) -> Option<String>;
    /// Records a complete input (a statement or expression) in the history.
    fn add_history(&mut self, _entry: &str) {}
    /// Writes the program's pending output (`vm.out`); called before every prompt and
    /// error report so they come out in order.
    fn flush(&mut self, vm: &mut Vm) {
        flush_out(vm);
    }
    /// Reports an error (lua.c writes these to stderr); `text` has no final newline.
    fn error(&mut self, text: &str) {
        eprintln!("{text}");
    }
    /// Called once when the loop ends (lua.c writes a newline to stdout).
    fn finish(&mut self) {
        println!();
    }
}

/// lua.c's marker of an incomplete statement: the syntax error ends at end of input.
const EOF_MARK: &str = "<eof>";

/// Runs the loop until the console has no more input.
pub fn run(vm: &mut Vm, console: &mut dyn Console) {
    loop {
        let f = match load_line(vm, console) {
            None => break,
            Some(Ok(f)) => f,
            Some(Err(e)) => {
                let text = super::error_report(vm, &e);
                console.flush(vm);
                console.error(&text);
                continue;
            }
        };
        match super::run_main(vm, f, &[]) {
            Ok(results) => print_results(vm, console, results),
            Err(e) => {
                let text = super::error_report(vm, &e);
                console.flush(vm);
                console.error(&text);
            }
        }
    }
    console.flush(vm);
    console.finish();
}

/// Reads and compiles one input: `None` at end of input, else the main function or the
/// compile error.
fn load_line(vm: &mut Vm, console: &mut dyn Console) -> Option<Result<Value, LuaError>> {
    let first = read(vm, console, true)?;
    let line = match first.strip_prefix('=') {
        Some(rest) => format!("return {rest}"),
        None => first,
    };
    let ret = format!("return {line};");
    if let Ok(f) = super::load_source(vm, ret.as_bytes(), "=stdin") {
        if !line.is_empty() {
            console.add_history(&line);
        }
        return Some(Ok(f));
    }
    let mut text = line;
    loop {
        let r = super::load_source(vm, text.as_bytes(), "=stdin");
        let incomplete = match &r {
            Err(e) => super::error_text(vm, e.value).ends_with(EOF_MARK),
            Ok(_) => false,
        };
        if !incomplete {
            console.add_history(&text);
            return Some(r);
        }
        match read(vm, console, false) {
            Some(more) => {
                text.push('\n');
                text.push_str(&more);
            }
            None => {
                console.add_history(&text);
                return Some(r);
            }
        }
    }
}

/// Shows the prompt (`_PROMPT` or `_PROMPT2` if set, through `tostring`) and reads a line.
fn read(vm: &mut Vm, console: &mut dyn Console, first: bool) -> Option<String> {
    let (var, default) = if first {
        ("_PROMPT", "> ")
    } else {
        ("_PROMPT2", ">> ")
    };
    let g = vm.globals;
    let v = crate::stdlib::get_field(vm, g, var);
    let prompt = if v.is_nil() {
        default.to_string()
    } else {
        let mut out = Vec::new();
        match ops::tostring_bytes(vm, v, &mut out) {
            Ok(()) => String::from_utf8_lossy(&out).into_owned(),
            Err(_) => default.to_string(),
        }
    };
    console.flush(vm);
    console.read_line(&prompt)
}

/// Calls the global `print` with the results of an expression line, if there are any.
fn print_results(vm: &mut Vm, console: &mut dyn Console, results: Vec<Value>) {
    if results.is_empty() {
        return;
    }
    let g = vm.globals;
    let print = crate::stdlib::get_field(vm, g, "print");
    // `run_main` puts `print` and the results on the stack before anything can collect,
    // and resets the frames if it fails.
    if let Err(e) = super::run_main(vm, print, &results) {
        let msg = super::error_text(vm, e.value);
        console.flush(vm);
        console.error(&format!("error calling 'print' ({msg})"));
    }
}
