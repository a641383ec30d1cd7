//! Evidence and documents: received as a stream, checked by their content against an
//! allow-list, stored under generated names in the data folder's `files/` (never served as a
//! folder), fingerprinted with SHA-256. Images get a cleaned copy re-encoded from their pixels
//! (no GPS position, camera, date, thumbnail or appended data survives), which is what
//! institutions receive; the original stays sealed. Documents and sound pass unchanged.

use std::path::{Path, PathBuf};

use axum::extract::multipart::Field;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use crate::domain::evidence::AttachmentPurpose;
use crate::error::AppError;
use crate::server::unexpected;

pub use crate::domain::evidence::{MAX_FILE_BYTES, MAX_FILES};
/// The whole request: every file at its largest, plus the form's text.
pub const MAX_REQUEST_BYTES: usize = MAX_FILES * MAX_FILE_BYTES as usize + 1024 * 1024;

/// What may be uploaded, recognised by content (never by name or declared type).
const ALLOWED: [(&str, &str); 10] = [
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
    ("application/pdf", "pdf"),
    ("audio/mpeg", "mp3"),
    ("audio/ogg", "ogg"),
    ("audio/x-wav", "wav"),
    ("audio/m4a", "m4a"),
    ("audio/amr", "amr"),
    ("audio/aac", "aac"),
    ("audio/x-flac", "flac"),
];

/// The file extension of an allowed content type, for download names.
pub fn extension(content_type: &str) -> &'static str {
    ALLOWED
        .iter()
        .find(|(mime, _)| *mime == content_type)
        .map(|(_, ext)| *ext)
        .unwrap_or("bin")
}

/// A file received and written to disk, not yet attached to any record.
#[derive(Debug)]
pub struct StoredFile {
    pub original_name: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    pub stored_name: String,
    pub clean_stored_name: String,
    /// The size of the cleaned copy, which is what institutions download.
    pub clean_size: u64,
}

impl StoredFile {
    /// Records the file as an attachment of `observation_id` (and of `referral_id` for an
    /// institution's documents), inside the caller's transaction. Returns its id.
    pub async fn attach(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        observation_id: Uuid,
        referral_id: Option<Uuid>,
        purpose: AttachmentPurpose,
        uploaded_by: Uuid,
    ) -> Result<Uuid, AppError> {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let id = Uuid::new_v4();
        crate::server::entities::attachment::ActiveModel {
            id: Set(id),
            observation_id: Set(observation_id),
            referral_id: Set(referral_id),
            uploaded_by: Set(uploaded_by),
            purpose: Set(purpose.as_str().to_string()),
            original_name: Set(self.original_name.clone()),
            content_type: Set(self.content_type.clone()),
            size_bytes: Set(self.size as i64),
            sha256: Set(self.sha256.clone()),
            stored_name: Set(self.stored_name.clone()),
            clean_stored_name: Set(Some(self.clean_stored_name.clone())),
            clean_size_bytes: Set(Some(self.clean_size as i64)),
            created_at: Set(chrono::Utc::now()),
        }
        .insert(db)
        .await?;
        Ok(id)
    }
}

/// The files one request brought, on disk and not yet attached to any record. Dropped, it
/// removes them, so that no early return, error or rolled-back transaction leaves an uploaded
/// original (GPS position included) behind; a file stays only once the record naming it is
/// committed ([`keep_only`](Self::keep_only), [`keep_all`](Self::keep_all)).
#[derive(Debug)]
pub struct ReceivedFiles {
    dir: PathBuf,
    files: Vec<StoredFile>,
}

impl ReceivedFiles {
    pub fn new(dir: &Path) -> Self {
        ReceivedFiles {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        }
    }

    pub fn push(&mut self, file: StoredFile) {
        self.files.push(file);
    }

    pub fn files(&self) -> &[StoredFile] {
        &self.files
    }

    /// Leaves on disk the files named (their records are committed); removes the others now.
    pub fn keep_only(mut self, stored_names: &[String]) {
        self.files
            .retain(|file| !stored_names.contains(&file.stored_name));
    }

    /// Leaves every file on disk: their records are committed.
    pub fn keep_all(mut self) {
        self.files.clear();
    }
}

