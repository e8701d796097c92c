// Which memo store `--memo` names, and a Redis URL checked and shown without its password: each
// accepted URL's parts and each refusal's full MRG4090 text, written out by hand.
import { describe, expect, it } from 'vitest';

import { isStoreUrl, parseRedisUrl, redact } from '../../src/runtime/vectorize/memo/store-url.js';
import { thrown } from '../support/errors.js';

describe('isStoreUrl', () => {
  it('a scheme (a letter, then letters, digits, + . -) and // make a URL; anything else is a folder', () => {
    for (const url of ['redis://h', 'REDIS://h', 'a+b.c-9://x', 'x://']) expect(isStoreUrl(url), url).toBe(true);
    for (const dir of ['/tmp/memo', 'memo', 'c:\\memo', 'redis:/h', '1redis://h', ' redis://h', '+x://h', 'memo/redis://h', 're_dis://h']) expect(isStoreUrl(dir), dir).toBe(false);
  });
});

describe('redact', () => {
  it('replaces the password, and only the password, by ***', () => {
    expect(redact('redis://user:pw@h:6379/0')).toBe('redis://user:***@h:6379/0');
    expect(redact('REDISS://:pw@h')).toBe('REDISS://:***@h');
    expect(redact('redis://u:p:q@h')).toBe('redis://u:***@h');
    expect(redact('redis://u:pw@')).toBe('redis://u:***@');
    expect(redact('redis://u@h')).toBe('redis://u@h');
    expect(redact('redis://h:6379/0')).toBe('redis://h:6379/0');
    expect(redact('folder:pw@x')).toBe('folder:pw@x');
    expect(redact('x redis://u:pw@h')).toBe('x redis://u:pw@h');
    expect(redact('redis://h/x:pw@y')).toBe('redis://h/x:pw@y');
    // A port before a path holding @ is no password.
    expect(redact('redis://h:1/x@y')).toBe('redis://h:1/x@y');
  });
});

describe('parseRedisUrl', () => {
  it('fills in port 6379 and database 0, and shows the URL without its password', () => {
    expect(parseRedisUrl('redis://localhost')).toEqual({ url: 'redis://localhost', shown: 'redis://localhost:6379/0', tls: false, host: 'localhost', port: 6379, db: 0 });
    expect(parseRedisUrl('rediss://u:p@cache.example:6380/3')).toEqual({ url: 'rediss://u:p@cache.example:6380/3', shown: 'rediss://u:***@cache.example:6380/3', tls: true, host: 'cache.example', port: 6380, db: 3 });
    expect(parseRedisUrl('redis://:secret@h/12')).toMatchObject({ shown: 'redis://:***@h:6379/12', port: 6379, db: 12 });
    expect(parseRedisUrl('redis://u@h')).toMatchObject({ shown: 'redis://u@h:6379/0' });
    expect(parseRedisUrl('redis://%41b:x@h')).toMatchObject({ shown: 'redis://Ab:***@h:6379/0' });
    expect(parseRedisUrl('REDIS://h:6379')).toMatchObject({ shown: 'redis://h:6379/0', tls: false, port: 6379 });
    expect(parseRedisUrl('redis://h/123456789')).toMatchObject({ db: 123456789 });
    expect(parseRedisUrl('redis://h/0')).toMatchObject({ db: 0 });
  });

  it('an IPv6 host keeps its brackets, and is shown with its port like any other', () => {
    expect(parseRedisUrl('redis://[::1]:7000/1')).toEqual({ url: 'redis://[::1]:7000/1', shown: 'redis://[::1]:7000/1', tls: false, host: '[::1]', port: 7000, db: 1 });
    expect(parseRedisUrl('redis://[::1]')).toMatchObject({ shown: 'redis://[::1]:6379/0', host: '[::1]', port: 6379 });
  });

  it('refuses what it cannot use, each with why, the password hidden', () => {
    const why = (url: string) => {
      const e = thrown(() => parseRedisUrl(url));
      expect(e.code).toBe('MRG4090');
      return e.message;
    };
    expect(why('redis://u:pw@ bad')).toBe("the memo store URL 'redis://u:***@ bad' is not a URL (write redis://[user:pass@]host:port[/db])");
    expect(why('http://u:pw@h')).toBe("the memo store URL 'http://u:***@h' has the scheme 'http': a memo store is a folder, redis:// or rediss://");
    expect(why('redis://')).toBe("the memo store URL 'redis://' names no host");
    expect(why('redis://h?x=1')).toBe("the memo store URL 'redis://h?x=1' has a query or fragment; only redis://[user:pass@]host:port[/db] is understood");
    expect(why('redis://h#f')).toBe("the memo store URL 'redis://h#f' has a query or fragment; only redis://[user:pass@]host:port[/db] is understood");
    for (const [url, db] of [
      ['redis://h/01', '01'],
      ['redis://h/x', 'x'],
      ['redis://h/1234567890', '1234567890'],
      ['redis://h/0/', '0/'],
      ['redis://h/-1', '-1'],
    ]) {
      expect(why(url as string)).toBe(`the memo store URL '${url}' has the database '${db}': write a database number (redis://host:6379/0)`);
    }
  });
});
