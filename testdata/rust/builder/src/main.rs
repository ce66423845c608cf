//! A command line built with clap's builder.

use clap::{Arg, ArgAction, Command};

fn cli() -> Command {
    Command::new("tool")
        .arg(
            Arg::new("FILE")
                .help("Files to read; '-' is stdin.")
                .value_parser(clap::value_parser!(std::path::PathBuf)),
        )
        .arg(
            Arg::new("color")
                .long("color")
                .value_parser(["auto", "never", "always"])
                .default_value("auto")
                .help("When to colour (auto, never, always)."),
        )
        .arg(
            Arg::new("verbose")
                .short('v')
                .action(ArgAction::Count)
                .global(true),
        )
}

fn main() {
    let _ = cli().get_matches();
}
