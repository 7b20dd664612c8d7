//! Skeleton: the handler lands with the app issue.
fn main() {
    eprintln!("devices: not implemented yet");
    std::process::exit(1);
}
