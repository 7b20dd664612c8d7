//! The toolkit: synth (limits, files, reports), policies, plans and diffs, and the deploy
//! engine (feature `aws`). It knows no app: an [`App`] hands it stages and stacks.
pub mod app;
pub mod bootstrap;
pub mod conformance;
pub mod cost;
pub mod declared;
pub mod delivery_audit;
pub mod dev;
pub mod diagram;
pub mod diff;
#[cfg(feature = "aws")]
pub mod engine;
pub mod policy;
pub mod synth;

pub use app::{App, SmokeUser, Stage, UnknownStage};
