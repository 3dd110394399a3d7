pub mod format;
pub mod lpattern;
pub mod table;
pub mod utf8;
