//! Shared code of the BubbleBatch Lambda handlers: request/response model, routing,
//! validation, the DynamoDB/S3 data layer and every route's handler. Each binary in
//! `src/bin` is a thin adapter that serves one handler group.
pub mod app;
pub mod config;
pub mod csv_export;
pub mod devsetup;
pub mod handlers;
pub mod identity;
pub mod jwt;
pub mod keys;
pub mod lambda;
pub mod model;
pub mod photos;
pub mod processor;
pub mod request;
pub mod response;
pub mod routes;
pub mod signin;
pub mod store;
pub mod suggest;
pub mod validate;

pub use app::App;
