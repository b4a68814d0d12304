use std::process::ExitCode;

fn main() -> ExitCode {
    dayone::app::main()
}
