//! The one place where the BubbleBatch app and its infrastructure agree on what each
//! Lambda function is: the HTTP routes it serves (method, path, authentication), the
//! environment variables it reads and the AWS actions its code calls, with their
//! resource scope.
//!
//! Both sides derive from it: `app` builds its axum router from [`ROUTES`] and reads
//! exactly [`Function::env`] at start-up; `infra` declares the API routes, every
//! function's environment and its IAM grants from the same tables. What cannot be
//! derived (the OpenAPI document, the synthesized templates) is compared with it by
//! tests through [`check`], so a route, variable or permission present on one side
//! only fails a test.
//!
//! Plain data and enums, no dependencies: infra's synth stays SDK-free.
pub mod check;
mod env;
mod functions;
mod permissions;
mod routes;

pub use env::EnvVar;
pub use functions::{Function, Trigger};
pub use permissions::{Cognito, DynamoDb, Permission, Scope, GSI1, PHOTOS_PREFIX, S3};
pub use routes::{Auth, Method, Route, RouteId, ROUTES};
