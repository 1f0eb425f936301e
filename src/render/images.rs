//! Photo thumbnails: an expert's `photo:` becomes a small square picture.
//!
//! Editors put whatever they have beside a profile — often a phone photo of
//! several megapixels and megabytes. Sending that to every visitor of the
//! expert directory would make the page slow to load, so the render stage asks
//! this module for a square thumbnail of a fixed size instead, cropped from the
//! centre like an avatar.
//!
//! Decoding and resizing a large photo costs tens of milliseconds, and
//! `esiin serve` rebuilds on every save. Thumbnails are therefore kept in a
//! [`ThumbCache`] on disk, keyed by the photo's *content* rather than its path
//! or modification time: a `git checkout` that touches every file does not
//! invalidate it, and a photo replaced under the same name does.
//!
//! The file is input from a user, so it is treated as hostile: its size is
//! read from the header and checked before any pixel is allocated, errors are
//! typed values that the caller turns into a located diagnostic, and nothing
//! here panics on any bytes.

use std::fmt;
use std::fs;
use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use fast_image_resize::{
    FilterType, IntoImageView, IntoImageViewMut, ResizeAlg, ResizeOptions, Resizer,
};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::metadata::Orientation;
use image::{
    DynamicImage, ExtendedColorType, ImageBuffer, ImageDecoder, ImageEncoder, ImageFormat,
    ImageReader, Pixel, RgbImage, RgbaImage,
};
use xxhash_rust::xxh3::xxh3_64;

/// The largest photo, in pixels, that is decoded at all.
///
/// A decoded image takes 3–8 bytes a pixel, so 40 megapixels is at most a few
/// hundred megabytes while it is being read — already more than a profile
/// photo needs, and bounded, whereas a 100 000 × 100 000 header that claims
/// 40 GB could otherwise take the machine down. Every camera photo is below
/// this.
const MAX_PIXELS: u64 = 40_000_000;

/// The version of how thumbnails are made, part of every cache key.
///
/// Bump it whenever the output for the same input changes (filter, quality,
/// crop, format choice), so that an old cache is not served by a new esiin.
const THUMB_VERSION: u32 = 1;

/// JPEG quality of opaque thumbnails: at 85 artefacts are invisible at avatar
/// size, and a 160 × 160 photo stays around 10 KB.
const JPEG_QUALITY: u8 = 85;

/// A resized photo, ready to be written to the output.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Thumb {
    /// The encoded file: a JPEG or a PNG, as `ext` says. Shared: `serve`
    /// keeps it between builds and serves it without copying.
    pub bytes: std::sync::Arc<[u8]>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels (equal to `width`: thumbnails are square).
    pub height: u32,
    /// The file extension that matches `bytes`: `"jpg"` or `"png"`.
    pub ext: &'static str,
}

// By hand, so that a failing test does not print kilobytes of pixels.
impl fmt::Debug for Thumb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Thumb")
            .field("bytes", &format_args!("[{} bytes]", self.bytes.len()))
            .field("width", &self.width)
            .field("height", &self.height)
            .field("ext", &self.ext)
            .finish()
    }
}

/// Why a photo could not be made into a thumbnail.
///
/// Typed rather than a `Diagnostic`: this module knows the file but not the
/// front-matter line that named it; the caller does, and builds the located
/// diagnostic from [`Display`](fmt::Display) and [`ImageError::hint`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImageError {
    /// The file could not be read (the I/O error's text).
    Unreadable(String),
    /// The bytes are not an image that can be decoded: an unknown or
    /// unsupported format, or a damaged file (the reason, as text).
    Undecodable(String),
    /// The header announces more than [`MAX_PIXELS`] pixels.
    TooLarge { width: u32, height: u32 },
}

