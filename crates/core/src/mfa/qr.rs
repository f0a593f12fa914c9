//! A QR code of a text as a PNG image (the `QRCodePNG` of CreateVirtualMFADevice): 8-bit
//! grayscale, a few pixels per module, with the standard four-module quiet zone.

use qrcode::{Color, QrCode};

/// Pixels per module.
const SCALE: usize = 4;
/// Light modules around the code.
const QUIET: usize = 4;

/// The PNG bytes, or `None` when the text is too long for a QR code.
pub fn png(text: &str) -> Option<Vec<u8>> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let modules = code.width();
    let colors = code.into_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET, i / modules + QUIET);
        for y in my * SCALE..(my + 1) * SCALE {
            let row = y * side;
            pixels[row + mx * SCALE..row + (mx + 1) * SCALE].fill(0);
        }
    }
    let side = u32::try_from(side).ok()?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&pixels).ok()?;
    writer.finish().ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_png_decodes_to_a_qr_code_with_its_finder_patterns() {
        let png_bytes = png("otpauth://totp/dev@123456789012?secret=ABCDEFGH").unwrap();
        assert!(png_bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.width, info.height);
        let side = info.width as usize;
        let px = |x: usize, y: usize| buf[y * side + x];
        // Quiet zone light; the top-left finder pattern: dark ring, light ring, dark centre.
        let m = |n: usize| (QUIET + n) * SCALE + 1;
        assert_eq!(px(1, 1), 255);
        assert_eq!(px(m(0), m(0)), 0);
        assert_eq!(px(m(1), m(1)), 255);
        assert_eq!(px(m(3), m(3)), 0);
        assert_eq!(px(m(6), m(0)), 0);
        assert_eq!(px(m(7), m(0)), 255);
        // The top-right finder pattern too.
        assert_eq!(px(side - 1 - m(0), m(0)), 0);
        assert_eq!(px(side - 1 - m(3), m(3)), 0);
    }

    #[test]
    fn text_too_long_for_a_qr_code_is_none() {
        assert_eq!(png(&"x".repeat(5000)), None);
    }
}
