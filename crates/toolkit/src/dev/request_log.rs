//! The emulator's request log (`emulator/bubble_moto/request_log.py`, one JSON line per
//! signed request) read as it grows, and each request turned into what IAM would
//! authorize: an action, the resource's ARN and the condition keys the request sets.
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::Deserialize;

/// The emulator's variable naming the log file.
pub const REQUEST_LOG_ENV: &str = "BUBBLE_MOTO_REQUEST_LOG";
/// The emulator's variable naming the URL it asks before handling a signed request.
pub const AUTHORIZER_ENV: &str = "BUBBLE_MOTO_AUTHORIZER";

/// One signed request, as the emulator logged it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Request {
    pub time_ms: u64,
    pub access_key: String,
    /// `null` for S3's legacy SigV2.
    pub region: Option<String>,
    /// The signing name of the credential scope (`dynamodb`, `s3`, `cognito-idp`).
    pub service: String,
    pub operation: Option<String>,
    pub method: String,
    pub path: String,
    /// Signed into a URL that someone else used (an S3 presigned upload).
    pub presigned: bool,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

/// Reads the lines added to the log since the last call.
pub struct Tail {
    path: PathBuf,
    offset: u64,
    partial: String,
}

impl Tail {
    pub fn new(path: PathBuf) -> Tail {
        Tail {
            path,
            offset: 0,
            partial: String::new(),
        }
    }

    /// The whole requests written since the last call (none while the file is missing).
    pub fn read_new(&mut self) -> Result<Vec<Request>> {
        let mut file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", self.path.display())),
        };
        file.seek(SeekFrom::Start(self.offset))?;
        let mut added = String::new();
        let n = file.read_to_string(&mut added)?;
        self.offset += n as u64;
        self.partial.push_str(&added);
        let Some(end) = self.partial.rfind('\n') else {
            return Ok(Vec::new());
        };
        let complete: String = self.partial.drain(..=end).collect();
        complete
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l)
                    .with_context(|| format!("{}: not a request record: {l}", self.path.display()))
            })
            .collect()
    }
}

/// What IAM does with a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Authorization {
    /// IAM authorizes `action` on `resource` (an ARN, or `*`).
    Iam {
        action: String,
        resource: String,
        /// Condition keys the request sets (`s3:prefix`, `aws:RequestedRegion`).
        context: BTreeMap<String, String>,
    },
    /// The operation is not authorized by IAM policies (Cognito's sign-in API).
    NotByIam(&'static str),
    /// Not mapped to an action and resource here: reported as unchecked, with why.
    Unknown(String),
}

/// Operations no identity policy governs: Cognito's public sign-in API (authorized by
/// the app client and the user's tokens) and `sts:GetCallerIdentity`.
const NOT_BY_IAM: &[(&str, &str, &str)] = &[
    (
        "cognito-idp",
        "InitiateAuth",
        "Cognito's public sign-in API",
    ),
    (
        "cognito-idp",
        "RespondToAuthChallenge",
        "Cognito's public sign-in API",
    ),
    ("cognito-idp", "SignUp", "Cognito's public sign-in API"),
    (
        "cognito-idp",
        "ConfirmSignUp",
        "Cognito's public sign-in API",
    ),
    (
        "cognito-idp",
        "GetUser",
        "authorized by the user's access token",
    ),
    (
        "cognito-idp",
        "GlobalSignOut",
        "authorized by the user's access token",
    ),
    ("cognito-idp", "RevokeToken", "authorized by the app client"),
    ("sts", "GetCallerIdentity", "needs no permission"),
];

/// The IAM service prefix of a signing name, where they differ.
fn iam_prefix(service: &str) -> &str {
    match service {
        "monitoring" => "cloudwatch",
        "email" => "ses",
        other => other,
    }
}

/// The S3 action an S3 operation needs.
fn s3_action(operation: &str) -> &str {
    match operation {
        "HeadObject" => "GetObject",
        "ListObjects" | "ListObjectsV2" | "HeadBucket" => "ListBucket",
        "CreateMultipartUpload" | "UploadPart" | "CompleteMultipartUpload" => "PutObject",
        "AbortMultipartUpload" => "AbortMultipartUpload",
        "DeleteObjects" => "DeleteObject",
        "GetBucketPolicy" | "GetBucketVersioning" | "GetBucketLocation" | "GetBucketTagging" => {
            operation
        }
        other => other,
    }
}