impl Drop for ReceivedFiles {
    fn drop(&mut self) {
        for file in self.files.drain(..) {
            // Small, local removals: not worth a trip to the blocking pool.
            let _ = std::fs::remove_file(self.dir.join(&file.stored_name));
            if file.clean_stored_name != file.stored_name {
                let _ = std::fs::remove_file(self.dir.join(&file.clean_stored_name));
            }
        }
    }
}

/// How many more files a record holding `attached` may take.
pub fn room(attached: u64) -> usize {
    MAX_FILES.saturating_sub(usize::try_from(attached).unwrap_or(usize::MAX))
}

/// Why a file was refused: the key of the message shown next to the file field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    TooLarge,
    TypeNotAllowed,
    TooMany,
    /// It starts like an allowed image but does not parse as one (damaged or disguised).
    Unreadable,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::TooLarge => "error-file-too-large",
            Refusal::TypeNotAllowed => "error-file-type",
            Refusal::TooMany => "error-file-count",
            Refusal::Unreadable => "error-file-unreadable",
        }
    }
}

pub fn files_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("files")
}

/// A partial file untouched for this long belongs to no upload still under way.
const STALE_PART: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Removes the partial files (`*.part`) of uploads that a stop cut short; at startup. Only
/// those untouched for an hour: another instance sharing the data folder may be writing a
/// fresh one. Returns how many went.
pub fn remove_stale_parts(data_dir: &Path) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(files_dir(data_dir)) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(error) => return Err(error),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.extension().is_some_and(|e| e == "part") {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > STALE_PART);
        if stale && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Streams one multipart file field to disk, refusing it as soon as it passes the size limit
/// or once its first bytes show a type outside the allow-list. `Ok(None)`: no file chosen.
pub async fn receive(
    field: &mut Field<'_>,
    dir: &Path,
) -> Result<Option<Result<StoredFile, Refusal>>, AppError> {
    let original_name = field
        .file_name()
        .map(|n| {
            n.chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect::<String>()
        })
        .unwrap_or_default();
    tokio::fs::create_dir_all(dir).await.map_err(unexpected)?;
    let stored_name = Uuid::new_v4().simple().to_string();
    let partial = dir.join(format!("{stored_name}.part"));
    let mut file = tokio::fs::File::create(&partial)
        .await
        .map_err(unexpected)?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut head: Vec<u8> = Vec::with_capacity(512);
    let mut content_type: Option<&'static str> = None;
    // Outer error: the disk failed; inner: the file is refused.
    let streamed: Result<Result<(), Refusal>, std::io::Error> = loop {
        let chunk = match field.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break Ok(Ok(())),
            // The request's own limit was reached, or the client went away.
            Err(_) => break Ok(Err(Refusal::TooLarge)),
        };
        size += chunk.len() as u64;
        if size > MAX_FILE_BYTES {
            break Ok(Err(Refusal::TooLarge));
        }
        if content_type.is_none() && head.len() < 512 {
            head.extend_from_slice(&chunk[..chunk.len().min(512 - head.len())]);
            if head.len() >= 512 {
                match allowed_type(&head) {
                    Some(mime) => content_type = Some(mime),
                    None => break Ok(Err(Refusal::TypeNotAllowed)),
                }
            }
        }
        hasher.update(&chunk);
        if let Err(error) = file.write_all(&chunk).await {
            break Err(error);
        }
    };
    let flushed = file.flush().await;
    drop(file);
    let outcome = match (streamed, flushed) {
        (Ok(outcome), Ok(())) => outcome,
        (Err(error), _) | (Ok(_), Err(error)) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(unexpected(error));
        }
    };
    let outcome = outcome.and_then(|()| {
        if size == 0 {
            return Ok(None);
        }
        content_type
            .or_else(|| allowed_type(&head))
            .map(Some)
            .ok_or(Refusal::TypeNotAllowed)
    });
    let content_type = match outcome {
        Ok(Some(mime)) => mime,
        Ok(None) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Ok(None);
        }
        Err(refusal) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Ok(Some(Err(refusal)));
        }
    };
    let original = dir.join(&stored_name);
    if let Err(error) = tokio::fs::rename(&partial, &original).await {
        let _ = tokio::fs::remove_file(&partial).await;
        return Err(unexpected(error));
    }
    // A file that cannot be cleaned is not kept at all: its original may hold a GPS position.
    let (clean_stored_name, clean_size) =
        match clean_copy(dir, &stored_name, content_type, size).await {
            Ok(Ok(clean)) => clean,
            Ok(Err(refusal)) => {
                let _ = tokio::fs::remove_file(&original).await;
                return Ok(Some(Err(refusal)));
            }
            Err(error) => {
                let _ = tokio::fs::remove_file(&original).await;
                return Err(error);
            }
        };
    Ok(Some(Ok(StoredFile {
        original_name: if original_name.is_empty() {
            format!("fichier.{}", extension(content_type))
        } else {
            original_name
        },
        content_type: content_type.to_string(),
        size,
        sha256: hex::encode(hasher.finalize()),
        stored_name,
        clean_stored_name,
        clean_size,
    })))
}

