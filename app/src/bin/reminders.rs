//! Skeleton: the handler lands with the app issue.
fn main() {
    eprintln!("reminders: not implemented yet");
    std::process::exit(1);
}
