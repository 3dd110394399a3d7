pub mod format;
pub mod lpattern;
pub mod table;
