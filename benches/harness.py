#!/usr/bin/env python3
"""Runs the benches/*.lua programs on apogee's engines and on reference Lua implementations.

Engines: apogee `--engine stack`, `--engine register`, `--engine jit`, plus `lua5.4` and
`luajit` when they are on PATH. Every benchmark runs --runs times per engine; within each
round the engines are interleaved (and their order rotated from round to round) so that a
noisy, shared machine penalises all engines alike. Each run's stdout must equal lua5.4's
(or, without lua5.4, the first engine's); mismatches and failures are flagged and make the
harness exit with status 1.

It builds nothing: build first with `cargo build --release`. Python 3 standard library only.
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))

# (our engine name, CLI flags) in display order.
OUR_ENGINES = [
    ("stack", ["--engine", "stack"]),
    ("register", ["--engine", "register"]),
    ("jit", ["--engine", "jit"]),
]
EXTERNAL_ENGINES = ["lua5.4", "luajit"]

# Ratios printed in the table: (label, numerator engine, denominator engine).
# A ratio above 1 means the denominator engine is faster.
RATIOS = [
    ("stack/register", "stack", "register"),
    ("register/jit", "register", "jit"),
    ("lua5.4/register", "lua5.4", "register"),
    ("lua5.4/jit", "lua5.4", "jit"),
    ("luajit/jit", "luajit", "jit"),
]


def discover_benches():
    names = [f[:-4] for f in os.listdir(BENCH_DIR) if f.endswith(".lua")]
    return sorted(names)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("binary", nargs="?", default="target/release/apogee",
                   help="path of the apogee binary (default: target/release/apogee)")
    p.add_argument("--runs", type=int, default=5, help="runs per benchmark and engine (default 5)")
    p.add_argument("--bench", action="append", default=[],
                   help="run only benchmarks whose name contains this (repeatable)")
    p.add_argument("--size", help="size argument passed to every benchmark as arg[1]")
    p.add_argument("--json", metavar="FILE", help="write the raw results as JSON to FILE")
    p.add_argument("--engines",
                   help="comma-separated subset of: stack,register,jit,lua5.4,luajit "
                        "(default: all that are available)")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds before a run is killed (default 300)")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


def select_engines(args):
    """Returns [(name, argv prefix)] for the engines to run, or exits with a message."""
    wanted = None
    if args.engines:
        wanted = [e.strip() for e in args.engines.split(",") if e.strip()]
        known = [n for n, _ in OUR_ENGINES] + EXTERNAL_ENGINES
        for e in wanted:
            if e not in known:
                sys.exit(f"harness: unknown engine {e!r}; known: {', '.join(known)}")
    engines = []
    ours = [(n, f) for n, f in OUR_ENGINES if wanted is None or n in wanted]
    if ours:
        binary = os.path.abspath(args.binary)
        if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
            sys.exit(f"harness: apogee binary not found at {binary} (build it with "
                     "`cargo build --release`, pass its path, or use --engines lua5.4,luajit)")
        engines += [(n, [binary] + f) for n, f in ours]
    for name in EXTERNAL_ENGINES:
        if wanted is not None and name not in wanted:
            continue
        path = shutil.which(name)
        if path:
            engines.append((name, [path]))
        elif wanted is not None:
            print(f"harness: {name} requested but not on PATH; skipping it", file=sys.stderr)
    if not engines:
        sys.exit("harness: no engines to run")
    return engines


def run_once(cmd, timeout):
    """Runs cmd; returns (seconds, stdout, error or None)."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=BENCH_DIR, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, "", f"timed out after {timeout:g} s"
    except OSError as e:
        return 0.0, "", f"cannot run: {e}"
    elapsed = time.perf_counter() - start
    out = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        first = err[0] if err else ""
        return elapsed, out, f"exit status {proc.returncode}: {first}"
    return elapsed, out, None


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def fmt_time(t):
    return "-" if t is None else f"{t:.3f}"


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}x"


