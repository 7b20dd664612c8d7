//! The three builds of a first `cargo run -p infra -- dev` share every crate they have in
//! common: `infra` (no engine), then `infra-engine` (`-p infra --features aws`), then the
//! functions (`cargo build --bin ...` over the workspace). Cargo resolves features per
//! build, and a crate whose features differ is compiled again with everything above it:
//! the functions' crates turned on serde's `rc` and tracing's `log`, so the AWS SDK core
//! was compiled twice; `infra` alone built syn with fewer features, so every derive and
//! all above it (serde, cfn, constructs) too. infra/Cargo.toml pins those features; this
//! test fails when a dependency change makes the resolutions drift apart, naming the crates.
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Package ("name vX.Y.Z") -> the feature sets it is built with in one resolution.
type Resolution = BTreeMap<String, BTreeSet<String>>;

fn resolve(selection: &[&str]) -> Resolution {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .args(["tree", "--locked", "-e", "normal,build", "--prefix", "none"])
        .args(["--format", "{p}|{f}"])
        .args(selection)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut resolution = Resolution::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Some((package, features)) = line.trim_end_matches(" (*)").split_once('|') else {
            continue;
        };
        // Workspace members carry their path; the engine's differ by design (`aws`).
        if package.contains(" (/") {
            continue;
        }
        resolution
            .entry(package.to_string())
            .or_default()
            .insert(features.to_string());
    }
    resolution
}

/// The crates both resolutions build, with different features.
fn drifted(a: &Resolution, b: &Resolution) -> Vec<String> {
    a.iter()
        .filter_map(|(package, features)| {
            let other = b.get(package)?;
            (features != other).then(|| format!("{package}: {features:?} vs {other:?}"))
        })
        .collect()
}

#[test]
fn the_engine_and_the_functions_and_infra_share_their_common_crates() {
    let infra = resolve(&["-p", "infra"]);
    let engine = resolve(&["-p", "infra", "--features", "aws"]);
    let functions = resolve(&["--workspace"]);
    assert!(engine.keys().any(|p| p.starts_with("aws-smithy-runtime v")));
    assert!(functions.keys().any(|p| p.starts_with("lambda_runtime v")));

    let d = drifted(&engine, &functions);
    assert!(
        d.is_empty(),
        "the engine and dev's function build resolve these crates apart (pin the functions' \
         features in infra/Cargo.toml):\n{}",
        d.join("\n")
    );
    let d = drifted(&infra, &engine);
    assert!(
        d.is_empty(),
        "`infra` and `infra-engine` resolve these crates apart (pin the engine's features in \
         infra/Cargo.toml):\n{}",
        d.join("\n")
    );
}

#[test]
fn a_drifted_crate_is_named_with_both_feature_sets() {
    let set = |f: &str| BTreeSet::from([f.to_string()]);
    let a = Resolution::from([
        ("serde v1.0.0".into(), set("default,std")),
        ("syn v2.0.0".into(), set("full")),
    ]);
    let b = Resolution::from([
        ("serde v1.0.0".into(), set("default,rc,std")),
        ("syn v2.0.0".into(), set("full,visit")),
    ]);
    assert_eq!(
        drifted(&a, &b),
        [
            r#"serde v1.0.0: {"default,std"} vs {"default,rc,std"}"#,
            r#"syn v2.0.0: {"full"} vs {"full,visit"}"#
        ]
    );
    assert!(drifted(&a, &a).is_empty());
    let only_in_a = Resolution::from([("ulid v3.0.0".into(), set("std"))]);
    assert!(drifted(&only_in_a, &b).is_empty());
}
