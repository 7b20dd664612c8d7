//! AWS SDK configuration: the standard chain (env, profiles, SSO, IMDS), `--profile`,
//! `--region`, and `AWS_ENDPOINT_URL` (read by aws-config itself).
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use crate::app::Stage;

/// The SDK crates behind [`Clients`], for callers that need their types (tests, tools).
pub mod sdk {
    pub use aws_sdk_apigatewayv2 as apigatewayv2;
    pub use aws_sdk_cloudwatch as cloudwatch;
    pub use aws_sdk_iam as iam;
    pub use aws_sdk_ssm as ssm;
}

/// Where the SDK looks for credentials and region, besides its standard chain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsOptions {
    /// Named profile from ~/.aws/config.
    pub profile: Option<String>,
    pub region: Option<String>,
    /// The role CloudFormation executes change sets and deletions with (the Delivery
    /// stack's execution role); `None`: the caller's own credentials.
    pub cfn_role_arn: Option<String>,
}

pub struct Clients {
    pub cfn: aws_sdk_cloudformation::Client,
    pub s3: aws_sdk_s3::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub ssm: aws_sdk_ssm::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub apigateway: aws_sdk_apigatewayv2::Client,
    pub iam: aws_sdk_iam::Client,
    pub budgets: aws_sdk_budgets::Client,
    /// Where API calls go when not AWS (`AWS_ENDPOINT_URL`, or the test emulator).
    pub endpoint: Option<String>,
    pub region: String,
    /// Talking to a local emulator (fast polling).
    pub local: bool,
    /// See [`AwsOptions::cfn_role_arn`].
    pub cfn_role_arn: Option<String>,
}

pub async fn sdk_config(aws: &AwsOptions, stage: Option<Stage>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(4));
    if let Some(profile) = &aws.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &aws.region {
        loader = loader.region(Region::new(region.clone()));
    }
    let config = loader.load().await;
    if config.region().is_none() {
        // Neither flag, env nor profile: the stage's home region.
        let region = stage.map(|s| s.region).unwrap_or("us-east-1");
        return config.into_builder().region(Region::new(region)).build();
    }
    config
}

impl Clients {
    pub async fn new(aws: &AwsOptions, stage: Stage) -> Clients {
        let config = sdk_config(aws, Some(stage)).await;
        // Path-style S3 addressing keeps bucket names out of hostnames (emulators).
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(std::env::var_os("AWS_ENDPOINT_URL").is_some())
            .build();
        Clients {
            region: config.region().map(|r| r.to_string()).unwrap_or_default(),
            cfn: aws_sdk_cloudformation::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            lambda: aws_sdk_lambda::Client::new(&config),
            ssm: aws_sdk_ssm::Client::new(&config),
            cloudwatch: aws_sdk_cloudwatch::Client::new(&config),
            apigateway: aws_sdk_apigatewayv2::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            budgets: aws_sdk_budgets::Client::new(&config),
            endpoint: std::env::var("AWS_ENDPOINT_URL").ok(),
            local: std::env::var_os("AWS_ENDPOINT_URL").is_some(),
            cfn_role_arn: aws.cfn_role_arn.clone(),
        }
    }

    /// Clients for an emulator at `endpoint` (tests): static test credentials, us-east-1,
    /// no shared config files or environment read.
    pub async fn for_endpoint(endpoint: &str) -> Clients {
        let creds =
            aws_sdk_cloudformation::config::Credentials::new("test", "test", None, None, "static");
        let config = aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(endpoint)
            .region(Region::new("us-east-1"))
            .credentials_provider(creds)
            .retry_config(RetryConfig::standard().with_max_attempts(4))
            .load()
            .await;
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build();
        Clients {
            region: "us-east-1".into(),
            cfn: aws_sdk_cloudformation::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            lambda: aws_sdk_lambda::Client::new(&config),
            ssm: aws_sdk_ssm::Client::new(&config),
            cloudwatch: aws_sdk_cloudwatch::Client::new(&config),
            apigateway: aws_sdk_apigatewayv2::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            budgets: aws_sdk_budgets::Client::new(&config),
            endpoint: Some(endpoint.to_string()),
            local: true,
            cfn_role_arn: None,
        }
    }
}

/// Whether the credential chain yields credentials within a few seconds.
pub fn has_credentials(aws: &AwsOptions) -> bool {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return false;
    };
    rt.block_on(async {
        let config = sdk_config(aws, None).await;
        let Some(provider) = config.credentials_provider() else {
            return false;
        };
        use aws_sdk_cloudformation::config::ProvideCredentials as _;
        tokio::time::timeout(Duration::from_secs(5), provider.provide_credentials())
            .await
            .map(|r| r.is_ok())
            .unwrap_or(false)
    })
}