impl ImageError {
    /// What the editor can do about it, for the diagnostic's hint.
    pub(crate) fn hint(&self) -> &'static str {
        match self {
            ImageError::Unreadable(_) => "check that the file exists and can be read",
            ImageError::Undecodable(_) => {
                "save the photo as JPEG or PNG (WebP and GIF also work) and name that file"
            }
            ImageError::TooLarge { .. } => {
                "scale the photo down to a few thousand pixels a side; it is shown small anyway"
            }
        }
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::Unreadable(e) => write!(f, "the photo cannot be read: {e}"),
            ImageError::Undecodable(e) => write!(f, "the photo cannot be decoded: {e}"),
            ImageError::TooLarge { width, height } => {
                let megapixels = u64::from(*width) * u64::from(*height) / 1_000_000;
                write!(
                    f,
                    "the photo is {width} × {height} pixels ({megapixels} megapixels); \
                     esiin reads photos of up to {} megapixels",
                    MAX_PIXELS / 1_000_000
                )
            }
        }
    }
}

impl std::error::Error for ImageError {}

/// A cache of thumbnails on disk, shared by the threads of a build.
///
/// An entry is named by a hash of the source bytes, the thumbnail size and
/// the version of how esiin makes thumbnails; nothing else goes into the
/// output, so the entry is valid wherever and whenever the same bytes turn up
/// again, and there is nothing to invalidate. Old entries are never removed by esiin: they are small, and
/// deleting the folder is always safe.
#[derive(Debug)]
pub(crate) struct ThumbCache {
    dir: PathBuf,
    /// Read from the cache but never write to it (`esiin check` writes
    /// nothing).
    read_only: bool,
    hits: AtomicUsize,
    made: AtomicUsize,
}

impl ThumbCache {
    /// A cache in `dir`. The folder is created on the first write, so a build
    /// that has no photos leaves nothing behind.
    pub(crate) fn new(dir: PathBuf) -> ThumbCache {
        ThumbCache {
            dir,
            read_only: false,
            hits: AtomicUsize::new(0),
            made: AtomicUsize::new(0),
        }
    }

    /// A cache that is looked up but never written.
    pub(crate) fn read_only(dir: PathBuf) -> ThumbCache {
        ThumbCache {
            read_only: true,
            ..ThumbCache::new(dir)
        }
    }

    /// The folder that holds the cache.
    #[cfg(test)]
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many thumbnails were served from the cache (for the tests).
    #[cfg(test)]
    pub(crate) fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// How many thumbnails were decoded and resized anew (for the tests).
    #[cfg(test)]
    pub(crate) fn made(&self) -> usize {
        self.made.load(Ordering::Relaxed)
    }

    /// [`squares`](Self::squares) at one size, for the tests.
    #[cfg(test)]
    fn square(&self, src: &Path, size: u32) -> Result<Thumb, ImageError> {
        let mut thumbs = self.squares(src, &[size])?;
        thumbs
            .pop()
            .ok_or_else(|| ImageError::Undecodable("no size was asked for".into()))
    }

    /// Square thumbnails of `size` × `size` pixels of the photo at `src`,
    /// one for each of `sizes`, cut from the centre like an avatar; the
    /// source is read and hashed once (a profile shows one size, the
    /// directory another).
    ///
    /// The photo is not enlarged: one whose shorter side is under `size` gives
    /// its centre square at its own size, since an upscaled avatar is only
    /// blurrier, not better. EXIF orientation is applied, so a portrait taken
    /// with a phone stands upright. The result is a JPEG, or a PNG when the
    /// cropped part has any transparency; camera metadata (location!) is not
    /// carried over, the colour profile is.
    ///
    /// An unchanged photo is not decoded again on the next build: the source
    /// is still read and hashed (about a millisecond for a few megabytes), but
    /// the cached thumbnail is returned. A cache that cannot be read or
    /// written only costs time; it is never an error.
    pub(crate) fn squares(&self, src: &Path, sizes: &[u32]) -> Result<Vec<Thumb>, ImageError> {
        // Not blocking: a photo swapped for a FIFO since the walk is an
        // error, not a hang.
        let bytes = crate::load::read_regular(src, None)
            .map_err(|e| ImageError::Unreadable(std::io::Error::from(e).to_string()))?;
        // xxh3 rather than `DefaultHasher`: its output is specified and the
        // same on every platform and Rust version, so a cache written by one
        // build is found by the next; and it hashes several GB/s, so a warm
        // build barely notices it. Collisions of 64 bits over a handbook's few
        // hundred photos are not a concern (no one is attacking their own
        // intranet's avatars).
        let hash = xxh3_64(&bytes);
        let stems: Vec<String> = sizes
            .iter()
            .map(|&size| format!("{hash:016x}-{}-v{THUMB_VERSION}", size.max(1)))
            .collect();
        let mut found: Vec<Option<Thumb>> = stems.iter().map(|stem| self.lookup(stem)).collect();
        let missing: Vec<usize> = (0..sizes.len()).filter(|&k| found[k].is_none()).collect();
        self.hits
            .fetch_add(sizes.len() - missing.len(), Ordering::Relaxed);
        if !missing.is_empty() {
            // One decode for every size still to make: decoding, not
            // resizing, is most of the cost.
            let wanted: Vec<u32> = missing.iter().map(|&k| sizes[k].max(1)).collect();
            let made = make_squares(&bytes, &wanted)?;
            self.made.fetch_add(made.len(), Ordering::Relaxed);
            for (k, thumb) in missing.into_iter().zip(made) {
                // Best effort: a read-only checkout or a full disk must not
                // fail the build, it only makes the next one slower.
                let _ = self.store(&stems[k], &thumb);
                found[k] = Some(thumb);
            }
        }
        Ok(found.into_iter().flatten().collect())
    }

