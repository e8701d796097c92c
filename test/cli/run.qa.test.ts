// QA: merg-e run's counts are whole numbers; a fraction is a usage error, not silently rounded.
import { describe, expect, it } from 'vitest';

import { folder, mergE } from './helpers.js';

describe('merg-e run limits', () => {
  const dir = folder({ 'loop.merge': 'mutable int i = 0;\nwhile true { i += 1; };\n' });

  for (const args of [['--max-steps', '1.5'], ['--max-call-depth', '2.5'], ['--max-steps', ' '], ['--max-steps', '1e30']]) {
    it(`${args.join(' ')} is MRG4002, exit 2`, async () => {
      const { code, io } = await mergE(['run', ...args, 'loop.merge'], dir);
      expect(code).toBe(2);
      expect(io.stderr).toMatch(/^MRG4002 error: merg-e run: --max-(steps|call-depth) needs a (whole )?number above 0/);
    });
  }

  it('--max-steps 1e3 is a thousand steps', async () => {
    const { code, io } = await mergE(['run', '--max-steps', '1e3', 'loop.merge'], dir);
    expect(code).toBe(1);
    expect(io.stderr).toContain('MRG3010 error: the program ran 1000 steps without finishing');
  });
});
