//! Pure domain logic: no I/O, unit-tested.

pub mod cvsh;
pub mod version;
