import type { Result } from '../errors/result.js';

/** One Redis node, as a URL names it. */
export interface StoreNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Where the flag store is, parsed from `--store`. `redis:` and `rediss:` name one server; the
 * `+sentinel` forms name Sentinels and the master group they watch, which ioredis follows through a
 * failover (ioredis takes Sentinel as options, not as a URL, so the URL form is ours).
 */
export interface StoreLocation {
  readonly kind: 'server' | 'sentinel';
  /** The server, or the Sentinels to ask for the master (any one answering is enough). */
  readonly nodes: readonly StoreNode[];
  /** The Sentinel master group name; undefined for a single server. */
  readonly masterName: string | undefined;
  readonly db: number;
  readonly tls: boolean;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** The URL as given with the password replaced by `***`: the form every message and log line uses. */
  readonly redacted: string;
}

/** The forms `--store` accepts, quoted in every refusal. */
export const STORE_URL_FORMS =
  'redis://[user:pass@]host[:port][/db], rediss://… (TLS), or redis+sentinel://[user:pass@]host:port[,host:port…]/master[/db] (rediss+sentinel:// for TLS)';

const DEFAULT_PORT = 6379;
const DEFAULT_SENTINEL_PORT = 26379;
const URL_SHAPE =
  /^(redis|rediss|redis\+sentinel|rediss\+sentinel):\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?([?#].*)?$/i;

/**
 * Parses a store URL. Refusals name the URL (password redacted), what is wrong and the accepted forms;
 * query parameters are refused rather than passed on unread, so a typo never goes unnoticed.
 */
export function parseStoreUrl(text: string): Result<StoreLocation> {
  const redacted = redactStoreUrl(text);
  const refuse = (problem: string): Result<StoreLocation> => ({
    ok: false,
    error: `Invalid store URL ${redacted}: ${problem} (expected ${STORE_URL_FORMS})`,
  });
  const match = URL_SHAPE.exec(text.trim());
  if (match === null) return refuse('not a redis:, rediss: or redis+sentinel: URL');
  const [, scheme = '', auth, hostList = '', path = '', rest] = match;
  if (rest !== undefined) return refuse(`unexpected "${rest}"; options are not read from the URL`);
  const sentinel = scheme.toLowerCase().endsWith('+sentinel');
  const nodes = parseNodes(hostList, sentinel ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT);
  if (!nodes.ok) return refuse(nodes.error);
  if (!sentinel && nodes.value.length > 1) return refuse('one host only (list Sentinels with redis+sentinel://)');
  const segments = path.split('/').filter((segment) => segment !== '');
  const [masterName, dbText] = sentinel ? segments : [undefined, ...segments];
  if (sentinel && masterName === undefined) return refuse('the Sentinel master name is missing (…/master[/db])');
  if (segments.length > (sentinel ? 2 : 1)) return refuse(`unexpected path "${path}"`);
  const db = dbText === undefined ? 0 : Number(dbText);
  if (!/^\d+$/.test(dbText ?? '0') || db > 15_999) return refuse(`database "${dbText}" is not a number`);
  const credentials = parseCredentials(auth);
  if (!credentials.ok) return refuse(credentials.error);
  return {
    ok: true,
    value: Object.freeze({
      kind: sentinel ? 'sentinel' : 'server',
      nodes: nodes.value,
      masterName: masterName === undefined ? undefined : decodeURIComponent(masterName),
      db,
      tls: scheme.toLowerCase().startsWith('rediss'),
      ...credentials.value,
      redacted,
    }),
  };
}

/** `text` with the password of its `user:pass@` part replaced by `***`, for messages and logs. */
export function redactStoreUrl(text: string): string {
  return text.replace(/^([a-z+]+:\/\/[^:@/?#]*:)[^@/?#]*@/i, '$1***@');
}

function parseNodes(hostList: string, defaultPort: number): Result<readonly StoreNode[]> {
  const nodes: StoreNode[] = [];
  for (const entry of hostList.split(',')) {
    const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/i.exec(entry);
    const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
    if (match?.[1] === undefined || port < 1 || port > 65_535)
      return { ok: false, error: entry === '' ? 'the host is missing' : `"${entry}" is not host[:port]` };
    nodes.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
  }
  return { ok: true, value: nodes };
}

function parseCredentials(
  auth: string | undefined,
): Result<{ readonly username: string | undefined; readonly password: string | undefined }> {
  if (auth === undefined) return { ok: true, value: { username: undefined, password: undefined } };
  const colon = auth.indexOf(':');
  const user = colon === -1 ? auth : auth.slice(0, colon);
  const pass = colon === -1 ? undefined : auth.slice(colon + 1);
  try {
    return {
      ok: true,
      value: {
        username: user === '' ? undefined : decodeURIComponent(user),
        password: pass === undefined || pass === '' ? undefined : decodeURIComponent(pass),
      },
    };
  } catch {
    return { ok: false, error: 'the user or password has a bad %-escape' };
  }
}
