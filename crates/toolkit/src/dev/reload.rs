//! `dev` reloads on a code change: the source folders of the packages that hold the
//! function binaries (and of their path dependencies, from `cargo metadata`) are watched;
//! a saved `.rs` file or `Cargo.toml` rebuilds the binaries with the same `cargo build`
//! as the start, and each function whose binary cargo produced anew gets a new process
//! of it behind the same Runtime API, so the next request runs the new code. The
//! deployed stage is not touched (same templates, environment and roles); a failed build
//! leaves the running code in place.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, Context, Result};
use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode, DebounceEventResult};
use serde::Deserialize;
use tokio::sync::mpsc;

use super::build;
use super::runtime::FunctionHost;

/// An editor's save is several writes (temp file, rename, metadata): one rebuild for all.
const QUIET: Duration = Duration::from_millis(300);

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
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

/// The folders whose files make up `binaries`: each owning package's folder and those of
/// its (transitive) path dependencies, dev-dependencies left out.
pub fn watched_dirs(root: &Path, binaries: &[String]) -> Result<Vec<PathBuf>> {
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
    let metadata: Metadata =
        serde_json::from_slice(&out.stdout).context("reading cargo metadata")?;
    Ok(dirs_of(&metadata, binaries))
}

fn dirs_of(metadata: &Metadata, binaries: &[String]) -> Vec<PathBuf> {
    let dir = |p: &Package| p.manifest_path.parent().map(Path::to_path_buf);
    let mut found: BTreeSet<PathBuf> = BTreeSet::new();
    let mut frontier: Vec<PathBuf> = metadata
        .packages
        .iter()
        .filter(|p| {
            p.targets
                .iter()
                .any(|t| t.kind.iter().any(|k| k == "bin") && binaries.contains(&t.name))
        })
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

/// A change that can alter a binary: Rust source or a manifest, not build output.
pub fn is_code(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    !is_output(path) && (name.ends_with(".rs") || name == "Cargo.toml")
}

/// Under a build output, local state or git folder.
fn is_output(path: &Path) -> bool {
    path.components()
        .any(|c| matches!(c.as_os_str().to_str(), Some("target" | ".local" | ".git")))
}

/// The modification time of every code file under some folders, so that an event on a
/// file that did not change it is not a change: the watcher also reports files being
/// opened and read, and each `cargo build` reads every manifest (without this, a build
/// set off the next one, forever).
#[derive(Debug, Default)]
pub struct Stamps(BTreeMap<PathBuf, Option<SystemTime>>);

impl Stamps {
    /// The code files under `dirs` now (build output left out).
    pub fn of(dirs: &[PathBuf]) -> Stamps {
        let mut stamps = Stamps::default();
        let mut pending: Vec<PathBuf> = dirs.to_vec();
        while let Some(dir) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                match entry.file_type() {
                    Ok(t) if t.is_dir() && !is_output(&path) => pending.push(path),
                    Ok(t) if t.is_file() && is_code(&path) => {
                        let stamp = modified(&path);
                        stamps.0.insert(path, stamp);
                    }
                    _ => {}
                }
            }
        }
        stamps
    }

    /// The paths whose modification time differs from the one last seen (a new or a
    /// deleted file counts); their new times are kept.
    pub fn changed(&mut self, paths: Vec<PathBuf>) -> Vec<PathBuf> {
        paths
            .into_iter()
            .filter(|path| {
                let now = modified(path);
                self.0.insert(path.clone(), now) != Some(now)
            })
            .collect()
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// What [`watch`] needs to rebuild and restart.
pub struct Reload {
    pub root: PathBuf,
    pub binaries: Vec<String>,
    pub build_flags: Vec<String>,
    /// By function name.
    pub hosts: BTreeMap<String, Arc<FunctionHost>>,
}

/// Watches `dirs` for the life of the process and reloads on each change.
pub fn watch(dirs: &[PathBuf], reload: Reload) -> Result<()> {
    let (sender, mut changes) = mpsc::unbounded_channel::<Vec<PathBuf>>();
    let mut stamps = Stamps::of(dirs);
    let mut debouncer = new_debouncer(QUIET, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            let code: Vec<PathBuf> = events
                .into_iter()
                .map(|e| e.path)
                .filter(|p| is_code(p))
                .collect();
            let paths = stamps.changed(code);
            if !paths.is_empty() {
                let _ = sender.send(paths);
            }
        }
    })
    .context("starting the file watcher")?;
    for dir in dirs {
        debouncer
            .watcher()
            .watch(dir, RecursiveMode::Recursive)
            .with_context(|| format!("watching {}", dir.display()))?;
    }
    let reload = Arc::new(reload);
    tokio::spawn(async move {
        // Owned by the task: watching lasts as long as the runtime.
        let _debouncer = debouncer;
        while let Some(mut changed) = changes.recv().await {
            while let Ok(more) = changes.try_recv() {
                changed.extend(more);
            }
            changed.sort();
            changed.dedup();
            rebuild(&reload, &changed).await;
        }
    });
    Ok(())
}

