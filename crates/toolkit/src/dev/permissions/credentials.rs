//! Each function's own keys: its deployed role, assumed on the emulator.
use anyhow::{Context, Result};

/// Keys of an assumed role.
#[derive(Debug, Clone)]
pub struct RoleCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
}

impl RoleCredentials {
    /// As the Lambda service hands them to a function.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID".into(), self.access_key_id.clone()),
            (
                "AWS_SECRET_ACCESS_KEY".into(),
                self.secret_access_key.clone(),
            ),
            ("AWS_SESSION_TOKEN".into(), self.session_token.clone()),
        ]
    }
}

/// Credentials of a role (`sts:AssumeRole`), so that the calls made with them are told
/// apart in the emulator's request log: moto ties assumed-role keys to the role.
pub async fn role_credentials(
    config: &aws_config::SdkConfig,
    role_arn: &str,
    session_name: &str,
) -> Result<RoleCredentials> {
    let out = aws_sdk_sts::Client::new(config)
        .assume_role()
        .role_arn(role_arn)
        .role_session_name(session_name)
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("{}", aws_sdk_sts::error::DisplayErrorContext(e)))
        .with_context(|| format!("AssumeRole {role_arn}"))?;
    let c = out
        .credentials()
        .with_context(|| format!("AssumeRole {role_arn} returned no credentials"))?;
    Ok(RoleCredentials {
        access_key_id: c.access_key_id().to_string(),
        secret_access_key: c.secret_access_key().to_string(),
        session_token: c.session_token().to_string(),
    })
}
