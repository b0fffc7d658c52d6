//! Keyed pseudonyms for exchanging results between agencies.
//!
//! A pseudonym is `px-` and the first 96 bits of HMAC-SHA256 (RFC 2104)
//! of the value under a shared secret key, in hex. The same value under
//! the same key always gives the same pseudonym, so two agencies holding
//! the key can match their results; without the key a pseudonym cannot be
//! linked back to its value, nor computed for a guessed one. 96 bits keep
//! the chance that two of ten million values collide below 1e-14 (a
//! collision is detected and refused, never merged).

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result, io_error};
use crate::reject::Rejection;

/// Shortest key accepted, in bytes (256 bits, SHA-256's strength).
pub const MIN_KEY_BYTES: usize = 32;
/// SHA-256's block size.
const BLOCK: usize = 64;

/// HMAC-SHA256 under one key, with the padded key's first block hashed once.
#[derive(Clone)]
pub struct Pseudonymiser {
    inner: Sha256,
    outer: Sha256,
}

impl std::fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymiser { key: <hidden> }")
    }
}

impl Pseudonymiser {
    /// Reads the key from `path`: its bytes, without a trailing line end
    /// (so that keys written by `echo` or an editor agree).
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; [`Error::BadOption`]
    /// (`--pseudonymise-key`) if the key is shorter than [`MIN_KEY_BYTES`].
    pub fn from_key_file(path: &Path) -> Result<Pseudonymiser> {
        let mut key = std::fs::read(path).map_err(io_error(path))?;
        while key.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            key.pop();
        }
        if key.len() < MIN_KEY_BYTES {
            let message = format!(
                "the key in {} has {} bytes; at least {MIN_KEY_BYTES} are needed (for example `head -c 32 /dev/urandom | \
                 base64 > key`)",
                path.display(),
                key.len()
            );
            return Err(Error::BadOption { option: "--pseudonymise-key".into(), message });
        }
        Ok(Pseudonymiser::with_key(&key))
    }

    /// HMAC-SHA256 under `key` (any length: longer than a block is hashed first).
    fn with_key(key: &[u8]) -> Pseudonymiser {
        let mut block = [0u8; BLOCK];
        if key.len() > BLOCK {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let pad = |byte: u8| {
            let mut hasher = Sha256::new();
            hasher.update(block.map(|b| b ^ byte));
            hasher
        };
        Pseudonymiser { inner: pad(0x36), outer: pad(0x5c) }
    }

    /// The HMAC-SHA256 of `message`.
    fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut inner = self.inner.clone();
        inner.update(message);
        let mut outer = self.outer.clone();
        outer.update(inner.finalize());
        outer.finalize().into()
    }

    /// The pseudonym of `value`: `px-` and 24 hex digits.
    pub fn pseudonym(&self, value: &str) -> String {
        let mac = self.mac(value.as_bytes());
        let mut out = String::with_capacity(27);
        out.push_str("px-");
        crate::digest::push_hex(&mac[..12], &mut out);
        out
    }

    /// A rejected row without raw values: its file, its offending value
    /// and every quoted value of its reason (reasons quote data as Rust
    /// string literals, `"..."` with escapes) become pseudonyms.
    pub fn rejection(&self, rejection: &Rejection) -> Rejection {
        let pseudonym = |text: &str| if text.is_empty() { String::new() } else { self.pseudonym(text) };
        let mut reason = String::with_capacity(rejection.reason.len());
        let mut at = 0;
        for quoted in quoted_values(&rejection.reason) {
            reason.push_str(&rejection.reason[at..quoted.start]);
            reason.push('"');
            reason.push_str(&self.pseudonym(&quoted.value));
            reason.push('"');
            at = quoted.end;
        }
        reason.push_str(&rejection.reason[at..]);
        Rejection { file: pseudonym(&rejection.file), value: pseudonym(&rejection.value), reason, ..rejection.clone() }
    }
}

/// A string literal inside a message: its byte range and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    /// Byte offset of the opening quote.
    pub start: usize,
    /// Byte offset just past the closing quote.
    pub end: usize,
    /// The value, unescaped.
    pub value: String,
}