    /// The cached thumbnail for `stem`, if there is a complete one.
    fn lookup(&self, stem: &str) -> Option<Thumb> {
        for (ext, format) in [("jpg", ImageFormat::Jpeg), ("png", ImageFormat::Png)] {
            let Ok(bytes) = fs::read(self.dir.join(format!("{stem}.{ext}"))) else {
                continue;
            };
            // Entries are renamed into place only once written, but a crash
            // right after the rename can still leave a truncated file on some
            // file systems; a missing end marker catches that, and the header
            // gives the size without decoding any pixels.
            if !has_end_marker(&bytes, format) {
                continue;
            }
            let Ok((width, height)) =
                ImageReader::with_format(Cursor::new(&bytes), format).into_dimensions()
            else {
                continue;
            };
            return Some(Thumb {
                bytes: bytes.into(),
                width,
                height,
                ext,
            });
        }
        None
    }

    /// Writes `thumb` into the cache atomically ([`crate::cache::write_atomic`]),
    /// so that a parallel build or one interrupted midway never finds half a
    /// file under the final name.
    fn store(&self, stem: &str, thumb: &Thumb) -> std::io::Result<()> {
        if self.read_only {
            return Ok(());
        }
        let name = format!("{stem}.{}", thumb.ext);
        crate::cache::write_atomic(&self.dir, &name, &thumb.bytes)
    }
}

/// Whether `bytes` end the way a complete file of `format` that esiin wrote
/// ends.
fn has_end_marker(bytes: &[u8], format: ImageFormat) -> bool {
    match format {
        ImageFormat::Jpeg => bytes.ends_with(&[0xFF, 0xD9]),
        ImageFormat::Png => bytes.ends_with(b"IEND\xAE\x42\x60\x82"),
        _ => false,
    }
}

/// Refuses images with more than [`MAX_PIXELS`] pixels.
fn check_dimensions(width: u32, height: u32) -> Result<(), ImageError> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        Err(ImageError::TooLarge { width, height })
    } else {
        Ok(())
    }
}

/// Decodes `bytes` and makes the square thumbnail, without any cache.
///
/// The decoders are pure Rust and fuzzed upstream, but a panic in one of them
/// on some odd file would take down a whole parallel build; it is caught here
/// and reported as an undecodable photo like any other bad file.
/// Decodes once and makes a square thumbnail at each size.
fn make_squares(bytes: &[u8], sizes: &[u32]) -> Result<Vec<Thumb>, ImageError> {
    panic::catch_unwind(AssertUnwindSafe(|| {
        let (image, icc) = decode(bytes)?;
        sizes
            .iter()
            .map(|&size| square_of(image.clone(), size, icc.clone()))
            .collect()
    }))
    .unwrap_or_else(|_| {
        Err(ImageError::Undecodable(
            "the image decoder failed on this file".to_string(),
        ))
    })
}

