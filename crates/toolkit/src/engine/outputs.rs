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
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    let text = serde_json::to_string_pretty(outputs)? + "\n";
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
