// A strict TypeScript consumer of the installed package (pack.test.ts type-checks it in a temporary
// project with strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess and skipLibCheck off):
// every entry point resolves, with types, and the documented calls type-check as written.
import { check, compare, MergeError, parse, run, runResultJson, type CheckJson, type CompareJson, type Diagnostic, type RunResult, type RunResultJson } from 'merg-e-sim';
import { FnCost, MachCap, type ComputeBudget, type Verdict } from 'merg-e-sim/coren';
import { checkInvariants, formatPoints, loadProfileByName, Memory, Pricing, type MembraneUsage, type UsageReport } from 'merg-e-sim/model';
import { memoryModelProperty, newMemoryModelStats, programSource, runChecked, type MemoryModelStats } from 'merg-e-sim/testing';
import fc from 'fast-check';

const source = 'mutable dag home;\nmutable dag box = membrane<quota<40, 40, 0>> home;\nmutable int32 box.n = 7;\n';
const parsed = parse(source, 'box.merge');
const diagnostics: Diagnostic[] = [...parsed.diagnostics, ...check(source, 'box.merge')];
const result: RunResult = run({ file: 'box.merge', source }, { profile: 'jvm', maxSteps: 1_000_000 });
const doc: RunResultJson = runResultJson(result);
const report: UsageReport | undefined = result.memory?.report();
const box: MembraneUsage | undefined = report?.flat.find((m) => m.name === 'box');
const used: string = box === undefined ? '-' : formatPoints(box.directUsed);
if (result.memory) checkInvariants(result.memory);

const runs = compare({ file: 'box.merge', source }, ['jvm', 'cpython-dev']);
const firstName: string | undefined = runs[0]?.profile;

const cost: FnCost = FnCost.scan(64_000_000, 0).then(FnCost.sort(1_000_000, 64, 0));
const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 5e9, netBytesPerSec: 12.5e6 });
const verdict: Verdict = cap.verdict(cost);
const budget: ComputeBudget = cap.computeBudget(FnCost.scan(1000, 0), { items: 100 });

const world = new Memory({ pricing: Pricing.fromCounts(loadProfileByName('cpython-dev'), { byKind: new Map([['dag_node', 1]]), stringBytes: 0 }) });

let code: string | undefined;
try {
  FnCost.fromJSON({ ops: '-1' });
} catch (e) {
  if (e instanceof MergeError) code = e.code;
}

const checkDoc: CheckJson = { files: [] };
const compareDoc: CompareJson | null = null;
const programs: string[] = fc.sample(programSource({ features: ['membranes', 'grafts'] }), 2);
const stats: MemoryModelStats = newMemoryModelStats();
fc.assert(memoryModelProperty({ maxCommands: 5, stats }), { numRuns: 2 });
const checked: boolean = runChecked({ file: 'box.merge', source }).ok;

export { budget, checkDoc, code, compareDoc, diagnostics, checked, doc, firstName, programs, stats, used, verdict, world };
