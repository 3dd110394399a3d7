-- helper: a module that returns nothing
nothing_loaded = (nothing_loaded or 0) + 1
