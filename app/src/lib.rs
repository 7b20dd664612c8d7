//! Shared code of the BubbleBatch Lambda functions: the axum router built from the
//! app↔infra contract (`bubblebatch-contract`), validation, the DynamoDB/S3 data layer
//! and every route's handler. Each binary in `src/bin` is a thin adapter that serves
//! one function's routes.
pub mod app;
pub mod config;
pub mod csv_export;
pub mod devsetup;
pub mod error;
pub mod handlers;
pub mod http;
pub mod identity;
pub mod jwt;
pub mod keys;
pub mod lambda;
pub mod model;
pub mod ops;
pub mod photos;
pub mod processor;
pub mod signin;
pub mod store;
pub mod suggest;
pub mod validate;

pub use app::App;
pub use contract;