/// Decodes an image, upright, with its colour profile if it has an RGB one.
fn decode(bytes: &[u8]) -> Result<(DynamicImage, Option<Vec<u8>>), ImageError> {
    // The format is guessed from the content, not the file name: a PNG saved
    // as `mari.jpg` is common and works.
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Unreadable(e.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif) => {}
        Some(other) => {
            let name = other.extensions_str().first().copied().unwrap_or("this");
            return Err(ImageError::Undecodable(format!(
                "{} images are not supported",
                name.to_uppercase()
            )));
        }
        None => return Err(ImageError::Undecodable(unknown_format(bytes))),
    }
    let undecodable = |e: image::ImageError| ImageError::Undecodable(e.to_string());
    let mut decoder = reader.into_decoder().map_err(undecodable)?;
    // Only the header has been read so far: refuse a huge image before its
    // pixels are allocated.
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height)?;
    // An unreadable EXIF block is not worth refusing a photo over.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    // A wide-gamut photo (a phone's Display P3) looks dull without its
    // profile. Only an RGB profile fits the RGB thumbnail: a CMYK or grey one
    // would describe other pixels than the ones written, and is dropped.
    let icc = decoder
        .icc_profile()
        .ok()
        .flatten()
        .filter(|icc| icc.get(16..20) == Some(b"RGB ".as_slice()));
    let mut image = DynamicImage::from_decoder(decoder).map_err(undecodable)?;
    image.apply_orientation(orientation);
    Ok((image, icc))
}

/// Why bytes of no known format are not an image, as helpfully as possible.
fn unknown_format(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "the file is empty".to_string();
    }
    // iPhones save HEIC by default, and esiin cannot read it: say so, rather
    // than leave the editor puzzling over a file their phone opens fine.
    if matches!(
        bytes.get(4..12),
        Some(b"ftypheic" | b"ftypheix" | b"ftyphevc" | b"ftypmif1" | b"ftypmsf1")
    ) {
        return "it is a HEIC photo (as iPhones save them), which esiin does not read".to_string();
    }
    "not a JPEG, PNG, WebP or GIF image".to_string()
}

/// Crops the centre square of `image`, scales it to `size` (never up) and
/// encodes it.
fn square_of(image: DynamicImage, size: u32, icc: Option<Vec<u8>>) -> Result<Thumb, ImageError> {
    let (width, height) = (image.width(), image.height());
    let side = width.min(height);
    if side == 0 {
        return Err(ImageError::Undecodable(
            "the image has no pixels".to_string(),
        ));
    }
    let out = size.min(side);
    let (left, top) = ((width - side) / 2, (height - side) / 2);

    if image.color().has_alpha() {
        let rgba = image.into_rgba8();
        // Many PNGs carry an alpha channel that is opaque everywhere; those
        // are photos all the same and become a JPEG a fraction of the size.
        let transparent = image::imageops::crop_imm(&rgba, left, top, side, side)
            .to_image()
            .pixels()
            .any(|p| p.0[3] < u8::MAX);
        if transparent {
            return encode_png(&crop_scale(&rgba, left, top, side, out)?, icc);
        }
        let rgb = DynamicImage::ImageRgba8(rgba).into_rgb8();
        return encode_jpeg(&crop_scale(&rgb, left, top, side, out)?, icc);
    }
    let rgb = image.into_rgb8();
    encode_jpeg(&crop_scale(&rgb, left, top, side, out)?, icc)
}

/// The `side` × `side` square at (`left`, `top`) of `image`, scaled to `out`
/// × `out`.
///
/// Lanczos3 is the sharpest of the usual filters when shrinking a photo a
/// lot, and fast_image_resize makes it cheap with SIMD; it also weights
/// colours by alpha, so transparent edges do not darken.
fn crop_scale<P>(
    image: &ImageBuffer<P, Vec<u8>>,
    left: u32,
    top: u32,
    side: u32,
    out: u32,
) -> Result<ImageBuffer<P, Vec<u8>>, ImageError>
where
    P: Pixel<Subpixel = u8> + 'static,
    ImageBuffer<P, Vec<u8>>: IntoImageView + IntoImageViewMut,
{
    if out == side {
        // Nothing to scale: copy the pixels exactly.
        return Ok(image::imageops::crop_imm(image, left, top, side, side).to_image());
    }
    let mut scaled = ImageBuffer::<P, Vec<u8>>::new(out, out);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .crop(
            f64::from(left),
            f64::from(top),
            f64::from(side),
            f64::from(side),
        );
    Resizer::new()
        .resize(image, &mut scaled, &options)
        .map_err(|e| ImageError::Undecodable(format!("the photo could not be resized: {e}")))?;
    Ok(scaled)
}

