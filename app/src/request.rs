//! A transport-neutral request: both the Lambda adapter and the local server build one,
//! so every handler is exercised the same way in tests, locally and deployed.
use serde::de::DeserializeOwned;

use crate::identity::Caller;
use crate::response::ApiError;

#[derive(Debug, Clone, Default)]
pub struct ApiRequest {
    pub method: String,
    /// Path without stage prefix or query string, e.g. `/batches/01J.../events`.
    pub path: String,
    /// Decoded query parameters in order of appearance.
    pub query: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Set only when a JWT authorizer (API Gateway or the local gateway) validated a token.
    pub caller: Option<Caller>,
}

impl ApiRequest {
    pub fn new(method: &str, path: &str) -> ApiRequest {
        ApiRequest {
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            ..ApiRequest::default()
        }
    }

    pub fn with_json(mut self, body: &serde_json::Value) -> ApiRequest {
        self.body = serde_json::to_vec(body).expect("Value serializes");
        self
    }

    pub fn with_caller(mut self, sub: &str) -> ApiRequest {
        self.caller = Some(Caller { sub: sub.into() });
        self
    }

    pub fn with_query(mut self, key: &str, value: &str) -> ApiRequest {
        self.query.push((key.into(), value.into()));
        self
    }

    /// The single value of a query parameter; repeating it is an input error, not a guess.
    pub fn query_param(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.query.iter().filter(|(k, _)| k == name);
        let first = values.next().map(|(_, v)| v.as_str());
        if values.next().is_some() {
            return Err(ApiError::bad_request(format!(
                "query parameter `{name}` given more than once"
            )));
        }
        Ok(first)
    }

    /// Parses the body as JSON into `T`; any syntax or shape problem is a 400 naming it.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if self.body.is_empty() {
            return Err(ApiError::bad_request("request body must be a JSON object"));
        }
        let mut de = serde_json::Deserializer::from_slice(&self.body);
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

    /// The authenticated caller, or 401. API Gateway already rejects unauthenticated calls
    /// to these routes; checking again keeps a misconfigured route from serving anonymous users.
    pub fn caller(&self) -> Result<&Caller, ApiError> {
        self.caller
            .as_ref()
            .ok_or_else(|| ApiError::unauthorized("missing or invalid bearer token"))
    }
}

/// Splits and percent-decodes a raw query string (`a=1&b=x%20y`).
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            // Work on bytes, not str slices: a `%` before a multi-byte char must not panic.
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_decoded() {
        assert_eq!(
            parse_query("limit=5&cursor=a%2Bb&x=y+z&bad=%zz&t=%4&é%=%é"),
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
        let r = ApiRequest::new("GET", "/x")
            .with_query("limit", "1")
            .with_query("limit", "2");
        assert_eq!(r.query_param("limit").unwrap_err().status, 400);
    }
}
