/// The package selection of every build `dev` and the engine make: the whole workspace,
/// with the app's `aws` feature. Cargo resolves features over the selected packages, so
/// the engine (`-p <app>` alone) and the functions (the workspace) resolved serde, bytes,
/// tracing... to different features and compiled the AWS crates they share twice: the
/// first `dev` took 433 s. One selection, one resolution, one compile of each crate.
pub fn of(package: &str) -> [String; 3] {
    [
        "--workspace".into(),
        "--features".into(),
        format!("{package}/aws"),
    ]
}
