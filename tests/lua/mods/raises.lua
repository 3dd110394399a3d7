-- helper: a module that fails while loading, until told not to
raises_attempts = (raises_attempts or 0) + 1
if not raises_ok then error("module refused to load") end
return "loaded after " .. raises_attempts
