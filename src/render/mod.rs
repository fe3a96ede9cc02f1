//! Text tables and machine output.
