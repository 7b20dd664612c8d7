//! Environment configuration and AWS client construction.
use std::collections::BTreeMap;

use contract::{EnvVar, Function};

/// The environment of one deployed function: exactly the variables the contract
/// declares for it, each required, so infra (which sets them from the same declaration)
/// and the code cannot disagree about names.
#[derive(Debug, Clone)]
pub struct FunctionEnv {
    function: Function,
    values: BTreeMap<EnvVar, String>,
}

impl FunctionEnv {
    /// Reads the process environment; fails at start-up, naming every missing variable,
    /// instead of serving half-configured.
    pub fn from_env(function: Function) -> Result<FunctionEnv, String> {
        FunctionEnv::read(function, |name| std::env::var(name).ok())
    }

    pub fn read(
        function: Function,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<FunctionEnv, String> {
        let mut values = BTreeMap::new();
        let mut missing = Vec::new();
        for &var in function.env() {
            match lookup(var.name()) {
                Some(v) if !v.trim().is_empty() => {
                    values.insert(var, v);
                }
                _ => missing.push(format!("environment variable {var} is not set")),
            }
        }
        if missing.is_empty() {
            Ok(FunctionEnv { function, values })
        } else {
            Err(format!("{function}: {}", missing.join("; ")))
        }
    }

    /// A variable the contract declares for this function; any other is an error, so
    /// code cannot start reading a variable that infra does not set.
    pub fn get(&self, var: EnvVar) -> Result<&str, String> {
        self.values.get(&var).map(String::as_str).ok_or_else(|| {
            format!(
                "{} reads {var}, which the contract does not declare for it",
                self.function
            )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn all_set(name: &str) -> Option<String> {
        Some(format!("value of {name}"))
    }

    #[test]
    fn reads_exactly_the_declared_variables() {
        let env = FunctionEnv::read(Function::Auth, all_set).unwrap();
        assert_eq!(
            env.get(EnvVar::UserPoolId).unwrap(),
            "value of USER_POOL_ID"
        );
        let env = FunctionEnv::read(Function::Batches, all_set).unwrap();
        let e = env.get(EnvVar::UserPoolId).unwrap_err();
        assert!(e.contains("batches reads USER_POOL_ID"), "{e}");
    }

    #[test]
    fn every_missing_variable_is_named() {
        let lookup = |name: &str| (name == "TABLE_NAME").then(|| "t".to_string());
        let e = FunctionEnv::read(Function::ReminderProcessor, lookup).unwrap_err();
        assert_eq!(
            e,
            "reminder-processor: environment variable BUCKET_NAME is not set; \
             environment variable STAGE is not set; environment variable EXPO_PUSH_URL is not set"
        );
    }
}
