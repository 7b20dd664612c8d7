fn main() {
    std::process::exit(cli::run(&echomate::APP));
}
