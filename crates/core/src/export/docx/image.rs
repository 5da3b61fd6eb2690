//! The letterhead logo: read, checked (PNG or JPEG, at most [`MAX_LOGO_BYTES`], a readable size)
//! and scaled to fit the letterhead's middle column. The size comes from the `imagesize` crate
//! (it reads the header only); the image itself is handed to docx-rs as is (PNG) or decoded
//! and re-encoded by it (JPEG, which it does with `expect`: guarded here).
//!
//! Only PNG and JPEG: what Word and LibreOffice both show, and what an administration's logo is.

use std::path::Path;

use docx_rs::Pic;

use crate::export::{ExportError, MAX_LOGO_BYTES};

/// Neither side of a logo may exceed this many pixels: beyond it, a file is damaged or is not a
/// logo, and decoding it would only cost memory.
const MAX_SIDE: usize = 10_000;

/// The logo at `path`, ready to be placed (at most 2.2 cm high and 3.5 cm wide).
pub(crate) fn load_logo(path: &Path) -> Result<Pic, ExportError> {
    let bad = |reason: String| ExportError::Logo { path: path.into(), reason };
    let meta = std::fs::metadata(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
    if meta.len() > MAX_LOGO_BYTES {
        return Err(bad(format!(
            "it is {:.1} MB; a logo is at most {} MB. Save a smaller copy (a few hundred pixels wide is enough)",
            meta.len() as f64 / (1024.0 * 1024.0),
            MAX_LOGO_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
    // The format by its signature; the size from the header.
    let png = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        true
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        false
    } else {
        return Err(bad("it is not a PNG or JPEG image".into()));
    };
    let size = imagesize::blob_size(&bytes).ok().filter(|s| (1..=MAX_SIDE).contains(&s.width) && (1..=MAX_SIDE).contains(&s.height));
    let Some(size) = size else {
        return Err(bad("the image is damaged or its size cannot be read".into()));
    };
    let (w, h) = (size.width as u32, size.height as u32);
    let pic = if png {
        Pic::new_with_dimensions(bytes, w, h)
    } else {
        // docx-rs decodes JPEG (to PNG) with `expect`: a damaged file must be an error, not a crash.
        std::panic::catch_unwind(|| Pic::new(&bytes)).map_err(|_| bad("the image is damaged and cannot be decoded".into()))?
    };
    // At most 2.2 cm high and 3.5 cm wide, proportions kept (EMU: 360,000 per cm).
    let (max_w, max_h) = (1_260_000f64, 792_000f64);
    let scale = (max_w / w as f64).min(max_h / h as f64);
    Ok(pic.size((w as f64 * scale) as u32, (h as f64 * scale) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        let err = |p: &Path| match load_logo(p) {
            Err(ExportError::Logo { reason, .. }) => reason,
            other => panic!("{other:?}"),
        };
        assert!(err(&write("a.gif", b"GIF89a\x01\x00\x01\x00")).contains("not a PNG or JPEG"));
        // A PNG signature with a cut header, and a JPEG with no frame.
        assert!(err(&write("b.png", b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR")).contains("damaged"));
        assert!(err(&write("c.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xD9])).contains("damaged"));
        let logo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/logo.png");
        assert!(load_logo(&logo).is_ok());
    }
}
