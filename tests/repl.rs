//! The REPL loop (`apogee -i`) driven line by line through a scripted [`Console`], compared
//! with what lua5.4 -i prints for the same input on a pipe (recorded here: its stdout
//! without the version line, and its stderr). A pipe makes lua5.4's readline echo each
//! line after its prompt, so the scripted console does the same.

use std::collections::VecDeque;

use apogee::host::repl::{self, Console};
use apogee::host::{self, Options};
use apogee::runtime::Vm;

#[derive(Default)]
struct Script {
    lines: VecDeque<String>,
    out: String,
    err: String,
    history: Vec<String>,
}

impl Console for Script {
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        self.out.push_str(prompt);
        let line = self.lines.pop_front()?;
        self.out.push_str(&line);
        self.out.push('\n');
        Some(line)
    }
    fn add_history(&mut self, entry: &str) {
        self.history.push(entry.to_string());
    }
    fn flush(&mut self, vm: &mut Vm) {
        self.out.push_str(&String::from_utf8_lossy(&vm.out));
        vm.out.clear();
    }
    fn error(&mut self, text: &str) {
        self.err.push_str(text);
        self.err.push('\n');
    }
    fn finish(&mut self) {
        self.out.push('\n');
    }
}

/// Runs the REPL over `input`; (stdout, stderr, history).
fn repl(input: &str) -> (String, String, Vec<String>) {
    let input = input.to_string();
    host::run_on_big_stack(move || {
        let (mut vm, _) = host::new_vm(&Options::default());
        let mut c = Script {
            lines: input.lines().map(String::from).collect(),
            ..Script::default()
        };
        repl::run(&mut vm, &mut c);
        (c.out, c.err, c.history)
    })
}

#[test]
fn expressions_statements_and_continuations() {
    let (out, err, history) =
        repl("print(1)\nx=\n1\n1+\nerror(\"e\")\n=2,3\nfor i=1,2 do\nprint(i) end\n");
    assert_eq!(
        out,
        "> print(1)\n1\n> x=\n>> 1\n> 1+\n> error(\"e\")\n> =2,3\n2\t3\n\
         > for i=1,2 do\n>> print(i) end\n1\n2\n> \n"
    );
    assert_eq!(
        err,
        "stdin:1: unexpected symbol near '1'\nstdin:1: e\nstack traceback:\n\
         \t[C]: in function 'error'\n\tstdin:1: in main chunk\n\t[C]: in ?\n"
    );
    assert_eq!(
        history,
        [
            "print(1)",
            "x=\n1",
            "1+",
            "error(\"e\")",
            "return 2,3",
            "for i=1,2 do\nprint(i) end"
        ]
    );
}

#[test]
fn prompts_results_and_error_objects() {
    let (out, err, _) = repl(
        "_PROMPT=\"P \"\n\
         _PROMPT2=setmetatable({}, {__tostring=function() return \"Q \" end})\n\
         if true then\nprint(7)\nend\nnil\n1, nil, \"s\"\nreturn\n\nlocal z = 3\nz\n\
         error({})\n\
         error(setmetatable({}, {__tostring=function() return \"TS\" end}))\n\
         print = 5\n1\n",
    );
    assert_eq!(
        out,
        "> _PROMPT=\"P \"\n\
         P _PROMPT2=setmetatable({}, {__tostring=function() return \"Q \" end})\n\
         P if true then\nQ print(7)\nQ end\n7\nP nil\nnil\nP 1, nil, \"s\"\n1\tnil\ts\n\
         P return\nP \nP local z = 3\nP z\nnil\nP error({})\n\
         P error(setmetatable({}, {__tostring=function() return \"TS\" end}))\n\
         P print = 5\nP 1\nP \n"
    );
    assert_eq!(
        err,
        "(error object is a table value)\nstack traceback:\n\t[C]: in function 'error'\n\
         \tstdin:1: in main chunk\n\t[C]: in ?\nTS\n\
         error calling 'print' (attempt to call a number value)\n"
    );
}

#[test]
fn end_of_input_inside_a_statement() {
    let (out, err, _) = repl("local x =\n");
    assert_eq!(out, "> local x =\n>> > \n");
    assert_eq!(err, "stdin:1: unexpected symbol near <eof>\n");
}
