//! One snapshot per construct (port A's set): a small stack holding just that construct,
//! as the canonical template JSON, so any change to what a construct renders shows in
//! review. Accept a deliberate change with `cargo insta review` (or `INSTA_UPDATE=always`).
mod a_support;

use cfn_core::iam::actions::dynamodb;
use cfn_core::iam::Statement;
use cfn_core::{Expr, LogicalId};
use constructs::alarm::{Alarm, DynamoDbThrottles};
use constructs::alias::add_with_aliases;
use constructs::billing_alarm::BillingAlarm;
use constructs::bucket::{browser_cors, AllowedMethods, Bucket, BucketRef, ObjectAction};
use constructs::bucket_trigger::add_with_trigger;
use constructs::budget::MonthlyBudget;
use constructs::cdn::Distribution;
use constructs::cost_reports::allow_report_delivery;
use constructs::dashboard::Dashboard;
use constructs::function::{Function, FunctionRef};
use constructs::http_api::{Auth, AuthorizerKind, HttpApi, HttpMethod};
use constructs::{Grantable, Stack};

fn template(stack: &Stack) -> String {
    stack.synthesize().template_json
}

fn topic() -> Expr {
    Expr::reference(&LogicalId::new("AlertsTopic").unwrap())
}

#[test]
fn alarm() {
    let mut stack = a_support::stack("Monitoring");
    Alarm::lambda_errors("demo-dev-users", 2.0).add_to(&mut stack, &topic());
    Alarm::api_latency("demo-dev-api", Expr::from("abc123"), 1500.0).add_to(&mut stack, &topic());
    Alarm::dynamodb_throttles("demo-dev-table", DynamoDbThrottles::Write)
        .add_to(&mut stack, &topic());
    Alarm::scheduled_lambda_errors("demo-dev-nightly", 3600).add_to(&mut stack, &topic());
    Alarm::lambda_runs_dropped("demo-dev-nightly", 3600).add_to(&mut stack, &topic());
    Alarm::dead_letter_queue("demo-dev-nightly-dlq").add_to(&mut stack, &topic());
    Alarm::api_server_error_rate("demo-dev-api", Expr::from("abc123"), 5.0)
        .add_to(&mut stack, &topic());
    insta::assert_snapshot!("alarm", template(&stack));
}

#[test]
fn alias() {
    let mut stack = a_support::stack("Functions");
    let users = Function::new(&stack, "users", "Users");
    let aliases = add_with_aliases(&mut stack, users);
    assert_eq!(aliases.prod.name, "demo-dev-users:prod");
    assert_eq!(aliases.function.name, "demo-dev-users");
    insta::assert_snapshot!("alias", template(&stack));
}

#[test]
fn billing_alarm() {
    let mut stack = a_support::stack("Monitoring");
    BillingAlarm::new(&stack, "monthly", 20).add_to(&mut stack, &topic());
    insta::assert_snapshot!("billing_alarm", template(&stack));
}

#[test]
fn bucket() {
    let mut stack = a_support::stack("Data");
    Bucket::new(&stack, "photos")
        .versioned(true)
        .retain(true)
        .cors(browser_cors(
            &[AllowedMethods::Put, AllowedMethods::Get],
            &["https://demo.example"],
        ))
        .expire_after_days("expire-after-a-year", Some("tmp/"), 365)
        .add_to(&mut stack);
    let mut reader = Function::new(&stack, "reader", "Reads photos");
    let photos = BucketRef::for_stage(&stack, "photos");
    photos.grant_objects(
        &mut reader,
        "users/",
        &[ObjectAction::Get, ObjectAction::Put],
    );
    photos.grant_list(&mut reader);
    reader.add_to(&mut stack);
    insta::assert_snapshot!("bucket", template(&stack));
}

#[test]
fn bucket_trigger() {
    let mut stack = a_support::stack("Files");
    let processor = Function::new(&stack, "processor", "Processes uploads").add_to(&mut stack);
    let uploads = Bucket::new(&stack, "uploads");
    add_with_trigger(&mut stack, uploads, &processor, "incoming/");
    insta::assert_snapshot!("bucket_trigger", template(&stack));
}

#[test]
fn budget() {
    let mut stack = a_support::stack("Monitoring");
    MonthlyBudget::new(&stack, "monthly", 40).add_to(&mut stack, &topic(), "alerts@demo.example");
    insta::assert_snapshot!("budget", template(&stack));
}

#[test]
fn cdn() {
    let mut stack = a_support::stack("Web");
    let site = Bucket::new(&stack, "site");
    let images = Bucket::new(&stack, "images");
    let cdn = Distribution::new(&stack, "cdn", "Demo site", site)
        .immutable_origin("/images/*", images, 86_400)
        .add_to(&mut stack);
    assert_eq!(cdn.id.to_string(), "CdnDistribution");
    insta::assert_snapshot!("cdn", template(&stack));
}

#[test]
fn cost_reports() {
    let mut stack = a_support::stack("Reports");
    allow_report_delivery(Bucket::new(&stack, "reports")).add_to(&mut stack);
    insta::assert_snapshot!("cost_reports", template(&stack));
}

#[test]
fn dashboard() {
    let mut stack = a_support::stack("Monitoring");
    Dashboard::new(&stack, "overview")
        .lambda_errors(&["demo-dev-users".to_string()])
        .api_latency(Expr::from("abc123"))
        .add_to(&mut stack);
    insta::assert_snapshot!("dashboard", template(&stack));
}

#[test]
fn function() {
    let mut stack = a_support::stack("Functions");
    let mut users = Function::new(&stack, "users", "Users")
        .memory(512)
        .timeout(20)
        .reserved_concurrency(5)
        .env("TABLE_NAME", "demo-dev-users");
    let table = Expr::sub(
        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/demo-dev-users",
    );
    users.grant(Statement::allow(&[dynamodb::GET_ITEM], vec![table]));
    let users = users.add_to(&mut stack);
    assert_eq!(
        users,
        FunctionRef {
            name: "demo-dev-users".into(),
            id: Some(LogicalId::new("UsersFunction").unwrap()),
        }
    );
    insta::assert_snapshot!("function", template(&stack));
}

#[test]
fn http_api() {
    let mut stack = a_support::stack("Api");
    let users = FunctionRef::from_name("demo-dev-users");
    let authorizer = FunctionRef::from_name("demo-dev-authorizer");
    let api = HttpApi::new(&stack, "http-api")
        .cors_origins(&["https://demo.example"])
        .open_route(HttpMethod::Get, "/health", &users)
        .authorizer(AuthorizerKind::Lambda {
            function: authorizer,
            cache_seconds: 300,
        })
        .protected_route(HttpMethod::Put, "/users/{id}", &users)
        .route(HttpMethod::Delete, "/users/{id}", &users, Auth::Authorizer);
    assert_eq!(
        api.route_keys(),
        ["GET /health", "PUT /users/{id}", "DELETE /users/{id}"]
    );
    api.add_to(&mut stack);
    insta::assert_snapshot!("http_api", template(&stack));
}
