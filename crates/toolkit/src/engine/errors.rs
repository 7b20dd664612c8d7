//! Engine errors in words a person can act on. The SDK's errors are precise but read as
//! a debug dump (`dispatch failure: other: an error occurred while loading credentials:
//! failed to load IMDS session token: ... DispatchFailure(DispatchFailure { ...`). The
//! common causes are recognised here and told as what failed and what to do next; the
//! raw error stays available behind `--verbose` / `RUST_LOG` (the CLI's job).
use std::fmt;

use regex_lite::Regex;

/// A cause the engine can explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The SDK's credential chain found nothing.
    NoCredentials,
    /// The endpoint did not answer (refused, DNS, timeout).
    Unreachable,
    /// IAM said no; action and resource when AWS named them.
    AccessDenied {
        action: Option<String>,
        resource: Option<String>,
    },
    /// Rate exceeded, even after the SDK's and the engine's retries.
    Throttled,
    /// Temporary credentials (SSO, assumed role) that ran out.
    ExpiredToken,
}

/// What the explanation may name: where calls went and how the user runs the CLI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorContext {
    /// `AWS_ENDPOINT_URL`, when set.
    pub endpoint: Option<String>,
    pub region: String,
    /// `--profile` / `AWS_PROFILE`.
    pub profile: Option<String>,
    /// `cargo run -p infra --`.
    pub command: String,
}

fn any_word(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        Regex::new(&format!(r"\b{}\b", regex_lite::escape(w)))
            .expect("a literal word")
            .is_match(text)
    })
}

fn contains_any(text: &str, needles: &[&str]) -> bool {
    let lower = text.to_ascii_lowercase();
    needles.iter().any(|n| lower.contains(n))
}

/// The cause of an error, from its full text (every error of the chain, as
/// `format!("{e:#}")` or `{e:?}` prints it), or `None` when none of these.
pub fn classify(text: &str) -> Option<Problem> {
    if any_word(
        text,
        &["ExpiredToken", "ExpiredTokenException", "RequestExpired"],
    ) || contains_any(
        text,
        &[
            "security token included in the request is expired",
            "token has expired",
            "session has expired",
        ],
    ) {
        return Some(Problem::ExpiredToken);
    }
    if contains_any(
        text,
        &[
            "loading credentials",
            "no credentials",
            "credentialsnotloaded",
            "no providers in chain provided credentials",
        ],
    ) {
        return Some(Problem::NoCredentials);
    }
    if any_word(
        text,
        &[
            "AccessDenied",
            "AccessDeniedException",
            "UnauthorizedOperation",
        ],
    ) || text.contains("is not authorized to perform")
    {
        let denied = Regex::new(r"not authorized to perform: (\S+)(?: on resource: (\S+))?")
            .expect("a valid pattern");
        let found = denied.captures(text);
        let part = |i| {
            found
                .as_ref()
                .and_then(|c| c.get(i))
                .map(|m| m.as_str().to_string())
        };
        return Some(Problem::AccessDenied {
            action: part(1),
            resource: part(2),
        });
    }
    if any_word(
        text,
        &[
            "Throttling",
            "ThrottlingException",
            "TooManyRequestsException",
            "RequestLimitExceeded",
        ],
    ) || text.contains("Rate exceeded")
    {
        return Some(Problem::Throttled);
    }
    if contains_any(text, &["dispatch failure", "dispatchfailure"])
        && contains_any(
            text,
            &[
                "connection refused",
                "tcp connect error",
                "dns error",
                "failed to lookup address",
                "timed out",
                "timeout",
                "connection reset",
                "io error",
            ],
        )
    {
        return Some(Problem::Unreachable);
    }
    None
}

/// An explained error: what failed, and what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub problem: Problem,
    pub what: String,
    pub next: String,
}

impl fmt::Display for Explained {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\nNext: {}", self.what, self.next)
    }
}

/// The endpoint calls went to: `AWS_ENDPOINT_URL`, else CloudFormation's in the region.
fn endpoint(ctx: &ErrorContext) -> String {
    ctx.endpoint
        .clone()
        .unwrap_or_else(|| format!("https://cloudformation.{}.amazonaws.com", ctx.region))
}

