import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { LOCALSTACK_ROOT_DIR, REPO_ROOT as ROOT, readRepoFile as read } from '../support/constants';
import { requireTool, runs } from '../support/tools';
import { loadTerraformConfig } from '../terraform/schema/hcl-config';
import { ENVIRONMENT_VARIABLES } from '../../web/src/config';

const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: unknown;
      pull_policy?: string;
      environment?: Record<string, string>;
      ports?: string[];
      profiles?: string[];
      stop_grace_period?: string;
      volumes?: string[];
      entrypoint?: string[];
      depends_on?: Record<string, unknown>;
      healthcheck?: { test: string[] };
    }
  >;
  volumes: Record<string, unknown>;
};
const stack = (parse(read('Pulumi.localstack.yaml')) as { config: Record<string, unknown> }).config;
/** `npm run start:prod`, word by word: what the image runs and the benchmark measures. */
const WEB_SERVICES = ['web'];
/** Read by the AWS SDK's default credential chain, not by the app's own config. */
const SDK_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

describe('docker compose setup', () => {
  const composeConfig = (profiles: string) =>
    execFileSync('docker-compose', ['-f', path.join(ROOT, 'docker-compose.yml'), 'config'], {
      env: { ...process.env, COMPOSE_PROFILES: profiles },
      encoding: 'utf8',
    });

  it('is a valid compose file for both profiles (docker-compose config)', function () {
    requireTool(this, runs('docker-compose', ['version']), 'docker-compose', 'Install it with: sudo apt-get install docker-compose');
    for (const profiles of ['terraform', 'pulumi']) composeConfig(profiles);
  });

  it('switching profiles recreates LocalStack empty, so one tool never meets what the other created', function () {
    requireTool(this, runs('docker-compose', ['version']), 'docker-compose', 'Install it with: sudo apt-get install docker-compose');
    // Compose recreates a container whose configuration changed: the provisioner's name is part of LocalStack's.
    const provisionedBy = (profiles: string) =>
      (parse(composeConfig(profiles)) as typeof compose).services.localstack!.environment!.PROVISIONED_BY;
    expect(provisionedBy('terraform')).to.equal('terraform');
    expect(provisionedBy('pulumi')).to.equal('pulumi');
    // And nothing pretends LocalStack persists: community LocalStack loses everything on restart.
    expect(compose.services.localstack!.volumes ?? []).to.deep.equal([]);
  });

  it('both provisioners run their script file from the repository, and converge on every run', () => {
    const terraform = compose.services.terraform!;
    expect(terraform.volumes).to.include('./terraform:/src:ro');
    expect(terraform.entrypoint).to.deep.equal(['/bin/sh', '/src/environments/localstack/provision.sh']);
    expect(existsSync(path.join(ROOT, 'terraform', 'environments', 'localstack', 'provision.sh'))).to.equal(true);
    const pulumi = compose.services.pulumi!;
    expect(pulumi.volumes).to.include('.:/src:ro');
    expect(pulumi.entrypoint).to.deep.equal(['/bin/bash', '/src/pulumi/provision.sh']);
    expect(read('pulumi/provision.sh')).to.match(/^pulumi up --yes --refresh /m);
    // Their state lives in named volumes, which the reset command removes.
    expect(terraform.volumes!.some((v) => v.startsWith('terraform-state:'))).to.equal(true);
    expect(pulumi.volumes!.some((v) => v.startsWith('pulumi-state:'))).to.equal(true);
  });

  it('one app for both profiles, which waits for LocalStack only and is healthy when ready', () => {
    const web = compose.services.web!;
    expect(web.profiles).to.equal(undefined);
    expect(Object.keys(web.depends_on!)).to.deep.equal(['localstack']);
    expect(web.healthcheck!.test.join(' ')).to.include('/readyz');
    const published = Object.entries(compose.services).filter(([, svc]) => (svc.ports ?? []).some((p) => p.startsWith('8080:')));
    expect(published.map(([name]) => name)).to.deep.equal(['web']);
  });

  it("the README's reset command removes every profile's containers and every volume", () => {
    const profiles = [...new Set(Object.values(compose.services).flatMap((svc) => svc.profiles ?? []))].sort();
    expect(profiles).to.deep.equal(['pulumi', 'terraform']);
    const command = /docker compose((?: --profile \w+)+) down --volumes --remove-orphans/.exec(read('README.md'));
    expect(command, 'README: docker compose --profile ... down --volumes --remove-orphans').to.not.equal(null);
    expect([...command![1]!.matchAll(/--profile (\w+)/g)].map((m) => m[1]).sort()).to.deep.equal(profiles);
    expect(read('docker-compose.yml')).to.include(command![0]);
    expect(Object.keys(compose.volumes).sort()).to.deep.equal(['pulumi-state', 'terraform-state']);
  });

  it('sets every variable the app reads for the web services, and nothing it does not read', () => {
    const appReads = [...ENVIRONMENT_VARIABLES].sort();
    expect(appReads).to.include.members(['PORT', 'S3_BUCKET', 'S3_ENDPOINT', 'PUBLIC_BASE_URL', 'MAX_UPLOAD_BYTES']);
    for (const name of WEB_SERVICES) {
      const set = Object.keys(compose.services[name]!.environment ?? {}).sort();
      expect(
        set.filter((v) => !SDK_VARIABLES.includes(v)),
        name,
      ).to.deep.equal(appReads);
      expect(set, name).to.include.members(SDK_VARIABLES);
    }
  });

  it('gives in-flight uploads less time than Docker waits before killing the container', () => {
    const web = compose.services.web!;
    expect(Number(web.environment!.SHUTDOWN_TIMEOUT_MS)).to.be.lessThan(parseInt(web.stop_grace_period!, 10) * 1000);
  });

  it('agrees with the Terraform LocalStack root and Pulumi.localstack.yaml on bucket, endpoints and ports', async () => {
    // The LocalStack root's defaults; what it outputs for them is checked against a real apply in test/terraform.
    const root = await loadTerraformConfig(LOCALSTACK_ROOT_DIR);
    const tfDefault = (name: string) => root.variables.get(name)!.body.default;
    const env = compose.services.web!.environment!;
    expect(env.S3_BUCKET).to.equal(tfDefault('bucket_name')).and.equal(stack['image-bucket:bucketName']);
    expect(env.PUBLIC_BASE_URL)
      .to.equal(`${tfDefault('public_endpoint')}/${tfDefault('bucket_name')}`)
      .and.equal(`${stack['image-bucket:publicEndpoint']}/${stack['image-bucket:bucketName']}`);
    expect(env.AWS_REGION).to.equal(stack['aws:region']);
    // LocalStack's published port is the one in every public URL.
    expect(compose.services.localstack!.ports).to.deep.equal(['4566:4566']);
    expect(new URL(env.PUBLIC_BASE_URL!).port).to.equal('4566');
    expect(new URL(env.S3_ENDPOINT!).port).to.equal('4566');
    expect(compose.services.terraform!.environment!.TF_VAR_localstack_endpoint).to.equal(env.S3_ENDPOINT);
    expect(compose.services.pulumi!.environment!.LOCALSTACK_ENDPOINT).to.equal(env.S3_ENDPOINT);
    // The app's port is the published one, and the origin CORS allows in both tools.
    expect(compose.services.web!.ports).to.deep.equal([`${env.PORT}:${env.PORT}`]);
    const appOrigin = `http://localhost:${env.PORT}`;
    expect(tfDefault('cors_allowed_origins')).to.deep.equal([appOrigin]);
    expect(stack['image-bucket:corsAllowedOrigins']).to.deep.equal([appOrigin]);
  });

  it('pins every image to a version (no latest), with the reason for the LocalStack pin', () => {
    const images = Object.entries(compose.services)
      .filter(([, s]) => !s.build)
      .map(([name, s]) => [name, s.image!] as const);
    expect(images.map(([n]) => n).sort()).to.deep.equal(['localstack', 'pulumi', 'terraform']);
    for (const [name, image] of images) {
      const effective = image.replace(/^\$\{[A-Z_]+:-(.+)\}$/, '$1');
      expect(effective, name).to.match(/^[\w./-]+:\d+\.\d+\.\d+$/);
    }
    expect(compose.services.localstack!.image).to.equal('${LOCALSTACK_IMAGE:-localstack/localstack:4.14.0}');
    expect(read('docker-compose.yml')).to.match(/4\.14\.0 \(2026-02-26\) is the last community image that starts without one/);
    const code = read('docker-compose.yml')
      .split('\n')
      .filter((l) => !l.trim().startsWith('#'))
      .join('\n');
    expect(code).not.to.match(/:latest\b/);
    expect(read('docker-compose.yml')).not.to.match(/^version:/m);
  });

  it('runs the Pulumi CLI of the same version as the Pulumi SDK, and a Terraform the module accepts', () => {
    const sdk = (JSON.parse(read('node_modules/@pulumi/pulumi/package.json')) as { version: string }).version;
    expect(compose.services.pulumi!.image).to.equal(`pulumi/pulumi-nodejs:${sdk}`);
    const [major, minor] = compose.services.terraform!.image!.split(':')[1]!.split('.').map(Number);
    expect(major! > 1 || minor! >= 7, 'terraform >= 1.7 for mock_provider').to.equal(true);
  });

  it('rebuilds the app image on every up, so a code change is never served by an old image', () => {
    expect(compose.services.web!.pull_policy).to.equal('build');
    expect(compose.services.web!.build).to.deep.include({ context: '.', dockerfile: 'web/Dockerfile' });
  });

  it('keeps what Pulumi downloads in its state volume, so a later up does not download it again', () => {
    const state = compose.services.pulumi!.volumes!.find((v) => v.startsWith('pulumi-state:'))!.split(':')[1]!;
    for (const name of ['PULUMI_WORK_DIR', 'PULUMI_HOME'])
      expect(compose.services.pulumi!.environment![name]).to.match(new RegExp(`^${state}(/|$)`));
    expect(compose.services.pulumi!.environment!.PULUMI_BACKEND_URL).to.equal(`file://${state}/backend`);
  });
});
