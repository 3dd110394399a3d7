#!/usr/bin/env python3
"""Robustness check by mutation: runs mutated copies of tests/lua programs on every engine
and reports any run that crashes (a signal, a Rust panic, an abort) instead of ending with
a Lua error or success. Not part of the test suite (it is random and slow); run by hand:

    python3 tools/mutate.py target/release/apogee --count 300 --seed 1

Each mutant is run with a timeout (a runaway loop is not a crash) and with
--memory-limit so that growth ends in a Lua "not enough memory" error.
"""
import argparse, os, random, subprocess, sys, tempfile, glob

TOKENS = [b"(", b")", b"{", b"}", b"[", b"]", b"end", b"function", b"local", b"return",
          b"..", b"...", b"=", b"==", b"#", b"-", b"//", b"%", b"<close>", b"<const>",
          b"goto x", b"::x::", b"nil", b"0", b"-1", b"2^63", b"1e308", b"\"", b"'", b"[[",
          b"]]", b"--", b"\\", b"\n", b";", b",", b":", b".", b"coroutine.yield()",
          b"collectgarbage()", b"setmetatable({}, {__index = function(t, k) return t[k] end})",
          b"string.rep('x', 1e9)", b"error()", b"pcall(", b"while true do end", b"f(f)"]

def mutate(src: bytes, rng: random.Random) -> bytes:
    b = bytearray(src)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(4)
        pos = rng.randrange(len(b) + 1)
        if kind == 0 and b:
            del b[pos:pos + rng.randint(1, 8)]
        elif kind == 1:
            b[pos:pos] = rng.choice(TOKENS)
        elif kind == 2 and b:
            start = rng.randrange(len(b))
            chunk = b[start:start + rng.randint(1, 40)]
            b[pos:pos] = chunk
        elif b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
    return bytes(b)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=5.0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    progs = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "tests", "lua", "*.lua")))
    crashes = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.count):
            src = open(rng.choice(progs), "rb").read()
            path = os.path.join(tmp, f"m{i}.lua")
            with open(path, "wb") as f:
                f.write(mutate(src, rng))
            # The JIT at threshold 0 (compiled before any feedback) and 5 (speculating).
            for engine, threshold in (("stack", "0"), ("register", "0"), ("jit", "0"),
                                      ("jit", "5")):
                cmd = [args.binary, "--engine", engine, "--jit-threshold", threshold,
                       "--memory-limit", "512000000", path]
                try:
                    r = subprocess.run(cmd, capture_output=True, timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    continue
                err = r.stderr.decode("utf-8", "replace")
                if r.returncode < 0 or r.returncode not in (0, 1) or "panicked" in err:
                    crashes += 1
                    keep = os.path.join(os.getcwd(),
                                        f"crash-{args.seed}-{i}-{engine}{threshold}.lua")
                    with open(keep, "wb") as f:
                        f.write(open(path, "rb").read())
                    print(f"CRASH {engine} exit={r.returncode} kept {keep}: {err.strip()[:200]}")
    print(f"{args.count} mutants x 4 configurations: {crashes} crashes")
    sys.exit(1 if crashes else 0)

if __name__ == "__main__":
    main()
