//! Tokens of Lua 5.4 and their display forms in error messages.
//!
//! Two display forms exist, as in `llex.c`: [`Tok::describe`] names a token kind in
//! "X expected" messages (`'end'`, `<name>`, `<eof>`), and [`Token::near`] shows the token
//! actually read in "near X" (`'foo'`, `'"abc"'`, `<eof>`).

/// A token kind, with its value for names, strings and numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    // Reserved words, in `llex.c` order.
    And,
    Break,
    Do,
    Else,
    Elseif,
    End,
    False,
    For,
    Function,
    Goto,
    If,
    In,
    Local,
    Nil,
    Not,
    Or,
    Repeat,
    Return,
    Then,
    True,
    Until,
    While,
    // Multi-character operators.
    /// `//`
    IDiv,
    /// `..`
    Concat,
    /// `...`
    Dots,
    /// `==`
    Eq,
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `~=`
    Ne,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `::`
    DbColon,
    /// End of the source.
    Eos,
    /// A float literal.
    Float(f64),
    /// An integer literal.
    Int(i64),
    /// A name (identifier); always ASCII.
    Name(String),
    /// A string literal, escapes already processed.
    Str(Vec<u8>),
    /// Any single-byte token: `+ - * / % ^ # & ~ | < > = ( ) { } [ ] ; : , .` or a stray byte.
    Char(u8),
}

/// Reserved words and their tokens.
const RESERVED: [(&str, Tok); 22] = [
    ("and", Tok::And),
    ("break", Tok::Break),
    ("do", Tok::Do),
    ("else", Tok::Else),
    ("elseif", Tok::Elseif),
    ("end", Tok::End),
    ("false", Tok::False),
    ("for", Tok::For),
    ("function", Tok::Function),
    ("goto", Tok::Goto),
    ("if", Tok::If),
    ("in", Tok::In),
    ("local", Tok::Local),
    ("nil", Tok::Nil),
    ("not", Tok::Not),
    ("or", Tok::Or),
    ("repeat", Tok::Repeat),
    ("return", Tok::Return),
    ("then", Tok::Then),
    ("true", Tok::True),
    ("until", Tok::Until),
    ("while", Tok::While),
];

/// The reserved-word token spelled `name`, if it is one.
pub fn reserved(name: &[u8]) -> Option<Tok> {
    RESERVED
        .iter()
        .find(|(s, _)| s.as_bytes() == name)
        .map(|(_, t)| t.clone())
}

impl Tok {
    /// The fixed spelling of a reserved word or multi-character operator.
    fn spelling(&self) -> Option<&'static str> {
        if let Some((s, _)) = RESERVED.iter().find(|(_, t)| t == self) {
            return Some(s);
        }
        Some(match self {
            Tok::IDiv => "//",
            Tok::Concat => "..",
            Tok::Dots => "...",
            Tok::Eq => "==",
            Tok::Ge => ">=",
            Tok::Le => "<=",
            Tok::Ne => "~=",
            Tok::Shl => "<<",
            Tok::Shr => ">>",
            Tok::DbColon => "::",
            _ => return None,
        })
    }

    /// The token kind as `luaX_token2str` names it (used in "X expected").
    pub fn describe(&self) -> String {
        match self {
            Tok::Char(c) => char_token(*c),
            Tok::Eos => "<eof>".to_string(),
            Tok::Float(_) => "<number>".to_string(),
            Tok::Int(_) => "<integer>".to_string(),
            Tok::Name(_) => "<name>".to_string(),
            Tok::Str(_) => "<string>".to_string(),
            other => format!("'{}'", other.spelling().unwrap_or("?")),
        }
    }
}

/// A single-byte token as Lua shows it: `'c'` when printable, else `'<\N>'`.
pub fn char_token(c: u8) -> String {
    if (0x20..0x7f).contains(&c) {
        format!("'{}'", c as char)
    } else {
        format!("'<\\{}>'", c)
    }
}

/// A token with the line the lexer had reached after reading it, and for names,
/// strings and numerals the raw text Lua shows in "near" messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    /// `ls->linenumber` right after this token was read (its last line).
    pub line: u32,
    /// For names, strings (with delimiters) and numerals: the lexer buffer's text.
    pub raw: Vec<u8>,
}

impl Token {
    /// The token as shown after "near" (`txtToken` in `llex.c`).
    pub fn near(&self) -> String {
        match self.tok {
            Tok::Name(_) | Tok::Str(_) | Tok::Int(_) | Tok::Float(_) => {
                format!("'{}'", show_c_string(&self.raw))
            }
            _ => self.tok.describe(),
        }
    }
}

/// Bytes as C's `%s` prints them: up to the first NUL byte.
pub fn show_c_string(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}
