import { describe, expect, it } from 'vitest';
import { ServerMetrics } from '../../../src/server/server-metrics.js';

describe('ServerMetrics', () => {
  it('renders each series with HELP and TYPE, and per-source series labelled by file', () => {
    const metrics = new ServerMetrics(['a.json', 'dir/"b".json']);
    metrics.streamOpened();
    metrics.streamOpened();
    metrics.streamClosed();
    metrics.pushed(10);
    metrics.pushed(32);
    metrics.sourceApplied('a.json', 3);
    metrics.sourceApplied('a.json', 4);
    metrics.reloadFailed('dir/"b".json');
    const text = metrics.render();
    expect(text).toContain('# TYPE genesis_flags_sync_streams gauge\ngenesis_flags_sync_streams 1\n');
    expect(text).toContain('# TYPE genesis_flags_sync_pushes_total counter\ngenesis_flags_sync_pushes_total 2\n');
    expect(text).toContain('genesis_flags_sync_payload_bytes_total 42\n');
    expect(text).toContain('genesis_flags_source_revision{source="a.json"} 2\n');
    expect(text).toContain('genesis_flags_source_flags{source="a.json"} 4\n');
    expect(text).toContain('genesis_flags_source_reload_errors_total{source="dir/\\"b\\".json"} 1\n');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('refuses to count for a source it does not know', () => {
    expect(() => new ServerMetrics(['a.json']).reloadFailed('b.json')).toThrow('Unknown metrics source: b.json');
  });
});
