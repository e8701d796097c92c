// QA: a script learns nothing of the host. An error raised inside a merged module carried the
// module's absolute path in scope.exceptions[-1].file, which the script could print; files are now
// shown relative to the program's folder (modules live beside it, so that is their base name).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runProgram } from '../../src/runtime/run.js';

const MODULE = 'function boom(x int)::{}{\n  lang.assert x < 0;\n};\n';
const PROGRAM = `merge utils.boom as boom(x int)::{}{};
function probe()::{ cout; endl; }{
  boom(1);
}!!{
  cout scope.exceptions[-1].file ":" scope.exceptions[-1].line endl;
};
probe();
function local()::{ cout; endl; }{
  lang.assert 1 < 0;
}!!{
  cout scope.exceptions[-1].file ":" scope.exceptions[-1].line endl;
};
local();
`;

describe('paths a script can read', () => {
  it('an error inside a merged module names the module relative to the program folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'merg-e-host-'));
    writeFileSync(join(dir, 'utils.mrm'), MODULE);
    writeFileSync(join(dir, 'app.merge'), PROGRAM);
    const r = runProgram({ file: join(dir, 'app.merge') });
    expect(r.error).toBeNull();
    expect(r.stdout).toBe('utils.mrm:2\napp.merge:9\n');
    expect(r.stdout).not.toContain(dir);
  });

  it('the same with modules handed in memory under an absolute folder', () => {
    const r = runProgram({ file: '/srv/private/app.merge', source: PROGRAM }, { modules: new Map([['utils', MODULE]]), moduleDir: '/srv/private' });
    expect(r.stdout).toBe('utils.mrm:2\napp.merge:9\n');
    // The diagnostics the host prints keep the full path.
    expect(r.error).toBeNull();
  });
});