/// The action, resource and condition keys of a request by a principal of `account`.
pub fn authorization(request: &Request, account: &str) -> Authorization {
    let Some(operation) = request.operation.as_deref() else {
        return Authorization::Unknown(format!(
            "{} {} {}: operation not recognised",
            request.service, request.method, request.path
        ));
    };
    if let Some((_, _, why)) = NOT_BY_IAM
        .iter()
        .find(|(s, o, _)| *s == request.service && *o == operation)
    {
        return Authorization::NotByIam(why);
    }
    let region = request.region.as_deref().unwrap_or("us-east-1");
    let mut context = BTreeMap::from([("aws:RequestedRegion".to_string(), region.to_string())]);
    let param = |name: &str| request.params.get(name).map(String::as_str);
    let (action, resource) = match request.service.as_str() {
        "dynamodb" => {
            let Some(table) = param("TableName") else {
                return Authorization::Unknown(format!(
                    "dynamodb:{operation}: the log names no table (batch and transaction \
                     calls name theirs per item)"
                ));
            };
            let mut arn = format!("arn:aws:dynamodb:{region}:{account}:table/{table}");
            if let Some(index) = param("IndexName") {
                arn.push_str(&format!("/index/{index}"));
            }
            (format!("dynamodb:{operation}"), arn)
        }
        "s3" => {
            let action = format!("s3:{}", s3_action(operation));
            let resource = match (param("Bucket"), param("Key")) {
                (Some(b), Some(k)) => format!("arn:aws:s3:::{b}/{k}"),
                (Some(b), None) => format!("arn:aws:s3:::{b}"),
                _ => "*".to_string(),
            };
            if let Some(prefix) = param("Prefix") {
                context.insert("s3:prefix".into(), prefix.to_string());
            }
            (action, resource)
        }
        "cognito-idp" => {
            let resource = match param("UserPoolId") {
                Some(pool) => format!("arn:aws:cognito-idp:{region}:{account}:userpool/{pool}"),
                None => "*".to_string(),
            };
            (format!("cognito-idp:{operation}"), resource)
        }
        "sts" => {
            let resource = param("RoleArn").unwrap_or("*").to_string();
            (format!("sts:{operation}"), resource)
        }
        other => {
            return Authorization::Unknown(format!(
                "{}:{operation}: resource ARNs of {other} requests are not derived",
                iam_prefix(other)
            ))
        }
    };
    Authorization::Iam {
        action,
        resource,
        context,
    }
}

#[cfg(test)]
impl Request {
    /// A signed POST of `operation` at 1 ms, in us-east-1.
    pub(crate) fn for_test(
        access_key: &str,
        service: &str,
        operation: &str,
        params: &[(&str, &str)],
    ) -> Request {
        Request {
            time_ms: 1,
            access_key: access_key.into(),
            region: Some("us-east-1".into()),
            service: service.into(),
            operation: Some(operation.into()),
            method: "POST".into(),
            path: "/".into(),
            presigned: false,
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(service: &str, operation: &str, params: &[(&str, &str)]) -> Request {
        Request::for_test("ASIA1", service, operation, params)
    }

    fn iam(r: &Request) -> (String, String) {
        match authorization(r, "123456789012") {
            Authorization::Iam {
                action, resource, ..
            } => (action, resource),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn requests_become_actions_on_the_resources_they_name() {
        assert_eq!(
            iam(&request(
                "dynamodb",
                "Query",
                &[("TableName", "t"), ("IndexName", "GSI1")]
            )),
            (
                "dynamodb:Query".into(),
                "arn:aws:dynamodb:us-east-1:123456789012:table/t/index/GSI1".into()
            )
        );
        assert_eq!(
            iam(&request(
                "s3",
                "HeadObject",
                &[("Bucket", "b"), ("Key", "users/u/p.jpg")]
            )),
            ("s3:GetObject".into(), "arn:aws:s3:::b/users/u/p.jpg".into())
        );
        let listing = request(
            "s3",
            "ListObjectsV2",
            &[("Bucket", "b"), ("Prefix", "users/")],
        );
        match authorization(&listing, "1") {
            Authorization::Iam {
                action,
                resource,
                context,
            } => {
                assert_eq!(
                    (action.as_str(), resource.as_str()),
                    ("s3:ListBucket", "arn:aws:s3:::b")
                );
                assert_eq!(context["s3:prefix"], "users/");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            iam(&request(
                "cognito-idp",
                "AdminGetUser",
                &[("UserPoolId", "us-east-1_x")]
            )),
            (
                "cognito-idp:AdminGetUser".into(),
                "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x".into()
            )
        );
        assert!(matches!(
            authorization(&request("cognito-idp", "InitiateAuth", &[]), "1"),
            Authorization::NotByIam(_)
        ));
        assert!(matches!(
            authorization(&request("dynamodb", "TransactWriteItems", &[]), "1"),
            Authorization::Unknown(_)
        ));
    }

    #[test]
    fn the_tail_returns_whole_lines_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("requests.jsonl");
        let mut tail = Tail::new(path.clone());
        assert!(tail.read_new().unwrap().is_empty(), "no file yet");
        let line = r#"{"time_ms":5,"access_key":"A","region":null,"service":"s3","operation":"PutObject","method":"PUT","path":"/b/k","presigned":true,"params":{"Bucket":"b","Key":"k"}}"#;
        std::fs::write(&path, format!("{line}\n{}", &line[..20])).unwrap();
        let first = tail.read_new().unwrap();
        assert_eq!(first.len(), 1);
        assert!(first[0].presigned);
        assert!(tail.read_new().unwrap().is_empty(), "half a line waits");
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        writeln!(f, "{}", &line[20..]).unwrap();
        assert_eq!(tail.read_new().unwrap(), first);
    }
}
