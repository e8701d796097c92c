// An ESM consumer of the installed package (copied into a temporary project by pack.test.ts): it
// parses and runs a program, reads a membrane's usage, prices an FnCost and gets a Verdict, and
// prints one JSON line the test checks.
import { MergeError, parse, run, runResultJson } from 'merg-e-sim';
import { FnCost, MachCap, MergeError as CorenMergeError } from 'merg-e-sim/coren';
import { checkInvariants, formatPoints } from 'merg-e-sim/model';

const source = 'mutable dag home;\nmutable dag box = membrane<quota<40, 40, 0>> home;\nmutable int32 box.n = 7;\nmutable string box.name = "seven";\ncout box.n endl;\n';
const parsed = parse(source, 'box.merge');
const r = run({ file: 'box.merge', source }, { profile: 'jvm' });
const box = r.memory.report().flat.find((m) => m.name === 'box');
checkInvariants(r.memory);

const cost = FnCost.sort(1_000_000, 64, 64_000_000);
const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 5e9, netBytesPerSec: 12.5e6 });
const verdict = cap.verdict(cost);

let refused = null;
try {
  FnCost.fromJSON({ ops: '-1' });
} catch (e) {
  refused = e instanceof MergeError && e instanceof CorenMergeError ? e.code : String(e);
}

process.stdout.write(
  JSON.stringify({
    statements: parsed.program.body.length,
    parseDiagnostics: parsed.diagnostics.length,
    ok: r.ok,
    stdout: r.stdout,
    profile: runResultJson(r).profile,
    boxDirectUsed: formatPoints(box.directUsed),
    boxTotal: formatPoints(box.total),
    ops: String(cost.ops),
    verdict: String(verdict),
    fetch: verdict.shouldFetch(),
    refused,
  }) + '\n',
);
