//! The `planrecon` binary: runs, maps errors to exit codes, and treats a
//! closed pipe (`planrecon . | head`) as success, like ripgrep.

use std::process::ExitCode;

fn main() -> ExitCode {
    match planrecon::run() {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::from(planrecon::util::exit::SUCCESS as u8);
            }
            eprintln!("planrecon: {err:#}");
            ExitCode::from(planrecon::util::exit::ERROR as u8)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
