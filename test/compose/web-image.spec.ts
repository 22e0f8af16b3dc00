/**
 * The app's production image (web/Dockerfile) and the production build it runs, checked without Docker; the
 * compose end-to-end test (test/e2e/) builds and runs the image itself.
 */
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT as ROOT, readRepoFile as read } from '../support/constants';
import { startTestS3, type TestS3 } from '../support/s3';

const START_PROD = (JSON.parse(read('package.json')).scripts['start:prod'] as string).split(' ');

describe('the web image', () => {
  it('the Dockerfile is multi-stage, pinned, non-root, health-checked and runs the compiled server', () => {
    const dockerfile = read('web/Dockerfile');
    expect(dockerfile.match(/^FROM /gm)).to.have.length(2);
    expect(dockerfile).to.match(/^ARG NODE_IMAGE=node:22\.\d+\.\d+-bookworm-slim$/m);
    expect(dockerfile).to.match(/^USER node$/m);
    expect(dockerfile).to.match(/^EXPOSE 8080$/m);
    expect(dockerfile).to.match(/^HEALTHCHECK [\s\S]*\/healthcheck/m);
    expect(dockerfile).to.match(/npm-ci\.sh --no-workspaces --omit=dev/);
    // The image runs exactly `npm run start:prod`, the command the benchmark measures.
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd).to.deep.equal(START_PROD);
    expect(cmd.at(-1)).to.equal('web/dist/server.js');
    expect(read('.dockerignore')).to.match(/^\*\*\/node_modules$/m);
    // Builds without a registry: no `# syntax=` frontend to fetch (test/e2e builds it with BuildKit, offline),
    // and an optional CA for npm behind a TLS-intercepting proxy, empty by default.
    expect(dockerfile).not.to.match(/^#\s*syntax=/im);
    expect(dockerfile.match(/^ARG NPM_EXTRA_CA=""$/gm)).to.have.length(2);
  });

  describe('the production build the image runs', function () {
    this.timeout(120_000);
    let s3: TestS3;
    before(async () => {
      s3 = await startTestS3();
    });
    after(async () => {
      await s3?.stop();
    });

    it('compiles, starts as start:prod starts it (plain node with its heap flags, no tsx) and answers /readyz', async () => {
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
      const server = path.join(ROOT, 'web', 'dist', 'server.js');
      expect(existsSync(server)).to.equal(true);
      // node refuses an option it does not know at start: the flags are checked by starting with them.
      const [node, ...args] = START_PROD;
      expect(node).to.equal('node');
      expect(args.pop()).to.equal('web/dist/server.js');
      const bucket = await s3.createBucket('prod');
      const child = spawn(process.execPath, [...args, server], {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: '0',
          S3_BUCKET: bucket,
          S3_ENDPOINT: s3.endpoint,
          PUBLIC_BASE_URL: `${s3.endpoint}/${bucket}`,
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (c: Buffer) => {
            out += c;
            const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
            if (m) resolve(m[1]!);
          });
          child.stderr.on('data', (c: Buffer) => (out += c));
          child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
          setTimeout(() => reject(new Error(`no listening log line: ${out}`)), 20_000);
        });
        expect((await fetch(`${url}/readyz`)).status).to.equal(200);
        expect((await fetch(`${url}/`)).status).to.equal(200);
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).to.equal(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  });
});
