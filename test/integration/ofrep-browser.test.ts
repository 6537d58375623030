import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  chromiumInstalled,
  readPageReport,
  startBrowserHarness,
  type BrowserHarness,
} from '../fixtures/browser/browser-harness.js';
import { replaceFile } from '../fixtures/replace-file.js';
import type { WithPageReport } from '../fixtures/browser/page-report.js';
import { startOfrepTestServer, type OfrepTestServer } from './ofrep-test-server.js';

const installed = chromiumInstalled();
if (!installed) console.warn('skipping the browser tests: chromium is not installed (apt-get install chromium)');

const PAGE = './pages/ofrep-web-page.ts';
const POLL_MS = 200;

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
    },
  });
}

describe.skipIf(!installed)('@openfeature/ofrep-web-provider in headless Chromium against the OFREP port', () => {
  let dir: string;
  let file: string;
  let server: OfrepTestServer;
  let browser: BrowserHarness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ofrep-browser-'));
    file = join(dir, 'flags.json');
    await writeFile(file, flagFile('red'));
    browser = await startBrowserHarness();
    server = await startOfrepTestServer({ files: [file], corsOrigins: [browser.origin] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the values the server evaluates for the page context, and a file change within a second', async () => {
    const { page, errors } = await browser.open(PAGE, {
      ofrep: server.url,
      poll: String(POLL_MS),
      context: JSON.stringify({ targetingKey: 'user-1', plan: 'pro' }),
      flags: 'new-checkout:boolean,banner-color:string,max-items:number',
    });
    await page.waitForFunction(() => (globalThis as WithPageReport).pageReport?.ready === true);
    const first = await readPageReport(page);
    expect(errors).toEqual([]);
    expect(first.error).toBeUndefined();
    expect(first.flags['new-checkout']).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
    expect(first.flags['banner-color']).toMatchObject({ value: 'red', variant: 'red', reason: 'STATIC' });
    expect(first.flags['max-items']).toMatchObject({ value: 30, variant: 'many', reason: 'STATIC' });
    // The provider polls with the ETag it was given; unchanged flags cost a 304 and no evaluation.
    await vi.waitFor(async () => expect(await server.answeredCount('bulk', 304)).toBeGreaterThan(0), {
      timeout: 5_000,
      interval: 20,
    });

    const writtenAt = Date.now();
    await replaceFile(file, flagFile('blue'));
    await page.waitForFunction(
      () => (globalThis as WithPageReport).pageReport?.flags['banner-color']?.value === 'blue',
      { timeout: 10_000 },
    );
    const after = await readPageReport(page);
    expect(after.flags['banner-color']).toMatchObject({ value: 'blue', variant: 'blue' });
    expect(after.changes.map((change) => change.flagsChanged)).toEqual([['banner-color']]);
    expect(after.changes[0]!.at - writtenAt).toBeLessThan(1_000);
    await page.close();
  });
});
