//! The workspace as cargo describes it (`cargo metadata`): which packages hold the
//! function binaries, and which folders their code comes from.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    manifest_path: PathBuf,
    targets: Vec<Target>,
    dependencies: Vec<Dependency>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct Dependency {
    path: Option<PathBuf>,
    /// `dev`, `build` or none (normal).
    kind: Option<String>,
}

fn read(root: &Path) -> Result<Metadata> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .context("running cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_slice(&out.stdout).context("reading cargo metadata")
}

/// The folders whose files make up `binaries`: each owning package's folder and those of
/// its (transitive) path dependencies, dev-dependencies left out.
pub fn source_dirs(root: &Path, binaries: &[String]) -> Result<Vec<PathBuf>> {
    Ok(dirs_of(&read(root)?, binaries))
}

/// The packages that hold `binaries` (`cargo build -p` them to build those).
pub fn packages_of(root: &Path, binaries: &[String]) -> Result<Vec<String>> {
    Ok(owners(&read(root)?, binaries)
        .into_iter()
        .map(|p| p.name.clone())
        .collect())
}

fn owners<'m>(metadata: &'m Metadata, binaries: &[String]) -> Vec<&'m Package> {
    let holds = |p: &Package| {
        p.targets
            .iter()
            .any(|t| t.kind.iter().any(|k| k == "bin") && binaries.contains(&t.name))
    };
    metadata.packages.iter().filter(|p| holds(p)).collect()
}

fn dirs_of(metadata: &Metadata, binaries: &[String]) -> Vec<PathBuf> {
    let dir = |p: &Package| p.manifest_path.parent().map(Path::to_path_buf);
    let mut found: BTreeSet<PathBuf> = BTreeSet::new();
    let mut frontier: Vec<PathBuf> = owners(metadata, binaries)
        .into_iter()
        .filter_map(dir)
        .collect();
    while let Some(next) = frontier.pop() {
        if !found.insert(next.clone()) {
            continue;
        }
        let Some(package) = metadata
            .packages
            .iter()
            .find(|p| dir(p).as_ref() == Some(&next))
        else {
            continue; // a path dependency outside the workspace: watched, not followed
        };
        frontier.extend(
            package
                .dependencies
                .iter()
                .filter(|d| d.kind.as_deref() != Some("dev"))
                .filter_map(|d| d.path.clone()),
        );
    }
    found.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(dir: &str, bins: &[&str], deps: &[(&str, Option<&str>)]) -> Package {
        Package {
            name: dir.rsplit('/').next().unwrap().to_string(),
            manifest_path: PathBuf::from(format!("{dir}/Cargo.toml")),
            targets: bins
                .iter()
                .map(|b| Target {
                    name: b.to_string(),
                    kind: vec!["bin".into()],
                })
                .collect(),
            dependencies: deps
                .iter()
                .map(|(path, kind)| Dependency {
                    path: Some(PathBuf::from(path)),
                    kind: kind.map(str::to_string),
                })
                .collect(),
        }
    }

    #[test]
    fn the_binaries_packages_and_their_path_dependencies_are_watched() {
        let metadata = Metadata {
            packages: vec![
                package(
                    "/r/app",
                    &["batches", "events"],
                    &[("/r/contract", None), ("/r/harness", Some("dev"))],
                ),
                package("/r/contract", &[], &[("/r/shared", Some("build"))]),
                package("/r/infra", &["infra"], &[("/r/toolkit", None)]),
                package("/r/harness", &[], &[]),
            ],
        };
        let dirs = dirs_of(&metadata, &["batches".to_string()]);
        assert_eq!(
            dirs,
            ["/r/app", "/r/contract", "/r/shared"].map(PathBuf::from)
        );
        assert!(dirs_of(&metadata, &["nope".to_string()]).is_empty());
        let owners: Vec<&str> = owners(&metadata, &["events".into(), "infra".into()])
            .into_iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(owners, ["app", "infra"]);
    }
}
