//! Pure domain logic: no I/O, unit-tested.

pub mod assess;
pub mod cvsh;
pub mod plan;
pub mod precheck;
pub mod version;
