-- A searcher added by the script takes part in the search.
local seen = {}
table.insert(package.searchers, 1, function(name)
  seen[#seen + 1] = name
  if name:sub(1, 4) == "gen." then
    return function(n, extra) return {n = n, extra = extra} end, "generated"
  end
  return "\n\tno generated module '" .. name .. "'"
end)
local m, extra = require("gen.thing")
print(m.n, m.extra, extra)
print(require("mods.hello").greet("searcher"))
print(table.concat(seen, ","))
-- a searcher returning nothing adds nothing to the message
table.insert(package.searchers, 2, function() end)
local ok, msg = pcall(require, "absent.one")
print(ok, (msg:match("^[^\n]*\n[^\n]*\n[^\n]*")))
-- searchers must be a table
local saved = package.searchers
package.searchers = nil
print(pcall(require, "whatever"))
package.searchers = saved
print(#package.searchers)
