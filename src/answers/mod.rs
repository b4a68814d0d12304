//! Answers: where they come from (`--set`, an answers file, the user's config, git config, the
//! terminal), how they are resolved against a manifest, and how a project keeps them
//! (`.dayone.toml`); what cookiecutter and cruft record is read as answers too (`replay.rs`).

pub mod file;
pub mod replay;
pub mod resolve;
pub mod sources;
