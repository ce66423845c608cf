//! The `recon` command line.

use clap::Parser;
use recon_core::store::MemStore;
use recon_core::{Backend, Engine};

/// Command-line arguments.
#[derive(Parser)]
struct Args {
    /// Key to read.
    #[arg(long)]
    key: String,
    /// Print more.
    #[arg(short, long)]
    verbose: bool,
    /// Entries to keep.
    #[arg(long = "max-entries", default_value_t = 64)]
    limit: usize,
    /// What to do.
    #[clap(subcommand)]
    action: Option<Action>,
}

/// Subcommands.
#[derive(clap::Subcommand)]
enum Action {
    /// Drop a key.
    Drop {
        #[arg(long("name"))]
        key_name: String,
    },
}

fn main() {
    let args = Args::parse();
    let mut store = MemStore::new();
    store.put(&args.key, Vec::new());
    let engine = Engine::new(Box::new(store));
    if args.verbose {
        println!("{:?}", engine.read(&args.key));
    }
}
