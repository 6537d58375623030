import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli, TempFiles } from './cli-harness.js';

const files = new TempFiles();
beforeAll(requireBuiltCli);
afterAll(() => files.removeAll());

const genesis = (flags: Record<string, unknown>) => `${JSON.stringify({ version: '1.0', flags }, null, 2)}\n`;

/** A parent in one file, its child (half of the users) in another. */
function parentAndChild(parentEnabled: boolean): [string, string] {
  const parent = files.write('parent.json', genesis({ orchestration: { enabled: parentEnabled } }));
  const child = files.write(
    'child.json',
    genesis({
      planner: { enabled: true, requires: ['orchestration'], rollout_strategy: 'percentage', rollout_percentage: 50 },
    }),
  );
  return [parent, child];
}

describe('genesis-flags eval, explain and list: requires across the files given', () => {
  it('eval answers a child whose parent is in the other file, off while that parent is off', () => {
    const [on, childOfOn] = parentAndChild(true);
    const [off, childOfOff] = parentAndChild(false);
    const args = (parent: string, child: string) => ['eval', 'planner', parent, child, '--targeting-key', 'user-7'];
    const whenOn = runCli([...args(on, childOfOn), '--json']);
    const whenOff = runCli([...args(off, childOfOff), '--json']);
    expect(whenOn).toMatchObject({ code: 0, stderr: '' });
    expect(whenOff).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(whenOff.stdout)).toMatchObject({ flagKey: 'planner', value: false, variant: 'off' });
    // On, the child's own 50% decides: user-7 is in one half or the other, but the parent no longer blocks it.
    expect(JSON.parse(whenOn.stdout)).toMatchObject({ flagKey: 'planner', reason: 'TARGETING_MATCH' });
  });

  it('explain names the parent in the other file as the deciding layer', () => {
    const [parent, child] = parentAndChild(false);
    const run = runCli(['explain', 'planner', parent, child, '--targeting-key', 'user-7', '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ decidedBy: 'parent', on: false, file: child, format: 'genesis' });
  });

  it('list bounds the child by its parent in the other file', () => {
    const [off, childOfOff] = parentAndChild(false);
    const [on, childOfOn] = parentAndChild(true);
    const rowOf = (parent: string, child: string) => {
      const run = runCli(['list', parent, child, '--json']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      return (JSON.parse(run.stdout) as { key: string }[]).find((row) => row.key === 'planner');
    };
    expect(rowOf(off, childOfOff)).toMatchObject({ file: childOfOff, exposurePercent: 0, boundedByParents: false });
    expect(rowOf(on, childOfOn)).toMatchObject({ file: childOfOn, exposurePercent: 50, boundedByParents: false });
  });

  it('fails with exit code 1 when a parent is in none of the files, naming the child, the parent and every file', () => {
    const parent = files.write('parent.json', genesis({ orchestration: { enabled: true } }));
    const child = files.write('child.json', genesis({ planner: { enabled: true, requires: ['orchestraton'] } }));
    for (const command of ['eval', 'explain']) {
      const run = runCli([command, 'planner', parent, child]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `flags.planner.requires[0]  names unknown flag "orchestraton" in any of ${parent}, ${child} (did you mean "orchestration"?)`,
      );
    }
    const listed = runCli(['list', parent, child]);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(`names unknown flag "orchestraton" in any of ${parent}, ${child}`);
  });
});
