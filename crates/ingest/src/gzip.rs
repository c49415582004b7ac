//! gzip decompression of one compressed page, bounded in size. (A `.warc.gz` is not decompressed
//! here but streamed record by record, see `warc`.)

use crate::IngestError;
use flate2::read::MultiGzDecoder;
use std::io::{ErrorKind, Read};

/// True when `bytes` start with the gzip magic number.
pub(crate) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// The first `n` decompressed bytes (fewer if the stream is shorter or damaged).
pub(crate) fn prefix(bytes: &[u8], n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    let _ = MultiGzDecoder::new(bytes)
        .take(n as u64)
        .read_to_end(&mut out);
    out
}

/// Decompresses a gzip stream (several concatenated members too, as `.warc.gz` files are made:
/// one member per record), refusing to produce more than `limit` bytes.
pub(crate) fn decompress(bytes: &[u8], limit: usize) -> Result<Vec<u8>, IngestError> {
    let mut decoder = MultiGzDecoder::new(bytes);
    let mut data = Vec::with_capacity(bytes.len().saturating_mul(4).min(limit));
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match decoder.read(&mut chunk) {
            Ok(0) => return Ok(data),
            Ok(n) => {
                if data.len() + n > limit {
                    let size = (data.len() + n) as u64;
                    return Err(IngestError::Oversized {
                        what: "decompressed gzip data",
                        size,
                        limit: limit as u64,
                    });
                }
                data.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                let error = if e.kind() == ErrorKind::UnexpectedEof {
                    IngestError::TruncatedGzip {
                        decompressed: data.len() as u64,
                    }
                } else {
                    IngestError::CorruptGzip(e.to_string())
                };
                return Err(error);
            }
        }
    }
}

#[cfg(test)]
pub(crate) fn compress(data: &[u8]) -> Vec<u8> {
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reads_concatenated_members() {
        let mut both = compress(b"first ");
        both.extend(compress(b"second"));
        assert_eq!(decompress(&both, 1000).unwrap(), b"first second");
    }

    #[test]
    fn a_cut_stream_is_truncated() {
        let text: Vec<u8> = (0..20_000u32)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let packed = compress(&text);
        let cut = &packed[..packed.len() / 2];
        let error = decompress(cut, usize::MAX).unwrap_err();
        assert!(
            matches!(error, IngestError::TruncatedGzip { decompressed } if decompressed > 0),
            "{error:?}"
        );
    }

    #[test]
    fn a_stream_cut_inside_its_trailer_is_truncated() {
        let packed = compress(b"short text");
        let error = decompress(&packed[..packed.len() - 3], usize::MAX).unwrap_err();
        assert!(matches!(error, IngestError::TruncatedGzip { .. }));
    }

    #[test]
    fn damaged_data_is_corrupt() {
        let mut packed = compress(b"some text that compresses into a few bytes of deflate");
        let n = packed.len();
        packed[n - 6] ^= 0xff; // inside the CRC32 of the trailer
        let error = decompress(&packed, usize::MAX).unwrap_err();
        assert!(matches!(error, IngestError::CorruptGzip(_)));
    }

    #[test]
    fn peeks_at_the_start() {
        assert_eq!(prefix(&compress(b"WARC/1.1 and more"), 5), b"WARC/");
        assert_eq!(prefix(b"\x1f\x8bnot really", 5), b"");
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_limit() {
        let packed = compress(&vec![b'a'; 1_000_000]);
        let error = decompress(&packed, 10_000).unwrap_err();
        assert!(matches!(
            error,
            IngestError::Oversized { limit: 10_000, .. }
        ));
    }
}
