//! JWT validation as API Gateway's HTTP API JWT authorizer does it, for the local
//! gateway: RS256 signature by a key from the JWKS (matched by `kid`), `iss` equal to the
//! configured issuer, `aud` or `client_id` in the configured audience list, `exp`/`nbf`.
//! The issuer and the JWKS URL are configured separately because emulators (moto) serve
//! the JWKS somewhere other than `<issuer>/.well-known/jwks.json`.
use std::collections::HashMap;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct JwtConfig {
    pub issuer: String,
    /// Accepted app client ids (API Gateway's `audience`).
    pub audiences: Vec<String>,
}

pub struct JwtValidator {
    config: JwtConfig,
    keys: JwkSet,
}

#[derive(Debug, PartialEq, Eq)]
pub enum JwtError {
    Malformed,
    UnsupportedAlgorithm,
    UnknownKey,
    Invalid(String),
    WrongAudience,
    MissingSub,
}

impl std::fmt::Display for JwtError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JwtError::Malformed => write!(f, "malformed token"),
            JwtError::UnsupportedAlgorithm => write!(f, "unsupported algorithm"),
            JwtError::UnknownKey => write!(f, "unknown signing key"),
            JwtError::Invalid(e) => write!(f, "invalid token: {e}"),
            JwtError::WrongAudience => write!(f, "token is for another client"),
            JwtError::MissingSub => write!(f, "token has no subject"),
        }
    }
}

impl JwtValidator {
    pub fn new(config: JwtConfig, keys: JwkSet) -> JwtValidator {
        JwtValidator { config, keys }
    }

    /// Downloads the JWKS (once).
    pub async fn fetch(config: JwtConfig, jwks_url: &str) -> Result<JwtValidator, String> {
        let keys: JwkSet = reqwest::get(jwks_url)
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| format!("fetching JWKS from {jwks_url}: {e}"))?
            .json()
            .await
            .map_err(|e| format!("parsing JWKS from {jwks_url}: {e}"))?;
        Ok(JwtValidator::new(config, keys))
    }

    /// Validates a bearer token and returns its claims stringified the way API Gateway
    /// passes them to Lambdas (`requestContext.authorizer.jwt.claims`).
    pub fn validate(&self, token: &str) -> Result<HashMap<String, String>, JwtError> {
        let header = decode_header(token).map_err(|_| JwtError::Malformed)?;
        // Only RS256, whatever the header claims: this blocks `alg: none` and the
        // HS256-with-public-key confusion.
        if header.alg != Algorithm::RS256 {
            return Err(JwtError::UnsupportedAlgorithm);
        }
        let jwk = header
            .kid
            .as_deref()
            .and_then(|kid| self.keys.find(kid))
            .ok_or(JwtError::UnknownKey)?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| JwtError::Invalid(e.to_string()))?;
        let mut v = Validation::new(Algorithm::RS256);
        v.set_issuer(&[&self.config.issuer]);
        v.set_required_spec_claims(&["exp", "iss", "sub"]);
        v.validate_nbf = true;
        // Cognito access tokens carry `client_id`, ID tokens `aud`: checked below.
        v.validate_aud = false;
        let data = decode::<Map<String, Value>>(token, &key, &v)
            .map_err(|e| JwtError::Invalid(e.to_string()))?;
        let claims = data.claims;
        let aud_ok = ["aud", "client_id"].iter().any(|c| match claims.get(*c) {
            Some(Value::String(s)) => self.config.audiences.contains(s),
            Some(Value::Array(a)) => a.iter().any(|s| {
                s.as_str()
                    .is_some_and(|s| self.config.audiences.iter().any(|x| x == s))
            }),
            _ => false,
        });
        if !aud_ok {
            return Err(JwtError::WrongAudience);
        }
        match claims.get("sub") {
            Some(Value::String(s)) if !s.is_empty() => {}
            _ => return Err(JwtError::MissingSub),
        }
        Ok(claims
            .into_iter()
            .map(|(k, v)| {
                let s = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, s)
            })
            .collect())
    }
}
