//! The local gateway's JWT validation, with the negative cases API Gateway's authorizer
//! rejects. Tokens are signed with a test-only RSA key (tests/fixtures).
use app::jwt::{JwtConfig, JwtError, JwtValidator};
use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test";
const CLIENT: &str = "client-123";

fn validator() -> JwtValidator {
    let jwks = serde_json::from_str(include_str!("fixtures/jwks.json")).unwrap();
    JwtValidator::new(
        JwtConfig {
            issuer: ISSUER.into(),
            audiences: vec![CLIENT.into()],
        },
        jwks,
    )
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn good_claims() -> Value {
    json!({"sub": "user-1", "iss": ISSUER, "client_id": CLIENT, "token_use": "access",
           "exp": now() + 3600, "iat": now()})
}

fn sign_with(claims: &Value, pem: &[u8], kid: &str) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.into());
    encode(&header, claims, &EncodingKey::from_rsa_pem(pem).unwrap()).unwrap()
}

fn sign(claims: &Value) -> String {
    sign_with(
        claims,
        include_bytes!("fixtures/jwt-test-key.pem"),
        "test-kid",
    )
}

fn with(field: &str, value: Value) -> Value {
    let mut c = good_claims();
    c[field] = value;
    c
}

fn without(field: &str) -> Value {
    let mut c = good_claims();
    c.as_object_mut().unwrap().remove(field);
    c
}

#[test]
fn valid_access_and_id_tokens_pass() {
    let claims = validator().validate(&sign(&good_claims())).unwrap();
    assert_eq!(claims["sub"], "user-1");
    assert_eq!(claims["token_use"], "access");
    // ID tokens carry the client in `aud` instead.
    let id = with("aud", json!(CLIENT));
    let mut id = id;
    id.as_object_mut().unwrap().remove("client_id");
    assert!(validator().validate(&sign(&id)).is_ok());
}

#[test]
fn expired_token_is_rejected() {
    let t = sign(&with("exp", json!(now() - 3600)));
    assert!(matches!(
        validator().validate(&t),
        Err(JwtError::Invalid(_))
    ));
}

#[test]
fn not_yet_valid_token_is_rejected() {
    let t = sign(&with("nbf", json!(now() + 3600)));
    assert!(matches!(
        validator().validate(&t),
        Err(JwtError::Invalid(_))
    ));
}

#[test]
fn wrong_issuer_is_rejected() {
    let t = sign(&with(
        "iss",
        json!("https://cognito-idp.us-east-1.amazonaws.com/other"),
    ));
    assert!(matches!(
        validator().validate(&t),
        Err(JwtError::Invalid(_))
    ));
}

#[test]
fn wrong_audience_or_client_is_rejected() {
    let t = sign(&with("client_id", json!("someone-else")));
    assert_eq!(validator().validate(&t), Err(JwtError::WrongAudience));
    let mut c = without("client_id");
    c["aud"] = json!(["x", "y"]);
    assert_eq!(
        validator().validate(&sign(&c)),
        Err(JwtError::WrongAudience)
    );
}

#[test]
fn bad_signature_is_rejected() {
    // Same kid, different key: the signature does not verify.
    let forged = sign_with(
        &good_claims(),
        include_bytes!("fixtures/jwt-other-key.pem"),
        "test-kid",
    );
    assert!(matches!(
        validator().validate(&forged),
        Err(JwtError::Invalid(_))
    ));
    // A valid token with its payload swapped.
    let good = sign(&good_claims());
    let other = sign(&with("sub", json!("admin")));
    let parts: Vec<&str> = good.split('.').collect();
    let other_payload = other.split('.').nth(1).unwrap();
    let tampered = format!("{}.{}.{}", parts[0], other_payload, parts[2]);
    assert!(matches!(
        validator().validate(&tampered),
        Err(JwtError::Invalid(_))
    ));
    // Unknown kid.
    let t = sign_with(
        &good_claims(),
        include_bytes!("fixtures/jwt-test-key.pem"),
        "other-kid",
    );
    assert_eq!(validator().validate(&t), Err(JwtError::UnknownKey));
}

#[test]
fn alg_none_and_hmac_are_rejected() {
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT", "kid": "test-kid"})),
        b64(&good_claims())
    );
    assert!(validator().validate(&none).is_err());
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("test-kid".into());
    let hs = encode(
        &header,
        &good_claims(),
        &EncodingKey::from_secret(b"secret"),
    )
    .unwrap();
    assert_eq!(
        validator().validate(&hs),
        Err(JwtError::UnsupportedAlgorithm)
    );
}

#[test]
fn missing_claims_are_rejected() {
    for claim in ["sub", "exp", "iss"] {
        let t = sign(&without(claim));
        assert!(
            validator().validate(&t).is_err(),
            "token without {claim} accepted"
        );
    }
    assert_eq!(
        validator().validate(&sign(&with("sub", json!("")))),
        Err(JwtError::MissingSub)
    );
    let mut c = without("client_id");
    c.as_object_mut().unwrap().remove("aud");
    assert_eq!(
        validator().validate(&sign(&c)),
        Err(JwtError::WrongAudience)
    );
    for garbage in ["", "abc", "a.b.c", "Bearer x"] {
        assert!(validator().validate(garbage).is_err());
    }
}
