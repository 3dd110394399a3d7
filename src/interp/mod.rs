//! The register interpreter.
