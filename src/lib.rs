//! `ac`: the ACP upgrade CLI (`ac adm upgrade`), and `ac-sim`, a local ACP platform.
//!
//! Layers: [`cli`] (clap tree) → [`commands`] (one module per command) → [`domain`] (pure
//! logic) / [`access`] (kubeconfig, client, API calls, error mapping) / [`render`] (text and
//! `-o json|yaml`). [`sim`] is the loopback ACP API server shared by `ac-sim` and the tests.

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
pub mod sim;
