//! One integration test binary: the fake node's protocol, the client, the cache and the CLI.
#![allow(clippy::unwrap_used, clippy::pedantic)]

mod accounts;
mod background;
mod cache_commands;
mod cache_disk;
mod cache_swr;
mod changes;
mod cli;
mod cli_input;
mod cli_integrity;
mod client_faults;
mod client_reads;
mod e2e;
mod e2e_views;
mod export_words;
mod fake_pools;
mod fake_protocol;
mod fault_table;
mod install;
mod list_integrity;
mod partial_failure;
mod pools;
mod recovery;
mod shared;
mod support;
