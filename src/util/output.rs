//! Writing results: standard output, or a file replaced atomically.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

/// Write `bytes` to `path` atomically (temp file in the same directory, fsync,
/// rename) or to standard output when `path` is `None`.
pub(crate) fn emit(path: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    emit_with(path, |w| w.write_all(bytes))
}

/// Like [`emit`], but `write` streams the output into a buffered writer, so
/// a large result is never held whole in memory besides the model.
pub(crate) fn emit_with(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match path {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            write(&mut out)?;
            out.flush()?;
            Ok(())
        }
        Some(p) => write_atomic_with(p, write),
    }
}

/// Replace `path` with `bytes`; on any failure the old file is untouched.
/// An existing file's permissions are kept, and a symbolic link keeps
/// pointing where it did: the file it names is replaced. A path that exists
/// but is not a regular file (`/dev/null`, a named pipe, `/dev/stdout`) is
/// written in place: renaming over it would replace the device itself.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let mut out = std::io::BufWriter::new(f);
            write(&mut out)
                .and_then(|()| out.flush())
                .with_context(|| format!("cannot write {}", path.display()))?;
            return Ok(());
        }
    }
    let resolved;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = std::fs::canonicalize(path)
            .with_context(|| format!("cannot resolve the link {}", path.display()))?;
        resolved.as_path()
    } else {
        path
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = new_file_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    {
        let mut out = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut out)
            .and_then(|()| out.flush())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot sync {}", path.display()))?;
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(tmp.path(), meta.permissions())
            .with_context(|| format!("cannot keep the permissions of {}", path.display()))?;
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// A temporary file in `dir` created with mode 0666 minus the umask, the
/// mode any tool gives a new file (`tempfile` alone would make it 0600, and
/// that mode would survive the rename). An existing target's mode replaces it
/// before the rename.
fn new_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `-o /dev/null` must never turn the device into a regular file (as
    /// root, a rename over it would). A named pipe stands in for the device,
    /// so a regression cannot break the machine's `/dev/null`.
    #[cfg(unix)]
    #[test]
    fn special_files_are_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).expect("read the pipe"))
        };
        write_atomic(&fifo, b"through the pipe").expect("write the pipe");
        // Checked before joining: a replaced pipe would leave the reader waiting.
        let kind = std::fs::symlink_metadata(&fifo).expect("stat").file_type();
        assert!(kind.is_fifo(), "the pipe is still a pipe");
        assert_eq!(reader.join().expect("reader"), b"through the pipe");
    }

    #[cfg(unix)]
    #[test]
    fn links_keep_pointing_at_the_replaced_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("real.md");
        std::fs::write(&target, "old").expect("write");
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        write_atomic(&link, b"new").expect("write through link");
        assert!(std::fs::symlink_metadata(&link)
            .expect("stat link")
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "new");
    }

    #[test]
    fn regular_files_are_replaced_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("out.md");
        std::fs::write(&file, "a much longer old text").expect("write");
        write_atomic(&file, b"new").expect("replace");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), "new");
    }
}