/// The string literals in `message` as Rust's `{:?}` writes them (`\"`,
/// `\\`, `\n`, `\u{..}` escapes), in order. An unterminated one runs to
/// the end.
pub fn quoted_values(message: &str) -> Vec<Quoted> {
    let mut found = Vec::new();
    let mut chars = message.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut value = String::new();
        let mut end = message.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    end = i + 1;
                    break;
                }
                '\\' => match chars.next().map(|(_, e)| e) {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some('r') => value.push('\r'),
                    Some('0') => value.push('\0'),
                    Some('u') => {
                        let mut hex = String::new();
                        for (_, h) in chars.by_ref() {
                            match h {
                                '{' => {}
                                '}' => break,
                                h => hex.push(h),
                            }
                        }
                        value.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                    }
                    Some(other) => value.push(other),
                    None => {}
                },
                c => value.push(c),
            }
        }
        found.push(Quoted { start, end, value });
    }
    found
}

/// Writes the key holder's table `pseudonym,value,field` to `path`.
///
/// # Errors
/// [`Error::Io`] if the file cannot be written.
pub fn write_pseudonym_table<'a>(path: &Path, rows: impl Iterator<Item = [&'a str; 3]>) -> Result<()> {
    let file = std::fs::File::create(path).map_err(io_error(path))?;
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let fail = |e: csv::Error| Error::Io { path: path.to_owned(), source: e.into() };
    out.write_record(["pseudonym", "value", "field"]).map_err(fail)?;
    for row in rows {
        out.write_record(row).map_err(fail)?;
    }
    out.flush().map_err(io_error(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// RFC 4231 test cases 1, 2 and 6 (a key longer than a block).
    #[test]
    fn hmac_matches_rfc_4231() {
        let mac = |key: &[u8], data: &[u8]| hex(&Pseudonymiser::with_key(key).mac(data));
        assert_eq!(mac(&[0x0b; 20], b"Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        assert_eq!(
            mac(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            mac(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn keys_are_read_checked_and_rejections_scrubbed() {
        let dir = tempfile::tempdir().unwrap();
        let short = dir.path().join("short");
        std::fs::write(&short, "too short\n").unwrap();
        assert!(matches!(Pseudonymiser::from_key_file(&short), Err(Error::BadOption { .. })));
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "0123456789abcdef0123456789abcdef\n").unwrap();
        std::fs::write(&b, "0123456789abcdef0123456789abcdef").unwrap();
        let (a, b) = (Pseudonymiser::from_key_file(&a).unwrap(), Pseudonymiser::from_key_file(&b).unwrap());
        assert_eq!(a.pseudonym("+34600111222"), b.pseudonym("+34600111222"), "line ends do not count");
        assert_ne!(a.pseudonym("+34600111222"), a.pseudonym("+34600111223"));
        assert_eq!(a.pseudonym("x").len(), 27);
        let rejection = Rejection {
            file: "entities.csv".into(),
            line: 3,
            column: "identifier".into(),
            reason: "identifier \"+34600111222\" belongs to entity \"P01\" and also to \"P02\"".into(),
            value: "+34600111222".into(),
        };
        let scrubbed = a.rejection(&rejection);
        assert!(!scrubbed.reason.contains("P01") && !scrubbed.reason.contains("+34600"), "{}", scrubbed.reason);
        assert!(scrubbed.reason.starts_with("identifier \"px-") && scrubbed.value == a.pseudonym("+34600111222"));
        assert_eq!(scrubbed.file, a.pseudonym("entities.csv"));
        // Quotes and escapes inside a value: the whole value becomes one pseudonym.
        let tricky = format!("entity {:?} and also {:?}", "Juan \"El Gordo\" Pérez\n", "P\\2");
        let values: Vec<String> = quoted_values(&tricky).into_iter().map(|q| q.value).collect();
        assert_eq!(values, ["Juan \"El Gordo\" Pérez\n", "P\\2"]);
        let scrubbed = a.rejection(&Rejection { reason: tricky, ..rejection });
        assert!(!scrubbed.reason.contains("Gordo") && !scrubbed.reason.contains("P\\"), "{}", scrubbed.reason);
        assert_eq!(
            scrubbed.reason,
            format!("entity \"{}\" and also \"{}\"", a.pseudonym(&values[0]), a.pseudonym(&values[1]))
        );
    }
}
