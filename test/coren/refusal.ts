// The whole diagnostic a refused call gives, as `CODE: message`, so tests compare the full text.
import { MergeError } from '../../src/diagnostics.js';

function describeError(e: unknown): string {
  return e instanceof MergeError ? `${e.code}: ${e.message}` : `not a MergeError: ${String(e)}`;
}

/** What `fn` throws ('no error' if nothing); anything but a MergeError is reported as such. */
export function refusal(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return describeError(e);
  }
}

/** What `p` rejects with ('no error' if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return describeError(e);
  }
}