fn encode_jpeg(image: &RgbImage, icc: Option<Vec<u8>>) -> Result<Thumb, ImageError> {
    let mut bytes = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY);
    if let Some(icc) = icc {
        // Unsupported only means the thumbnail is in sRGB terms.
        let _ = encoder.set_icc_profile(icc);
    }
    encoder
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgb8,
        )
        .map_err(|e| ImageError::Undecodable(format!("the thumbnail could not be encoded: {e}")))?;
    Ok(Thumb {
        bytes: bytes.into(),
        width: image.width(),
        height: image.height(),
        ext: "jpg",
    })
}

fn encode_png(image: &RgbaImage, icc: Option<Vec<u8>>) -> Result<Thumb, ImageError> {
    let mut bytes = Vec::new();
    let mut encoder = PngEncoder::new(&mut bytes);
    if let Some(icc) = icc {
        let _ = encoder.set_icc_profile(icc);
    }
    encoder
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgba8,
        )
        .map_err(|e| ImageError::Undecodable(format!("the thumbnail could not be encoded: {e}")))?;
    Ok(Thumb {
        bytes: bytes.into(),
        width: image.width(),
        height: image.height(),
        ext: "png",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::gif::GifEncoder;
    use image::codecs::webp::WebPEncoder;
    use image::{GenericImageView, Rgb, Rgba};

    /// A unique folder under the system's temporary folder, removed when
    /// dropped (also when the test fails).
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(test: &str) -> TempDir {
            let dir =
                std::env::temp_dir().join(format!("esiin-images-{test}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
            let path = self.0.join(name);
            fs::write(&path, bytes).unwrap();
            path
        }

        fn cache(&self) -> ThumbCache {
            ThumbCache::new(self.0.join("cache"))
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn jpeg(image: &RgbImage) -> Vec<u8> {
        jpeg_with_exif(image, None)
    }

    fn jpeg_with_exif(image: &RgbImage, exif: Option<Vec<u8>>) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut encoder = JpegEncoder::new_with_quality(&mut bytes, 90);
        if let Some(exif) = exif {
            encoder.set_exif_metadata(exif).unwrap();
        }
        encoder
            .write_image(
                image.as_raw(),
                image.width(),
                image.height(),
                ExtendedColorType::Rgb8,
            )
            .unwrap();
        bytes
    }

    fn png_rgba(image: &RgbaImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        PngEncoder::new(&mut bytes)
            .write_image(
                image.as_raw(),
                image.width(),
                image.height(),
                ExtendedColorType::Rgba8,
            )
            .unwrap();
        bytes
    }

    /// A photo-like gradient.
    fn gradient(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
        })
    }

    fn decoded(thumb: &Thumb) -> DynamicImage {
        image::load_from_memory(&thumb.bytes).unwrap()
    }

    fn is_red(p: Rgba<u8>) -> bool {
        p.0[0] > 200 && p.0[2] < 60
    }

    fn is_blue(p: Rgba<u8>) -> bool {
        p.0[2] > 200 && p.0[0] < 60
    }

    #[test]
    fn opaque_jpeg_becomes_a_centre_square_jpeg() {
        let tmp = TempDir::new("jpeg");
        // Red bands left and right of a blue centre: a centre crop of the
        // 480 × 480 middle keeps only blue.
        let image = RgbImage::from_fn(640, 480, |x, _| {
            if (80..560).contains(&x) {
                Rgb([0, 0, 255])
            } else {
                Rgb([255, 0, 0])
            }
        });
        let src = tmp.write("mari.jpg", &jpeg(&image));
        let thumb = tmp.cache().square(&src, 160).unwrap();
        assert_eq!((thumb.width, thumb.height, thumb.ext), (160, 160, "jpg"));
        assert!(thumb.bytes.starts_with(&[0xFF, 0xD8]));
        let out = decoded(&thumb);
        assert_eq!(out.dimensions(), (160, 160));
        for (x, y) in [(0, 0), (159, 0), (0, 159), (159, 159), (80, 80)] {
            assert!(
                is_blue(out.get_pixel(x, y)),
                "{x},{y}: {:?}",
                out.get_pixel(x, y)
            );
        }
    }

    #[test]
    fn transparency_gives_a_png_and_opaque_alpha_a_jpeg() {
        let tmp = TempDir::new("alpha");
        let see_through = RgbaImage::from_fn(300, 200, |x, _| Rgba([0, 128, 255, (x % 256) as u8]));
        let src = tmp.write("logo.png", &png_rgba(&see_through));
        let thumb = tmp.cache().square(&src, 160).unwrap();
        assert_eq!((thumb.width, thumb.height, thumb.ext), (160, 160, "png"));
        let out = decoded(&thumb);
        assert!(out.color().has_alpha());
        assert_eq!(out.dimensions(), (160, 160));

        let opaque = RgbaImage::from_fn(300, 200, |x, y| Rgba([x as u8, y as u8, 0, 255]));
        let src = tmp.write("opaque.png", &png_rgba(&opaque));
        let thumb = tmp.cache().square(&src, 160).unwrap();
        assert_eq!((thumb.width, thumb.height, thumb.ext), (160, 160, "jpg"));
    }

    #[test]
    fn a_small_photo_is_not_enlarged() {
        let tmp = TempDir::new("small");
        let src = tmp.write("tiny.jpg", &jpeg(&gradient(50, 80)));
        let thumb = tmp.cache().square(&src, 160).unwrap();
        assert_eq!((thumb.width, thumb.height), (50, 50));
        assert_eq!(decoded(&thumb).dimensions(), (50, 50));
    }

    #[test]
    fn exif_orientation_is_applied() {
        let tmp = TempDir::new("orientation");
        // Stored 120 × 60, red left and blue right, with EXIF orientation 6
        // ("rotate 90° clockwise to view"): upright it is 60 × 120, red on
        // top, so the thumbnail's top is red and its bottom blue. Ignoring
        // the orientation would give red left, blue right.
        let stored = RgbImage::from_fn(120, 60, |x, _| {
            if x < 60 {
                Rgb([255, 0, 0])
            } else {
                Rgb([0, 0, 255])
            }
        });
        let exif = vec![
            b'I', b'I', 42, 0, // little-endian TIFF header
            8, 0, 0, 0, // first IFD at offset 8
            1, 0, // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, // Orientation, SHORT, 1, value 6
            0, 0, 0, 0, // no next IFD
        ];
        let src = tmp.write("turned.jpg", &jpeg_with_exif(&stored, Some(exif)));
        let thumb = tmp.cache().square(&src, 40).unwrap();
        let out = decoded(&thumb);
        assert_eq!(out.dimensions(), (40, 40));
        assert!(is_red(out.get_pixel(20, 2)), "{:?}", out.get_pixel(20, 2));
        assert!(
            is_blue(out.get_pixel(20, 37)),
            "{:?}",
            out.get_pixel(20, 37)
        );
    }

    #[test]
    fn bad_bytes_are_undecodable() {
        let tmp = TempDir::new("garbage");
        let cache = tmp.cache();
        let whole = png_rgba(&RgbaImage::from_pixel(64, 64, Rgba([1, 2, 3, 4])));
        let cases: [(&str, &[u8]); 4] = [
            ("garbage.jpg", b"this is not a photo at all, just text"),
            ("empty.jpg", b""),
            ("truncated.png", &whole[..whole.len() / 2]),
            ("mari.heic", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"),
        ];
        for (name, bytes) in cases {
            let src = tmp.write(name, bytes);
            let err = cache.square(&src, 160).unwrap_err();
            assert!(matches!(err, ImageError::Undecodable(_)), "{name}: {err:?}");
            assert!(err.to_string().starts_with("the photo cannot be decoded"));
        }
        let err = cache.square(&tmp.0.join("mari.heic"), 160).unwrap_err();
        assert!(err.to_string().contains("HEIC"), "{err}");
        assert_eq!(cache.made(), 0);
    }

    #[test]
    fn a_missing_file_is_unreadable() {
        let tmp = TempDir::new("missing");
        let err = tmp
            .cache()
            .square(&tmp.0.join("nobody.jpg"), 160)
            .unwrap_err();
        assert!(matches!(err, ImageError::Unreadable(_)), "{err:?}");
    }

    /// Bitwise CRC-32 (as PNG uses), to patch a header in a test.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_huge_header_is_refused_before_decoding() {
        // A real 1 × 1 PNG whose header is patched to claim 10000 × 10000
        // (100 megapixels): the pixels would never fit, but the header alone
        // must be enough to refuse it.
        let mut bytes = png_rgba(&RgbaImage::from_pixel(1, 1, Rgba([0, 0, 0, 0])));
        assert_eq!(&bytes[12..16], b"IHDR");
        bytes[16..20].copy_from_slice(&10_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&10_000u32.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());

        let tmp = TempDir::new("huge");
        let src = tmp.write("huge.png", &bytes);
        let err = tmp.cache().square(&src, 160).unwrap_err();
        assert_eq!(
            err,
            ImageError::TooLarge {
                width: 10_000,
                height: 10_000
            }
        );
        assert!(err.to_string().contains("100 megapixels"), "{err}");

        assert!(check_dimensions(8_000, 5_000).is_ok());
        assert!(check_dimensions(8_000, 5_001).is_err());
        assert!(check_dimensions(u32::MAX, u32::MAX).is_err());
    }

    #[test]
    fn the_cache_serves_unchanged_photos_and_notices_changed_ones() {
        let tmp = TempDir::new("cache");
        let src = tmp.write("mari.jpg", &jpeg(&gradient(400, 300)));

        let cache = tmp.cache();
        assert!(!cache.dir().exists(), "created lazily");
        let first = cache.square(&src, 160).unwrap();
        assert_eq!((cache.made(), cache.hits()), (1, 0));
        let again = cache.square(&src, 160).unwrap();
        assert_eq!((cache.made(), cache.hits()), (1, 1));
        assert_eq!(first, again);

        // The next build is a new cache on the same folder.
        let next_build = tmp.cache();
        assert_eq!(next_build.square(&src, 160).unwrap(), first);
        assert_eq!((next_build.made(), next_build.hits()), (0, 1));
        // Another size is another entry.
        assert_eq!(next_build.square(&src, 64).unwrap().width, 64);
        assert_eq!(next_build.made(), 1);

        // The same name with other bytes is another photo.
        tmp.write("mari.jpg", &jpeg(&gradient(300, 400)));
        let changed = next_build.square(&src, 160).unwrap();
        assert_eq!(next_build.made(), 2);
        assert_ne!(changed.bytes, first.bytes);

        // Only finished entries: no temporary files are left behind.
        let names: Vec<String> = fs::read_dir(cache.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names.iter().all(|n| n.ends_with("-v1.jpg")), "{names:?}");
    }

    #[test]
    fn a_damaged_cache_entry_is_made_again() {
        let tmp = TempDir::new("damaged");
        let src = tmp.write("mari.jpg", &jpeg(&gradient(400, 300)));
        let cache = tmp.cache();
        let good = cache.square(&src, 160).unwrap();
        let entry = fs::read_dir(cache.dir())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let bytes = fs::read(&entry).unwrap();
        fs::write(&entry, &bytes[..bytes.len() / 2]).unwrap();

        assert_eq!(cache.square(&src, 160).unwrap(), good);
        assert_eq!((cache.made(), cache.hits()), (2, 0));
        assert_eq!(fs::read(&entry).unwrap(), &*good.bytes, "repaired");
    }

    #[test]
    fn a_cache_that_cannot_be_written_is_not_an_error() {
        let tmp = TempDir::new("readonly");
        let src = tmp.write("mari.jpg", &jpeg(&gradient(400, 300)));
        // A cache folder below a regular file can never be created.
        let blocker = tmp.write("not-a-folder", b"");
        let cache = ThumbCache::new(blocker.join("cache"));
        assert_eq!(cache.square(&src, 160).unwrap().width, 160);
        assert_eq!(cache.square(&src, 160).unwrap().width, 160);
        assert_eq!((cache.made(), cache.hits()), (2, 0));
    }

    #[test]
    fn webp_and_gif_are_read() {
        let tmp = TempDir::new("formats");
        let image = RgbaImage::from_fn(90, 70, |x, y| Rgba([x as u8, y as u8, 7, 255]));
        let mut webp = Vec::new();
        WebPEncoder::new_lossless(&mut webp)
            .write_image(image.as_raw(), 90, 70, ExtendedColorType::Rgba8)
            .unwrap();
        let mut gif = Vec::new();
        GifEncoder::new(&mut gif)
            .encode(image.as_raw(), 90, 70, ExtendedColorType::Rgba8)
            .unwrap();
        let cache = tmp.cache();
        for (name, bytes) in [("a.webp", webp), ("a.gif", gif)] {
            let thumb = cache.square(&tmp.write(name, &bytes), 32).unwrap();
            assert_eq!(
                (thumb.width, thumb.height, thumb.ext),
                (32, 32, "jpg"),
                "{name}"
            );
        }
    }

    /// Truncated and bit-flipped files of every format: any result is fine,
    /// a panic is not.
    #[test]
    fn damaged_files_never_panic() {
        let image = RgbaImage::from_fn(40, 30, |x, y| Rgba([x as u8 * 6, y as u8 * 8, 99, 200]));
        let mut webp = Vec::new();
        WebPEncoder::new_lossless(&mut webp)
            .write_image(image.as_raw(), 40, 30, ExtendedColorType::Rgba8)
            .unwrap();
        let mut gif = Vec::new();
        GifEncoder::new(&mut gif)
            .encode(image.as_raw(), 40, 30, ExtendedColorType::Rgba8)
            .unwrap();
        let rgb = DynamicImage::ImageRgba8(image.clone()).into_rgb8();
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        for file in [jpeg(&rgb), png_rgba(&image), webp, gif] {
            for cut in (0..file.len()).step_by(7) {
                let _ = make_squares(&file[..cut], &[16]);
            }
            for _ in 0..200 {
                let mut bent = file.clone();
                for _ in 0..4 {
                    // xorshift: deterministic, no dependency.
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let at = (seed % bent.len() as u64) as usize;
                    bent[at] ^= 1 << (seed >> 60 & 7);
                }
                let _ = make_squares(&bent, &[16]);
            }
        }
    }

    /// Not a benchmark, a measurement to report: run with
    /// `cargo test --release --lib images::tests::timing -- --ignored --nocapture`.
    /// The photos are noisy gradients, so their JPEGs are about as large as a
    /// camera's (a smooth gradient would compress, and decode, unrealistically
    /// well).
    #[test]
    #[ignore]
    fn timing_of_photos() {
        let tmp = TempDir::new("timing");
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        for (width, height) in [(1200, 1200), (4000, 3000)] {
            let photo = RgbImage::from_fn(width, height, |x, y| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let noise = (seed >> 58) as u32; // 0..64
                Rgb([
                    ((x / 8 + noise) % 256) as u8,
                    ((y / 8 + noise) % 256) as u8,
                    ((x / 16 + y / 16 + noise) % 256) as u8,
                ])
            });
            let bytes = jpeg(&photo);
            let src = tmp.write(&format!("{width}x{height}.jpg"), &bytes);
            let cache = tmp.cache();
            let started = std::time::Instant::now();
            let thumb = cache.square(&src, 160).unwrap();
            let cold = started.elapsed();
            let started = std::time::Instant::now();
            cache.square(&src, 160).unwrap();
            let warm = started.elapsed();
            eprintln!(
                "{width} × {height} JPEG ({} KB) → 160 px ({} KB): cold {cold:.1?}, warm {warm:.1?}",
                bytes.len() / 1024,
                thumb.bytes.len() / 1024,
            );
        }
    }
}
