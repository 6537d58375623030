import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../..');

interface Manifest {
  readonly dependencies: Readonly<Record<string, string>>;
}

/**
 * Packs the module as `npm publish` would, unpacks it into a scratch project and uses it from
 * there: proves the `files` list, the `exports` map, the declarations and the `bin` work outside
 * this repository. Dependencies are linked from this checkout rather than downloaded again.
 */
describe('the packed npm module', () => {
  let scratch: string;
  let installed: string;

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'genesis-flags-pack-'));
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const tarball = path.join(scratch, packed.trim().split('\n').pop() ?? '');
    const modules = path.join(scratch, 'app', 'node_modules');
    installed = path.join(modules, 'genesis-flags');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
    for (const dependency of Object.keys(manifest.dependencies)) {
      const target = path.join(repoRoot, 'node_modules', dependency);
      const link = path.join(modules, dependency);
      if (!existsSync(target) || existsSync(link)) continue;
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(target, link, 'dir');
    }
  }, 120_000);

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('ships the build, its declarations, the schemas, the protos and the shipped config', () => {
    const shipped = readdirSync(installed);
    expect(shipped).toEqual(
      expect.arrayContaining(['dist', 'schemas', 'proto', 'config', 'README.md', 'package.json']),
    );
    expect(existsSync(path.join(installed, 'dist', 'index.d.ts'))).toBe(true);
    expect(existsSync(path.join(installed, 'config', 'feature_flags.json'))).toBe(true);
  });

  it('is imported by package name and answers through the OpenFeature client', () => {
    const program = `
      import { OpenFeature } from '@openfeature/server-sdk';
      import { GenesisProvider } from 'genesis-flags';
      await OpenFeature.setProviderAndWait(new GenesisProvider({ path: ${JSON.stringify(path.join(installed, 'config', 'feature_flags.json'))}, envOverrides: false }));
      const details = await OpenFeature.getClient().getBooleanDetails('emergency_shutdown', true);
      console.log(JSON.stringify({ value: details.value, variant: details.variant, reason: details.reason }));
      await OpenFeature.close();
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', program], {
      cwd: path.join(scratch, 'app'),
      encoding: 'utf8',
    });
    expect(JSON.parse(output.trim().split('\n').pop() ?? '')).toEqual({
      value: false,
      variant: 'off',
      reason: 'STATIC',
    });
  });

  it('runs its bin against the shipped config', () => {
    const bin = path.join(installed, 'dist', 'cli', 'main.js');
    const output = execFileSync(
      process.execPath,
      [bin, 'validate', path.join(installed, 'config', 'feature_flags.json')],
      {
        cwd: path.join(scratch, 'app'),
        encoding: 'utf8',
      },
    );
    expect(output).toContain('valid genesis file, 15 flag(s)');
  });
});
