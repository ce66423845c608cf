//! The `planrecon` binary: runs, maps errors to exit codes, and treats a
//! closed pipe (`planrecon . | head`) as success, like ripgrep.

use std::process::ExitCode;

/// jemalloc: a run frees large structures phase by phase (the syntax copies
/// as the references are resolved, the symbol graph before rendering), and
/// glibc's malloc keeps much of that memory resident; jemalloc gives it back.
#[cfg(all(unix, not(target_os = "macos")))]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read at its start: freed pages go back to the system
/// at once (no decay delay), so the peak RSS follows what is live.
#[cfg(all(unix, not(target_os = "macos")))]
#[used]
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: ConfPtr = ConfPtr(c"dirty_decay_ms:0,muzzy_decay_ms:0".as_ptr());

/// A C string pointer that may sit in a `static` (the text is `'static`).
#[cfg(all(unix, not(target_os = "macos")))]
#[repr(transparent)]
struct ConfPtr(*const std::ffi::c_char);

// SAFETY: the pointer is to an immutable `'static` byte string.
#[cfg(all(unix, not(target_os = "macos")))]
unsafe impl Sync for ConfPtr {}

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
