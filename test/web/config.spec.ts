/** The environment the app reads (web/src/config.ts): defaults, normalisation, and every problem reported at once. */
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../web/src/config';

describe('configuration', () => {
  it('with only S3_BUCKET set: port 8080, AWS itself in us-east-1 with virtual-hosted URLs, a 100 MiB limit', () => {
    const config = loadConfig({ S3_BUCKET: 'my-images' });
    expect(config).to.deep.include({
      port: 8080,
      bucket: 'my-images',
      endpoint: undefined,
      forcePathStyle: false,
      region: 'us-east-1',
      publicBaseUrl: 'https://my-images.s3.us-east-1.amazonaws.com',
      maxUploadBytes: 100 * 1024 * 1024,
    });
  });

  it('defaults to path-style URLs and a path-style public URL with a custom endpoint', () => {
    const config = loadConfig({ S3_BUCKET: 'b-1', S3_ENDPOINT: 'http://localstack:4566/', PUBLIC_BASE_URL: 'http://localhost:4566/b-1/' });
    expect(config.forcePathStyle).to.equal(true);
    expect(config.endpoint).to.equal('http://localstack:4566');
    expect(config.publicBaseUrl).to.equal('http://localhost:4566/b-1');
  });

  it('reports every problem at once with a clear message', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', S3_BUCKET: 'Bad_Bucket', S3_ENDPOINT: 'ftp://x', MAX_UPLOAD_BYTES: '-5', S3_FORCE_PATH_STYLE: 'maybe' }),
    )
      .to.throw(ConfigError)
      .with.property('problems')
      .that.has.members([
        'PORT must be an integer from 0 to 65535, got "eighty"',
        'S3_BUCKET "Bad_Bucket" is not a valid S3 bucket name',
        'S3_ENDPOINT must be an http(s) URL, got "ftp://x"',
        'MAX_UPLOAD_BYTES must be an integer from 1 to 5497558138880, got "-5"',
        'S3_FORCE_PATH_STYLE must be true or false, got "maybe"',
      ]);
    expect(() => loadConfig({})).to.throw(/S3_BUCKET is required/);
  });
});
