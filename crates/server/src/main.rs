//! The `portcullis` command: parses the command line and runs the subcommand (see the
//! library crate for what each does).

fn main() -> std::process::ExitCode {
    portcullis::cli::main()
}
