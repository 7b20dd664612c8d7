//! The stage's outputs file (for the frontend), written atomically.
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageOutputs {
    pub stage: String,
    pub region: String,
    /// The stage's published values (SSM parameters under `/bubblebatch/<stage>/`), keyed
    /// by camel-cased path: `auth/user-pool-id` → `authUserPoolId`, `api/url` → `apiUrl`.
    pub values: BTreeMap<String, String>,
    /// Stack name (Auth, Api, ...) → output key → value.
    pub stacks: BTreeMap<String, BTreeMap<String, String>>,
}

pub fn default_path(stage: &str) -> PathBuf {
    PathBuf::from(format!("outputs/{stage}.json"))
}

/// Writes to a temporary file beside `path` and renames it over: readers never see a
/// half-written file, and a failure leaves the previous file in place.
pub fn write_atomic(path: &Path, outputs: &StageOutputs) -> Result<()> {
    write_text_atomic(path, &(serde_json::to_string_pretty(outputs)? + "\n"))
}

/// `outputs/dev.json` → `outputs/dev.env`: the same stage's values for a frontend build.
pub fn dotenv_path(json_path: &Path) -> PathBuf {
    json_path.with_extension("env")
}

/// Published values a frontend may embed (they are public by nature): the API's URL,
/// the user pool's and its clients' IDs and domain, the CDN's domain, by their
/// camel-cased paths (`api/url`, `auth/*`, `web/*`). Table and bucket names, API IDs and
/// the rest stay in the JSON file.
fn for_frontend(key: &str) -> bool {
    key == "apiUrl" || key.starts_with("auth") || key.starts_with("web")
}

/// `KEY=value` lines for the frontend (Vercel, Netlify, `.env.local`): `STAGE`, `REGION`
/// and each frontend value, `authUserPoolId` (`auth/user-pool-id`) → `AUTH_USER_POOL_ID`.
pub fn dotenv(outputs: &StageOutputs) -> String {
    let mut out = format!(
        "# Written by deploy for stage {}; redeploy to refresh.\n",
        outputs.stage
    );
    let mut line = |key: &str, value: &str| {
        out.push_str(&format!("{key}={}\n", dotenv_value(value)));
    };
    line("STAGE", &outputs.stage);
    line("REGION", &outputs.region);
    for (key, value) in &outputs.values {
        if for_frontend(key) {
            line(&env_key(key), value);
        }
    }
    out
}

/// `authUserPoolClientId` → `AUTH_USER_POOL_CLIENT_ID`.
pub fn env_key(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() && !out.is_empty() {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// Bare when it is plainly safe, else double-quoted with `\` and `"` escaped.
fn dotenv_value(value: &str) -> String {
    let plain = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:@".contains(c));
    if plain && !value.is_empty() {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// [`write_atomic`] for any text.
pub fn write_text_atomic(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// `auth/user-pool-client-id` → `authUserPoolClientId`.
pub fn camel_key(relative_path: &str) -> String {
    let mut out = String::new();
    for (i, word) in relative_path
        .split(['/', '-', '_'])
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.extend(first.to_lowercase());
            } else {
                out.extend(first.to_uppercase());
            }
            out.push_str(chars.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_camel_cased_paths() {
        assert_eq!(
            camel_key("auth/user-pool-client-id"),
            "authUserPoolClientId"
        );
        assert_eq!(camel_key("api/url"), "apiUrl");
        assert_eq!(camel_key("data/table-name"), "dataTableName");
    }

    #[test]
    fn the_dotenv_file_has_what_a_frontend_needs_and_nothing_else() {
        let values = [
            ("apiUrl", "https://abc.execute-api.us-east-1.amazonaws.com"),
            ("apiId", "abc"),
            ("authUserPoolId", "us-east-1_AbC"),
            ("authUserPoolClientId", "1example23"),
            ("dataTableName", "shop-dev-table"),
            ("webCdnDomain", "d1.cloudfront.net"),
        ];
        let o = StageOutputs {
            stage: "dev".into(),
            region: "us-east-1".into(),
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            stacks: BTreeMap::new(),
        };
        assert_eq!(
            dotenv(&o),
            "# Written by deploy for stage dev; redeploy to refresh.\n\
             STAGE=dev\n\
             REGION=us-east-1\n\
             API_URL=https://abc.execute-api.us-east-1.amazonaws.com\n\
             AUTH_USER_POOL_CLIENT_ID=1example23\n\
             AUTH_USER_POOL_ID=us-east-1_AbC\n\
             WEB_CDN_DOMAIN=d1.cloudfront.net\n"
        );
        assert_eq!(dotenv_value("a b\"c"), "\"a b\\\"c\"");
        assert_eq!(
            dotenv_path(Path::new("outputs/dev.json")),
            Path::new("outputs/dev.env")
        );
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out/dev.json");
        let mut o = StageOutputs {
            stage: "dev".into(),
            region: "us-east-1".into(),
            values: BTreeMap::new(),
            stacks: BTreeMap::new(),
        };
        o.stacks.insert(
            "Api".into(),
            [("ApiUrl".to_string(), "https://x".to_string())].into(),
        );
        write_atomic(&path, &o).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(v["stacks"]["Api"]["ApiUrl"], "https://x");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1,
            "no temp file left"
        );
    }
}
