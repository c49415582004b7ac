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

/// How much of an input is read first to tell what it is (and so how large it may be).
const HEAD_BYTES: u64 = 64 * 1024;

/// Reads an input whole, refusing anything over the size its kind allows: a WARC file (plain or
/// gzip) up to [`MAX_INPUT_BYTES`], any other input up to the size of one document
/// (`casebook_ingest::max_input_size`). A file known to be too large is refused before it is
/// read; an input of unknown size (standard input, a pipe, a device such as `/dev/zero`) is read
/// through a cap and refused once past it, so memory stays bounded per input.
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
    match input {
        Input::Stdin => read_capped(std::io::stdin().lock(), None),
        Input::File(path) => {
            let file = std::fs::File::open(path).map_err(|e| fail(describe(&e)))?;
            // Devices and pipes report a size of 0: only a regular file's size is known.
            let size = file
                .metadata()
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            read_capped(file, size)
        }
    }
    .map_err(fail)
}

/// Reads `reader` to its end or refuses it past the limit its first bytes call for.
fn read_capped(mut reader: impl Read, size: Option<u64>) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    (&mut reader)
        .take(HEAD_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| describe(&e))?;
    let limits = casebook_ingest::Limits::default();
    let limit = casebook_ingest::max_input_size(&bytes, &limits).min(MAX_INPUT_BYTES);
    let what = if limit > limits.max_document as u64 {
        "a WARC file"
    } else {
        "a single document (a WARC file may be larger)"
    };
    let too_big =
        |size: String| format!("{size} bytes, over the limit of {limit} bytes for {what}");
    if let Some(size) = size.filter(|&size| size > limit) {
        return Err(too_big(size.to_string()));
    }
    if let Some(size) = size {
        bytes.reserve(
            usize::try_from(size)
                .unwrap_or(0)
                .saturating_sub(bytes.len()),
        );
    }
    let room = (limit + 1).saturating_sub(bytes.len() as u64);
    reader
        .take(room)
        .read_to_end(&mut bytes)
        .map_err(|e| describe(&e))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(format!("more than {limit}")));
    }
    Ok(bytes)
}

/// Text as printed on one line of output: control characters, line and paragraph separators
/// and bidirectional overrides are shown escaped (`\n`, `\u{1b}`), so that a file name holding
/// a line break or a terminal escape cannot forge or hide a line of what the command prints.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hostile = |c: char| {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hostile) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hostile(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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

    #[test]
    fn control_characters_are_escaped_for_printing() {
        assert_eq!(printable("crawl/Ізмаїл.warc"), "crawl/Ізмаїл.warc");
        assert_eq!(
            printable("a\ncasebook ingest: 9 inputs\u{1b}[2K\r\u{202E}txt.exe"),
            "a\\ncasebook ingest: 9 inputs\\u{1b}[2K\\r\\u{202e}txt.exe"
        );
    }

    #[test]
    fn a_document_over_its_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dump.txt");
        let limit = casebook_ingest::Limits::default().max_document as u64;
        // Sparse: the size is known without writing the data.
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(limit + 1).unwrap();
        drop(file);
        let err = read_bytes(&Input::File(path)).unwrap_err();
        assert_eq!(
            err.reason,
            format!(
                "{} bytes, over the limit of {limit} bytes for a single document (a WARC file may be larger)",
                limit + 1
            )
        );
    }

    #[test]
    fn an_endless_input_is_refused_at_the_cap() {
        let limit = casebook_ingest::Limits::default().max_document as u64;
        let err = read_capped(std::io::repeat(b'a'), None).unwrap_err();
        assert!(
            err.starts_with(&format!("more than {limit} bytes")),
            "{err}"
        );
        // A WARC stream may be larger than a document, and is capped at its own limit.
        let warc = std::io::Cursor::new(b"WARC/1.1\r\n".to_vec()).chain(std::io::repeat(b'a'));
        let err = read_capped(warc.take(limit + 10), None);
        assert_eq!(err.map(|b| b.len() as u64), Ok(limit + 10));
        #[cfg(unix)]
        {
            let err = read_bytes(&Input::File(PathBuf::from("/dev/zero"))).unwrap_err();
            assert!(err.reason.contains("over the limit"), "{}", err.reason);
        }
    }
}
