//! The smoke test after a deploy (`--smoke`): real HTTP calls to the stage's API URL.
//!
//! - every public route (authorization NONE) must answer below 500 and not 401: a 4xx
//!   for the placeholder path parameters (`smoke-test`) or the empty JSON body non-GET
//!   routes get still proves routing, integration and the function;
//! - one authenticated route (the first `GET` without path parameters) must answer 401
//!   without a token (its authorizer is enforced), and, when the stage names a smoke
//!   user, 2xx with that user's token (REFRESH_TOKEN_AUTH against the authorizer's user
//!   pool client, the refresh token read from SSM).
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{json, Value};

use super::verify_routes::ApiSpec;

/// One call of the smoke test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub route: String,
    pub method: String,
    pub path: String,
    pub expect: Expect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A public route: below 500, and not 401.
    Answers,
    /// An authenticated route called without a token: 401.
    Unauthorized,
    /// An authenticated route with the smoke user's token: 2xx.
    Success,
}

impl Expect {
    pub fn accepts(self, status: u16) -> bool {
        match self {
            Expect::Answers => status < 500 && status != 401,
            Expect::Unauthorized => status == 401,
            Expect::Success => (200..300).contains(&status),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Expect::Answers => "an answer below 500, not 401 (public route)",
            Expect::Unauthorized => "401 without a token",
            Expect::Success => "2xx with the smoke user's token",
        }
    }
}

/// `{id}` and `{proxy+}` path parameters filled with a placeholder.
pub fn fill_path(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with('{') && seg.ends_with('}') {
                "smoke-test"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The calls for this API: public routes, and one authenticated route (twice when a
/// token is at hand).
pub fn probes(api: &ApiSpec, with_token: bool) -> Vec<Probe> {
    let mut out = Vec::new();
    let split = |key: &str| -> (String, String) {
        match key.split_once(' ') {
            Some((m, p)) if m != "ANY" => (m.to_string(), p.to_string()),
            Some((_, p)) => ("GET".to_string(), p.to_string()),
            None => ("GET".to_string(), "/".to_string()), // $default
        }
    };
    for (key, r) in &api.routes {
        if r.authorization == "NONE" {
            let (method, path) = split(key);
            out.push(Probe {
                route: key.clone(),
                method,
                path: fill_path(&path),
                expect: Expect::Answers,
            });
        }
    }
    let authenticated = api
        .routes
        .iter()
        .find(|(k, r)| r.authorization != "NONE" && k.starts_with("GET ") && !k.contains('{'));
    if let Some((key, _)) = authenticated {
        let (method, path) = split(key);
        out.push(Probe {
            route: key.clone(),
            method: method.clone(),
            path: path.clone(),
            expect: Expect::Unauthorized,
        });
        if with_token {
            out.push(Probe {
                route: key.clone(),
                method,
                path,
                expect: Expect::Success,
            });
        }
    }
    out
}

/// What one call got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub probe: Probe,
    pub status: Option<u16>,
    pub error: Option<String>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.status.is_some_and(|s| self.probe.expect.accepts(s))
    }

    pub fn line(&self) -> String {
        let got = match (self.status, &self.error) {
            (Some(s), _) => s.to_string(),
            (None, Some(e)) => format!("no answer ({e})"),
            (None, None) => "no answer".into(),
        };
        format!(
            "{} {} {} → {got}{}",
            if self.passed() { "ok  " } else { "FAIL" },
            self.probe.method,
            self.probe.path,
            if self.passed() {
                String::new()
            } else {
                format!(" (expected {})", self.probe.expect.describe())
            }
        )
    }
}

pub fn http_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .context("building the smoke test's HTTP client")
}

