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

/// tree-sitter's allocations (its trees, the parser's stacks) through
/// jemalloc as well: on glibc's malloc the memory of a freed tree stays
/// resident (a large YAML or test file's tree is tens of MB).
#[cfg(all(unix, not(target_os = "macos")))]
fn tree_sitter_on_jemalloc() {
    use std::ffi::c_void;
    // tree-sitter's own allocator aborts when memory runs out; so do these.
    unsafe extern "C" fn ts_malloc(size: usize) -> *mut c_void {
        let p = unsafe { tikv_jemalloc_sys::malloc(size) };
        if p.is_null() && size > 0 {
            std::process::abort();
        }
        p
    }
    unsafe extern "C" fn ts_calloc(n: usize, size: usize) -> *mut c_void {
        let p = unsafe { tikv_jemalloc_sys::calloc(n, size) };
        if p.is_null() && n > 0 && size > 0 {
            std::process::abort();
        }
        p
    }
    unsafe extern "C" fn ts_realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
        let p = unsafe { tikv_jemalloc_sys::realloc(ptr, size) };
        if p.is_null() && size > 0 {
            std::process::abort();
        }
        p
    }
    unsafe extern "C" fn ts_free(ptr: *mut c_void) {
        unsafe { tikv_jemalloc_sys::free(ptr) }
    }
    // SAFETY: one allocator family, null never returned for a non-zero size,
    // malloc's alignment, and installed before any tree-sitter call, on the
    // main thread before any other starts.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: ts_malloc,
            calloc: ts_calloc,
            realloc: ts_realloc,
            free: ts_free,
        }));
    }
}

fn main() -> ExitCode {
    #[cfg(all(unix, not(target_os = "macos")))]
    tree_sitter_on_jemalloc();
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
