import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { requireMoto } from '../support/moto';
import { requireTerraform } from '../support/terraform';
import { startScenarioApplies } from './applied-module';
import { MATRIX, runMatrix, simulate, unknownActions, type PolicySet } from './authorization/matrix';
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
    for (const scenario of ['default', 'public-read-off', 'kms']) {
      const verdicts = new Set(results.filter((r) => r.scenario === scenario).map((r) => r.actual === 'Allowed'));
      expect(verdicts.size, scenario).to.equal(2);
    }
  });

  it('every action in every policy exists in AWS', async () => {
    for (const scenario of ['default', 'kms'] as const) {
      const p = await terraformPolicies(scenario);
      expect(await unknownActions([p.bucketPolicy, p.appPolicy, p.trustPolicy])).to.deep.equal([]);
    }
  });

  describe('catches deliberately wrong policies', () => {
    let good: PolicySet;
    before(async () => {
      good = await terraformPolicies('default');
    });
    const caseFor = (who: string, action: string, key: string) =>
      MATRIX.find((c) => c.who === who && c.action === action && c.resource.endsWith(key))!;

    it('a public-read statement on the whole bucket exposes the inventory', async () => {
      const leaky = structuredClone(good);
      leaky.bucketPolicy.Statement.find((s) => s.Sid === 'PublicReadImages')!.Resource = 'arn:aws:s3:::inventory-images/*';
      expect(await simulate(caseFor('anonymous', 's3:GetObject', 'inventory/1.json'), leaky)).to.equal('Allowed');
    });

    it('dropping the TLS-only statement allows plain HTTP', async () => {
      const noTls = structuredClone(good);
      noTls.bucketPolicy.Statement = noTls.bucketPolicy.Statement.filter((s) => s.Sid !== 'DenyInsecureTransport');
      const httpCase = MATRIX.find((c) => c.who === 'anonymous' && c.context?.['aws:SecureTransport'] === 'false')!;
      expect(await simulate(httpCase, noTls)).to.equal('Allowed');
    });

    it('a misspelled action is reported (IAM would silently ignore it)', async () => {
      const typo = structuredClone(good);
      typo.appPolicy.Statement.find((s) => s.Sid === 'ReadWriteAppObjects')!.Action = ['s3:PutObjekt'];
      expect(await unknownActions([typo.appPolicy])).to.deep.equal(['s3:PutObjekt']);
    });

    it('ListBucket without the prefix condition lets the app list everything', async () => {
      const wide = structuredClone(good);
      delete wide.appPolicy.Statement.find((s) => s.Sid === 'ListAppPrefixes')!.Condition;
      const listAll = MATRIX.find((c) => c.who === 'app role' && c.action === 's3:ListBucket' && c.context?.['s3:prefix'] === '')!;
      expect(await simulate(listAll, wide)).to.equal('Allowed');
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
