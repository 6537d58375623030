import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../..');

interface Manifest {
  readonly dependencies: Readonly<Record<string, string>>;
  readonly peerDependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  readonly scripts: Readonly<Record<string, string>>;
  readonly repository: { readonly url: string };
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;

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
    // The suite has built dist already; `prepack` rebuilding it here would pull dist away from the
    // tests running beside this one, so its script is checked on its own below.
    const packed = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', scratch], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const tarball = path.join(scratch, packed.trim().split('\n').pop() ?? '');
    const modules = path.join(scratch, 'app', 'node_modules');
    installed = path.join(modules, 'genesis-flags');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
    // The app installs the peer dependencies itself, as with any OpenFeature provider.
    for (const dependency of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]) {
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

  it('is required by package name from CommonJS and answers through the CommonJS OpenFeature SDK', () => {
    const program = `
      const { OpenFeature } = require('@openfeature/server-sdk');
      const { GenesisProvider } = require('genesis-flags');
      (async () => {
        await OpenFeature.setProviderAndWait(new GenesisProvider({ path: ${JSON.stringify(path.join(installed, 'config', 'feature_flags.json'))}, envOverrides: false }));
        const details = await OpenFeature.getClient().getBooleanDetails('emergency_shutdwn', true);
        console.log(JSON.stringify({ value: details.value, errorCode: details.errorCode, errorMessage: details.errorMessage }));
        await OpenFeature.close();
      })();
    `;
    const output = execFileSync(process.execPath, ['--input-type=commonjs', '-e', program], {
      cwd: path.join(scratch, 'app'),
      encoding: 'utf8',
    });
    expect(JSON.parse(output.trim().split('\n').pop() ?? '')).toEqual({
      value: true,
      errorCode: 'FLAG_NOT_FOUND',
      errorMessage: 'Flag not found: emergency_shutdwn (did you mean "emergency_shutdown"?)',
    });
  });

  it('type-checks and runs in a TypeScript project compiled to CommonJS', () => {
    const app = path.join(scratch, 'ts-commonjs');
    mkdirSync(path.join(app, 'src'), { recursive: true });
    symlinkSync(path.join(scratch, 'app', 'node_modules'), path.join(app, 'node_modules'), 'dir');
    const modulesTypes = path.join(scratch, 'app', 'node_modules', '@types', 'node');
    if (!existsSync(modulesTypes)) {
      mkdirSync(path.dirname(modulesTypes), { recursive: true });
      symlinkSync(path.join(repoRoot, 'node_modules', '@types', 'node'), modulesTypes, 'dir');
    }
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'ts-commonjs-app', private: true }));
    const tsconfig = {
      compilerOptions: { module: 'commonjs', target: 'es2022', strict: true, outDir: 'dist', types: ['node'] },
      include: ['src'],
    };
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
    const flagFile = JSON.stringify(path.join(installed, 'config', 'feature_flags.json'));
    writeFileSync(
      path.join(app, 'src', 'main.ts'),
      `import { OpenFeature } from '@openfeature/server-sdk';
import { GenesisProvider, type GenesisProviderOptions } from 'genesis-flags';

async function main(): Promise<void> {
  const options: GenesisProviderOptions = { path: ${flagFile}, envOverrides: false };
  await OpenFeature.setProviderAndWait(new GenesisProvider(options));
  const on: boolean = await OpenFeature.getClient().getBooleanValue('orchestration_enabled', false);
  console.log(JSON.stringify({ on }));
  await OpenFeature.close();
}
void main();
`,
    );
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(readFileSync(path.join(app, 'dist', 'main.js'), 'utf8')).toContain('require("genesis-flags")');
    const output = execFileSync(process.execPath, [path.join(app, 'dist', 'main.js')], { cwd: app, encoding: 'utf8' });
    expect(JSON.parse(output.trim().split('\n').pop() ?? '')).toEqual({ on: true });
  }, 120_000);

  it('leaves the OpenFeature SDK to the app as a peer dependency, as the official providers do', () => {
    expect(manifest.peerDependencies).toEqual({
      '@openfeature/core': expect.any(String),
      '@openfeature/server-sdk': expect.any(String),
    });
    expect(Object.keys(manifest.dependencies)).not.toContain('@openfeature/server-sdk');
    expect(Object.keys(manifest.devDependencies)).toContain('@openfeature/server-sdk');
  });

  it('type-checks and builds before packing and names its repository, so README links resolve on the registry page', () => {
    expect(manifest.scripts['prepack']).toBe('npm run typecheck && npm run build');
    expect(manifest.repository.url).toMatch(/^git\+https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
    const readme = readFileSync(path.join(installed, 'README.md'), 'utf8');
    const relativeLinks = [...readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)]
      .map((match) => match[1] as string)
      .filter((target) => !/^[a-z]+:/.test(target));
    expect(relativeLinks.length).toBeGreaterThan(0);
    for (const target of relativeLinks) expect(existsSync(path.join(repoRoot, target)), target).toBe(true);
    const docs = relativeLinks.filter((target) => target.startsWith('docs/'));
    for (const target of docs) expect(existsSync(path.join(installed, target)), `${target} is shipped`).toBe(true);
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
