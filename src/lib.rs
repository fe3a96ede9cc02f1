//! `ac`: the ACP upgrade CLI (`ac adm upgrade`).
//!
//! Layers: [`cli`] (clap tree) → [`commands`] (one module per command) → [`domain`] (pure
//! logic) / [`access`] (kubeconfig, client, API calls, error mapping) / [`render`] (text and
//! `-o json|yaml`). The simulator `ac-sim` (the loopback ACP API server the tests run
//! against) is its own crate, `crates/ac-sim`, a dev-dependency only.

pub mod access;
pub mod assets;
pub mod cli;
pub mod commands;
pub mod complete;
pub mod domain;
pub mod duration;
pub mod error;
pub mod output;
pub mod render;

#[cfg(test)]
mod never_panic_tests;
