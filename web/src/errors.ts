/**
 * The app's own refusals, with messages safe to show to a client. They say what is wrong, not how to answer
 * it over HTTP: http/errors.ts gives each its status code.
 */

/** The input breaks a rule (a bad id, a missing name, an empty file). */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
}

/** The item does not exist (or stopped existing while the request ran). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** Concurrent writers kept changing the item; the request gave up rather than overwrite them. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** The file is not one of the image types the app serves. */
export class UnsupportedImageError extends Error {
  override readonly name = 'UnsupportedImageError';
}

/** The image has more pixels than the app decodes (a decompression bomb, or just too large to thumbnail). */
export class ImageTooLargeError extends Error {
  override readonly name = 'ImageTooLargeError';

  constructor(width: number, height: number, maxPixels: number) {
    super(`The image is ${width} x ${height} pixels; images of up to ${Math.floor(maxPixels / 1e6)} megapixels are accepted`);
  }
}

/**
 * The bytes received for a file, the bytes S3 acknowledged and the size S3 reports for the object were not all
 * equal: the upload was aborted, or the object deleted, so nothing of it is kept.
 */
export class IncompleteUploadError extends Error {
  override readonly name = 'IncompleteUploadError';

  constructor(receivedBytes: number, sentBytes: number, storedBytes?: number) {
    const stored = storedBytes === undefined ? '' : `, storage holds ${storedBytes}`;
    super(
      `The image was not stored whole (received ${receivedBytes} bytes, storage acknowledged ${sentBytes}${stored}); ` +
        'nothing was saved, please upload it again',
    );
  }
}
