//! A Cognito user pool with email as the username and one app client.
use super::grant::Grantable;
use super::stack::Stack;
use cfn::cognito::user_pool::{
    self as pool, AccountRecoverySetting, AdminCreateUserConfig, AllowedFirstAuthFactors,
    AttributeDataType, AutoVerifiedAttributes, DefaultEmailOption, DeletionProtection,
    EmailConfiguration, EmailSendingAccount, MfaConfiguration, Name as RecoveryName, Policies,
    RecoveryOption, SchemaAttribute, SignInPolicy, UserPoolTier, UsernameAttributes,
    UsernameConfiguration, VerificationMessageTemplate,
};
use cfn::cognito::user_pool_client::{
    AccessToken, AllowedOAuthFlows, ExplicitAuthFlows, IdToken, PreventUserExistenceErrors,
    RefreshToken, TokenValidityUnits, UserPoolClient,
};
use cfn_core::iam::{Action, CognitoIdp, Statement};
use cfn_core::{Expr, LogicalId};

/// How users prove who they are on first sign-in.
#[derive(Debug, Clone, PartialEq)]
pub enum SignIn {
    /// Cognito's native passwordless email one-time code (Essentials tier).
    /// `PASSWORD` stays listed because Cognito requires it among the first factors;
    /// users created by the app never learn a password.
    EmailOtp { message: String, subject: String },
    /// Classic email + password.
    Password(PasswordPolicy),
}

/// What a password must contain, and how long an admin-issued temporary one lasts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub minimum_length: u32,
    pub require_lowercase: bool,
    pub require_uppercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    pub temporary_password_validity_days: Option<u32>,
}

/// Whether users must set up a second factor. Without [`UserPool::mfa`] it is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaMode {
    /// Each user may enable a second factor (`OPTIONAL`).
    Optional,
    /// Every user must (`ON`).
    Required,
}

/// A second factor the pool offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MfaFactor {
    /// An authenticator app (TOTP): `SOFTWARE_TOKEN_MFA`.
    SoftwareToken,
    /// A code by SMS (needs an SMS configuration): `SMS_MFA`.
    Sms,
    /// A code by email (Essentials tier, SES sender): `EMAIL_OTP`.
    Email,
}

impl MfaFactor {
    fn name(self) -> &'static str {
        match self {
            MfaFactor::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            MfaFactor::Sms => "SMS_MFA",
            MfaFactor::Email => "EMAIL_OTP",
        }
    }
}

/// An authentication flow an app client allows. Only the current `ALLOW_*` flows: the
/// legacy names cannot be mixed with them, so they are not offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthFlow {
    /// Choice-based sign-in (passwordless one-time codes, passkeys, passwords).
    UserAuth,
    /// Password with SRP: the password never leaves the client.
    UserSrp,
    /// Password sent to Cognito (over TLS).
    UserPassword,
    /// Password sign-in by a trusted backend with AWS credentials.
    AdminUserPassword,
    /// Lambda-driven custom challenges.
    CustomAuth,
    /// Refreshing tokens.
    RefreshToken,
}

impl From<AuthFlow> for ExplicitAuthFlows {
    fn from(flow: AuthFlow) -> ExplicitAuthFlows {
        match flow {
            AuthFlow::UserAuth => ExplicitAuthFlows::AllowUserAuth,
            AuthFlow::UserSrp => ExplicitAuthFlows::AllowUserSrpAuth,
            AuthFlow::UserPassword => ExplicitAuthFlows::AllowUserPasswordAuth,
            AuthFlow::AdminUserPassword => ExplicitAuthFlows::AllowAdminUserPasswordAuth,
            AuthFlow::CustomAuth => ExplicitAuthFlows::AllowCustomAuth,
            AuthFlow::RefreshToken => ExplicitAuthFlows::AllowRefreshTokenAuth,
        }
    }
}

#[derive(Debug, Clone)]
pub struct UserPool {
    pub id: LogicalId,
    name: String,
    sign_in: SignIn,
    mfa: Option<(MfaMode, Vec<MfaFactor>)>,
    required_attributes: Vec<String>,
    verification_email: Option<(String, String)>,
    ses_identity: Option<(String, String)>,
    retain: bool,
    self_sign_up: bool,
}

/// What an app client allows and for how long its tokens live.
#[derive(Debug, Clone)]
pub struct AppClient {
    pub id: &'static str,
    pub auth_flows: Vec<AuthFlow>,
    pub access_token_hours: u32,
    pub id_token_hours: u32,
    pub refresh_token_days: u32,
    pub oauth: Option<OAuth>,
}

#[derive(Debug, Clone)]
pub struct OAuth {
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub scopes: Vec<&'static str>,
}

