#!/usr/bin/env lua5.4
return "skipped the first line", type(print)
