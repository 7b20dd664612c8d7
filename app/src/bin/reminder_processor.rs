//! Skeleton: the handler lands with the app issue.
fn main() {
    eprintln!("reminder_processor: not implemented yet");
    std::process::exit(1);
}
