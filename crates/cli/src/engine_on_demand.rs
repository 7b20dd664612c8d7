//! In a build without the `aws` feature (the default: synth never waits for the AWS SDK),
//! an AWS command builds the app's engine binary on first use and runs it. The engine
//! binary is the same CLI with the feature, declared by the app as `<package>-engine`
//! (`[[bin]] ... required-features = ["aws"]`), so the plain binary and the engine live
//! side by side in the target folder and neither rebuild evicts the other.
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use toolkit::App;

/// Turns the on-demand build off (tests of the message, CI): the command then exits 2.
pub const OPT_OUT: &str = "TOOLKIT_NO_ENGINE_BUILD";

/// The exit code of the command run by the engine, or `None` when this process is not
/// the app's own binary (a test harness), the build is turned off, or it failed: the
/// caller then explains how to build with the engine.
pub fn run(app: &App) -> Option<i32> {
    if std::env::var_os(OPT_OUT).is_some() {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    let engine = engine_beside(&exe, app.package)?;
    let profile_dir = exe.parent()?;
    let engine_name = format!("{}-engine", app.package);
    let first_build = !engine.exists();
    if first_build {
        eprintln!(
            "The deploy engine (the AWS SDK clients) is not built yet: building `{engine_name}` once \
             with `cargo build -p {} --features aws --bin {engine_name}`.\n\
             This takes about 5 minutes on 2 cores the first time and seconds afterwards; \
             synth and the offline plan never need it.",
            app.package
        );
    }
    let mut build = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    build.current_dir(app.root()).args(build_args(
        app.package,
        &engine_name,
        profile_dir,
        first_build,
    ));
    match build.status() {
        Ok(status) if status.success() => {}
        Ok(_) | Err(_) => {
            eprintln!("error: building `{engine_name}` failed (see above)");
            return None;
        }
    }
    let status = Command::new(&engine)
        .args(std::env::args_os().skip(1))
        .status();
    match status {
        Ok(status) => Some(status.code().unwrap_or(1)),
        Err(e) => {
            eprintln!("error: cannot run {}: {e}", engine.display());
            Some(1)
        }
    }
}

/// `<package>-engine` next to `exe`, if `exe` is the app's own binary.
fn engine_beside(exe: &Path, package: &str) -> Option<PathBuf> {
    if exe.file_stem()? != package {
        return None;
    }
    let engine = exe.with_file_name(format!("{package}-engine"));
    Some(engine.with_extension(std::env::consts::EXE_EXTENSION))
}

/// `cargo build` into the same target folder and profile as this binary; quiet once the
/// engine exists (cargo then only relinks what changed, e.g. after editing a stack).
fn build_args(package: &str, engine: &str, profile_dir: &Path, first_build: bool) -> Vec<OsString> {
    let mut args: Vec<OsString> = ["build", "-p", package, "--features", "aws", "--bin", engine]
        .map(OsString::from)
        .to_vec();
    if let Some(target_dir) = profile_dir.parent() {
        args.push("--target-dir".into());
        args.push(target_dir.into());
    }
    match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => {}
        Some("release") => args.push("--release".into()),
        Some(other) => {
            args.push("--profile".into());
            args.push(other.into());
        }
    }
    if !first_build {
        args.push("--quiet".into());
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_into_this_binarys_target_folder_and_profile() {
        let args = build_args("infra", "infra-engine", Path::new("/t/release"), false);
        let args: Vec<&str> = args.iter().map(|a| a.to_str().unwrap()).collect();
        assert_eq!(
            args,
            [
                "build",
                "-p",
                "infra",
                "--features",
                "aws",
                "--bin",
                "infra-engine",
                "--target-dir",
                "/t",
                "--release",
                "--quiet"
            ]
        );
        let first = build_args("infra", "infra-engine", Path::new("/t/debug"), true);
        assert!(!first.iter().any(|a| a == "--quiet" || a == "--release"));
    }

    #[test]
    fn only_the_apps_own_binary_builds_the_engine() {
        let engine = engine_beside(Path::new("/t/debug/infra"), "infra").unwrap();
        assert_eq!(engine.file_stem().unwrap(), "infra-engine");
        assert_eq!(engine.parent(), Some(Path::new("/t/debug")));
        // A test harness (or another app's binary) reports the missing engine instead.
        assert_eq!(
            engine_beside(Path::new("/t/debug/deps/diff_cli-1a2b"), "infra"),
            None
        );
    }
}
