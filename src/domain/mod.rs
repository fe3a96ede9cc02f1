//! Pure domain logic: no I/O, unit-tested.

pub mod assess;
pub mod cvsh;
pub mod version;
