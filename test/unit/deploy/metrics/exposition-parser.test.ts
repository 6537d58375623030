import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../../../src/deploy/metrics/exposition-parser.js';

describe('parseExposition', () => {
  it('reads prom-client output: counters and histogram series with their labels', () => {
    const text = [
      '# HELP http_requests_total Requests',
      '# TYPE http_requests_total counter',
      'http_requests_total{route="/work",status="200"} 95',
      'http_requests_total{route="/work",status="500"} 5',
      '',
      '# TYPE http_request_duration_seconds histogram',
      'http_request_duration_seconds_bucket{le="0.1",route="/work"} 40',
      'http_request_duration_seconds_bucket{le="+Inf",route="/work"} 100',
      'http_request_duration_seconds_sum{route="/work"} 12.5',
      'http_request_duration_seconds_count{route="/work"} 100',
    ].join('\n');
    expect(parseExposition(text)).toEqual({
      ok: true,
      value: [
        { name: 'http_requests_total', labels: { route: '/work', status: '200' }, value: 95 },
        { name: 'http_requests_total', labels: { route: '/work', status: '500' }, value: 5 },
        { name: 'http_request_duration_seconds_bucket', labels: { le: '0.1', route: '/work' }, value: 40 },
        { name: 'http_request_duration_seconds_bucket', labels: { le: '+Inf', route: '/work' }, value: 100 },
        { name: 'http_request_duration_seconds_sum', labels: { route: '/work' }, value: 12.5 },
        { name: 'http_request_duration_seconds_count', labels: { route: '/work' }, value: 100 },
      ],
    });
  });

  it('unescapes label values and accepts commas and braces inside them', () => {
    const parsed = parseExposition('m{a="x\\"y",b="line\\nnext",c="back\\\\slash",d="{1,2}",} 1');
    expect(parsed.ok && parsed.value[0]?.labels).toEqual({ a: 'x"y', b: 'line\nnext', c: 'back\\slash', d: '{1,2}' });
  });

  it('reads special values, exponents and timestamps, and ignores exemplars', () => {
    const parsed = parseExposition(
      'a NaN\nb +Inf\nc -Inf\nd 1.5e3 1700000000000\ne_bucket{le="1"} 7 # {trace_id="x"} 0.5\r\n# EOF',
    );
    expect(parsed.ok && parsed.value.map((sample) => sample.value)).toEqual([Number.NaN, Infinity, -Infinity, 1500, 7]);
  });

  it.each([
    ['m{a="x} 1', 'line 1: unterminated value of label a'],
    ['m{a=x} 1', 'line 1: unterminated value of label a'],
    ['m 1\n2m 1', 'line 2: expected a metric name'],
    ['m{a="1" b="2"} 1', 'line 1: expected "," or "}" in labels'],
    ['m one', 'line 1: invalid value "one"'],
  ])('names the malformed line of %j', (text, error) => {
    const parsed = parseExposition(text);
    expect(!parsed.ok && parsed.error.startsWith(error)).toBe(true);
  });
});
