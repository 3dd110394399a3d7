-- A block closed by the wrong keyword reports where it was opened.
while true do
  print(1)

until false