/// Calls every probe against `base_url` (the API's invoke URL).
pub async fn run(
    http: &reqwest::Client,
    base_url: &str,
    probes: &[Probe],
    token: Option<&str>,
) -> Vec<Outcome> {
    let base = base_url.trim_end_matches('/');
    let mut out = Vec::new();
    for probe in probes {
        let url = format!("{base}{}", probe.path);
        let method =
            reqwest::Method::from_bytes(probe.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut request = http
            .request(method.clone(), &url)
            .header("User-Agent", "bubblebatch-smoke");
        if method != reqwest::Method::GET && method != reqwest::Method::HEAD {
            request = request
                .header("Content-Type", "application/json")
                .body("{}");
        }
        if probe.expect == Expect::Success {
            if let Some(t) = token {
                request = request.bearer_auth(t);
            }
        }
        let (status, error) = match request.send().await {
            Ok(r) => (Some(r.status().as_u16()), None),
            Err(e) => (None, Some(e.to_string())),
        };
        out.push(Outcome {
            probe: probe.clone(),
            status,
            error,
        });
    }
    out
}

/// The JWT authorizer's issuer and first audience (the user pool and its app client).
pub async fn jwt_client(
    apigateway: &aws_sdk_apigatewayv2::Client,
    api_id: &str,
) -> Result<Option<(String, String)>> {
    let out = apigateway
        .get_authorizers()
        .api_id(api_id)
        .send()
        .await
        .map_err(|e| anyhow!("{}", aws_sdk_apigatewayv2::error::DisplayErrorContext(e)))
        .context("GetAuthorizers")?;
    Ok(out.items().iter().find_map(|a| {
        let jwt = a.jwt_configuration()?;
        Some((jwt.issuer()?.to_string(), jwt.audience().first()?.clone()))
    }))
}

/// Cognito's endpoint for an issuer `https://cognito-idp.<region>.amazonaws.com/<pool>`,
/// or the emulator's.
pub fn cognito_endpoint(issuer: &str, emulator: Option<&str>) -> Result<String> {
    if let Some(e) = emulator {
        return Ok(e.trim_end_matches('/').to_string() + "/");
    }
    let host = issuer
        .strip_prefix("https://")
        .and_then(|r| r.split('/').next())
        .filter(|h| h.starts_with("cognito-idp."))
        .ok_or_else(|| anyhow!("the authorizer's issuer {issuer} is not a Cognito user pool"))?;
    Ok(format!("https://{host}/"))
}

/// An access token for the smoke user: InitiateAuth with REFRESH_TOKEN_AUTH (an
/// unauthenticated Cognito call; passwordless pools allow it too).
pub async fn sign_in(
    http: &reqwest::Client,
    cognito: &str,
    client_id: &str,
    refresh_token: &str,
) -> Result<String> {
    let response = http
        .post(cognito)
        .header(
            "X-Amz-Target",
            "AWSCognitoIdentityProviderService.InitiateAuth",
        )
        .header("Content-Type", "application/x-amz-json-1.1")
        .body(
            json!({
                "AuthFlow": "REFRESH_TOKEN_AUTH",
                "ClientId": client_id,
                "AuthParameters": {"REFRESH_TOKEN": refresh_token}
            })
            .to_string(),
        )
        .send()
        .await
        .context("Cognito InitiateAuth (REFRESH_TOKEN_AUTH)")?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        bail!(
            "Cognito refused the smoke user's refresh token ({status}): {}",
            body.get("message")
                .or(body.get("Message"))
                .and_then(Value::as_str)
                .unwrap_or("no message")
        );
    }
    body.pointer("/AuthenticationResult/AccessToken")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| anyhow!("Cognito's answer has no access token"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::verify_routes::RouteSpec;

    fn route(auth: &str) -> RouteSpec {
        RouteSpec {
            authorization: auth.into(),
            authorizer: (auth != "NONE").then(|| "jwt".into()),
            function: None,
        }
    }

    #[test]
    fn probes_cover_public_routes_and_one_authenticated_route() {
        let api = ApiSpec {
            routes: [
                ("POST /auth/login".to_string(), route("NONE")),
                ("GET /public/b/{batchId}".to_string(), route("NONE")),
                ("GET /batches/{id}".to_string(), route("JWT")),
                ("GET /batches".to_string(), route("JWT")),
                ("POST /batches".to_string(), route("JWT")),
            ]
            .into(),
            ..ApiSpec::default()
        };
        let shown: Vec<(String, String, Expect)> = probes(&api, true)
            .into_iter()
            .map(|p| (p.method, p.path, p.expect))
            .collect();
        assert_eq!(
            shown,
            [
                ("GET".into(), "/public/b/smoke-test".into(), Expect::Answers),
                ("POST".into(), "/auth/login".into(), Expect::Answers),
                ("GET".into(), "/batches".into(), Expect::Unauthorized),
                ("GET".into(), "/batches".into(), Expect::Success),
            ]
        );
        assert_eq!(probes(&api, false).len(), 3);
    }

    #[test]
    fn expectations() {
        assert!(Expect::Answers.accepts(400) && Expect::Answers.accepts(404));
        assert!(!Expect::Answers.accepts(401) && !Expect::Answers.accepts(502));
        assert!(Expect::Unauthorized.accepts(401) && !Expect::Unauthorized.accepts(200));
        assert!(Expect::Success.accepts(200) && !Expect::Success.accepts(401));
        assert_eq!(
            cognito_endpoint(
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x",
                None
            )
            .unwrap(),
            "https://cognito-idp.eu-west-1.amazonaws.com/"
        );
        assert!(cognito_endpoint("https://example.com/x", None).is_err());
    }
}
