import { describe, expect, it } from 'vitest';
import { parseStoreUrl, redactStoreUrl } from '../../../src/store/store-url.js';

describe('parseStoreUrl', () => {
  it('reads a server URL with credentials and a database', () => {
    const parsed = parseStoreUrl('redis://app:s%40cret@redis.internal:6380/2');
    expect(parsed).toEqual({
      ok: true,
      value: {
        kind: 'server',
        nodes: [{ host: 'redis.internal', port: 6380 }],
        masterName: undefined,
        db: 2,
        tls: false,
        username: 'app',
        password: 's@cret',
        redacted: 'redis://app:***@redis.internal:6380/2',
      },
    });
  });

  it('defaults the port to 6379 and the database to 0, and turns TLS on for rediss:', () => {
    const parsed = parseStoreUrl('rediss://cache.example.com');
    expect(parsed.ok && parsed.value).toMatchObject({
      nodes: [{ host: 'cache.example.com', port: 6379 }],
      db: 0,
      tls: true,
    });
  });

  it('reads a password-only URL', () => {
    const parsed = parseStoreUrl('redis://:pw@127.0.0.1:7000');
    expect(parsed.ok && parsed.value).toMatchObject({
      username: undefined,
      password: 'pw',
      redacted: 'redis://:***@127.0.0.1:7000',
    });
  });

  it('reads Sentinels, the master group and a database', () => {
    const parsed = parseStoreUrl('redis+sentinel://s1:26379,s2,[::1]:26380/flags-master/1');
    expect(parsed.ok && parsed.value).toMatchObject({
      kind: 'sentinel',
      nodes: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      masterName: 'flags-master',
      db: 1,
      tls: false,
    });
  });

  it.each([
    ['http://h:1', 'Invalid store URL http://h:1: not a redis:, rediss: or redis+sentinel: URL'],
    ['redis://', 'Invalid store URL redis://: the host is missing'],
    ['redis://h:99999', 'Invalid store URL redis://h:99999: "h:99999" is not host[:port]'],
    ['redis://u:hunter2@h/x', 'Invalid store URL redis://u:***@h/x: database "x" is not a number'],
    [
      'redis://h/0?tls=1',
      'Invalid store URL redis://h/0?tls=1: unexpected "?tls=1"; options are not read from the URL',
    ],
    ['redis://a,b', 'Invalid store URL redis://a,b: one host only (list Sentinels with redis+sentinel://)'],
    [
      'redis+sentinel://s1',
      'Invalid store URL redis+sentinel://s1: the Sentinel master name is missing (…/master[/db])',
    ],
  ])('refuses %s, naming the URL with the password hidden', (url, message) => {
    const parsed = parseStoreUrl(url);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.split(' (expected ')[0]).toBe(message);
    expect(!parsed.ok && parsed.error).not.toContain('hunter2');
  });
});

describe('redactStoreUrl', () => {
  it.each([
    ['redis://u:p@h:1/0', 'redis://u:***@h:1/0'],
    ['rediss://:p@h', 'rediss://:***@h'],
    ['redis+sentinel://u:p@a,b/m', 'redis+sentinel://u:***@a,b/m'],
    ['redis://h:1', 'redis://h:1'],
    ['redis://user@h', 'redis://user@h'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactStoreUrl(url)).toBe(shown);
  });
});