/// The pool as other constructs see it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserPoolRef {
    pub pool_id: Expr,
    pub arn: Expr,
    pub client_ids: Vec<Expr>,
    /// The resource or template parameter whose `Ref` is the pool ID.
    pool_id_source: LogicalId,
}

impl UserPool {
    pub fn new(stack: &Stack, id: &str, sign_in: SignIn) -> UserPool {
        UserPool {
            id: LogicalId::from_path(&[id]),
            name: stack.stage.physical_name(id),
            sign_in,
            mfa: None,
            required_attributes: Vec::new(),
            verification_email: None,
            ses_identity: None,
            retain: stack.stage.retain_data,
            self_sign_up: false,
        }
    }

    /// Sends mail through SES (required for email one-time codes at production volume).
    pub fn ses_sender(mut self, identity: &str, from: &str) -> UserPool {
        self.ses_identity = Some((identity.to_string(), from.to_string()));
        self
    }

    /// A second factor, optional or required, from `factors`.
    pub fn mfa(mut self, mode: MfaMode, factors: &[MfaFactor]) -> UserPool {
        self.mfa = Some((mode, factors.to_vec()));
        self
    }

    /// A standard attribute (e.g. `name`) every user must have at sign-up.
    pub fn required_attribute(mut self, name: &str) -> UserPool {
        self.required_attributes.push(name.to_string());
        self
    }

    /// The email that carries the verification code (`{####}` in `message`).
    pub fn verification_email(mut self, subject: &str, message: &str) -> UserPool {
        self.verification_email = Some((subject.to_string(), message.to_string()));
        self
    }

    pub fn self_sign_up(mut self, allowed: bool) -> UserPool {
        self.self_sign_up = allowed;
        self
    }

    pub fn add_to(self, stack: &mut Stack, clients: &[AppClient]) -> UserPoolRef {
        let (policies, auth_message, auth_subject) = match &self.sign_in {
            SignIn::EmailOtp { message, subject } => (
                Policies {
                    sign_in_policy: Some(SignInPolicy {
                        allowed_first_auth_factors: Some(vec![
                            AllowedFirstAuthFactors::EmailOtp.into(),
                            AllowedFirstAuthFactors::Password.into(),
                        ]),
                    }),
                    ..Policies::new()
                },
                Some(message.as_str().into()),
                Some(subject.as_str().into()),
            ),
            SignIn::Password(policy) => (
                Policies {
                    password_policy: Some(password_policy(policy)),
                    ..Policies::new()
                },
                None,
                None,
            ),
        };
        let email_configuration =
            self.ses_identity
                .as_ref()
                .map(|(identity, from)| EmailConfiguration {
                    email_sending_account: Some(EmailSendingAccount::Developer.into()),
                    source_arn: Some(
                        super::regional_arn("ses", &format!("identity/{identity}")).into(),
                    ),
                    from: Some(from.as_str().into()),
                    ..EmailConfiguration::new()
                });
        let (mfa_configuration, enabled_mfas) = match &self.mfa {
            None => (MfaConfiguration::Off, None),
            Some((mode, factors)) => (
                match mode {
                    MfaMode::Optional => MfaConfiguration::Optional,
                    MfaMode::Required => MfaConfiguration::On,
                },
                Some(factors.iter().map(|f| f.name().into()).collect()),
            ),
        };
        let schema = (!self.required_attributes.is_empty()).then(|| {
            self.required_attributes
                .iter()
                .map(|name| SchemaAttribute {
                    name: Some(name.as_str().into()),
                    attribute_data_type: Some(AttributeDataType::String.into()),
                    mutable: Some(true.into()),
                    required: Some(true.into()),
                    ..SchemaAttribute::new()
                })
                .collect()
        });
        let verification_message_template =
            self.verification_email.as_ref().map(|(subject, message)| {
                VerificationMessageTemplate {
                    default_email_option: Some(DefaultEmailOption::ConfirmWithCode.into()),
                    email_message: Some(message.as_str().into()),
                    email_subject: Some(subject.as_str().into()),
                    ..VerificationMessageTemplate::new()
                }
            });
        let resource = stack.add(
            self.id.clone(),
            &pool::UserPool {
                user_pool_name: Some(self.name.as_str().into()),
                user_pool_tier: Some(UserPoolTier::Essentials.into()),
                username_attributes: Some(vec![UsernameAttributes::Email.into()]),
                auto_verified_attributes: Some(vec![AutoVerifiedAttributes::Email.into()]),
                username_configuration: Some(UsernameConfiguration {
                    case_sensitive: Some(false.into()),
                }),
                mfa_configuration: Some(mfa_configuration.into()),
                enabled_mfas,
                policies: Some(policies),
                account_recovery_setting: Some(AccountRecoverySetting {
                    recovery_mechanisms: Some(vec![RecoveryOption {
                        name: Some(RecoveryName::VerifiedEmail.into()),
                        priority: Some(1.into()),
                    }]),
                }),
                admin_create_user_config: Some(AdminCreateUserConfig {
                    allow_admin_create_user_only: Some((!self.self_sign_up).into()),
                    ..AdminCreateUserConfig::new()
                }),
                email_configuration,
                email_authentication_message: auth_message,
                email_authentication_subject: auth_subject,
                verification_message_template,
                deletion_protection: Some(
                    if self.retain {
                        DeletionProtection::Active
                    } else {
                        DeletionProtection::Inactive
                    }
                    .into(),
                ),
                schema,
                ..pool::UserPool::new()
            },
        );
        resource.retain(self.retain);
        let client_ids = clients
            .iter()
            .map(|client| add_client(stack, &self.id, &self.name, client))
            .collect();
        UserPoolRef {
            pool_id: Expr::reference(&self.id),
            arn: pool::UserPool::att_arn(&self.id),
            client_ids,
            pool_id_source: self.id,
        }
    }
}