/// `text` (the error's full chain) in words, or `None` when its cause is not one of the
/// [`Problem`]s.
pub fn explain(text: &str, ctx: &ErrorContext) -> Option<Explained> {
    let problem = classify(text)?;
    let profile = ctx.profile.as_deref().unwrap_or("default");
    let login = format!("`aws sso login --profile {profile}`");
    let try_locally = format!(
        "`{} dev` runs the app locally without an account",
        ctx.command
    );
    let (what, next) = match &problem {
        Problem::NoCredentials => (
            format!(
                "no AWS credentials found. Looked in: the environment (AWS_ACCESS_KEY_ID, \
                 AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); the profile '{profile}' in \
                 ~/.aws/credentials and ~/.aws/config (or AWS_SHARED_CREDENTIALS_FILE, \
                 AWS_CONFIG_FILE), with its SSO session; a web identity token \
                 (AWS_WEB_IDENTITY_TOKEN_FILE); the container and EC2 instance metadata."
            ),
            format!(
                "choose a profile with `--profile NAME` (or AWS_PROFILE), sign in with \
                 {login}, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. \
                 {try_locally}."
            ),
        ),
        Problem::Unreachable => {
            let at = endpoint(ctx);
            let next = if ctx.endpoint.is_some() {
                format!(
                    "AWS_ENDPOINT_URL is set to {at}: start the emulator there, or unset \
                     AWS_ENDPOINT_URL to talk to AWS."
                )
            } else {
                "check the network (VPN, proxy, firewall) and the region (`--region`), then \
                 run the command again."
                    .to_string()
            };
            (
                format!("cannot reach the AWS endpoint {at} (no answer: refused, DNS or timeout)."),
                next,
            )
        }
        Problem::AccessDenied { action, resource } => {
            let action = action.as_deref().unwrap_or("this operation");
            let on = resource
                .as_deref()
                .map(|r| format!(" on {r}"))
                .unwrap_or_default();
            (
                format!("access denied: the credentials in use may not call {action}{on}."),
                format!(
                    "use credentials allowed to deploy this stage (`--profile NAME`), or ask \
                     an administrator to allow {action}{on}."
                ),
            )
        }
        Problem::Throttled => (
            "AWS throttled the requests (rate exceeded), still after retrying with backoff."
                .to_string(),
            "wait a minute and run the command again; avoid several deploys or scripts \
             calling the same account and region at once."
                .to_string(),
        ),
        Problem::ExpiredToken => (
            format!("the AWS session token of profile '{profile}' has expired."),
            format!(
                "sign in again with {login} (or refresh the temporary credentials in your \
                 environment), then run the command again."
            ),
        ),
    };
    Some(Explained {
        problem,
        what,
        next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ErrorContext {
        ErrorContext {
            endpoint: None,
            region: "us-east-1".into(),
            profile: Some("team".into()),
            command: "cargo run -p infra --".into(),
        }
    }

    #[test]
    fn the_sdk_s_texts_are_recognised() {
        let no_creds = "DescribeStacks: dispatch failure: other: an error occurred while \
                        loading credentials: failed to load IMDS session token";
        assert_eq!(classify(no_creds), Some(Problem::NoCredentials));
        let refused = "dispatch failure: io error: client error (Connect): tcp connect \
                       error: Connection refused (os error 111)";
        assert_eq!(classify(refused), Some(Problem::Unreachable));
        let denied = "AccessDenied: User: arn:aws:iam::123456789012:user/dev is not \
                      authorized to perform: cloudformation:DescribeStacks on resource: \
                      arn:aws:cloudformation:us-east-1:123456789012:stack/app-dev-data/* \
                      because no identity-based policy allows it";
        assert_eq!(
            classify(denied),
            Some(Problem::AccessDenied {
                action: Some("cloudformation:DescribeStacks".into()),
                resource: Some(
                    "arn:aws:cloudformation:us-east-1:123456789012:stack/app-dev-data/*".into()
                ),
            })
        );
        assert_eq!(
            classify("Throttling: Rate exceeded"),
            Some(Problem::Throttled)
        );
        assert_eq!(
            classify("ExpiredToken: The security token included in the request is expired"),
            Some(Problem::ExpiredToken)
        );
        // Not one of them: left as it is.
        assert_eq!(classify("ValidationError: Template format error"), None);
        // A stack named like a code is not that code.
        assert_eq!(classify("stack app-dev-throttlingtest failed"), None);
    }

    #[test]
    fn explanations_say_what_failed_and_what_to_do() {
        let e = explain("an error occurred while loading credentials", &ctx()).unwrap();
        let text = e.to_string();
        assert!(
            text.starts_with("no AWS credentials found. Looked in:"),
            "{text}"
        );
        assert!(text.contains("profile 'team'"), "{text}");
        assert!(text.contains("`aws sso login --profile team`"), "{text}");
        assert!(text.contains("`cargo run -p infra -- dev`"), "{text}");

        let local = ErrorContext {
            endpoint: Some("http://127.0.0.1:9".into()),
            ..ctx()
        };
        let e = explain(
            "dispatch failure: tcp connect error: Connection refused",
            &local,
        );
        let text = e.unwrap().to_string();
        assert!(
            text.contains("cannot reach the AWS endpoint http://127.0.0.1:9"),
            "{text}"
        );
        assert!(text.contains("unset AWS_ENDPOINT_URL"), "{text}");
        let e = explain(
            "dispatch failure: dns error: failed to lookup address",
            &ctx(),
        );
        assert!(e
            .unwrap()
            .what
            .contains("https://cloudformation.us-east-1.amazonaws.com"));

        let e = explain("AccessDenied: Access Denied", &ctx()).unwrap();
        assert_eq!(
            e.what,
            "access denied: the credentials in use may not call this operation."
        );
    }
}
