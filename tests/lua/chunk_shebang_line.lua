#!/usr/bin/env lua5.4
-- A first line starting with # is skipped by the standalone interpreter.
print("after shebang")
