//! Image links on the page: a file under `reports/` becomes a data URI, so the page is one
//! file that shows the same thing wherever it is opened; anything else is shown only when it
//! cannot run or fetch anything unexpected, or is named as a problem.

use crate::error::Result;
use crate::report::findings;
use crate::report::images::{self, Figures, Lookup, Target};

/// What became of one image link.
pub enum Embedded {
    /// What the `<img>` shows: the file as a data URI, or a web or data address kept as written.
    Src(String),
    /// Why the image is not shown.
    Problem(String),
}

pub fn embed(dest: &str, figures: &Figures) -> Result<Embedded> {
    let relative = match images::resolve(dest) {
        Target::Local(path) => path,
        Target::Remote if shown_as_is(dest) => return Ok(Embedded::Src(dest.trim().to_string())),
        Target::Remote => {
            return Ok(Embedded::Problem(format!(
                "`{dest}` is not an https address or an image file, so it is not shown"
            )));
        }
        Target::Outside => {
            return Ok(Embedded::Problem(format!(
                "`{dest}` is outside reports/, so it is not embedded"
            )));
        }
        Target::Empty => {
            return Ok(Embedded::Problem(
                "this image link names no file".to_string(),
            ));
        }
    };
    let lookup = figures.find(&relative);
    let Lookup::File(path) = lookup else {
        let (_, why) =
            findings::lookup_finding(&relative, lookup).expect("only a found file has no finding");
        return Ok(Embedded::Problem(why));
    };
    let bytes = fs_err::read(&path)?;
    Ok(Embedded::Src(format!(
        "data:{};base64,{}",
        mime(&relative),
        base64(&bytes)
    )))
}

/// Web images over https and inline image data; never `javascript:` or other schemes.
fn shown_as_is(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("data:image/")
}

fn mime(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    match ext.to_ascii_lowercase().as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

/// Standard base64 with padding (RFC 4648), for data URIs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn only_https_and_image_data_are_shown_as_written() {
        let figures = Figures::new(std::path::Path::new("/nonexistent"));
        let shown = |dest: &str| matches!(embed(dest, &figures).unwrap(), Embedded::Src(_));
        assert!(shown("https://example.org/a.png"));
        assert!(shown("data:image/png;base64,AAAA"));
        assert!(!shown("http://example.org/a.png"));
        assert!(!shown("javascript:alert(1)"));
        assert!(!shown("data:text/html,<script>alert(1)</script>"));
        assert!(!shown("figures/gone.png"));
    }
}
