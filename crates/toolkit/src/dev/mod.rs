//! `dev`: the app running on this machine as deployed. The emulator (moto with the
//! repository's models, or the one `AWS_ENDPOINT_URL` names, loopback only) gets the
//! stage bootstrapped and deployed by the engine, with the app's function binaries built
//! for this host. Then the HTTP APIs are served on 127.0.0.1 from the configuration read
//! back from the emulator (routes, integrations, JWT authorizers, each function's
//! environment), every request running the integration's binary as a local process
//! behind a Lambda Runtime API; functions that schedules target run at the schedules'
//! rate. A saved change to the functions' code rebuilds them and the next request runs
//! the new code (`reload`). Ctrl-C (or SIGTERM) stops every process it started. Each
//! function runs with its own deployed role's credentials, and every AWS call it makes
//! is checked against that role's policies ([`permissions`]: a denied call fails `dev`;
//! the report is `.local/dev/<stage>/permissions.json`).
pub mod emulator;

#[cfg(feature = "aws")]
mod build;
#[cfg(feature = "aws")]
pub mod deployed;
#[cfg(feature = "aws")]
mod enforce;
#[cfg(feature = "aws")]
pub mod gateway;
#[cfg(feature = "aws")]
pub mod jwt;
#[cfg(feature = "aws")]
mod outbound;
#[cfg(feature = "aws")]
pub mod permissions;
#[cfg(feature = "aws")]
pub mod reload;
#[cfg(feature = "aws")]
pub mod request_log;
#[cfg(feature = "aws")]
pub mod runtime;
#[cfg(feature = "aws")]
mod serve;
#[cfg(feature = "aws")]
pub use serve::{run, DevOptions};

/// Whether a URL's host is a loopback address (127.0.0.0/8, ::1, localhost).
pub fn is_loopback_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_urls_are_local() {
        for local in [
            "http://127.0.0.1:5000",
            "http://localhost:1/x",
            "http://[::1]:9",
            "http://127.1.2.3",
        ] {
            assert!(is_loopback_url(local), "{local}");
        }
        for remote in [
            "https://cloudformation.us-east-1.amazonaws.com",
            "http://10.0.0.1:5000",
            "http://127.0.0.1.example.com",
            "ftp://127.0.0.1",
            "127.0.0.1:5000",
        ] {
            assert!(!is_loopback_url(remote), "{remote}");
        }
    }
}
