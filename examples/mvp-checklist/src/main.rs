fn main() {
    std::process::exit(cli::run(&mvp_checklist::APP));
}
