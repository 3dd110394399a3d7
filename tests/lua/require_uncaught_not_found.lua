-- An uncaught require failure ends the program; the first line names the module.
print("before")
require("definitely_missing_module")
