//! The `citebot` binary: parses the command line and hands over to [`citebot::cli`].

fn main() -> std::process::ExitCode {
    citebot::cli::main()
}