def main(argv):
    args = parse_args(argv)
    benches = discover_benches()
    if args.bench:
        benches = [b for b in benches if any(f in b for f in args.bench)]
    if not benches:
        sys.exit("harness: no benchmarks selected")
    engines = select_engines(args)
    names = [n for n, _ in engines]
    extra = [args.size] if args.size is not None else []

    results = {b: {n: {"times": [], "outputs": [], "errors": []} for n in names} for b in benches}
    for rnd in range(args.runs):
        for bench in benches:
            script = os.path.join(BENCH_DIR, bench + ".lua")
            # Rotate the engine order every round so no engine always runs first or last.
            order = engines[rnd % len(engines):] + engines[:rnd % len(engines)]
            for name, prefix in order:
                secs, out, err = run_once(prefix + [script] + extra, args.timeout)
                rec = results[bench][name]
                rec["outputs"].append(out)
                if err:
                    rec["errors"].append(err)
                else:
                    rec["times"].append(secs)
                status = "FAILED" if err else f"{secs:.3f}s"
                print(f"[round {rnd + 1}/{args.runs}] {bench:<14} {name:<9} {status}", file=sys.stderr)

    problems = []
    summary = {}
    for bench in benches:
        ref_engine = "lua5.4" if "lua5.4" in names else names[0]
        ref_outputs = [o for o in results[bench][ref_engine]["outputs"]]
        reference = ref_outputs[0] if ref_outputs else ""
        summary[bench] = {}
        for name in names:
            rec = results[bench][name]
            mismatches = sum(1 for o in rec["outputs"] if o != reference)
            for e in sorted(set(rec["errors"])):
                problems.append(f"{bench} [{name}]: {e}")
            if mismatches:
                got = next(o for o in rec["outputs"] if o != reference)
                problems.append(f"{bench} [{name}]: stdout differs from {ref_engine} in {mismatches} run(s): "
                                f"expected {reference.strip()[:120]!r}, got {got.strip()[:120]!r}")
            median = statistics.median(rec["times"]) if rec["times"] and not rec["errors"] else None
            summary[bench][name] = {
                "median": median,
                "times": rec["times"],
                "ok": not rec["errors"] and mismatches == 0,
                "errors": rec["errors"],
                "stdout": rec["outputs"][0] if rec["outputs"] else "",
            }

    # The table: median seconds per engine, then ratios of medians.
    ratio_cols = [(label, a, b) for label, a, b in RATIOS if a in names and b in names]
    header = ["benchmark"] + names + [label for label, _, _ in ratio_cols]
    rows = []
    ratio_values = {label: [] for label, _, _ in ratio_cols}
    for bench in benches:
        row = [bench]
        for name in names:
            cell = fmt_time(summary[bench][name]["median"])
            if not summary[bench][name]["ok"] and summary[bench][name]["median"] is not None:
                cell += "!"
            row.append(cell)
        for label, a, b in ratio_cols:
            ta, tb = summary[bench][a]["median"], summary[bench][b]["median"]
            r = ta / tb if ta is not None and tb else None
            ratio_values[label].append(r)
            summary[bench].setdefault("ratios", {})[label] = r
            row.append(fmt_ratio(r))
        rows.append(row)
    geo_row = ["geomean"]
    geo_times = {}
    for name in names:
        g = geomean([summary[b][name]["median"] for b in benches])
        geo_times[name] = g
        geo_row.append(fmt_time(g))
    geo_ratios = {}
    for label, _, _ in ratio_cols:
        g = geomean(ratio_values[label])
        geo_ratios[label] = g
        geo_row.append(fmt_ratio(g))
    rows.append(geo_row)

    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda cells: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    print(f"median wall time in seconds over {args.runs} run(s); ratio a/b > 1 means b is faster"
          + (f"; size {args.size}" if args.size is not None else ""))
    print(line(header))
    print(line(["-" * w for w in widths]))
    for r in rows[:-1]:
        print(line(r))
    print(line(["-" * w for w in widths]))
    print(line(rows[-1]))

    if problems:
        print("\nPROBLEMS (a '!' in the table marks a mismatching output):")
        for p in problems:
            print("  " + p)

    if args.json:
        doc = {
            "binary": os.path.abspath(args.binary),
            "runs": args.runs,
            "size": args.size,
            "engines": {n: prefix for n, prefix in engines},
            "benchmarks": summary,
            "geomean": {"times": geo_times, "ratios": geo_ratios},
            "problems": problems,
        }
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
