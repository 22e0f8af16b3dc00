/**
 * The pure pieces every request relies on, one input at a time: what an S3 failure means (with the SDK's own
 * exception classes), which HTTP status each failure gets and what the client may read of it, and how item
 * input is parsed.
 */
import { NoSuchBucket, NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import {
  ConflictError,
  ImageTooLargeError,
  IncompleteUploadError,
  InvalidInputError,
  NotFoundError,
  UnsupportedImageError,
} from '../../web/src/errors';
import { clientMessage, httpStatusOf } from '../../web/src/http/errors';
import { HttpError } from '../../web/src/http/http-error';
import { parseItemId, parseItemInput, toPublicItem } from '../../web/src/inventory/item';
import { S3Failure, isNotFound, s3FailureKind } from '../../web/src/s3/errors';

const metadata = (httpStatusCode: number) => ({ httpStatusCode, attempts: 1, totalRetryDelay: 0 });
const serviceError = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: metadata(status), message: name });
const networkError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('what an S3 failure means (s3/errors.ts)', () => {
  const cases: [string, unknown, ReturnType<typeof s3FailureKind>][] = [
    ['the SDK timing out', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'timeout'],
    ['an aborted call (the deadline)', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'timeout'],
    ['a socket timeout', networkError('ETIMEDOUT'), 'timeout'],
    ['a refused connection', networkError('ECONNREFUSED'), 'unreachable'],
    ['a reset connection', networkError('ECONNRESET'), 'unreachable'],
    ['an unknown host', networkError('ENOTFOUND'), 'unreachable'],
    ['a missing bucket', new NoSuchBucket({ $metadata: metadata(404), message: 'NoSuchBucket' }), 'missing-bucket'],
    ['a lost conditional write', serviceError('PreconditionFailed', 412), 'precondition-failed'],
    ['a conflicting conditional write', serviceError('ConditionalRequestConflict', 409), 'precondition-failed'],
    ['any 412', serviceError('SomethingElse', 412), 'precondition-failed'],
    ['access denied', serviceError('AccessDenied', 403), 'refused'],
    ['throttling', serviceError('SlowDown', 503), 'refused'],
    ['a kind already decided', new S3Failure('timeout', 'x'), 'timeout'],
    ['a bug of ours', new TypeError('x is undefined'), undefined],
    ['not an error at all', 'oops', undefined],
  ];
  for (const [what, err, kind] of cases) it(`${what}: ${kind ?? 'not an S3 failure'}`, () => expect(s3FailureKind(err)).to.equal(kind));

  it('a missing key is "not found", a missing bucket is not', () => {
    expect(isNotFound(new NoSuchKey({ $metadata: metadata(404), message: 'NoSuchKey' }))).to.equal(true);
    expect(isNotFound(serviceError('NotFound', 404))).to.equal(true);
    expect(isNotFound(new NoSuchBucket({ $metadata: metadata(404), message: 'NoSuchBucket' }))).to.equal(false);
  });
});

describe('the HTTP status and message of each failure (http/errors.ts)', () => {
  const cases: [string, unknown, number][] = [
    ['an HttpError', new HttpError(413, 'The file is larger than 1 MB'), 413],
    ['invalid input', new InvalidInputError('name is required'), 400],
    ['a missing item', new NotFoundError('Item 7 not found'), 404],
    ['a conflict', new ConflictError('item 7 kept changing'), 409],
    ['an unsupported image', new UnsupportedImageError('The file must be a PNG'), 415],
    ['too many pixels', new ImageTooLargeError(100_000, 100_000, 268_402_689), 422],
    ['an upload not stored whole', new IncompleteUploadError(10, 10, 5), 500],
    ['an S3 timeout', new S3Failure('timeout', 'S3 did not answer'), 504],
    ['S3 unreachable', networkError('ECONNREFUSED'), 503],
    ['a missing bucket', new NoSuchBucket({ $metadata: metadata(404), message: 'NoSuchBucket' }), 503],
    ['S3 refusing', serviceError('AccessDenied', 403), 502],
    ['a body-parser client error', Object.assign(new Error('too large'), { status: 413, expose: true }), 413],
    ['a client status marked private', Object.assign(new Error('x'), { status: 400, expose: false }), 500],
    ['a bug of ours', new TypeError('x is undefined'), 500],
  ];
  for (const [what, err, status] of cases) it(`${what}: ${status}`, () => expect(httpStatusOf(err)).to.equal(status));

  it("shows our own messages, and never a server error's internals", () => {
    expect(clientMessage(new InvalidInputError('name is required'), 400, 'b')).to.equal('name is required');
    const bug = new TypeError("Cannot read properties of undefined (reading 'secret')");
    expect(clientMessage(bug, 500, 'b')).to.not.include('secret');
    expect(clientMessage(Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed' }), 400, 'b')).to.equal(
      'Request body is not valid JSON',
    );
  });
});

describe('item input (inventory/item.ts)', () => {
  it('takes only canonical positive integer ids', () => {
    for (const good of ['1', '7', '123456789012345', 42]) expect(parseItemId(good)).to.equal(Number(good));
    for (const bad of ['0', '07', '7.0', '-1', '1e3', ' 7', '', '1234567890123456', 7.5, null, undefined, {}]) {
      expect(() => parseItemId(bad), String(bad)).to.throw(InvalidInputError, 'id must be a positive integer');
    }
  });

  it('trims and defaults the fields, and names the first one at fault', () => {
    expect(parseItemInput({ id: 3, name: '  Knife ', description: ' sharp ' })).to.deep.equal({
      id: 3,
      name: 'Knife',
      description: 'sharp',
      quantity: 0,
    });
    const refusals: [unknown, string][] = [
      [[], 'Request body must be a JSON object with id, name, description and quantity'],
      [{ name: 'x' }, 'id is required'],
      [{ id: '3', name: 'x' }, 'id must be a positive integer'],
      [{ id: 3 }, 'name is required and must be a non-empty string'],
      [{ id: 3, name: '   ' }, 'name is required and must be a non-empty string'],
      [{ id: 3, name: 'x'.repeat(201) }, 'name must be at most 200 characters'],
      [{ id: 3, name: 'x', description: 5 }, 'description must be a string'],
      [{ id: 3, name: 'x', description: 'x'.repeat(2001) }, 'description must be at most 2000 characters'],
      [{ id: 3, name: 'x', quantity: -1 }, 'quantity must be an integer from 0 to 1000000000'],
      [{ id: 3, name: 'x', quantity: 1.5 }, 'quantity must be an integer from 0 to 1000000000'],
      [{ id: 3, name: 'x', quantity: 1_000_000_001 }, 'quantity must be an integer from 0 to 1000000000'],
    ];
    for (const [body, message] of refusals) expect(() => parseItemInput(body), JSON.stringify(body)).to.throw(InvalidInputError, message);
  });

  it('shows images and thumbnails by public URL, and null where there are none', () => {
    const base = 'https://cdn.example';
    const item = { id: 1, name: 'a', description: '', quantity: 0 };
    expect(toPublicItem({ ...item, image_key: null }, base)).to.include({ image_url: null, thumbnail_url: null, thumbnail_2x_url: null });
    expect(
      toPublicItem(
        { ...item, image_key: 'images/1/u.png', thumbnails: { x1: 'images/1/u.thumb-1x.webp', x2: 'images/1/u.thumb-2x.webp' } },
        base,
      ),
    ).to.include({
      image_url: `${base}/images/1/u.png`,
      thumbnail_url: `${base}/images/1/u.thumb-1x.webp`,
      thumbnail_2x_url: `${base}/images/1/u.thumb-2x.webp`,
    });
  });
});
