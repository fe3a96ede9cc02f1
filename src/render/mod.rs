//! Text tables and machine output.

pub mod fleet;
pub mod status;
pub mod table;