/// The allowed type the content starts like, if any.
fn allowed_type(head: &[u8]) -> Option<&'static str> {
    let kind = infer::get(head)?;
    ALLOWED
        .iter()
        .find(|(mime, _)| *mime == kind.mime_type())
        .map(|(mime, _)| *mime)
}

/// The largest picture re-encoded, in pixels (a 40-megapixel photo; phones save far less by
/// default). Past it, or past [`MAX_DECODED_BYTES`] once decoded, the file is refused: a few
/// bytes can declare a picture that would fill the memory.
const MAX_PIXELS: u64 = 40_000_000;
/// The longest side accepted (JPEG allows 65,535).
const MAX_SIDE: u32 = 20_000;
/// What decoding may allocate: a 40-megapixel picture at four bytes a pixel, and room.
const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;
/// JPEG quality of the copy: visually the same as a phone's photo, about half its size.
const JPEG_QUALITY: u8 = 85;

/// Writes the copy institutions receive, and answers its name and size. Images are decoded
/// and encoded again from their pixels (orientation applied), so that nothing else of the
/// original survives: metadata, comments, thumbnails, a second picture or video appended,
/// bytes past the end, private chunks. Other types are passed on unchanged (the filer is
/// told), so their copy is the file itself. An image that cannot be decoded is refused
/// (`Ok(Err(_))`); on any outcome but success, no copy is left.
async fn clean_copy(
    dir: &Path,
    stored_name: &str,
    content_type: &str,
    size: u64,
) -> Result<Result<(String, u64), Refusal>, AppError> {
    let format = match content_type {
        "image/jpeg" => image::ImageFormat::Jpeg,
        "image/png" => image::ImageFormat::Png,
        _ => return Ok(Ok((stored_name.to_string(), size))),
    };
    // One picture decoded at a time for the whole process: a picture near the limits takes
    // a few hundred megabytes while it is turned and encoded, and uploads (anonymous tips
    // included) must not add those up. Uploads wait their turn; nothing is refused for it.
    let _turn = DECODING.acquire().await.map_err(unexpected)?;
    let bytes = tokio::fs::read(dir.join(stored_name))
        .await
        .map_err(unexpected)?;
    let cleaned = match tokio::task::spawn_blocking(move || reencode(format, &bytes)).await {
        Ok(Ok(cleaned)) => cleaned,
        // Its first bytes said image (any file starting FF D8 FF is a JPEG to `infer`), but
        // it is not one that can be read: damaged, something else in disguise, or too large
        // once decoded.
        Ok(Err(_)) => return Ok(Err(Refusal::Unreadable)),
        Err(error) if error.is_panic() => return Ok(Err(Refusal::Unreadable)),
        Err(error) => return Err(unexpected(error)),
    };
    // Written beside, then moved into place: a copy being replaced (see
    // [`reclean_stored_images`]) is never read half-written.
    let clean_name = format!("{stored_name}.clean");
    let partial = dir.join(format!("{clean_name}.part"));
    let written = match tokio::fs::write(&partial, &cleaned).await {
        Ok(()) => tokio::fs::rename(&partial, dir.join(&clean_name)).await,
        Err(error) => Err(error),
    };
    if let Err(error) = written {
        let _ = tokio::fs::remove_file(&partial).await;
        return Err(unexpected(error));
    }
    Ok(Ok((clean_name, cleaned.len() as u64)))
}

