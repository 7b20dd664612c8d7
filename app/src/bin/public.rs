//! Skeleton: the handler lands with the app issue.
fn main() {
    eprintln!("public: not implemented yet");
    std::process::exit(1);
}
