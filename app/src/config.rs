//! Environment configuration and AWS client construction.
/// Settings every function receives from its stack.
#[derive(Debug, Clone)]
pub struct Config {
    pub table_name: String,
    pub bucket_name: String,
    pub stage: String,
}

pub fn required_env(name: &str) -> Result<String, String> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(format!("environment variable {name} is not set")),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        Ok(Config {
            table_name: required_env("TABLE_NAME")?,
            bucket_name: required_env("BUCKET_NAME")?,
            stage: std::env::var("STAGE").unwrap_or_else(|_| "dev".into()),
        })
    }
}

/// All AWS clients a function may need, built from one shared SDK config.
#[derive(Clone)]
pub struct Clients {
    pub ddb: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
    pub cognito: aws_sdk_cognitoidentityprovider::Client,
}

/// Loads the standard credential/region chain. `AWS_ENDPOINT_URL` (set only for the
/// local emulator) also switches S3 to path-style addressing, which emulators need.
pub async fn clients() -> Clients {
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .load()
        .await;
    let path_style = std::env::var_os("AWS_ENDPOINT_URL").is_some();
    let s3_conf = aws_sdk_s3::config::Builder::from(&sdk)
        .force_path_style(path_style)
        .build();
    Clients {
        ddb: aws_sdk_dynamodb::Client::new(&sdk),
        s3: aws_sdk_s3::Client::from_conf(s3_conf),
        cognito: aws_sdk_cognitoidentityprovider::Client::new(&sdk),
    }
}

/// Clients for a local emulator at `endpoint` (tests and the dev server): fixed dummy
/// credentials and region, so nothing depends on the developer's AWS profile.
pub async fn emulator_clients(endpoint: &str) -> Clients {
    let creds = aws_sdk_dynamodb::config::Credentials::new("test", "test", None, None, "emulator");
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(creds)
        .load()
        .await;
    let s3_conf = aws_sdk_s3::config::Builder::from(&sdk)
        .force_path_style(true)
        .build();
    Clients {
        ddb: aws_sdk_dynamodb::Client::new(&sdk),
        s3: aws_sdk_s3::Client::from_conf(s3_conf),
        cognito: aws_sdk_cognitoidentityprovider::Client::new(&sdk),
    }
}