/// Turns for decoding pictures ([`clean_copy`]): one at a time in the whole process.
static DECODING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(1));

/// Copies made before images were re-encoded from their pixels (their size was not recorded
/// then) only had metadata segments removed: a second picture appended, bytes past the end or
/// private chunks reached institutions. At start, each such copy of an attachment or a tip's
/// file is made again from the sealed original; an original that can no longer be decoded
/// loses its copy (institutions then get nothing of it). Returns how many copies were made.
pub async fn reclean_stored_images(
    db: &sea_orm::DatabaseConnection,
    data_dir: &Path,
) -> Result<usize, AppError> {
    use crate::server::entities::{attachment, tip_file};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    const IMAGES: [&str; 2] = ["image/jpeg", "image/png"];
    let dir = files_dir(data_dir);
    let mut remade = 0;
    let rows = attachment::Entity::find()
        .filter(attachment::Column::CleanSizeBytes.is_null())
        .filter(attachment::Column::ContentType.is_in(IMAGES))
        .all(db)
        .await?;
    for row in rows {
        let copy = remake_copy(&dir, &row.stored_name, &row.content_type).await?;
        remade += usize::from(copy.is_some());
        let mut active: attachment::ActiveModel = row.into();
        active.clean_stored_name = Set(copy.as_ref().map(|(name, _)| name.clone()));
        active.clean_size_bytes = Set(Some(copy.map_or(0, |(_, size)| size as i64)));
        active.update(db).await?;
    }
    let rows = tip_file::Entity::find()
        .filter(tip_file::Column::CleanSizeBytes.is_null())
        .filter(tip_file::Column::ContentType.is_in(IMAGES))
        .all(db)
        .await?;
    for row in rows {
        let copy = remake_copy(&dir, &row.stored_name, &row.content_type).await?;
        remade += usize::from(copy.is_some());
        let mut active: tip_file::ActiveModel = row.into();
        active.clean_stored_name = Set(copy.as_ref().map(|(name, _)| name.clone()));
        active.clean_size_bytes = Set(Some(copy.map_or(0, |(_, size)| size as i64)));
        active.update(db).await?;
    }
    Ok(remade)
}

/// The copy of one stored image made again; `None` (and no copy left) when the original is
/// missing or cannot be decoded.
async fn remake_copy(
    dir: &Path,
    stored_name: &str,
    content_type: &str,
) -> Result<Option<(String, u64)>, AppError> {
    let outcome = match tokio::fs::metadata(dir.join(stored_name)).await {
        Ok(meta) => clean_copy(dir, stored_name, content_type, meta.len())
            .await?
            .ok(),
        Err(_) => None,
    };
    if outcome.is_none() {
        let _ = tokio::fs::remove_file(dir.join(format!("{stored_name}.clean"))).await;
    }
    Ok(outcome)
}

/// The picture of a JPEG or PNG file (`format`), encoded again in its own format: only the pixels pass,
/// turned as its orientation tag says (the tag itself goes with the rest). Refuses pictures
/// past [`MAX_PIXELS`], [`MAX_SIDE`] or [`MAX_DECODED_BYTES`] before decoding them.
pub fn reencode(format: image::ImageFormat, bytes: &[u8]) -> image::ImageResult<Vec<u8>> {
    use image::error::{LimitError, LimitErrorKind};
    use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
    use std::io::Cursor;

    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    // Reads the headers only, and checks the sides against the limits.
    let mut decoder = reader.into_decoder()?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(image::ImageError::Limits(LimitError::from_kind(
            LimitErrorKind::DimensionError,
        )));
    }
    limits.reserve(decoder.total_bytes())?;
    // A damaged orientation tag is no reason to refuse the picture.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder)?;
    picture.apply_orientation(orientation);
    let mut out = Cursor::new(Vec::new());
    match format {
        ImageFormat::Jpeg => {
            let encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            match picture {
                DynamicImage::ImageLuma8(grey) => grey.write_with_encoder(encoder)?,
                // `into_rgb8` keeps an RGB picture as it is (no second copy in memory).
                other => other.into_rgb8().write_with_encoder(encoder)?,
            }
        }
        _ => picture.write_to(&mut out, format)?,
    }
    Ok(out.into_inner())
}
