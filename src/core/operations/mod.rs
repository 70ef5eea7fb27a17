//! The Azure DevOps REST operations and the scopes each needs: which scopes allow a call
//! ([`required_scopes`]), and the fewest catalog scopes that allow a list of calls
//! ([`minimal_scopes`]).
//!
//! Source: MicrosoftDocs/vsts-rest-api-specs 7.1, each operation's OAuth scopes, generated into
//! `data.rs` by `scripts/gen-ado-operations.py`. Where an operation lists several scopes, any one
//! of them grants it (the REST reference's reading, not OpenAPI's all-of), and every scope that
//! includes one of them does too (the catalog's includes graph). Only the consent module uses
//! this table: the sign-in modules never reference it, so their wasm never carries it.

mod data;
mod host;
mod minimal;
mod resolve;
mod table;

pub use minimal::{minimal_scopes, Minimal, MAX_CALLS};
pub use resolve::{parse_call, required_scopes, Required};
pub use table::{examples, Operation, OPERATION_COUNT};
