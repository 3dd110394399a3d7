#!/usr/bin/env python3
"""Annotates the machine code of JIT-compiled functions with how often each instruction ran.

    APOGEE_JIT_DUMP=1 valgrind --tool=callgrind --dump-instr=yes \
        --callgrind-out-file=run.cg apogee --jit benches/sieve.lua 300000 2>dump.txt
    python3 benches/jitprof.py run.cg dump.txt > sieve.ann

The dump gives each function's code bytes and address; callgrind gives the count per
address. A `call` line's count includes the callee. Needs `objdump` (binutils).
"""
import sys, re, subprocess, collections
cg, dump = sys.argv[1], sys.argv[2]
lines = open(dump).read().split('\n')
funcs = []
for i, l in enumerate(lines):
    m = re.match(r'=== (\S+) code at (0x[0-9a-f]+), (\d+) bytes', l)
    if m:
        funcs.append((m.group(1), int(m.group(2), 16), int(m.group(3)), bytes.fromhex(lines[i+1])))
counts = collections.Counter()
cur = None
for l in open(cg):
    l = l.rstrip('\n')
    if l.startswith('fn='):
        cur = l
        last = None
        continue
    m = re.match(r'^(0x[0-9a-f]+|\+\d+|-\d+|\*)\s+(\S+)\s+(\d+)$', l)
    if m and cur:
        a = m.group(1)
        if a.startswith('0x'): addr = int(a, 16)
        elif a == '*': addr = last
        else: addr = last + int(a)
        last = addr
        counts[addr] += int(m.group(3))
    elif re.match(r'^(calls|jump|jcnd)', l):
        pass
for name, base, size, code in funcs:
    open('/tmp/jitcode.bin', 'wb').write(code)
    out = subprocess.run(['objdump', '-D', '-b', 'binary', '-m', 'i386:x86-64', '--adjust-vma=%#x' % base, '/tmp/jitcode.bin'], capture_output=True, text=True).stdout
    total = sum(c for a, c in counts.items() if base <= a < base + size)
    print(f'### {name} total {total}')
    for l in out.split('\n'):
        m = re.match(r'\s*([0-9a-f]+):\s', l)
        if m:
            a = int(m.group(1), 16)
            c = counts.get(a, 0)
            print(f'{c:12d} {l}')
