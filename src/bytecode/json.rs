//! The JSON form of stack bytecode, for compilers written in other languages.
//!
//! The document is an object `{"format": "apogee-stack-bytecode", "version": 1,
//! "chunkname": ..., "main": proc}`; a proc and its fields mirror [`Proto`] field for field,
//! instructions are `{"Mnemonic": {operands}}`. The shape is documented with an example in
//! `docs/stack-bytecode.md`. Unknown fields are rejected, so a typo in a producer is an
//! error rather than a silently missing field. Like the binary form, a module read here
//! must pass [`verify`](super::verify::verify) before it runs.
//!
//! Nesting: serde_json refuses documents nested deeper than 128 levels, and each level of
//! function nesting costs two, so JSON modules carry procs nested up to about 60 deep
//! (the binary form allows [`MAX_NESTING`](super::verify::MAX_NESTING)).

use super::proto::{Module, Proto};
use crate::runtime::error::StaticError;
use serde::{Deserialize, Serialize};

/// The value of the document's `format` field.
pub const JSON_FORMAT: &str = "apogee-stack-bytecode";
/// The JSON form's version (the same numbering as the binary form).
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct DocOut<'a> {
    format: &'a str,
    version: u32,
    chunkname: &'a str,
    main: &'a Proto,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocIn {
    format: String,
    version: u32,
    chunkname: String,
    main: Proto,
}

/// Serialises a module as pretty-printed JSON.
pub fn write_json(m: &Module) -> String {
    let doc = DocOut {
        format: JSON_FORMAT,
        version: JSON_VERSION,
        chunkname: &m.chunkname,
        main: &m.main,
    };
    // Serialising these plain data types cannot fail: every map key is a string and
    // non-finite floats are written as strings by `serde_float`.
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("\"serialisation error: {e}\""))
}

/// Parses the JSON form. The result still has to pass [`verify`](super::verify::verify).
pub fn read_json(text: &str) -> Result<Module, StaticError> {
    let doc: DocIn =
        serde_json::from_str(text).map_err(|e| StaticError(format!("bad JSON bytecode: {e}")))?;
    if doc.format != JSON_FORMAT {
        return Err(StaticError(format!(
            "bad JSON bytecode: format is \"{}\", expected \"{JSON_FORMAT}\"",
            doc.format
        )));
    }
    if doc.version != JSON_VERSION {
        return Err(StaticError(format!(
            "bad JSON bytecode: unsupported version {} (this build reads version {JSON_VERSION})",
            doc.version
        )));
    }
    Ok(Module {
        chunkname: doc.chunkname,
        main: doc.main,
    })
}

/// Serde helper for float constants: finite values as JSON numbers (serde_json writes the
/// shortest text that reads back to the same bits), the others as the strings `"inf"`,
/// `"-inf"`, `"nan"`, `"-nan"`, since JSON numbers cannot express them. A NaN keeps its
/// sign (Lua prints `nan` and `-nan` differently) but not its payload.
pub mod serde_float {
    use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Num(f64),
        Text(String),
    }

    pub fn serialize<S: Serializer>(f: &f64, s: S) -> Result<S::Ok, S::Error> {
        if f.is_finite() {
            f.serialize(s)
        } else {
            let text = match (f.is_nan(), f.is_sign_negative()) {
                (true, false) => "nan",
                (true, true) => "-nan",
                (false, false) => "inf",
                (false, true) => "-inf",
            };
            text.serialize(s)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        match Repr::deserialize(d)? {
            Repr::Num(f) => Ok(f),
            Repr::Text(t) => match t.as_str() {
                "inf" => Ok(f64::INFINITY),
                "-inf" => Ok(f64::NEG_INFINITY),
                "nan" => Ok(f64::NAN),
                "-nan" => Ok(-f64::NAN),
                _ => Err(D::Error::custom(format!(
                    "float constant must be a number, \"inf\", \"-inf\", \"nan\" or \"-nan\", \
                     not \"{t}\""
                ))),
            },
        }
    }
}
