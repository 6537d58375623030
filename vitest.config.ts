import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

const unitDir = fileURLToPath(new URL('test/unit/', import.meta.url));

/** Unit files that replace a module with `vi.mock`: they need a module graph of their own. Found, not listed. */
const MOCKING_UNIT_FILES = readdirSync(unitDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts') && readFileSync(unitDir + file, 'utf8').includes('vi.mock('))
  .map((file) => `test/unit/${file.replaceAll('\\', '/')}`);

const rootDir = fileURLToPath(new URL('.', import.meta.url));
const testDir = join(rootDir, 'test');

/**
 * What makes a test file leave state behind in its process: the OpenFeature singleton (providers, hooks,
 * context), fake or stubbed globals, process handlers and the exit code (the CLI's command functions set it).
 */
const PROCESS_WIDE_STATE =
  /OpenFeature\.|vi\.(?:mock|stub|spyOn|useFakeTimers)|process\.(?:on|once|chdir|exitCode)\b|src\/cli\//;

/** Whether a test file, or a test helper it imports (followed through test/), touches process-wide state. */
function touchesProcessState(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (PROCESS_WIDE_STATE.test(text)) return true;
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)]
    .map((match) => join(dirname(file), `${match[1]}.ts`))
    .filter((helper) => helper.startsWith(testDir) && existsSync(helper))
    .some((helper) => touchesProcessState(helper, seen));
}

/** Integration files that leave no process-wide state behind: they can share a worker's module graph. Found, not listed. */
const SHAREABLE_INTEGRATION_FILES = readdirSync(testDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts') && !file.startsWith('unit'))
  .map((file) => join(testDir, file))
  .filter((file) => !touchesProcessState(file))
  .map((file) => relative(rootDir, file).replaceAll('\\', '/'));

/*
 * Test files run in parallel, each project's files in forked workers. Most integration files spend their
 * time waiting (on servers, child processes, file watchers, outage pauses), so more workers than cores
 * pays: vitest's default, one worker less than the cores, is a single worker on a 2-core machine and ran
 * every file one after another. Four keeps two cores busy without starving the timing-sensitive files.
 * Files must be parallel-safe: free ports (port 0), temp dirs of their own, no change to process.env
 * (docs/TESTING.md). `--maxWorkers=1` runs them one at a time again.
 *
 * Unit files are pure and share one module graph per worker (`isolate: false`): importing the sources
 * once per worker rather than once per file halves their CPU time. Integration and conformance files set
 * process-wide state (the OpenFeature singleton, providers, servers) and keep a fresh process each.
 */
/**
 * The testbed's conformance suites first. They run longest (40–50 s each) and spend it waiting on the
 * scenarios' own outage pauses, which leave the cores free; vitest's default order (larger files first)
 * started them last, so they ran alone at the end with one core idle. Started first, their waits overlap
 * the other files' work. Otherwise vitest's order.
 */
class WaitingSuitesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const waiting = (file: TestSpecification): boolean => file.moduleId.includes('/test/conformance/provider-');
    return [...sorted.filter(waiting), ...sorted.filter((file) => !waiting(file))];
  }
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    sequence: { sequencer: WaitingSuitesFirst },
    maxWorkers: 4,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude: MOCKING_UNIT_FILES, isolate: false },
      },
      { extends: true, test: { name: 'unit-isolated', include: MOCKING_UNIT_FILES } },
      {
        extends: true,
        test: { name: 'integration-shared', include: SHAREABLE_INTEGRATION_FILES, isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', ...SHAREABLE_INTEGRATION_FILES],
        },
      },
    ],
  },
});
