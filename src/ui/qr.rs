//! A QR code of a link drawn with half-block characters: two modules per character cell
//! (`▀` `▄` `█` and space), dark on light with the quiet zone the standard asks for, so a
//! phone camera reads it from a terminal over SSH. Low error correction keeps a payment
//! link small enough for an 80×24 screen.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of light border around the code (the standard asks for 4; 2 reads on screens
/// and saves room).
const QUIET: usize = 2;

/// The code of `text` as lines of half blocks, light modules drawn as `█` (the terminal's
/// background is the dark), or `None` when the text cannot be encoded.
pub fn lines(text: &str) -> Option<Vec<String>> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    // Light where there is no module or outside the code: the quiet zone is light.
    let light = |x: isize, y: isize| -> bool {
        if x < 0 || y < 0 || x >= width as isize || y >= width as isize {
            return true;
        }
        colors[y as usize * width + x as usize] == Color::Light
    };
    let size = (width + 2 * QUIET) as isize;
    let mut out = Vec::new();
    let mut y = -(QUIET as isize);
    while y < size - QUIET as isize {
        let mut line = String::new();
        for x in -(QUIET as isize)..(size - QUIET as isize) {
            let top = light(x, y);
            let bottom = light(x, y + 1);
            line.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push(line);
        y += 2;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the half blocks back into pixels (light = 255) and decodes them, as a camera
    /// would read the screen.
    fn decode(lines: &[String]) -> String {
        let scale = 4;
        let w = lines[0].chars().count();
        let h = lines.len() * 2;
        let px: Vec<Vec<bool>> = (0..h)
            .map(|y| {
                lines[y / 2]
                    .chars()
                    .map(|c| matches!((c, y % 2), ('█', _) | ('▀', 0) | ('▄', 1)))
                    .collect()
            })
            .collect();
        // A wider light margin around it, as the screen around the code.
        let margin = 8;
        let (iw, ih) = ((w + 2 * margin) * scale, (h + 2 * margin) * scale);
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(iw, ih, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            if mx < margin || my < margin || mx >= w + margin || my >= h + margin {
                return 255;
            }
            if px[my - margin][mx - margin] { 255 } else { 0 }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        grids[0].decode().expect("decodes").1
    }

    #[test]
    fn a_payment_link_reads_back_and_fits_an_80x24_screen() {
        let link = "https://gigstack.pro/pay/pay_9f2K3mQx7LZ1vB8d?team=team_W8Bc3nUSsZ7LFS";
        let lines = lines(link).unwrap();
        assert!(lines.len() <= 20, "{} lines tall", lines.len());
        assert!(lines[0].chars().count() <= 60);
        // The code as the light-on-dark terminal shows it reads back to the link.
        assert_eq!(decode(&lines), link);
    }
}
