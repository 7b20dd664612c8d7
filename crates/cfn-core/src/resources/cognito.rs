use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::{Expr, ResourceProperties};

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPool {
    pub user_pool_name: Option<Expr>,
    pub user_pool_tier: Option<String>,
    pub username_attributes: Option<Vec<String>>,
    pub auto_verified_attributes: Option<Vec<String>>,
    pub username_configuration: Option<UsernameConfiguration>,
    pub mfa_configuration: Option<String>,
    pub enabled_mfas: Option<Vec<String>>,
    pub policies: Option<Policies>,
    pub account_recovery_setting: Option<AccountRecoverySetting>,
    pub admin_create_user_config: Option<AdminCreateUserConfig>,
    pub email_configuration: Option<EmailConfiguration>,
    pub email_authentication_message: Option<String>,
    pub email_authentication_subject: Option<String>,
    pub verification_message_template: Option<VerificationMessageTemplate>,
    pub deletion_protection: Option<String>,
    pub schema: Option<Vec<SchemaAttribute>>,
}

impl ResourceProperties for UserPool {
    const TYPE: &'static str = "AWS::Cognito::UserPool";
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfiguration {
    pub case_sensitive: bool,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policies {
    pub password_policy: Option<PasswordPolicy>,
    pub sign_in_policy: Option<SignInPolicy>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicy {
    pub minimum_length: u32,
    pub require_lowercase: bool,
    pub require_uppercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    pub temporary_password_validity_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignInPolicy {
    pub allowed_first_auth_factors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccountRecoverySetting {
    pub recovery_mechanisms: Vec<RecoveryOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecoveryOption {
    pub name: String,
    pub priority: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfig {
    pub allow_admin_create_user_only: bool,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailConfiguration {
    pub email_sending_account: String,
    pub source_arn: Option<Expr>,
    pub from: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerificationMessageTemplate {
    pub default_email_option: String,
    pub email_message: Option<String>,
    pub email_subject: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SchemaAttribute {
    pub name: String,
    pub attribute_data_type: String,
    pub mutable: bool,
    pub required: bool,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClient {
    pub client_name: Option<Expr>,
    pub user_pool_id: Expr,
    pub generate_secret: bool,
    pub explicit_auth_flows: Vec<String>,
    pub access_token_validity: Option<u32>,
    pub id_token_validity: Option<u32>,
    pub refresh_token_validity: Option<u32>,
    pub token_validity_units: Option<TokenValidityUnits>,
    pub auth_session_validity: Option<u32>,
    pub prevent_user_existence_errors: Option<String>,
    pub enable_token_revocation: Option<bool>,
    #[serde(rename = "AllowedOAuthFlows")]
    pub allowed_oauth_flows: Option<Vec<String>>,
    #[serde(rename = "AllowedOAuthFlowsUserPoolClient")]
    pub allowed_oauth_flows_user_pool_client: Option<bool>,
    #[serde(rename = "AllowedOAuthScopes")]
    pub allowed_oauth_scopes: Option<Vec<String>>,
    #[serde(rename = "CallbackURLs")]
    pub callback_urls: Option<Vec<String>>,
    #[serde(rename = "LogoutURLs")]
    pub logout_urls: Option<Vec<String>>,
    pub supported_identity_providers: Option<Vec<String>>,
}

impl ResourceProperties for UserPoolClient {
    const TYPE: &'static str = "AWS::Cognito::UserPoolClient";
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenValidityUnits {
    pub access_token: String,
    pub id_token: String,
    pub refresh_token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDomain {
    pub domain: Expr,
    pub user_pool_id: Expr,
}

impl ResourceProperties for UserPoolDomain {
    const TYPE: &'static str = "AWS::Cognito::UserPoolDomain";
}
