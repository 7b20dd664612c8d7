//! One snapshot per construct (port B's set): a small stack holding just that construct,
//! as the canonical template JSON, so any change to what a construct renders shows in
//! review. Accept a deliberate change with `cargo insta review` (or `INSTA_UPDATE=always`).
//! The stage is a production one (data retained, point-in-time recovery on).
mod b_support;

use cfn_core::iam::actions::{cognito, dynamodb};
use cfn_core::iam::Statement;
use cfn_core::{Expr, LogicalId};
use constructs::function::{Function, FunctionRef};
use constructs::pool_domain::PoolDomain;
use constructs::postgres::{self, Postgres};
use constructs::role::Role;
use constructs::schedule::{Schedule, TimeWindow};
use constructs::secret::Secret;
use constructs::table::{IndexProjection, Table, TableRef};
use constructs::topic::AlertTopic;
use constructs::user_pool::{
    AppClient, AuthFlow, MfaFactor, MfaMode, OAuth, PasswordPolicy, SignIn, UserPool, UserPoolRef,
};
use constructs::vpc::{Vpc, VpcRef};
use constructs::{Grantable, Stack};

fn template(stack: &Stack) -> String {
    stack.synthesize().template_json
}

#[test]
fn pool_domain() {
    let mut stack = b_support::stack("Auth");
    let pool_id = Expr::reference(&LogicalId::new("Users").unwrap());
    let url = PoolDomain::new(&stack, "signin").add_to(&mut stack, pool_id);
    assert_eq!(
        url,
        Expr::sub("https://demo-prod-signin.auth.${AWS::Region}.amazoncognito.com")
    );
    insta::assert_snapshot!("pool_domain", template(&stack));
}

#[test]
fn postgres() {
    let mut stack = b_support::stack("Backend");
    let vpc = Vpc::new("app", [10, 30]).add_to(&mut stack);
    let group = vpc.security_group(&mut stack, "database", "PostgreSQL");
    let database = Postgres::new(&stack, "app", "checklist")
        .instance_class("db.t4g.small")
        .add_to(&mut stack, &vpc, &group);
    assert_eq!(database.database, "checklist");
    let mut api = Function::new(&stack, "api", "API");
    database.grant_credentials(&mut api);
    api.add_to(&mut stack);
    assert_eq!(postgres::PORT, 5432);
    insta::assert_snapshot!("postgres", template(&stack));
}

#[test]
fn role() {
    let mut stack = b_support::stack("Roles");
    let mut role = Role::for_service(
        LogicalId::new("WorkerRole").unwrap(),
        "scheduler.amazonaws.com",
        "Lets the worker read one table",
    )
    .require_source_account();
    let table = TableRef::from_name("demo-prod-table");
    // Two grants on the same resource merge into one statement.
    role.grant(Statement::allow(&[dynamodb::GET_ITEM], vec![table.arn()]));
    role.grant(Statement::allow(&[dynamodb::QUERY], vec![table.arn()]));
    assert_eq!(role.statements().len(), 1);
    role.render(&mut stack);
    insta::assert_snapshot!("role", template(&stack));
}

#[test]
fn schedule() {
    let mut stack = b_support::stack("Scheduler");
    let target = FunctionRef::from_name("demo-prod-processor");
    Schedule::new(&stack, "nightly", "cron(0 3 * * ? *)", "Nightly cleanup")
        .time_window(TimeWindow::Flexible {
            maximum_minutes: 15,
        })
        .invoke(&mut stack, &target);
    insta::assert_snapshot!("schedule", template(&stack));
}

#[test]
fn schedule_rate_intervals() {
    let stack = b_support::stack("Scheduler");
    let interval = |expression| Schedule::new(&stack, "job", expression, "").interval_seconds();
    assert_eq!(interval("rate(5 minutes)"), Some(300));
    assert_eq!(interval("rate(1 hour)"), Some(3600));
    assert_eq!(interval("rate(2 days)"), Some(172_800));
    assert_eq!(interval("cron(0 3 * * ? *)"), None);
    assert_eq!(interval("rate(five minutes)"), None);
}

#[test]
fn secret() {
    let mut stack = b_support::stack("Secrets");
    let secret = Secret::generated(&stack, "signing-key", "Signs tokens", 48).add_to(&mut stack);
    let mut api = Function::new(&stack, "api", "API");
    secret.grant_read(&mut api);
    api.add_to(&mut stack);
    insta::assert_snapshot!("secret", template(&stack));
}

#[test]
fn stack() {
    let mut stack = b_support::stack("Shared");
    stack.publish(
        LogicalId::new("TableNameParameter").unwrap(),
        "table-name",
        Expr::from("demo-prod-table"),
        "Name of the table",
    );
    let imported = stack.import(
        LogicalId::new("BucketNameParameter").unwrap(),
        "bucket-name",
        "Name of the bucket",
    );
    assert_eq!(
        imported,
        Expr::reference(&LogicalId::new("BucketNameParameter").unwrap())
    );
    insta::assert_snapshot!("stack", template(&stack));
}

