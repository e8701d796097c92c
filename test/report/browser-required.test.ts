// The browser tests cannot pass CI by skipping: .ci/run requires them, and a required browser that
// is missing fails them with the reason; only without the requirement (a developer's machine) is a
// missing browser a skip, with a message saying why.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { browserMissing, REQUIRE_BROWSER, TestBrowser } from '../support/browser.js';

const NOWHERE = { MERG_E_CHROMIUM: '/nonexistent/chromium' };

describe('browser tests and CI', () => {
  it('locally, a missing browser is a skip that says why', () => {
    expect(browserMissing(NOWHERE)).toBe(
      "browser tests skipped: no Chromium at /nonexistent/chromium (install Debian's chromium package, or set MERG_E_CHROMIUM to a Chromium binary)",
    );
  });

  it('when required, a missing browser is not skipped: launching it fails with the reason', async () => {
    const env = { ...NOWHERE, [REQUIRE_BROWSER]: 'required' };
    expect(browserMissing(env)).toBeNull();
    await expect(TestBrowser.launch(env)).rejects.toThrow('browser tests required (MERG_E_BROWSER_TESTS=required) but cannot run: no Chromium at /nonexistent/chromium');
  });

  it('.ci/run requires them and installs chromium when it is missing', () => {
    const ci = readFileSync(join(import.meta.dirname, '..', '..', '.ci', 'run'), 'utf8');
    const tests = ci.indexOf('npm test');
    expect(ci.indexOf(`export ${REQUIRE_BROWSER}=required`)).toBeGreaterThan(-1);
    expect(ci.indexOf(`export ${REQUIRE_BROWSER}=required`)).toBeLessThan(tests);
    expect(ci.indexOf('apt-get install -y -qq chromium')).toBeLessThan(tests);
  });
});
