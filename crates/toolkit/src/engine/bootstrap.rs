//! The bootstrap stack as the engine deploys it: the template `synth` builds, checks and
//! writes ([`crate::bootstrap`]), byte for byte.
use crate::app::Stage;

pub use crate::bootstrap::{stack_name, ASSET_EXPIRY_DAYS, BUCKET_LOGICAL_ID};

pub fn template_json(stage: Stage) -> String {
    crate::bootstrap::stack(stage).template_json
}
