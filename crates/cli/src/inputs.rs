//! Finding and reading the inputs a command is given: files, directories (walked recursively, in
//! name order) and `-` for standard input. This is the I/O the library stages leave out; the
//! bytes read become a `casebook_model::Original` that `casebook_ingest` turns into documents.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest input read at all, in bytes: far above any page or WARC file worth reading
/// whole, low enough that a stray disk image does not exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-` on the command line).
    Stdin,
    /// A file, named as found (a path given, or a path below a directory given).
    File(PathBuf),
}

impl Input {
    /// The name the input goes by in output and messages: `-` or the file's path.
    pub fn source(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(path) => path.display().to_string(),
        }
    }
}

/// An input that could not be found or read, and why.
#[derive(Debug)]
pub struct InputError {
    /// The input's name (`-` or a path).
    pub source: String,
    /// What went wrong.
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

impl std::error::Error for InputError {}

/// Expands command-line paths into inputs, in order: `-` is standard input, a file is itself, a
/// directory is every file below it, sorted by name, hidden files and directories (names starting
/// with `.`) left out. Paths that do not exist or cannot be listed come out as errors in place.
pub fn expand(paths: &[PathBuf]) -> Vec<Result<Input, InputError>> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Ok(Input::Stdin));
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut inputs),
            Ok(_) => inputs.push(Ok(Input::File(path.clone()))),
            Err(e) => inputs.push(Err(InputError {
                source: path.display().to_string(),
                reason: describe(&e),
            })),
        }
    }
    inputs
}

fn walk(root: &Path, inputs: &mut Vec<Result<Input, InputError>>) {
    let entries = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    for entry in entries {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                inputs.push(Ok(Input::File(entry.into_path())))
            }
            Ok(_) => {}
            Err(e) => inputs.push(Err(InputError {
                source: e.path().unwrap_or(root).display().to_string(),
                reason: match e.io_error() {
                    Some(io) => describe(io),
                    None => e.to_string(),
                },
            })),
        }
    }
}

/// Reads an input whole, refusing anything over [`MAX_INPUT_BYTES`].
///
/// For the evidentiary copy, wrap the bytes with `casebook_ingest::original(input.source(),
/// bytes)` (which hashes them) and read that with `casebook_ingest::read_original`; a command
/// that keeps no originals passes the bytes to `casebook_ingest::read`, which hashes only inputs
/// it accepts.
pub fn read_bytes(input: &Input) -> Result<Vec<u8>, InputError> {
    let source = input.source();
    let fail = |reason: String| InputError {
        source: source.clone(),
        reason,
    };
    let too_big =
        |size: u64| format!("{size} bytes, over the input limit of {MAX_INPUT_BYTES} bytes");
    let bytes = match input {
        Input::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| fail(describe(&e)))?;
            if bytes.len() as u64 > MAX_INPUT_BYTES {
                return Err(fail(too_big(bytes.len() as u64)));
            }
            bytes
        }
        Input::File(path) => {
            let size = std::fs::metadata(path)
                .map_err(|e| fail(describe(&e)))?
                .len();
            if size > MAX_INPUT_BYTES {
                return Err(fail(too_big(size)));
            }
            std::fs::read(path).map_err(|e| fail(describe(&e)))?
        }
    };
    Ok(bytes)
}

/// An I/O error in words, without the OS error number.
fn describe(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_directories_in_name_order_without_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/.git")).unwrap();
        for name in ["b/2.txt", "b/1.txt", "a.html", ".hidden", "b/.git/x"] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        let found: Vec<String> = expand(&[root.to_path_buf(), PathBuf::from("-")])
            .into_iter()
            .map(|i| i.unwrap().source())
            .collect();
        let prefix = |p: &str| root.join(p).display().to_string();
        assert_eq!(
            found,
            vec![
                prefix("a.html"),
                prefix("b/1.txt"),
                prefix("b/2.txt"),
                "-".to_string()
            ]
        );
    }

    #[test]
    fn missing_paths_are_errors_in_place() {
        let all = expand(&[PathBuf::from("/no/such/casebook/input")]);
        let err = all[0].as_ref().unwrap_err();
        assert_eq!(
            err.to_string(),
            "/no/such/casebook/input: no such file or directory"
        );
    }

    #[test]
    fn reads_files_and_refuses_directories() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "text").unwrap();
        assert_eq!(read_bytes(&Input::File(path)).unwrap(), b"text");
        let err = read_bytes(&Input::File(dir.path().to_path_buf())).unwrap_err();
        assert_eq!(err.source, dir.path().display().to_string());
    }
}
