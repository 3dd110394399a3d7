//! `require`'s paths from the environment and `loadfile` of binary chunks, end to end
//! (the golden suite cannot set environment variables or write bytecode files).
//! Expected texts were recorded from lua5.4 where lua5.4 can run the same thing.

use std::path::PathBuf;
use std::process::{Command, Output};

fn apogee(dir: Option<&PathBuf>, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_apogee"));
    c.args(args)
        .env_remove("LUA_PATH")
        .env_remove("LUA_PATH_5_4")
        .env_remove("LUA_CPATH")
        .env_remove("LUA_CPATH_5_4");
    if let Some(d) = dir {
        c.current_dir(d);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run apogee")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const DEFAULT_PATH: &str = "/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;/usr/share/lua/5.4/?.lua;/usr/share/lua/5.4/?/init.lua;./?.lua;./?/init.lua";
const DEFAULT_CPATH: &str = "/usr/local/lib/lua/5.4/?.so;/usr/lib/x86_64-linux-gnu/lua/5.4/?.so;/usr/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so";

#[test]
fn package_paths_from_the_environment() {
    let print_path = ["-e", "print(package.path) print(package.cpath)"];
    let o = apogee(None, &[], &print_path);
    assert_eq!(stdout(&o), format!("{DEFAULT_PATH}\n{DEFAULT_CPATH}\n"));
    let o = apogee(None, &[("LUA_PATH_5_4", "a/?.lua;;b/?.lua")], &print_path);
    assert_eq!(
        stdout(&o),
        format!("a/?.lua;{DEFAULT_PATH};b/?.lua\n{DEFAULT_CPATH}\n")
    );
    let o = apogee(None, &[("LUA_PATH", "x/?.lua")], &print_path);
    assert_eq!(stdout(&o), format!("x/?.lua\n{DEFAULT_CPATH}\n"));
    // The versioned variable wins.
    let o = apogee(
        None,
        &[("LUA_PATH", "x/?.lua"), ("LUA_PATH_5_4", ";;")],
        &print_path,
    );
    assert_eq!(stdout(&o), format!("{DEFAULT_PATH}\n{DEFAULT_CPATH}\n"));
    let o = apogee(None, &[("LUA_CPATH", ";;z")], &print_path);
    assert_eq!(stdout(&o), format!("{DEFAULT_PATH}\n{DEFAULT_CPATH};z\n"));
}

#[test]
fn require_follows_lua_path() {
    let dir = std::env::temp_dir().join(format!("apogee-loader-path-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::write(
        dir.join("lib/found.lua"),
        "return 'found ' .. select(2, ...)",
    )
    .unwrap();
    let o = apogee(
        Some(&dir),
        &[("LUA_PATH", "./lib/?.lua")],
        &[
            "-e",
            "print(require('found')) print(pcall(require, 'lost'))",
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        stdout(&o),
        "found ./lib/found.lua\t./lib/found.lua\n\
         false\tmodule 'lost' not found:\n\
         \tno field package.preload['lost']\n\
         \tno file './lib/lost.lua'\n\
         \tno file '/usr/local/lib/lua/5.4/lost.so'\n\
         \tno file '/usr/lib/x86_64-linux-gnu/lua/5.4/lost.so'\n\
         \tno file '/usr/lib/lua/5.4/lost.so'\n\
         \tno file '/usr/local/lib/lua/5.4/loadall.so'\n\
         \tno file './lost.so'\n"
    );
}

#[test]
fn binary_chunks_load_verified_and_respect_the_mode() {
    let dir = std::env::temp_dir().join(format!("apogee-loader-sbc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("m.lua"),
        "local a = ... return 'binary ' .. tostring(a)",
    )
    .unwrap();
    let o = apogee(Some(&dir), &[], &["--compile", "m.sbc", "m.lua"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut bytes = std::fs::read(dir.join("m.sbc")).unwrap();
    // With a `#` first line, as lua5.4 allows before a binary chunk.
    let mut with_comment = b"#!/usr/bin/env apogee\n".to_vec();
    with_comment.extend_from_slice(&bytes);
    std::fs::write(dir.join("c.sbc"), with_comment).unwrap();
    // Truncated: rejected with a message, never run.
    bytes.truncate(bytes.len() - 3);
    std::fs::write(dir.join("bad.sbc"), &bytes).unwrap();
    let o = apogee(
        Some(&dir),
        &[],
        &[
            "-e",
            "print(loadfile('m.sbc')(1)) print(loadfile('c.sbc')(2)) \
             print(dofile('m.sbc')) print(loadfile('m.sbc', 't')) \
             print(loadfile('m.sbc', 'b') ~= nil) \
             local f, e = loadfile('bad.sbc') print(f, (e:match('^[^(]*')))",
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        stdout(&o),
        "binary 1\nbinary 2\nbinary nil\n\
         nil\tattempt to load a binary chunk (mode is 't')\n\
         true\n\
         nil\tbad.sbc: bad binary format \n",
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}
