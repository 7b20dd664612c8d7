fn main() {
    std::process::exit(cli::run(&infra::APP));
}
