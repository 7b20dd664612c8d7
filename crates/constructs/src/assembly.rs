//! What a stack becomes: the exact template bytes plus what a deploy needs to know.
use serde_json::Value;
use std::sync::Arc;

/// One stack of a stage, ready to deploy: the exact bytes written to
/// `stacks/<stage>/<Stack>.json` plus what the deploy engine needs to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthesizedStack {
    /// File stem and display name: Auth, Data, Api, Scheduler, Monitoring.
    pub name: String,
    /// CloudFormation stack name, e.g. `bubblebatch-dev-api`.
    pub stack_name: String,
    /// The canonical text of `template`: what is written to disk and sent to CloudFormation.
    /// Change both through [`SynthesizedStack::set_template`].
    pub template_json: String,
    /// The same template as a value, built once from the typed model: policies, limits,
    /// reports and the engine read it instead of parsing `template_json` again (parsing
    /// was half of the policy check of a 1,000-function app). Shared, as stacks are cloned.
    pub template: Arc<Value>,
    /// CloudFormation stack names that must be deployed before this one.
    pub depends_on: Vec<String>,
    /// Template parameters without a default that carry Lambda code locations.
    pub lambda_code: Vec<LambdaCode>,
}

impl SynthesizedStack {
    /// A stack whose template is `template` (keys in any order): the text is its canonical
    /// rendering, so value and text always agree.
    pub fn new(name: &str, stack_name: &str, template: Value) -> SynthesizedStack {
        let mut stack = SynthesizedStack {
            name: name.to_string(),
            stack_name: stack_name.to_string(),
            template_json: String::new(),
            template: Arc::new(Value::Null),
            depends_on: Vec::new(),
            lambda_code: Vec::new(),
        };
        stack.set_template(template);
        stack
    }

    /// Replaces the template, value and text together (tools and tests that edit one).
    pub fn set_template(&mut self, template: Value) {
        let sorted = cfn_core::canonical::sort_keys(template);
        self.template_json = cfn_core::canonical::sorted_to_string(&sorted);
        self.template = Arc::new(sorted);
    }

    /// The template's `Resources` object (empty when it has none).
    pub fn resources(&self) -> &serde_json::Map<String, Value> {
        static NONE: std::sync::OnceLock<serde_json::Map<String, Value>> =
            std::sync::OnceLock::new();
        self.template
            .get("Resources")
            .and_then(Value::as_object)
            .unwrap_or_else(|| NONE.get_or_init(serde_json::Map::new))
    }
}
/// A Lambda function whose code enters the template at deploy time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LambdaCode {
    /// The app binary (cargo-lambda output `target/lambda/<binary>/bootstrap.zip`).
    pub binary: String,
    /// Physical function name, for hotswap (`UpdateFunctionCode`).
    pub function_name: String,
    /// Template parameter that takes the S3 key of the zip.
    pub key_parameter: String,
}

/// Template parameter of every stack with Lambda code: the assets bucket name.
pub const ASSETS_BUCKET_PARAMETER: &str = "AssetsBucket";
