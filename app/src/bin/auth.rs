//! Skeleton: the handler lands with the app issue.
fn main() {
    eprintln!("auth: not implemented yet");
    std::process::exit(1);
}
