//! What a stack becomes: the exact template bytes plus what a deploy needs to know.

/// One stack of a stage, ready to deploy: the exact bytes written to
/// `stacks/<stage>/<Stack>.json` plus what the deploy engine needs to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthesizedStack {
    /// File stem and display name: Auth, Data, Api, Scheduler, Monitoring.
    pub name: String,
    /// CloudFormation stack name, e.g. `bubblebatch-dev-api`.
    pub stack_name: String,
    pub template_json: String,
    /// CloudFormation stack names that must be deployed before this one.
    pub depends_on: Vec<String>,
    /// Template parameters without a default that carry Lambda code locations.
    pub lambda_code: Vec<LambdaCode>,
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