fn password_policy(policy: &PasswordPolicy) -> pool::PasswordPolicy {
    pool::PasswordPolicy {
        minimum_length: Some(policy.minimum_length.into()),
        require_lowercase: Some(policy.require_lowercase.into()),
        require_uppercase: Some(policy.require_uppercase.into()),
        require_numbers: Some(policy.require_numbers.into()),
        require_symbols: Some(policy.require_symbols.into()),
        temporary_password_validity_days: policy.temporary_password_validity_days.map(Into::into),
        ..pool::PasswordPolicy::new()
    }
}

fn add_client(stack: &mut Stack, pool: &LogicalId, pool_name: &str, client: &AppClient) -> Expr {
    let id = pool.child(&format!("{}-client", client.id));
    let oauth = client.oauth.as_ref();
    let auth_flows = client
        .auth_flows
        .iter()
        .map(|&flow| ExplicitAuthFlows::from(flow).into())
        .collect();
    stack.add(
        id.clone(),
        &UserPoolClient {
            client_name: Some(format!("{pool_name}-{}", client.id).into()),
            generate_secret: Some(false.into()),
            explicit_auth_flows: Some(auth_flows),
            access_token_validity: Some(client.access_token_hours.into()),
            id_token_validity: Some(client.id_token_hours.into()),
            refresh_token_validity: Some(client.refresh_token_days.into()),
            token_validity_units: Some(TokenValidityUnits {
                access_token: Some(AccessToken::Hours.into()),
                id_token: Some(IdToken::Hours.into()),
                refresh_token: Some(RefreshToken::Days.into()),
            }),
            auth_session_validity: Some(3.into()),
            prevent_user_existence_errors: Some(PreventUserExistenceErrors::Enabled.into()),
            enable_token_revocation: Some(true.into()),
            allowed_o_auth_flows: oauth.map(|_| vec![AllowedOAuthFlows::Code.into()]),
            allowed_o_auth_flows_user_pool_client: oauth.map(|_| true.into()),
            allowed_o_auth_scopes: oauth.map(|o| o.scopes.iter().map(|&s| s.into()).collect()),
            callback_ur_ls: oauth.map(|o| o.callback_urls.iter().map(Into::into).collect()),
            logout_ur_ls: oauth.map(|o| o.logout_urls.iter().map(Into::into).collect()),
            supported_identity_providers: oauth.map(|_| vec!["COGNITO".into()]),
            ..UserPoolClient::new(Expr::reference(pool))
        },
    );
    Expr::reference(&id)
}

impl UserPoolRef {
    /// A pool of another stack, whose ID arrives in the template parameter `pool_id_parameter`.
    pub fn imported(pool_id_parameter: &LogicalId, client_id: Expr) -> UserPoolRef {
        UserPoolRef {
            pool_id: Expr::reference(pool_id_parameter),
            arn: Expr::sub(format!(
                "arn:${{AWS::Partition}}:cognito-idp:${{AWS::Region}}:${{AWS::AccountId}}:userpool/${{{pool_id_parameter}}}"
            )),
            client_ids: vec![client_id],
            pool_id_source: pool_id_parameter.clone(),
        }
    }

    /// The issuer URL of the pool's tokens, for JWT authorizers.
    pub fn issuer(&self) -> Expr {
        Expr::sub(format!(
            "https://cognito-idp.${{AWS::Region}}.${{AWS::URLSuffix}}/${{{}}}",
            self.pool_id_source
        ))
    }

    /// Grants user-administration actions (`cognito-idp:Admin*`) on this pool only.
    pub fn grant(&self, grantee: &mut impl Grantable, granted: &[Action<CognitoIdp>]) {
        grantee.grant(Statement::allow(granted, vec![self.arn.clone()]));
    }
}
