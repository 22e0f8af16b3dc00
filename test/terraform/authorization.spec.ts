import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { requireMoto } from '../support/moto';
import { requireTerraform } from '../support/terraform';
import { startScenarioApplies } from './applied-module';
import { MATRIX, MATRIX_SCENARIOS, runMatrix, simulate, unknownActions, type PolicySet } from './authorization/matrix';
import { terraformPolicies } from './authorization/terraform-policies';
import { MATRIX_DOC, generateMatrixDoc } from './authorization/write-doc';

// The policies come from real applies, which take a minute: start them now, overlapping the rest of the run.
startScenarioApplies();

describe('authorization matrix of the policies Terraform applied (IAM policy simulation)', function () {
  this.timeout(300_000);
  before(function () {
    requireTerraform(this);
    requireMoto(this);
  });

  it(`has at least 20 cases and every verdict is the expected one (${MATRIX.length} cases)`, async () => {
    expect(MATRIX.length).to.be.at.least(20);
    const results = await runMatrix((scenario) => terraformPolicies(scenario));
    const wrong = results
      .filter((r) => r.actual !== r.expected)
      .map((r) => `${r.scenario} ${r.who} ${r.action} ${r.resource}: expected ${r.expected}, got ${r.actual}`);
    expect(wrong).to.deep.equal([]);
    // The matrix must exercise both outcomes in each scenario, or it proves little.
    for (const scenario of MATRIX_SCENARIOS) {
      const verdicts = new Set(results.filter((r) => r.scenario === scenario).map((r) => r.actual === 'Allowed'));
      expect(verdicts.size, scenario).to.equal(2);
    }
  });

  it('every action in every policy exists in AWS', async () => {
    for (const scenario of MATRIX_SCENARIOS) {
      const p = await terraformPolicies(scenario);
      expect(await unknownActions([p.bucketPolicy, p.appPolicy, p.trustPolicy])).to.deep.equal([]);
    }
  });

  describe('catches deliberately wrong policies', () => {
    let good: PolicySet;
    before(async () => {
      good = await terraformPolicies('default');
    });

    it("a CloudFront read grant without the distribution's ARN lets any distribution front the bucket", async () => {
      const open = structuredClone(good);
      delete open.bucketPolicy.Statement.find((s) => s.Sid === 'CloudFrontReadsImages')!.Condition;
      const otherDistribution = MATRIX.find((c) => c.why === "someone else's distribution cannot front this bucket")!;
      expect(await simulate(otherDistribution, open)).to.equal('Allowed');
    });

    it('a read grant on the whole bucket exposes the inventory', async () => {
      const leaky = structuredClone(good);
      leaky.bucketPolicy.Statement.find((s) => s.Sid === 'CloudFrontReadsImages')!.Resource = 'arn:aws:s3:::inventory-images/*';
      const inventory = MATRIX.find((c) => c.who === 'service cloudfront.amazonaws.com' && c.resource.endsWith('inventory/1.json'))!;
      expect(await simulate(inventory, leaky)).to.equal('Allowed');
    });

    it('dropping the TLS-only statement allows plain HTTP', async () => {
      const noTls = structuredClone(good);
      noTls.bucketPolicy.Statement = noTls.bucketPolicy.Statement.filter((s) => s.Sid !== 'DenyInsecureTransport');
      const httpCase = MATRIX.find((c) => c.scenario === 'default' && c.context?.['aws:SecureTransport'] === 'false')!;
      expect(await simulate(httpCase, noTls)).to.equal('Allowed');
    });

    it('a misspelled action is reported (IAM would silently ignore it)', async () => {
      const typo = structuredClone(good);
      typo.appPolicy.Statement.find((s) => s.Sid === 'ReadWriteAppObjects')!.Action = ['s3:PutObjekt'];
      expect(await unknownActions([typo.appPolicy])).to.deep.equal(['s3:PutObjekt']);
    });

    it('ListBucket limited by s3:prefix (as before) turns a missing key into 403', async () => {
      const limited = structuredClone(good);
      limited.appPolicy.Statement.find((s) => s.Sid === 'ListBucket')!.Condition = {
        StringLike: { 's3:prefix': ['images/*', 'inventory/*'] },
      };
      const missingKey = MATRIX.find((c) => c.request === 'GetObject of a missing key')!;
      expect(await simulate(missingKey, limited)).to.equal('ImplicitlyDenied');
    });

    it("a trust without aws:SourceAccount lets another account's ECS tasks run as the app", async () => {
      const deputy = structuredClone(good);
      delete deputy.trustPolicy.Statement.find((s) => s.Sid === 'AssumeByServicesOfThisAccount')!.Condition;
      const otherAccount = MATRIX.find((c) => c.why.startsWith("another account's task"))!;
      expect(await simulate(otherAccount, deputy)).to.equal('Allowed');
    });
  });

  describe('docs/authorization-matrix.md', () => {
    it('is what the matrix produces now', async () => {
      expect(readFileSync(MATRIX_DOC, 'utf8'), 'stale: run npx tsx test/terraform/authorization/write-doc.ts').to.equal(
        await generateMatrixDoc(),
      );
    });
  });
});
