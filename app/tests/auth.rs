//! Sign-in routes. moto cannot run Cognito's USER_AUTH / EMAIL_OTP flow, so:
//! - the route logic (validation, envelope, error mapping) runs against a fake backend;
//! - `CognitoSignIn`'s user provisioning (AdminGetUser / AdminCreateUser) runs against moto;
//! - moto's rejection of USER_AUTH checks that a Cognito failure is a clean 502, not a 500.
mod common;

use std::sync::{Arc, Mutex};

use app::error::ApiError;
use app::signin::{BoxFuture, CognitoSignIn, LoginStarted, SignIn, Tokens};
use common::*;
use serde_json::json;

#[derive(Default)]
struct FakeSignIn {
    started: Mutex<Vec<String>>,
}

impl SignIn for FakeSignIn {
    fn start<'a>(&'a self, email: &'a str) -> BoxFuture<'a, Result<LoginStarted, ApiError>> {
        self.started.lock().unwrap().push(email.to_string());
        Box::pin(async {
            Ok(LoginStarted {
                session: "sess-1".into(),
                challenge: "EMAIL_OTP",
            })
        })
    }

    fn verify<'a>(
        &'a self,
        _email: &'a str,
        code: &'a str,
        session: &'a str,
    ) -> BoxFuture<'a, Result<Tokens, ApiError>> {
        Box::pin(async move {
            if code == "123456" && session == "sess-1" {
                Ok(Tokens {
                    access_token: "a".into(),
                    id_token: "i".into(),
                    refresh_token: Some("r".into()),
                    expires_in: 3600,
                    token_type: "Bearer".into(),
                })
            } else {
                Err(ApiError::unauthorized("invalid or expired code or session"))
            }
        })
    }
}

#[tokio::test]
async fn login_and_verify_routes() {
    let mut t = env().await;
    let fake = Arc::new(FakeSignIn::default());
    t.app.signin = Some(fake.clone());
    let anon = |method, path| request(method, path);

    let r = call(
        &t.app,
        anon("POST", "/auth/login").with_json(&json!({"email": " Ana@Example.com "})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.data()["session"], "sess-1");
    assert_eq!(r.data()["challenge"], "EMAIL_OTP");
    assert_eq!(fake.started.lock().unwrap().as_slice(), ["ana@example.com"]);

    let body = json!({"email": "ana@example.com", "code": "123456", "session": "sess-1"});
    let r = call(&t.app, anon("POST", "/auth/verify").with_json(&body)).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.data()["accessToken"], "a");
    assert_eq!(r.data()["refreshToken"], "r");

    let wrong = json!({"email": "ana@example.com", "code": "654321", "session": "sess-1"});
    let r = call(&t.app, anon("POST", "/auth/verify").with_json(&wrong)).await;
    assert_eq!((r.status, r.error_code()), (401, "UNAUTHORIZED"));

    for (path, body) in [
        ("/auth/login", json!({"email": "not-an-email"})),
        ("/auth/login", json!({})),
        (
            "/auth/verify",
            json!({"email": "a@b.io", "code": "12ab56", "session": "s"}),
        ),
        (
            "/auth/verify",
            json!({"email": "a@b.io", "code": "123", "session": "s"}),
        ),
        (
            "/auth/verify",
            json!({"email": "a@b.io", "code": "123456", "session": ""}),
        ),
    ] {
        let r = call(&t.app, anon("POST", path).with_json(&body)).await;
        assert_eq!(r.status, 400, "{path} {body} -> {}", r.json);
    }
    assert_eq!(
        fake.started.lock().unwrap().len(),
        1,
        "invalid input never reaches Cognito"
    );
}

async fn moto_pool(t: &TestEnv) -> CognitoSignIn {
    let pool = t
        .clients
        .cognito
        .create_user_pool()
        .pool_name(unique("pool"))
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let client = t
        .clients
        .cognito
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("app")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    CognitoSignIn {
        client: t.clients.cognito.clone(),
        user_pool_id: pool,
        client_id: client,
    }
}

#[tokio::test]
async fn cognito_provisions_new_users_verified_and_without_invitation() {
    let t = env().await;
    let cognito = moto_pool(&t).await;
    cognito.ensure_user("new@example.com").await.unwrap();
    // Idempotent for an existing user.
    cognito.ensure_user("new@example.com").await.unwrap();
    let user = cognito
        .client
        .admin_get_user()
        .user_pool_id(&cognito.user_pool_id)
        .username("new@example.com")
        .send()
        .await
        .unwrap();
    let attrs: Vec<(String, String)> = user
        .user_attributes()
        .iter()
        .map(|a| (a.name().to_string(), a.value().unwrap_or("").to_string()))
        .collect();
    assert!(
        attrs.contains(&("email".into(), "new@example.com".into())),
        "{attrs:?}"
    );
    assert!(
        attrs.contains(&("email_verified".into(), "true".into())),
        "{attrs:?}"
    );
}

#[tokio::test]
async fn cognito_failure_is_a_clean_error_not_a_500() {
    let mut t = env().await;
    t.app.signin = Some(Arc::new(moto_pool(&t).await));
    // moto rejects USER_AUTH (see shared notes): our answer must still be an envelope.
    let r = call(
        &t.app,
        request("POST", "/auth/login").with_json(&json!({"email": "x@example.com"})),
    )
    .await;
    assert_eq!(
        (r.status, r.error_code()),
        (502, "SIGN_IN_UNAVAILABLE"),
        "{}",
        r.json
    );
    let body = json!({"email": "x@example.com", "code": "123456", "session": "bogus"});
    let r = call(&t.app, request("POST", "/auth/verify").with_json(&body)).await;
    assert_eq!(
        (r.status, r.error_code()),
        (502, "SIGN_IN_UNAVAILABLE"),
        "{}",
        r.json
    );
}
