//! Where the application sends a browser after a login or a form (`next=`, `back=`): only a path
//! of this site. Browsers drop tabs and newlines from a `Location` and read `\` as `/`, so
//! `/\t/evil.example/` or `/\/evil.example` would leave the site; anything but a plain local path
//! goes to `/`.

/// The local path to redirect to, or `/` when `target` is not one. A local path starts with one
/// `/`, holds no `\`, no control character and no whitespace, and stays so when percent-decoded
/// once more (a path that decodes to `//host` is refused too). Characters outside ASCII are
/// percent-encoded so the answer is always a valid header value.
pub fn local_path(target: Option<&str>) -> String {
    match target {
        Some(t) if is_local(t) && is_local(&percent_decode(t)) => encode_non_ascii(t),
        _ => "/".to_string(),
    }
}

fn is_local(t: &str) -> bool {
    t.starts_with('/')
        && !t.starts_with("//")
        && !t.contains('\\')
        && !t.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// Decodes `%XX` escapes (invalid ones are kept as they are); bytes that are not UTF-8 become
/// U+FFFD, which is neither a control character nor whitespace.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode_non_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_plain_local_paths_are_followed() {
        for ok in ["/", "/review?page=2", "/persons/p-1a2b#events"] {
            assert_eq!(local_path(Some(ok)), ok);
        }
        for bad in [
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/\r\nSet-Cookie: x=1",
            "// evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/%09/evil.example",
            "/ /evil.example",
            "/\u{a0}/evil.example",
            "",
        ] {
            assert_eq!(local_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn letters_outside_ascii_are_kept_as_escapes() {
        assert_eq!(
            local_path(Some("/search?q=Джелял")),
            "/search?q=%D0%94%D0%B6%D0%B5%D0%BB%D1%8F%D0%BB"
        );
    }
}
