import { createHash } from 'node:crypto';
import type { EvaluationContext } from '../../flagd/model.js';
import type { SelectionDigest } from './selection-digests.js';

/**
 * The strong ETag of a bulk answer, computed without evaluating: the answer is a function of the
 * selected flags (their digest), the context they are evaluated with, and, only when some rule reads
 * `$flagd.timestamp`, the second it is evaluated in. So a browser polling with an unchanged context
 * gets 304 until a flag it can see changes.
 *
 * `requestKey` stands for what the context was made from (see `OfrepHandler`): equal keys give equal
 * contexts. The ETag is remembered under it, so that the same request again finds it with
 * `knownBulkEtag` before its body is parsed.
 */
export function bulkEtag(
  selected: SelectionDigest,
  context: EvaluationContext,
  nowSeconds: number,
  requestKey: string,
): string {
  if (selected.timeDependent) return hashEtag(selected.digest, JSON.stringify(context), `\u0000${nowSeconds}`);
  const known = selected.etags.get(requestKey);
  if (known !== undefined) return known;
  const etag = hashEtag(selected.digest, JSON.stringify(context), '');
  selected.etags.remember(requestKey, etag);
  return etag;
}

/** The ETag `bulkEtag` gave a request with this key, while the flags are the same; never one that depends on the time. */
export function knownBulkEtag(selected: SelectionDigest, requestKey: string): string | undefined {
  return selected.timeDependent ? undefined : selected.etags.get(requestKey);
}

function hashEtag(digest: string, contextJson: string, time: string): string {
  const hash = createHash('sha256').update(digest).update('\u0000').update(contextJson).update(time);
  return `"${hash.digest('base64url').slice(0, 32)}"`;
}

/**
 * Whether an `If-None-Match` value names `etag`: one of its comma-separated tags, compared weakly
 * (RFC 9110: a `W/` prefix is ignored). `*` matches nothing here: a client that never had an answer
 * must get one.
 */
export function matchesIfNoneMatch(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  // The usual poll sends back the one tag it was given (`etag` is one tag: no comma, no spaces around it).
  if (ifNoneMatch === etag) return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag.replace(/^W\//, '') === opaque;
  });
}
