//! A Cognito user pool with email as the username and one app client.
use super::grant::Grantable;
use super::stack::Stack;
use cfn_core::iam::{Action, Statement};
use cfn_core::resources::cognito as c;
use cfn_core::{Expr, LogicalId};

/// How users prove who they are on first sign-in.
#[derive(Debug, Clone, PartialEq)]
pub enum SignIn {
    /// Cognito's native passwordless email one-time code (Essentials tier).
    /// `PASSWORD` stays listed because Cognito requires it among the first factors;
    /// users created by the app never learn a password.
    EmailOtp { message: String, subject: String },
    /// Classic email + password.
    Password(c::PasswordPolicy),
}

#[derive(Debug, Clone)]
pub struct UserPool {
    pub id: LogicalId,
    name: String,
    sign_in: SignIn,
    mfa: c::UserPool,
    ses_identity: Option<(String, String)>,
    retain: bool,
    self_sign_up: bool,
}

/// What an app client allows and for how long its tokens live.
#[derive(Debug, Clone)]
pub struct AppClient {
    pub id: &'static str,
    pub auth_flows: Vec<&'static str>,
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
}

impl UserPool {
    pub fn new(stack: &Stack, id: &str, sign_in: SignIn) -> UserPool {
        UserPool {
            id: LogicalId::from_path(&[id]),
            name: stack.stage.physical_name(id),
            sign_in,
            mfa: c::UserPool {
                mfa_configuration: Some("OFF".into()),
                ..Default::default()
            },
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

    /// `OPTIONAL` or `ON` with the given factors (e.g. `SOFTWARE_TOKEN_MFA`).
    pub fn mfa(mut self, mode: &str, factors: &[&str]) -> UserPool {
        self.mfa.mfa_configuration = Some(mode.to_string());
        self.mfa.enabled_mfas = Some(factors.iter().map(|f| f.to_string()).collect());
        self
    }

    /// A standard attribute (e.g. `name`) every user must have at sign-up.
    pub fn required_attribute(mut self, name: &str) -> UserPool {
        self.mfa
            .schema
            .get_or_insert_with(Vec::new)
            .push(c::SchemaAttribute {
                name: name.to_string(),
                attribute_data_type: "String".into(),
                mutable: true,
                required: true,
            });
        self
    }

    /// The email that carries the verification code (`{####}` in `message`).
    pub fn verification_email(mut self, subject: &str, message: &str) -> UserPool {
        self.mfa.verification_message_template = Some(c::VerificationMessageTemplate {
            default_email_option: "CONFIRM_WITH_CODE".into(),
            email_message: Some(message.to_string()),
            email_subject: Some(subject.to_string()),
        });
        self
    }

    pub fn self_sign_up(mut self, allowed: bool) -> UserPool {
        self.self_sign_up = allowed;
        self
    }

    pub fn add_to(self, stack: &mut Stack, clients: &[AppClient]) -> UserPoolRef {
        let (tier, policies, auth_message, auth_subject) = match &self.sign_in {
            SignIn::EmailOtp { message, subject } => (
                "ESSENTIALS",
                c::Policies {
                    password_policy: None,
                    sign_in_policy: Some(c::SignInPolicy {
                        allowed_first_auth_factors: vec!["EMAIL_OTP".into(), "PASSWORD".into()],
                    }),
                },
                Some(message.clone()),
                Some(subject.clone()),
            ),
            SignIn::Password(policy) => (
                "ESSENTIALS",
                c::Policies {
                    password_policy: Some(policy.clone()),
                    sign_in_policy: None,
                },
                None,
                None,
            ),
        };
        let email_configuration =
            self.ses_identity
                .as_ref()
                .map(|(identity, from)| c::EmailConfiguration {
                    email_sending_account: "DEVELOPER".into(),
                    source_arn: Some(super::regional_arn("ses", &format!("identity/{identity}"))),
                    from: Some(from.clone()),
                });
        let resource = stack.add(
            self.id.clone(),
            &c::UserPool {
                user_pool_name: Some(Expr::from(&self.name)),
                user_pool_tier: Some(tier.into()),
                username_attributes: Some(vec!["email".into()]),
                auto_verified_attributes: Some(vec!["email".into()]),
                username_configuration: Some(c::UsernameConfiguration {
                    case_sensitive: false,
                }),
                policies: Some(policies),
                account_recovery_setting: Some(c::AccountRecoverySetting {
                    recovery_mechanisms: vec![c::RecoveryOption {
                        name: "verified_email".into(),
                        priority: 1,
                    }],
                }),
                admin_create_user_config: Some(c::AdminCreateUserConfig {
                    allow_admin_create_user_only: !self.self_sign_up,
                }),
                email_configuration,
                email_authentication_message: auth_message,
                email_authentication_subject: auth_subject,
                deletion_protection: Some(if self.retain { "ACTIVE" } else { "INACTIVE" }.into()),
                ..self.mfa.clone()
            },
        );
        resource.retain(self.retain);
        let pool_id = Expr::reference(&self.id);
        let client_ids = clients
            .iter()
            .map(|client| add_client(stack, &self.id, &self.name, client))
            .collect();
        UserPoolRef {
            arn: Expr::get_att(&self.id, "Arn"),
            pool_id,
            client_ids,
        }
    }
}

fn add_client(stack: &mut Stack, pool: &LogicalId, pool_name: &str, client: &AppClient) -> Expr {
    let id = pool.child(&format!("{}-client", client.id));
    let oauth = client.oauth.as_ref();
    stack.add(
        id.clone(),
        &c::UserPoolClient {
            client_name: Some(Expr::from(format!("{pool_name}-{}", client.id))),
            user_pool_id: Expr::reference(pool),
            generate_secret: false,
            explicit_auth_flows: client.auth_flows.iter().map(|f| f.to_string()).collect(),
            access_token_validity: Some(client.access_token_hours),
            id_token_validity: Some(client.id_token_hours),
            refresh_token_validity: Some(client.refresh_token_days),
            token_validity_units: Some(c::TokenValidityUnits {
                access_token: "hours".into(),
                id_token: "hours".into(),
                refresh_token: "days".into(),
            }),
            auth_session_validity: Some(3),
            prevent_user_existence_errors: Some("ENABLED".into()),
            enable_token_revocation: Some(true),
            allowed_oauth_flows: oauth.map(|_| vec!["code".into()]),
            allowed_oauth_flows_user_pool_client: oauth.map(|_| true),
            allowed_oauth_scopes: oauth.map(|o| o.scopes.iter().map(|s| s.to_string()).collect()),
            callback_urls: oauth.map(|o| o.callback_urls.clone()),
            logout_urls: oauth.map(|o| o.logout_urls.clone()),
            supported_identity_providers: oauth.map(|_| vec!["COGNITO".into()]),
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
        }
    }

    /// The issuer URL of the pool's tokens, for JWT authorizers.
    pub fn issuer(&self) -> Expr {
        match &self.pool_id {
            Expr::Ref(id) => Expr::sub(format!(
                "https://cognito-idp.${{AWS::Region}}.${{AWS::URLSuffix}}/${{{id}}}"
            )),
            other => panic!("issuer of a pool needs a Ref to its ID, got {other:?}"),
        }
    }

    /// Grants user-administration actions (`cognito-idp:Admin*`) on this pool only.
    pub fn grant(&self, grantee: &mut impl Grantable, granted: &[Action]) {
        for action in granted {
            assert_eq!(
                action.service(),
                "cognito-idp",
                "a user pool grants cognito-idp actions only"
            );
        }
        grantee.grant(Statement::allow(granted, vec![self.arn.clone()]));
    }
}
