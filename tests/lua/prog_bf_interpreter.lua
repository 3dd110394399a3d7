-- A tiny Brainfuck interpreter (tables for tape and bracket map, byte/sub for code).
local function run(code, input)
  local jump, stack = {}, {}
  for i = 1, #code do
    local c = code:sub(i, i)
    if c == "[" then stack[#stack + 1] = i
    elseif c == "]" then
      local open = stack[#stack]
      if not open then error("unbalanced ] at " .. i, 0) end
      stack[#stack] = nil
      jump[open], jump[i] = i, open
    end
  end
  if #stack > 0 then error("unbalanced [ at " .. stack[#stack], 0) end
  local tape, ptr, pc, out, inpos = {}, 1, 1, "", 1
  local steps = 0
  while pc <= #code do
    local b = code:byte(pc)
    steps = steps + 1
    if b == 43 then tape[ptr] = ((tape[ptr] or 0) + 1) % 256
    elseif b == 45 then tape[ptr] = ((tape[ptr] or 0) - 1) % 256
    elseif b == 62 then ptr = ptr + 1
    elseif b == 60 then ptr = ptr - 1
    elseif b == 46 then out = out .. string.char(tape[ptr] or 0)
    elseif b == 44 then tape[ptr] = input:byte(inpos) or 0; inpos = inpos + 1
    elseif b == 91 and (tape[ptr] or 0) == 0 then pc = jump[pc]
    elseif b == 93 and (tape[ptr] or 0) ~= 0 then pc = jump[pc]
    end
    pc = pc + 1
  end
  return out, steps
end
-- prints "Hi!" built from multiplication loops
local hi = "++++++++[>+++++++++<-]>.<+++++[>++++++<-]>+++.<++++++++[>---------<-]>."
print(run(hi, ""))
-- reverses its input up to a zero byte
print(run(">,[>,]<[.<]", "stressed"))
-- adds two digits
print(run(",>,[<+>-]<------------------------------------------------.", "34"))
print(pcall(run, "[[]", ""))
print(pcall(run, "]", ""))
