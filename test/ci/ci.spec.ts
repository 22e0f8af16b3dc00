/**
 * What CI runs is what the README tells a newcomer to run: its two commands, `.ci/run` and the GitHub workflow
 * agree, and the workflow's actions cannot move under it.
 */
import { expect } from 'chai';
import { readRepoFile as read } from '../support/constants';

/** The commands of the README's first code block, without their comments. */
function readmeCommands(): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(read('README.md'))![1]!;
  return block
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}

describe('CI runs what the README says', () => {
  it("the README opens with two commands: the app's own install and start, then the full install and every test", () => {
    expect(readmeCommands()).to.deep.equal(['npm ci --no-workspaces && npm start', 'npm ci && npm test']);
  });

  it(".ci/run installs everything and then runs the README's test command, `npm test`", () => {
    const steps = read('.ci/run')
      .split('\n')
      .filter((line) => /^npm /.test(line));
    expect(steps).to.deep.equal(['npm ci --no-audit --no-fund', 'npm test']);
  });

  it('the GitHub workflow does the same', () => {
    const runs = [...read('.github/workflows/ci.yml').matchAll(/- run: (npm .*)/g)].map((m) => m[1]!);
    expect(runs).to.deep.equal(['npm ci', 'npm test']);
  });

  it('the GitHub workflow pins every action to a commit SHA', () => {
    const uses = [...read('.github/workflows/ci.yml').matchAll(/uses: (\S+)/g)].map((m) => m[1]!);
    expect(uses.length).to.be.greaterThan(0);
    for (const action of uses) expect(action).to.match(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
  });
});
