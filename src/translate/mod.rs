//! Stack bytecode to register code.
