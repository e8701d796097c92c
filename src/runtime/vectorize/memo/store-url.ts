// Which memo store `--memo` (or MERG_E_MEMO) names: a folder, or a Redis server as
// `redis://[user:pass@]host[:port][/db]` (`rediss://` for TLS). A URL is checked before anything
// connects, and is shown without its password.
import { fail } from '../../../diagnostics.js';

export interface RedisAddress {
  /** The URL as given (with its password): what the client connects to. */
  readonly url: string;
  /** The URL without its password, for people and for the measurement cache. */
  readonly shown: string;
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  readonly db: number;
}

/** `--memo` names a Redis server when it starts with a scheme; anything else is a folder. */
export function isStoreUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

function bad(text: string, why: string): never {
  return fail('MRG4090', `the memo store URL '${redact(text)}' ${why}`);
}

/** The text with any password replaced by `***` (also when the URL does not parse). */
export function redact(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

export function parseRedisUrl(text: string): RedisAddress {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return bad(text, 'is not a URL (write redis://[user:pass@]host:port[/db])');
  }
  // The URL parser lowercases the scheme.
  const scheme = u.protocol.slice(0, -1);
  if (scheme !== 'redis' && scheme !== 'rediss') bad(text, `has the scheme '${scheme}': a memo store is a folder, redis:// or rediss://`);
  if (u.hostname === '') bad(text, 'names no host');
  if (u.search !== '' || u.hash !== '') bad(text, 'has a query or fragment; only redis://[user:pass@]host:port[/db] is understood');
  const port = u.port === '' ? 6379 : Number(u.port);
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^(0|[1-9][0-9]{0,8})$/.test(path)) bad(text, `has the database '${path}': write a database number (redis://host:6379/0)`);
  const db = Number(path); // no path: Number('') is database 0
  const user = u.username ? `${decodeURIComponent(u.username)}${u.password ? ':***' : ''}@` : u.password ? ':***@' : '';
  // Always with its port, so `redis://[::1]` and `redis://[::1]:6379` are shown (and cached) as one store.
  const shown = `${scheme}://${user}${u.port ? u.host : `${u.host}:${port}`}/${db}`;
  return { url: text, shown, tls: scheme === 'rediss', host: u.hostname, port, db };
}