async fn rebuild(reload: &Arc<Reload>, changed: &[PathBuf]) {
    let started = Instant::now();
    let names: Vec<String> = changed
        .iter()
        .map(|p| {
            p.strip_prefix(&reload.root)
                .unwrap_or(p)
                .display()
                .to_string()
        })
        .collect();
    say(format!("reload: {} changed; rebuilding", names.join(", ")));
    let r = reload.clone();
    let built = tokio::task::spawn_blocking(move || {
        build::cargo_build_report(&r.root, &r.binaries, &r.build_flags)
    })
    .await;
    let (executables, rebuilt) = match built {
        Ok(Ok(report)) => report,
        Ok(Err(e)) => {
            say(format!(
                "reload: {e:#} after {:.1} s; still serving the previous code",
                started.elapsed().as_secs_f64()
            ));
            return;
        }
        Err(e) => {
            say(format!("reload: the build task failed: {e}"));
            return;
        }
    };
    let mut restarted = Vec::new();
    for host in reload.hosts.values() {
        let binary = &host.function.binary;
        let (true, Some(exe)) = (rebuilt.contains(binary), executables.get(binary)) else {
            continue;
        };
        match host.restart(exe) {
            Ok(pid) => restarted.push(format!("{} (pid {pid})", host.function.name)),
            Err(e) => say(format!("reload: {e:#}")),
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    if rebuilt.is_empty() {
        say(format!(
            "reload: no function binary changed ({seconds:.1} s)"
        ));
    } else {
        let rebuilt: Vec<&str> = rebuilt.iter().map(String::as_str).collect();
        say(format!(
            "reload: rebuilt {} in {seconds:.1} s; new code served by {}",
            rebuilt.join(", "),
            restarted.join(", ")
        ));
    }
}

fn say(text: String) {
    eprintln!("dev: {text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(dir: &str, bins: &[&str], deps: &[(&str, Option<&str>)]) -> Package {
        Package {
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
    }

    #[test]
    fn a_file_read_but_not_written_is_no_change() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("bin")).unwrap();
        std::fs::create_dir_all(dir.path().join("target/debug")).unwrap();
        let manifest = dir.path().join("Cargo.toml");
        let main = src.join("bin/main.rs");
        std::fs::write(&manifest, "[package]").unwrap();
        std::fs::write(&main, "fn main() {}").unwrap();
        std::fs::write(dir.path().join("target/debug/gen.rs"), "").unwrap();
        let mut stamps = Stamps::of(&[dir.path().to_path_buf()]);
        assert_eq!(stamps.0.len(), 2, "{stamps:?}");

        // Read (as cargo reads every manifest): no change.
        std::fs::read(&manifest).unwrap();
        assert!(stamps
            .changed(vec![manifest.clone(), main.clone()])
            .is_empty());
        // Written (a save, or `touch`): a change, once.
        let later = SystemTime::now() + Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&main)
            .and_then(|f| f.set_modified(later))
            .unwrap();
        assert_eq!(stamps.changed(vec![main.clone()]).len(), 1);
        assert!(stamps.changed(vec![main.clone()]).is_empty());
        // A new file and a deleted one are changes.
        let lib = src.join("lib.rs");
        std::fs::write(&lib, "").unwrap();
        std::fs::remove_file(&main).unwrap();
        assert_eq!(stamps.changed(vec![lib.clone(), main.clone()]), [lib, main]);
    }

    #[test]
    fn only_sources_and_manifests_count() {
        for code in [
            "/r/app/src/lib.rs",
            "/r/app/Cargo.toml",
            "/r/app/src/bin/x.rs",
        ] {
            assert!(is_code(Path::new(code)), "{code}");
        }
        for other in [
            "/r/app/README.md",
            "/r/app/src/.lib.rs.swp",
            "/r/app/src/lib.rs~",
            "/r/app/target/debug/build/x/out/gen.rs",
            "/r/.local/dev/x.rs",
        ] {
            assert!(!is_code(Path::new(other)), "{other}");
        }
    }
}
