-- Operator precedence and associativity.
print(1 + 2 * 3, (1 + 2) * 3, 2 * 3 % 4, 2 + 3 // 2)
print(2 ^ 2 ^ 3, -2 ^ 2, not nil == true, not (nil == true))
print(1 .. 2 .. 3, "a" .. "b" == "ab")
print(1 < 2 == true, 1 + 1 == 2 and 3 or 4)
print(10 - 3 - 2, 100 / 10 / 2, 7 // 2 // 2)
print(#"abc" + 1, -#"ab")
print(1 or 2 and nil, nil and 1 or 2)
print(5 - -3, 5 - - -3)
