import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningFlagServer } from '../../src/server/flag-server.js';
import {
  chromiumInstalled,
  readPageReport,
  startBrowserHarness,
  type BrowserHarness,
} from '../fixtures/browser/browser-harness.js';
import { replaceFile } from '../fixtures/replace-file.js';
import type { WithPageReport } from '../fixtures/browser/page-report.js';
import { startTestFlagServer } from './sync-flag-server.js';

const installed = chromiumInstalled();
if (!installed) console.warn('skipping the browser tests: chromium is not installed (apt-get install chromium)');

const PAGE = './pages/flagd-web-page.ts';

function flagFile(bannerColor: string): string {
  return JSON.stringify({
    flags: {
      'new-checkout': {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        targeting: { if: [{ '==': [{ var: 'plan' }, 'pro'] }, 'on', null] },
      },
      'banner-color': { state: 'ENABLED', variants: { red: 'red', blue: 'blue' }, defaultVariant: bannerColor },
      'max-items': { state: 'ENABLED', variants: { few: 3, many: 30 }, defaultVariant: 'many' },
      layout: { state: 'ENABLED', variants: { grid: { columns: 3 } }, defaultVariant: 'grid' },
    },
  });
}

describe.skipIf(!installed)('@openfeature/flagd-web-provider in headless Chromium against the evaluation port', () => {
  let dir: string;
  let file: string;
  let server: RunningFlagServer;
  let browser: BrowserHarness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flagd-web-browser-'));
    file = join(dir, 'flags.json');
    await writeFile(file, flagFile('red'));
    browser = await startBrowserHarness();
    server = await startTestFlagServer({ files: [file], corsOrigins: [browser.origin] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the values the server evaluates for the page context, and a file change within a second', async () => {
    const { page, errors } = await browser.open(PAGE, {
      host: '127.0.0.1',
      port: String(server.port),
      context: JSON.stringify({ targetingKey: 'user-1', plan: 'pro' }),
      flags: 'new-checkout:boolean,banner-color:string,max-items:number,layout:object',
    });
    await page.waitForFunction(() => (globalThis as WithPageReport).pageReport?.ready === true, { timeout: 10_000 });
    const first = await readPageReport(page);
    expect(errors).toEqual([]);
    expect(first.error).toBeUndefined();
    expect(first.flags['new-checkout']).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
    expect(first.flags['banner-color']).toMatchObject({ value: 'red', variant: 'red', reason: 'STATIC' });
    expect(first.flags['max-items']).toMatchObject({ value: 30, variant: 'many', reason: 'STATIC' });
    expect(first.flags['layout']).toMatchObject({ value: { columns: 3 }, variant: 'grid', reason: 'STATIC' });

    const writtenAt = Date.now();
    await replaceFile(file, flagFile('blue'));
    await page.waitForFunction(
      () => (globalThis as WithPageReport).pageReport?.flags['banner-color']?.value === 'blue',
      { timeout: 10_000 },
    );
    const after = await readPageReport(page);
    expect(after.flags['banner-color']).toMatchObject({ value: 'blue', variant: 'blue' });
    expect(after.changes).toHaveLength(1);
    expect(after.changes[0]!.at - writtenAt).toBeLessThan(1_000);
    await page.close();
  });
});
