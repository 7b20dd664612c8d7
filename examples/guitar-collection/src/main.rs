fn main() {
    std::process::exit(cli::run(&guitar_collection::APP));
}
