//! Local development server (not a Lambda): every route of the contract on 127.0.0.1
//! against the local AWS emulator, with API Gateway's JWT authorizer emulated
//! (`app::http::Authorizer::Jwt`) and offline sign-in.
//!
//! Environment:
//! - `AWS_ENDPOINT_URL` (required, must be a loopback URL such as http://127.0.0.1:5000)
//! - `BB_LOCAL_PORT` (default 3000), `TABLE_NAME` (default bubblebatch-local),
//!   `BUCKET_NAME` (default bubblebatch-local-photos), `BB_LOCAL_MAIL_DIR` (default .local/mail)
//! - `BB_JWT_ISSUER`, `BB_JWKS_URL`: override the issuer / JWKS URL derived from the pool.
mod dev_signin;

use std::path::PathBuf;
use std::sync::Arc;

use app::config::{emulator_clients, Clients};
use app::http::Authorizer;
use app::jwt::{JwtConfig, JwtValidator};
use app::photos::Photos;
use app::signin::CognitoSignIn;
use app::store::Store;
use app::App;
use axum::extract::Request;
use axum::ServiceExt as _;
use contract::EnvVar;
use tower::ServiceExt as _;

const POOL_NAME: &str = "bubblebatch-local";

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// The dev mail sink must never run in a deployed stage: refuse inside Lambda and
/// refuse any AWS endpoint that is not on this machine.
fn refuse_non_local() -> Result<String, String> {
    if std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_some()
        || std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some()
    {
        return Err("the local server cannot run inside AWS Lambda".into());
    }
    let endpoint = std::env::var("AWS_ENDPOINT_URL").map_err(|_| {
        "AWS_ENDPOINT_URL must point at the local emulator (e.g. http://127.0.0.1:5000)"
    })?;
    let host = endpoint
        .strip_prefix("http://")
        .ok_or("AWS_ENDPOINT_URL must be a plain http:// loopback URL")?
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
        return Err(format!("AWS_ENDPOINT_URL host {host} is not loopback"));
    }
    Ok(endpoint.trim_end_matches('/').to_string())
}

/// Finds or creates the emulator user pool and its app client.
async fn ensure_pool(c: &Clients) -> Result<(String, String), String> {
    let pools = c
        .cognito
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .map_err(|e| format!("list user pools: {e}"))?;
    let existing = pools
        .user_pools()
        .iter()
        .find(|p| p.name() == Some(POOL_NAME))
        .and_then(|p| p.id().map(str::to_string));
    let pool_id = match existing {
        Some(id) => id,
        None => c
            .cognito
            .create_user_pool()
            .pool_name(POOL_NAME)
            .send()
            .await
            .map_err(|e| format!("create user pool: {e}"))?
            .user_pool
            .and_then(|p| p.id)
            .ok_or("no pool id")?,
    };
    let clients = c
        .cognito
        .list_user_pool_clients()
        .user_pool_id(&pool_id)
        .send()
        .await
        .map_err(|e| format!("list clients: {e}"))?;
    let client_id = match clients
        .user_pool_clients()
        .first()
        .and_then(|c| c.client_id())
    {
        Some(id) => id.to_string(),
        None => c
            .cognito
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("local")
            .send()
            .await
            .map_err(|e| format!("create client: {e}"))?
            .user_pool_client
            .and_then(|c| c.client_id)
            .ok_or("no client id")?,
    };
    Ok((pool_id, client_id))
}

async fn run() -> Result<(), String> {
    let endpoint = refuse_non_local()?;
    let port: u16 = env_or("BB_LOCAL_PORT", "3000")
        .parse()
        .map_err(|_| "BB_LOCAL_PORT must be a port number")?;
    let table = env_or(EnvVar::TableName.name(), "bubblebatch-local");
    let bucket = env_or(EnvVar::BucketName.name(), "bubblebatch-local-photos");
    let mail_dir = PathBuf::from(env_or("BB_LOCAL_MAIL_DIR", ".local/mail"));

    let clients = emulator_clients(&endpoint).await;
    app::devsetup::ensure_table(&clients, &table).await?;
    app::devsetup::ensure_bucket(&clients, &bucket).await?;
    let (pool_id, client_id) = ensure_pool(&clients).await?;
    let issuer = env_or(
        "BB_JWT_ISSUER",
        &format!("https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"),
    );
    let jwks_url = env_or(
        "BB_JWKS_URL",
        &format!("{endpoint}/{pool_id}/.well-known/jwks.json"),
    );
    let jwt = JwtValidator::fetch(
        JwtConfig {
            issuer: issuer.clone(),
            audiences: vec![client_id.clone()],
        },
        &jwks_url,
    )
    .await?;
    let signin = dev_signin::DevSignIn::new(
        CognitoSignIn {
            client: clients.cognito.clone(),
            user_pool_id: pool_id.clone(),
            client_id: client_id.clone(),
        },
        mail_dir.clone(),
    );
    let app = App {
        store: Store::new(clients.ddb.clone(), &table),
        photos: Photos::new(clients.s3.clone(), &bucket),
        signin: Some(Arc::new(signin)),
        clock: app::app::system_clock(),
    };
    // Every route of the contract, each protected one behind API Gateway's JWT checks.
    let router = app::http::router(app, contract::ROUTES, Authorizer::Jwt(Arc::new(jwt)));
    let service = router.map_request(app::http::normalize_path as fn(Request) -> Request);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| format!("bind 127.0.0.1:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("table {table}, bucket {bucket}, user pool {pool_id}, client {client_id}");
    println!("JWT issuer {issuer}, JWKS {jwks_url}");
    println!("dev mail sink: {}", mail_dir.display());
    println!("listening on http://{addr}");
    axum::serve(listener, service.into_make_service())
        .await
        .map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("local: {e}");
        std::process::exit(1);
    }
}