#[test]
fn table() {
    let mut stack = b_support::stack("Data");
    let table = Table::new(&stack, "table", "PK")
        .sort_key("SK")
        .index("GSI1", "GSI1PK", Some("GSI1SK"))
        .index_projecting("ByOwner", "owner", None, IndexProjection::KeysOnly)
        .index_projecting(
            "ByStatus",
            "status",
            Some("SK"),
            IndexProjection::Include(vec!["title".into()]),
        )
        .time_to_live("ttl")
        .add_to(&mut stack);
    let mut reader = Function::new(&stack, "reader", "Reads items");
    table.grant_read_data(&mut reader);
    table.grant_index(&mut reader, "GSI1", &[dynamodb::QUERY]);
    reader.add_to(&mut stack);
    let mut writer = Function::new(&stack, "writer", "Writes items");
    table.grant_write_data(&mut writer);
    writer.add_to(&mut stack);
    insta::assert_snapshot!("table", template(&stack));
}

#[test]
fn topic() {
    let mut stack = b_support::stack("Monitoring");
    let arn = AlertTopic::for_alarms_and_budgets(&stack, "alerts", "ops@demo.example")
        .email("oncall@demo.example")
        .add_to(&mut stack);
    assert_eq!(
        arn,
        Expr::reference(&LogicalId::new("AlertsTopic").unwrap())
    );
    insta::assert_snapshot!("topic", template(&stack));
}

#[test]
fn user_pool() {
    let mut stack = b_support::stack("Auth");
    let policy = PasswordPolicy {
        minimum_length: 14,
        require_lowercase: true,
        require_uppercase: true,
        require_numbers: true,
        require_symbols: false,
        temporary_password_validity_days: Some(2),
    };
    let pool = UserPool::new(&stack, "users", SignIn::Password(policy))
        .required_attribute("name")
        .mfa(
            MfaMode::Required,
            &[MfaFactor::SoftwareToken, MfaFactor::Email],
        )
        .ses_sender("demo.example", "Demo <no-reply@demo.example>")
        .verification_email("Verify your email", "Your code is {####}.")
        .self_sign_up(true)
        .add_to(
            &mut stack,
            &[
                AppClient {
                    id: "web",
                    auth_flows: vec![AuthFlow::UserSrp, AuthFlow::RefreshToken],
                    access_token_hours: 1,
                    id_token_hours: 1,
                    refresh_token_days: 30,
                    oauth: Some(OAuth {
                        callback_urls: vec!["https://demo.example/callback".into()],
                        logout_urls: vec!["https://demo.example".into()],
                        scopes: vec!["openid", "email"],
                    }),
                },
                AppClient {
                    id: "mobile",
                    auth_flows: vec![AuthFlow::UserAuth, AuthFlow::RefreshToken],
                    access_token_hours: 2,
                    id_token_hours: 2,
                    refresh_token_days: 90,
                    oauth: None,
                },
            ],
        );
    assert_eq!(pool.client_ids.len(), 2);
    assert_eq!(
        pool.issuer(),
        Expr::sub("https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${Users}")
    );
    insta::assert_snapshot!("user_pool", template(&stack));
}

#[test]
fn user_pool_email_otp() {
    let mut stack = b_support::stack("Auth");
    let sign_in = SignIn::EmailOtp {
        message: "Your code is {####}.".into(),
        subject: "Your sign-in code".into(),
    };
    UserPool::new(&stack, "users", sign_in).add_to(&mut stack, &[]);
    insta::assert_snapshot!("user_pool_email_otp", template(&stack));
}

#[test]
fn user_pool_ref() {
    let mut stack = b_support::stack("Api");
    let parameter = LogicalId::new("UserPoolIdParameter").unwrap();
    let pool = UserPoolRef::imported(&parameter, Expr::from("client"));
    assert_eq!(
        pool.issuer(),
        Expr::sub("https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${UserPoolIdParameter}")
    );
    let mut admin = Function::new(&stack, "admin", "Administers users");
    pool.grant(&mut admin, &[cognito::ADMIN_GET_USER]);
    admin.add_to(&mut stack);
    insta::assert_snapshot!("user_pool_ref", template(&stack));
}

#[test]
fn vpc() {
    let mut stack = b_support::stack("Network");
    let vpc = Vpc::new("app", [10, 40]).add_to(&mut stack);
    let functions = vpc.security_group(&mut stack, "functions", "Functions");
    let database = vpc.security_group(&mut stack, "database", "Database");
    VpcRef::allow(&mut stack, &functions, &database, 5432, "PostgreSQL");
    vpc.interface_endpoint(&mut stack, "secretsmanager", &functions);
    let api = Function::new(&stack, "api", "API in the VPC");
    vpc.add_function(&mut stack, api, &functions);
    insta::assert_snapshot!("vpc", template(&stack));
}
