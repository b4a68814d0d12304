//! dayone: scaffold a machine-learning project that works on day one, then keep it on track.
//!
//! The binary is a thin shell over [`app::main`]. `docs/architecture.md` draws the layers and
//! says what each module owns.

pub mod answers;
pub mod app;
pub mod check;
pub mod cli;
pub mod commands;
pub mod disk;
pub mod error;
pub mod git;
pub mod plan;
pub mod plural;
pub mod printer;
pub mod project;
pub mod prompt;
pub mod render;
pub mod report;
pub mod template;
pub mod value;
pub mod write;
