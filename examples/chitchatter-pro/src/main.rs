fn main() {
    std::process::exit(cli::run(&chitchatter_pro::APP));
}
