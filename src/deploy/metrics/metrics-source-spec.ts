import type { Result } from '../../errors/result.js';

/** Where health metrics come from: a Prometheus server's HTTP API, or the instances' own `/metrics`. */
export type MetricsSourceSpec =
  | { readonly kind: 'prometheus'; readonly baseUrl: string }
  | { readonly kind: 'scrape'; readonly urls: readonly string[] };

/** Parses `prometheus:http://host:9090` or `scrape:http://a:8080/metrics[,http://b:8080/metrics]`. */
export function parseMetricsSourceSpec(text: string): Result<MetricsSourceSpec> {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if (kind !== 'prometheus' && kind !== 'scrape') {
    return { ok: false, error: `unknown metrics source "${text}": use prometheus:URL or scrape:URL[,URL]` };
  }
  const urls = rest
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  if (urls.length === 0) return { ok: false, error: `metrics source "${text}" names no URL` };
  const invalid = urls.find((url) => !isHttpUrl(url));
  if (invalid !== undefined) return { ok: false, error: `metrics source "${text}": not an http(s) URL: ${invalid}` };
  if (kind === 'scrape') return { ok: true, value: { kind, urls } };
  if (urls.length > 1) return { ok: false, error: `metrics source "${text}": prometheus takes one URL` };
  return { ok: true, value: { kind, baseUrl: (urls[0] ?? '').replace(/\/+$/, '') } };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
