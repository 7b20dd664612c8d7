//! The checks API Gateway's JWT authorizer (HTTP APIs) makes before a protected route's
//! integration runs: the token from the identity source (`Bearer ` optional), RS256 with
//! a key of the issuer's JWKS matched by `kid`, `iss` equal to the authorizer's issuer,
//! `aud` — or, for Cognito access tokens that have none, `client_id` — one of its
//! audiences, `exp`/`nbf`, and the route's scopes in `scope`. A failed check is a 401
//! (`{"message":"Unauthorized"}`), a missing scope a 403, as API Gateway answers.
//!
//! Keys: the emulator's Cognito signs with one RSA key (kid `dummy`) and serves it at
//! `{endpoint}/{pool id}/.well-known/jwks.json`, while its tokens carry the real issuer
//! URL (`https://cognito-idp.{region}.amazonaws.com/{pool id}`). So the JWKS of a Cognito
//! issuer is fetched from the emulator, and signatures are really verified; any other
//! issuer must itself be on 127.0.0.1 (dev sends nothing off this machine).
use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

use super::deployed::JwtAuthorizer;

/// The JWKS URL to use for an issuer, given the emulator's endpoint.
pub fn jwks_url(issuer: &str, endpoint: &str) -> Result<String> {
    let issuer = issuer.trim_end_matches('/');
    if let Some(rest) = issuer.strip_prefix("https://cognito-idp.") {
        let pool = rest.rsplit('/').next().unwrap_or_default();
        if pool.is_empty() || !rest.contains(".amazonaws.com/") {
            bail!("JWT issuer {issuer} is not a Cognito user pool URL");
        }
        return Ok(format!(
            "{}/{pool}/.well-known/jwks.json",
            endpoint.trim_end_matches('/')
        ));
    }
    if super::is_loopback_url(issuer) {
        return Ok(format!("{issuer}/.well-known/jwks.json"));
    }
    bail!(
        "JWT issuer {issuer} is neither a Cognito user pool (whose keys the emulator serves) \
         nor on 127.0.0.1: dev does not fetch keys from the network"
    )
}

pub struct Verifier {
    authorizer: JwtAuthorizer,
    keys: JwkSet,
}

/// Why a request was refused: the status and body API Gateway answers with.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Unauthorized(String),
    Forbidden(String),
}

/// What the integration receives in `requestContext.authorizer.jwt`.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub claims: BTreeMap<String, String>,
    pub scopes: Option<Vec<String>>,
}

impl Verifier {
    pub async fn fetch(authorizer: JwtAuthorizer, endpoint: &str) -> Result<Verifier> {
        let url = jwks_url(&authorizer.issuer, endpoint)?;
        let keys: JwkSet = reqwest::get(&url)
            .await
            .and_then(|r| r.error_for_status())
            .with_context(|| format!("fetching the JWKS of {} from {url}", authorizer.issuer))?
            .json()
            .await
            .with_context(|| format!("reading the JWKS at {url}"))?;
        Ok(Verifier { authorizer, keys })
    }

    /// The token in the request's headers, as the identity source names it.
    pub fn token<'a>(&self, header: impl Fn(&str) -> Option<&'a str>) -> Option<&'a str> {
        let source = self
            .authorizer
            .identity_source
            .first()
            .map(String::as_str)
            .unwrap_or("$request.header.Authorization");
        let name = source.strip_prefix("$request.header.")?;
        let value = header(name)?.trim();
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .unwrap_or(value)
            .trim();
        (!token.is_empty()).then_some(token)
    }

    pub fn verify(&self, token: Option<&str>, scopes: &[String]) -> Result<Verified, Refusal> {
        let unauthorized = |why: &str| Refusal::Unauthorized(why.to_string());
        let token = token.ok_or_else(|| unauthorized("no token in the identity source"))?;
        let header = decode_header(token).map_err(|_| unauthorized("malformed token"))?;
        if header.alg != Algorithm::RS256 {
            return Err(unauthorized("only RS256 tokens are accepted"));
        }
        let jwk = header
            .kid
            .as_deref()
            .and_then(|kid| self.keys.find(kid))
            .ok_or_else(|| unauthorized("signing key not in the issuer's JWKS"))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| unauthorized(&e.to_string()))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.authorizer.issuer]);
        // Audience is checked below: `aud` or, for access tokens, `client_id`.
        validation.validate_aud = false;
        validation.validate_nbf = true;
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "iss"]);
        let claims = decode::<Map<String, Value>>(token, &key, &validation)
            .map_err(|e| unauthorized(&format!("invalid token: {e}")))?
            .claims;
        let audiences: Vec<&str> = match claims.get("aud") {
            Some(Value::String(a)) => vec![a.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => claims
                .get("client_id")
                .and_then(Value::as_str)
                .into_iter()
                .collect(),
        };
        if !audiences
            .iter()
            .any(|a| self.authorizer.audience.iter().any(|want| want == a))
        {
            return Err(unauthorized("token is for another audience"));
        }
        let granted: Option<Vec<String>> = claims
            .get("scope")
            .and_then(Value::as_str)
            .map(|s| s.split_whitespace().map(str::to_string).collect());
        if !scopes.is_empty()
            && !granted
                .as_ref()
                .is_some_and(|g| scopes.iter().any(|s| g.contains(s)))
        {
            return Err(Refusal::Forbidden(format!(
                "token has none of the scopes {scopes:?}"
            )));
        }
        Ok(Verified {
            claims: claims
                .into_iter()
                .map(|(k, v)| (k, claim_string(&v)))
                .collect(),
            scopes: granted,
        })
    }
}

/// API Gateway passes every claim as a string; arrays as `[a b]`.
fn claim_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(claim_string).collect::<Vec<_>>().join(" ")
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cognito_keys_come_from_the_emulator_and_nothing_from_the_network() {
        let url = jwks_url(
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
            "http://127.0.0.1:5000",
        )
        .unwrap();
        assert_eq!(
            url,
            "http://127.0.0.1:5000/us-east-1_abc/.well-known/jwks.json"
        );
        assert!(jwks_url("https://login.example.com", "http://127.0.0.1:1").is_err());
        assert_eq!(
            jwks_url("http://127.0.0.1:9/issuer", "http://127.0.0.1:1").unwrap(),
            "http://127.0.0.1:9/issuer/.well-known/jwks.json"
        );
    }

    #[test]
    fn claims_are_strings_as_api_gateway_passes_them() {
        assert_eq!(claim_string(&serde_json::json!(1700000000)), "1700000000");
        assert_eq!(claim_string(&serde_json::json!(["a", "b"])), "[a b]");
        assert_eq!(claim_string(&serde_json::json!("x")), "x");
    }

    #[test]
    fn missing_and_garbage_tokens_are_unauthorized() {
        let v = Verifier {
            authorizer: JwtAuthorizer {
                issuer: "https://cognito-idp.us-east-1.amazonaws.com/p".into(),
                audience: vec!["c".into()],
                identity_source: vec!["$request.header.Authorization".into()],
            },
            keys: JwkSet { keys: vec![] },
        };
        assert!(matches!(v.verify(None, &[]), Err(Refusal::Unauthorized(_))));
        assert!(matches!(
            v.verify(Some("not.a.jwt"), &[]),
            Err(Refusal::Unauthorized(_))
        ));
        let headers = |name: &str| (name == "Authorization").then_some("Bearer abc");
        assert_eq!(v.token(headers), Some("abc"));
    }
}
