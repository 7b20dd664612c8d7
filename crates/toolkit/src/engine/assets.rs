//! Lambda assets: build the zips (cargo-lambda), name them by content hash, upload the
//! missing ones; templates over 51,200 bytes go to the bucket too.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use super::ui::Ui;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub binary: String,
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
}

impl Asset {
    /// Object key: `lambda/<sha256>.zip` (same code, same key: uploads are idempotent).
    pub fn key(&self) -> String {
        format!("lambda/{}.zip", self.sha256)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// File of remembered hashes beside the zips: `binary → (size, mtime, sha256)`.
const HASH_CACHE: &str = ".bubblebatch-hashes.json";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct CachedHash {
    size: u64,
    modified_ns: u128,
    sha256: String,
}

fn modified_ns(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// `<dir>/<binary>/bootstrap.zip` for each binary, hashed. A zip whose size and
/// modification time match the cache beside it is not read again (a rebuild rewrites it).
pub fn find_zips(dir: &Path, binaries: &[String]) -> Result<BTreeMap<String, Asset>> {
    check_architecture(dir)?;
    let cache_path = dir.join(HASH_CACHE);
    let mut cache: BTreeMap<String, CachedHash> = std::fs::read_to_string(&cache_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let mut dirty = false;
    let mut out = BTreeMap::new();
    for binary in binaries {
        let path = dir.join(binary).join("bootstrap.zip");
        let meta = std::fs::metadata(&path).with_context(|| {
            format!(
                "Lambda zip {} missing: build it (app/scripts/build-lambdas.sh --lambda-dir {}) \
                 or pass --lambda-dir",
                path.display(),
                dir.display()
            )
        })?;
        let (size, modified) = (meta.len(), modified_ns(&meta));
        let sha256 = match cache.get(binary) {
            Some(c) if c.size == size && c.modified_ns == modified && modified != 0 => {
                c.sha256.clone()
            }
            _ => {
                let bytes =
                    std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                let sha256 = sha256_hex(&bytes);
                cache.insert(
                    binary.clone(),
                    CachedHash {
                        size: bytes.len() as u64,
                        modified_ns: modified,
                        sha256: sha256.clone(),
                    },
                );
                dirty = true;
                sha256
            }
        };
        out.insert(
            binary.clone(),
            Asset {
                binary: binary.clone(),
                sha256,
                size,
                path,
            },
        );
    }
    if dirty {
        // Best effort: a read-only folder only costs a re-hash next time.
        if let Ok(text) = serde_json::to_string_pretty(&cache) {
            if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) {
                use std::io::Write;
                if tmp.write_all(text.as_bytes()).is_ok() {
                    let _ = tmp.persist(&cache_path);
                }
            }
        }
    }
    Ok(out)
}

/// Every function the constructs declare runs on arm64. The build script falls back to
/// x86_64 where the aarch64 Rust target is missing and records that in `<dir>/ARCH`:
/// such zips would deploy fine and then fail on every invocation, so refuse them here.
fn check_architecture(dir: &Path) -> Result<()> {
    let Ok(arch) = std::fs::read_to_string(dir.join("ARCH")) else {
        return Ok(());
    };
    let arch = arch.trim();
    if arch != FUNCTION_ARCHITECTURE {
        bail!(
            "the Lambda zips in {} were built for {arch}, but the functions run on \
             {FUNCTION_ARCHITECTURE}: install the target (`rustup target add \
             aarch64-unknown-linux-gnu`) and rebuild, or pass --lambda-dir with arm64 zips",
            dir.display()
        );
    }
    Ok(())
}

const FUNCTION_ARCHITECTURE: &str = "arm64";

/// Builds the release zips into `lambda_dir` with the app's build script (a path
/// relative to the repository root, called with `--lambda-dir DIR`).
pub fn build(repo: &Path, script: &str, lambda_dir: &Path, ui: &Ui) -> Result<()> {
    let script = repo.join(script);
    if !script.exists() {
        bail!(
            "the app's Lambda build script {} does not exist",
            script.display()
        );
    }
    let mut cmd = Command::new("bash");
    cmd.arg(&script).arg("--lambda-dir").arg(lambda_dir);
    ui.say(format!(
        "building Lambda zips into {}",
        lambda_dir.display()
    ));
    let status = cmd
        .current_dir(repo)
        .status()
        .context("running the Lambda build (cargo-lambda installed? see scripts/setup-tools.sh)")?;
    if !status.success() {
        bail!("the Lambda build failed ({status})");
    }
    Ok(())
}

/// Uploads the assets the bucket doesn't have yet; returns how many were uploaded.
pub async fn upload(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    assets: &BTreeMap<String, Asset>,
    ui: &Ui,
) -> Result<usize> {
    let mut uploaded = 0;
    for asset in assets.values() {
        let key = asset.key();
        if exists(s3, bucket, &key).await? {
            continue;
        }
        let body = aws_sdk_s3::primitives::ByteStream::from_path(&asset.path)
            .await
            .with_context(|| format!("reading {}", asset.path.display()))?;
        s3.put_object()
            .bucket(bucket)
            .key(&key)
            .content_type("application/zip")
            .body(body)
            .send()
            .await
            .with_context(|| format!("uploading s3://{bucket}/{key}"))?;
        ui.say(format!(
            "uploaded {} ({} bytes) → s3://{bucket}/{key}",
            asset.binary, asset.size
        ));
        uploaded += 1;
    }
    Ok(uploaded)
}

async fn exists(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> Result<bool> {
    match s3.head_object().bucket(bucket).key(key).send().await {
        Ok(_) => Ok(true),
        Err(e) => {
            let not_found = e
                .as_service_error()
                .map(|se| se.is_not_found())
                .unwrap_or(false)
                || e.raw_response()
                    .map(|r| r.status().as_u16() == 404)
                    .unwrap_or(false);
            if not_found {
                Ok(false)
            } else {
                Err(anyhow::Error::new(e).context(format!("checking s3://{bucket}/{key}")))
            }
        }
    }
}

/// Uploads a template too big for `TemplateBody`; returns its `TemplateURL`.
pub async fn upload_template(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    region: &str,
    body: &str,
) -> Result<String> {
    let key = format!("templates/{}.json", sha256_hex(body.as_bytes()));
    if !exists(s3, bucket, &key).await? {
        s3.put_object()
            .bucket(bucket)
            .key(&key)
            .content_type("application/json")
            .body(body.as_bytes().to_vec().into())
            .send()
            .await
            .with_context(|| format!("uploading s3://{bucket}/{key}"))?;
    }
    // Path-style URL: accepted by CloudFormation, and understood by emulators.
    Ok(format!("https://s3.{region}.amazonaws.com/{bucket}/{key}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zips_are_named_by_content() {
        let dir = tempfile::tempdir().unwrap();
        for (bin, body) in [("api", "one"), ("worker", "two")] {
            std::fs::create_dir_all(dir.path().join(bin)).unwrap();
            std::fs::write(dir.path().join(bin).join("bootstrap.zip"), body).unwrap();
        }
        let z = find_zips(dir.path(), &["api".into(), "worker".into()]).unwrap();
        assert_eq!(z["api"].sha256, sha256_hex(b"one"));
        assert_eq!(z["api"].key(), format!("lambda/{}.zip", sha256_hex(b"one")));
        assert_eq!(z["worker"].size, 3);
        // A rewritten zip (new size and time) is hashed again, not taken from the cache.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("api").join("bootstrap.zip"), "three").unwrap();
        let z = find_zips(dir.path(), &["api".into(), "worker".into()]).unwrap();
        assert_eq!(z["api"].sha256, sha256_hex(b"three"));
        assert_eq!(z["worker"].sha256, sha256_hex(b"two"));
        assert!(dir.path().join(HASH_CACHE).exists());
        let err = find_zips(dir.path(), &["missing".into()]).unwrap_err();
        assert!(format!("{err:#}").contains("--lambda-dir"));
    }

    #[test]
    fn zips_built_for_another_architecture_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("api")).unwrap();
        std::fs::write(dir.path().join("api").join("bootstrap.zip"), "x").unwrap();
        std::fs::write(dir.path().join("ARCH"), "arm64\n").unwrap();
        assert!(find_zips(dir.path(), &["api".into()]).is_ok());
        std::fs::write(dir.path().join("ARCH"), "x86_64\n").unwrap();
        let err = format!("{:#}", find_zips(dir.path(), &["api".into()]).unwrap_err());
        assert!(
            err.contains("built for x86_64, but the functions run on arm64"),
            "{err}"
        );
    }
}
