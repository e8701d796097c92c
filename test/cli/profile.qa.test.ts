// QA: `profile measure --out FOLDER` is refused before the (seconds-long) measurement, not after it.
import { describe, expect, it } from 'vitest';

import { folder, mergE } from './helpers.js';

describe('merg-e profile measure --out', () => {
  it('a folder is MRG4025 at once', async () => {
    const dir = folder({});
    const t0 = performance.now();
    const { code, io } = await mergE(['profile', 'measure', '--out', '.', '--count', '100000', '--samples', '3'], dir);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^MRG4025 error: cannot write \.: it is a folder/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
