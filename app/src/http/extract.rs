//! Extractors for what handlers read from a request. Each rejects with an [`ApiError`],
//! so a client sees the same envelope and messages as for any other bad input, never
//! axum's plain-text rejections.
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{Extensions, StatusCode};
use lambda_http::request::RequestContext;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::identity::Caller;

/// The message of every 401 a handler (not the authorizer) gives.
pub const NO_CALLER: &str = "missing or invalid bearer token";

/// The caller of a protected route: the `sub` claim of the token API Gateway's JWT
/// authorizer accepted, from the request context lambda_http puts in the extensions
/// (`Authorizer::Jwt` puts the same context there).
impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, ApiError> {
        caller_of(&parts.extensions).ok_or_else(|| ApiError::unauthorized(NO_CALLER))
    }
}

/// The caller in a request's extensions, if an authorizer validated one.
pub fn caller_of(extensions: &Extensions) -> Option<Caller> {
    match extensions.get::<RequestContext>()? {
        RequestContext::ApiGatewayV2(ctx) => {
            let jwt = ctx.authorizer.as_ref()?.jwt.as_ref()?;
            Caller::from_claims(&jwt.claims)
        }
        _ => None,
    }
}

/// A JSON request body parsed into `T`. No content-type is required (API Gateway passes
/// any); every syntax or shape problem is a 400 that names the field at fault.
pub struct JsonBody<T>(pub T);

/// Larger bodies are refused before parsing; the API's JSON bodies are tiny.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<JsonBody<T>, ApiError> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(unreadable_body)?;
        parse_json(&body).map(JsonBody)
    }
}

fn unreadable_body(e: BytesRejection) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(413, "PAYLOAD_TOO_LARGE", "request body too large")
    } else {
        ApiError::bad_request(format!("request body could not be read: {}", e.body_text()))
    }
}

pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.is_empty() {
        return Err(ApiError::bad_request("request body must be a JSON object"));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || inner.is_syntax() || inner.is_eof() {
            ApiError::bad_request(format!("invalid JSON body: {inner}"))
        } else {
            ApiError::bad_request(format!("invalid JSON body: `{path}`: {inner}"))
        }
    })?;
    de.end()
        .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))?;
    Ok(value)
}

/// The decoded query parameters, in order of appearance.
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub fn parse(raw: &str) -> QueryParams {
        QueryParams(
            form_urlencoded::parse(raw.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The single value of a parameter; repeating it is an input error, not a guess.
    pub fn single(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.0.iter().filter(|(k, _)| k == name);
        let first = values.next().map(|(_, v)| v.as_str());
        if values.next().is_some() {
            return Err(ApiError::bad_request(format!(
                "query parameter `{name}` given more than once"
            )));
        }
        Ok(first)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<QueryParams, Self::Rejection> {
        Ok(QueryParams::parse(parts.uri.query().unwrap_or("")))
    }
}

/// The one `{...}` segment of a route's path, percent-decoded; handlers validate it.
pub struct PathParam(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathParam {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<PathParam, ApiError> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| PathParam(value))
            .map_err(|e| ApiError::bad_request(format!("invalid path: {}", e.body_text())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_decoded() {
        let q = QueryParams::parse("limit=5&cursor=a%2Bb&x=y+z&bad=%zz&t=%4&é%=%é");
        assert_eq!(
            q.0,
            vec![
                ("limit".into(), "5".into()),
                ("cursor".into(), "a+b".into()),
                ("x".into(), "y z".into()),
                ("bad".into(), "%zz".into()),
                ("t".into(), "%4".into()),
                ("é%".into(), "%é".into()),
            ]
        );
    }

    #[test]
    fn repeated_query_param_is_400() {
        let q = QueryParams::parse("limit=1&limit=2");
        assert_eq!(q.single("limit").unwrap_err().status, 400);
        assert_eq!(QueryParams::parse("").single("limit").unwrap(), None);
    }

    #[test]
    fn json_errors_name_the_field() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields, rename_all = "camelCase")]
        #[allow(dead_code)]
        struct Body {
            is_public: bool,
        }
        let e = parse_json::<Body>(br#"{"isPublic":"yes"}"#).unwrap_err();
        assert!(e.message.contains("`isPublic`"), "{}", e.message);
        let e = parse_json::<Body>(b"").unwrap_err();
        assert_eq!(e.message, "request body must be a JSON object");
        let e = parse_json::<Body>(br#"{"isPublic":true} x"#).unwrap_err();
        assert!(e.message.starts_with("invalid JSON body"), "{}", e.message);
    }
}
