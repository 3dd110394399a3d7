-- obj:m(args) passes obj as self; function t:m() declares it.
local account = {balance = 0}
function account:deposit(v) self.balance = self.balance + v; return self end
function account.withdraw(self, v) self.balance = self.balance - v; return self end
account:deposit(100):withdraw(30):deposit(5)
print(account.balance)
local other = {balance = 1, deposit = account.deposit}
other:deposit(9)
print(other.balance, account.balance)
local obj = {name = "o", greet = function(self, g) return g .. ", " .. self.name end}
print(obj:greet("hi"), obj.greet(obj, "hey"), obj.greet({name = "x"}, "yo"))
local nested = {inner = {v = 3}}
function nested.inner:get() return self.v end
function nested.inner.twice(n) return n * 2 end
print(nested.inner:get(), nested.inner.twice(4))
local s = "abc"
print(s:upper(), ("x"):rep(3))
