pub mod format;
pub mod lpattern;
