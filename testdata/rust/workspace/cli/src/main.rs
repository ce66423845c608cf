use clap::Parser;

/// Command-line arguments.
#[derive(Parser)]
struct Args {
    /// Input path.
    #[arg(long)]
    input: String,
}

fn main() {
    let _args = Args::parse();
}

fn broken( {
}

pub fn after_error() {}
