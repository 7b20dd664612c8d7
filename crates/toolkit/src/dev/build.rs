//! The functions' code for `dev`: the app's binaries built for this machine with plain
//! `cargo build` (the emulator stores the code but never runs it; `dev` runs the same
//! executables as local processes), each zipped as `<dir>/<binary>/bootstrap.zip`, the
//! layout the engine deploys from.
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

/// The `cargo build` in progress (start or reload), so that stopping `dev` stops it too.
static RUNNING: Mutex<Option<Child>> = Mutex::new(None);

/// Stops the build in progress, if any, with everything it started: cargo runs in a
/// process group of its own (so a terminal's Ctrl-C reaches it only through `dev`).
pub fn cancel_running() {
    let Some(mut child) = RUNNING.lock().expect("build lock").take() else {
        return;
    };
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", child.id())])
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    target: Option<Target>,
    executable: Option<PathBuf>,
    /// false: compiled or linked by this build (the binary is new).
    fresh: Option<bool>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

/// `cargo build [flags] --bin <b>...` in `root`; the executable of each binary.
pub fn cargo_build(
    root: &Path,
    binaries: &[String],
    flags: &[String],
) -> Result<BTreeMap<String, PathBuf>> {
    cargo_build_report(root, binaries, flags).map(|(found, _)| found)
}

/// [`cargo_build`], plus the binaries this build produced anew (not fresh), which are
/// the ones whose code changed.
pub fn cargo_build_report(
    root: &Path,
    binaries: &[String],
    flags: &[String],
) -> Result<(BTreeMap<String, PathBuf>, BTreeSet<String>)> {
    let mut rebuilt = BTreeSet::new();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["build", "--message-format=json-render-diagnostics"])
        .args(flags);
    for b in binaries {
        command.args(["--bin", b]);
    }
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("running cargo build")?;
    let mut found = BTreeMap::new();
    let stdout = child.stdout.take().expect("piped stdout");
    *RUNNING.lock().expect("build lock") = Some(child);
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        let Ok(m) = serde_json::from_str::<Message>(&line) else {
            continue;
        };
        if let (true, Some(t), Some(exe)) =
            (m.reason == "compiler-artifact", m.target, m.executable)
        {
            if t.kind.iter().any(|k| k == "bin") && binaries.contains(&t.name) {
                if m.fresh == Some(false) {
                    rebuilt.insert(t.name.clone());
                }
                found.insert(t.name, exe);
            }
        }
    }
    let Some(mut child) = RUNNING.lock().expect("build lock").take() else {
        bail!("cargo build was stopped");
    };
    if !child.wait()?.success() {
        bail!("cargo build of the functions failed (see above)");
    }
    if let Some(missing) = binaries.iter().find(|b| !found.contains_key(*b)) {
        bail!("cargo build did not produce the binary {missing}");
    }
    Ok((found, rebuilt))
}

/// `<dir>/<binary>/bootstrap.zip` holding the executable as `bootstrap`; rewritten only
/// when the executable is newer (an unchanged zip keeps its hash and is not uploaded).
/// One thread per binary (they are independent and each takes seconds).
pub fn zip_executables(dir: &Path, executables: &BTreeMap<String, PathBuf>) -> Result<()> {
    std::thread::scope(|scope| {
        let jobs: Vec<_> = executables
            .iter()
            .map(|(binary, exe)| scope.spawn(move || zip_one(&dir.join(binary), exe)))
            .collect();
        jobs.into_iter()
            .try_for_each(|job| job.join().expect("zip thread panicked"))
    })
}

fn zip_one(folder: &Path, exe: &Path) -> Result<()> {
    {
        let zip_path = folder.join("bootstrap.zip");
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        if let (Some(z), Some(e)) = (modified(&zip_path), modified(exe)) {
            if z >= e {
                return Ok(());
            }
        }
        std::fs::create_dir_all(folder)?;
        let bytes = std::fs::read(exe).with_context(|| format!("reading {}", exe.display()))?;
        let mut tmp = tempfile::NamedTempFile::new_in(folder)?;
        {
            let mut zip = zip::ZipWriter::new(tmp.as_file_mut());
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                // Fast: these zips only travel to the emulator on this machine.
                .compression_level(Some(1))
                .unix_permissions(0o755);
            zip.start_file("bootstrap", options)?;
            zip.write_all(&bytes)?;
            zip.finish()?;
        }
        tmp.persist(&zip_path)
            .with_context(|| format!("writing {}", zip_path.display()))?;
    }
    Ok(())
}
