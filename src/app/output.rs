//! Where the report of `mtlint check` goes: standard output, or the file
//! `-o` names, written to a temporary file beside it and renamed over it
//! only once complete (never over one of the inputs); whether standard
//! output takes colour; a reader that leaves. Knows nothing of rules,
//! findings or report formats.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::signal;
use crate::engine::Input;

/// Whether what goes to standard output may be styled with ANSI codes: it
/// is a terminal, and `NO_COLOR` is not set to a non-empty value (the
/// no-color.org convention).
pub(crate) fn stdout_takes_color() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Whether `e` means the reader of standard output left (`mtlint check … |
/// head`): nothing more can be shown, and that is not an error.
pub(crate) fn reader_left(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

/// The file a report given with `-o` is written to: `path` itself, or, when
/// it is a symbolic link, the file the link leads to (followed link by
/// link, up to 40 as the kernel does), so that the report replaces the
/// target and the link stays a link.
pub(crate) fn report_target(path: &Path) -> io::Result<PathBuf> {
    let mut target = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = std::fs::read_link(&target)?;
                target = match target.parent() {
                    Some(dir) if next.is_relative() => dir.join(next),
                    _ => next,
                };
            }
            // Not a link (or not there yet): the report goes here.
            _ => return Ok(target),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("cannot write {}: too many symbolic links", path.display()),
    ))
}

/// What makes two paths one file: device and inode on Unix, so that hard
/// links, symbolic links and `./a.txt` for `a.txt` all match; elsewhere the
/// canonical path. `None` when the file is not there.
#[cfg(unix)]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some((m.dev(), m.ino()))
}

/// See the Unix version.
#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Keeps the report from eating its inputs: an error (to exit 2 with) when
/// `report`, the file `-o` writes, is one of the files given on the command
/// line; otherwise the report is dropped from `inputs` when a walked folder
/// holds it (the previous run's report is not checked). Walked files are
/// compared by identity only when their name is the report's: a stat for
/// each of a hundred thousand inputs would cost more than the check is
/// worth, and a walked hard link under another name is then checked (it is
/// read, never written: the inputs given by name are all compared).
pub(crate) fn keep_report_out(
    report: &Path,
    given: &[String],
    inputs: &mut Vec<Input>,
) -> Result<(), String> {
    let Some(report_id) = file_identity(report) else {
        // Not written yet: no input can be it.
        return Ok(());
    };
    for path in given.iter().filter(|p| *p != "-") {
        let path = Path::new(path);
        if !path.is_dir() && file_identity(path) == Some(report_id) {
            return Err(format!(
                "the report file {} is the input {}: refusing to replace it (choose another -o)",
                report.display(),
                path.display()
            ));
        }
    }
    let name = report.file_name();
    inputs.retain(|input| match input {
        Input::File(path) => path.file_name() != name || file_identity(path) != Some(report_id),
        Input::Stdin | Input::StdinNamed(_) => true,
    });
    Ok(())
}

/// Where the report goes: standard output, or a temporary file beside the
/// destination that is renamed over it only once the report is complete,
/// or a device or named pipe written into as it comes.
pub(crate) enum Destination {
    Stdout,
    /// `-o /dev/null`, `-o /dev/stdout`, a named pipe: a rename over it
    /// would replace the device or pipe with the report.
    Stream,
    File {
        temp: tempfile::TempPath,
        dest: PathBuf,
    },
}

/// Opens where the report goes: standard output when `path` is `None`.
pub(crate) fn open_output(path: Option<&Path>) -> io::Result<(Box<dyn Write + Send>, Destination)> {
    let Some(dest) = path else {
        return Ok((
            Box::new(BufWriter::with_capacity(1 << 16, io::stdout())),
            Destination::Stdout,
        ));
    };
    if std::fs::metadata(dest).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(dest)
            .map_err(|e| {
                io::Error::new(e.kind(), format!("cannot write {}: {e}", dest.display()))
            })?;
        return Ok((
            Box::new(BufWriter::with_capacity(1 << 16, file)),
            Destination::Stream,
        ));
    }
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let cannot =
        |e: io::Error| io::Error::new(e.kind(), format!("cannot write {}: {e}", dest.display()));
    // The report keeps the mode of the file it replaces; a new one gets
    // the usual 0666 less the umask (the temporary file's own is 0600).
    let existing = std::fs::metadata(dest).ok().filter(|m| m.is_file());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".mtlint-").suffix(".tmp");
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let temp = builder.tempfile_in(dir).map_err(cannot)?;
    if let Some(meta) = existing {
        // Set before anything is written, never wider than the old file.
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(cannot)?;
    }
    let (file, temp) = temp.into_parts();
    signal::remove_on_quit(temp.to_path_buf());
    Ok((
        Box::new(BufWriter::with_capacity(1 << 16, file)),
        Destination::File {
            temp,
            dest: dest.to_path_buf(),
        },
    ))
}

impl Destination {
    /// The end of the line that says the run stopped: what became of the
    /// report. Dropping the destination then removes the temporary file.
    pub(crate) fn when_stopped(&self) -> String {
        match self {
            Destination::File { dest, .. } if dest.exists() => {
                format!("; {} was left as it was", dest.display())
            }
            Destination::File { .. } => "; no report was written".to_string(),
            Destination::Stdout | Destination::Stream => String::new(),
        }
    }

    /// Puts the complete report in place: the temporary file is renamed
    /// over the destination (a signal meanwhile waits for the rename).
    pub(crate) fn finish(self) -> io::Result<()> {
        let Destination::File { temp, dest } = self else {
            return Ok(());
        };
        signal::without_quitting(|| {
            temp.persist(&dest).map_err(|e| {
                io::Error::new(
                    e.error.kind(),
                    format!("cannot write {}: {}", dest.display(), e.error),
                )
            })
        })
    }
}
