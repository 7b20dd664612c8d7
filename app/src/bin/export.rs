//! Skeleton: the handler lands with the app issue.
fn main() {
    eprintln!("export: not implemented yet");
    std::process::exit(1);
}
