//! Skeleton: the handler lands with the app issue.
fn main() {
    eprintln!("local: not implemented yet");
    std::process::exit(1);
}
