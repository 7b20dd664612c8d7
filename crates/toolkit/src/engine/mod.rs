//! The deploy engine: CloudFormation change sets through the AWS SDK for Rust.
//!
//! - [`cfn`]: the CloudFormation calls as a trait (scriptable in tests) + backoff,
//! - [`sdk`]: that trait over the SDK; [`clients`]: SDK configuration,
//! - [`deploy`]: one stack through a change set, a stage in dependency [`order`],
//! - [`assets`], [`bootstrap`], [`outputs`], [`hotswap`], [`stage_ops`] (diff, destroy, drift),
//! - [`import`]: adopting existing resources through an IMPORT change set,
//! - [`refactor`]: `moved` declarations as a stack refactoring before the change sets,
//! - [`ui`]: messages, progress, questions; [`run`]: stage flows and the CLI entry.
//! - What a deploy verifies (see README): [`alarms`] + [`bake`] (alarms as rollback
//!   triggers), [`verify_routes`], [`verify_permissions`], [`smoke`]; and [`status`].
//!   [`template`] reads the synthesized templates they compare against; [`crate::declared`]
//!   is what the app declares (its contract).
pub mod alarms;
pub mod assets;
pub mod bake;
pub mod bootstrap;
pub mod cfn;
pub mod clients;
pub mod deploy;
pub mod errors;
pub mod hotswap;
pub mod import;
pub mod order;
pub mod outputs;
pub mod refactor;
pub mod run;
pub mod sdk;
pub mod smoke;
pub mod stage_ops;
pub mod status;
pub mod template;
pub mod ui;
pub mod verify;
pub mod verify_permissions;
pub mod verify_routes;
