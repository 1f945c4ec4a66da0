fn main() {
    std::process::exit(tokenctl::main());
}
