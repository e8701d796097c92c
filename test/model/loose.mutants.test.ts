// A bare loose payment record (loose.ts): nothing paid, no kind yet, not live.
import { describe, expect, it } from 'vitest';

import { isLive, looseRecord } from '../../src/model/loose.js';

describe('looseRecord', () => {
  it('starts unpaid (by -1), with no kind (kid -1), no length and no links', () => {
    const l = looseRecord();
    expect(l).toEqual({ by: -1, mp: 0, q: 0, c: 0, kid: -1, len: 0, payer: null, prev: null, next: null });
    expect(isLive(l)).toBe(false);
    expect(looseRecord()).not.toBe(l);
  });
});
