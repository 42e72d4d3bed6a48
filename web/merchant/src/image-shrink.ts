/** The largest photo the pages upload (spec section 11: shrunk on the phone before upload). */
export const MAX_PHOTO_BYTES = 1.5 * 1024 * 1024;

/** A phone photo is 4000+ px wide; a document stays legible at this size. */
const MAX_SIDE = 2560;

/**
 * Re-encodes a photo as JPEG of at most {@link MAX_PHOTO_BYTES}: decoded with its EXIF orientation
 * applied, drawn on a canvas no larger than 2560 px, then encoded again at a lower quality (when it
 * is nearly small enough) or a size scaled by the square root of how far off it is, until it fits —
 * usually one or two encodings. Re-encoding also drops the photo's metadata (location, camera).
 */
export async function shrinkPhoto(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    let side = MAX_SIDE;
    let quality = 0.82;
    for (let attempt = 0; attempt < 8; attempt++) {
      const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('No 2D canvas');
      // White under transparent PNG areas (JPEG has no alpha; black would hide dark print).
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, width, height);
      context.drawImage(bitmap, 0, 0, width, height);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
      if (!blob) throw new Error('The photo could not be encoded');
      if (blob.size <= MAX_PHOTO_BYTES) return blob;
      const ratio = MAX_PHOTO_BYTES / blob.size;
      if (ratio > 0.75 && quality > 0.6) quality -= 0.1;
      // Bytes grow with the pixel count, so the side shrinks with the square root (and a margin).
      else
        side = Math.max(
          320,
          Math.round(Math.min(side, Math.max(bitmap.width, bitmap.height)) * Math.sqrt(ratio) * 0.9),
        );
    }
    throw new Error('The photo could not be shrunk enough');
  } finally {
    bitmap.close();
  }
}
