// What `coren` prints: the machine, its roofline and the verdict table, as text in the seed's
// column layout or as one JSON document with the same content.
import type { FnCostJson } from './fncost.js';
import { formatBandwidth, formatBytes, formatCount, formatOpsRate, formatScore } from './format.js';
import type { MachCap, MachCapJson } from './machcap.js';
import { BYTES_PER_SEC_PER_MBPS, type NetworkInfo } from './network.js';
import { STANDARD_TASKS, type StandardTask } from './tasks.js';
import type { Action, Bottleneck, Verdict } from './verdict.js';

export interface VerdictRow {
  task: string;
  cost: StandardTask['cost'];
  kernelFactor: number;
  verdict: Verdict;
}

export function verdictRows(cap: MachCap, tasks: readonly StandardTask[] = STANDARD_TASKS): VerdictRow[] {
  return tasks.map((t) => ({ task: t.name, cost: t.cost, kernelFactor: cap.kernelFactor(t.kernel), verdict: cap.verdict(t.cost, t.kernel ? { kernel: t.kernel } : {}) }));
}

// The seed's columns: task left in 22, then W Q R right-aligned in 10, score in 9, neck in 9 (the
// header's "neck" sits two columns further right, as in the seed).
export function verdictHeader(): string {
  return `    ${'task'.padEnd(22)}${'W'.padStart(10)}${'Q'.padStart(10)}${'R'.padStart(10)}${'score'.padStart(9)}${'neck'.padStart(11)} action`;
}

export function verdictLine(row: VerdictRow): string {
  const c = row.cost;
  const v = row.verdict;
  return `    ${row.task.padEnd(22)}${formatCount(c.ops).padStart(10)}${formatBytes(c.memBytes).padStart(10)}${formatBytes(c.resultBytes).padStart(10)}${formatScore(v.score).padStart(9)}${v.bottleneck.padStart(9)} ${v.action}`;
}

function describeNetwork(n: NetworkInfo): string {
  const latency = `latency ${+(n.latencySec * 1000).toFixed(3)} ms`;
  const speed = (mbps: number) => `${+mbps.toFixed(3)} Mbit/s (${formatBandwidth(n.bytesPerSec)})`;
  const mbps = n.bytesPerSec / BYTES_PER_SEC_PER_MBPS;
  switch (n.source) {
    case 'none':
      return 'no network (no interface up besides loopback): every verdict computes';
    case 'override':
      return n.present ? `${speed(mbps)} as given on the command line; ${latency}` : 'no network (--net-mbps 0): every verdict computes';
    case 'fixed':
      return `${speed(mbps)} (fixed); ${latency}`;
    case 'assumed':
      return `${n.interface}: link speed not reported, assumed ${speed(mbps)}; ${latency}`;
    case 'link':
      return `${n.interface}: link ${speed(mbps)}; ${latency}`;
    case 'store':
      return n.present ? `to the store ${n.interface}: measured ${speed(mbps)}; ${latency} (a fetch of a tiny entry)` : `the store ${n.interface} cannot be reached: every verdict computes`;
  }
}

export function humanReport(cap: MachCap, rows: VerdictRow[] = verdictRows(cap)): string {
  const j = cap.toJSON();
  const m = j.machine;
  const r = j.roofline;
  const kernels = Object.entries(j.kernels);
  const lines = [
    `coren  [${j.deviceClass}]`,
    `  machine   ${m.cores} cores (${m.physicalCores} physical), RAM ${formatBytes(m.ramTotal)} total, ${formatBytes(m.ramAvailable)} available, ${m.battery ? 'battery' : 'no battery'}; ${m.cpuModel}, ${m.runtime}`,
    `  network   ${describeNetwork(cap.network)}`,
    `  roofline  ${formatOpsRate(r.opsPerSec)} (1 thread), ${formatOpsRate(r.opsPerSecAll)} (all); memory ${formatBandwidth(r.memBytesPerSec1)} (1 thread), ${formatBandwidth(r.memBytesPerSecAll)} (all)`,
    ...(r.memBytesPerSecSimd === null ? [] : [`            memory for WebAssembly SIMD ${formatBandwidth(r.memBytesPerSecSimd)} (1 thread; what the machine gives code beyond JS's scalar loop, not used by verdicts)`]),
    `            disk write ${formatBandwidth(r.diskWriteBytesPerSec)}, read ${formatBandwidth(r.diskReadBytesPerSec)}${r.diskReadUncached ? '' : ' (page cache may have served it)'}; ridge ${r.ridge.toFixed(2)} ops/byte`,
  ];
  if (kernels.length > 0) lines.push(`  kernels   ${kernels.map(([k, f]) => `${k} x${f.toFixed(2)}`).join('  ')}  (time / roofline time, fitted here)`);
  if (j.measured.at !== 'fixed') {
    const how = j.measured.fromCache ? `from the cache ${j.measured.cacheFile}` : `just now, cached in ${j.measured.cacheFile}`;
    lines.push(`  measured  ${j.measured.at.slice(0, 16).replace('T', ' ')} UTC in ${j.measured.seconds.toFixed(1)}s, ${how}; rates are what this runtime attains`);
  }
  lines.push('  verdicts (what should this machine do?)', verdictHeader(), ...rows.map(verdictLine));
  return lines.join('\n') + '\n';
}

export interface VerdictRowJson extends FnCostJson {
  task: string;
  score: number | '+inf' | '-inf';
  bottleneck: Bottleneck;
  action: Action;
  display: string;
  tCompute: number;
  tFetch: number | '+inf';
  tStore: number;
  kernelFactor: number;
}

export interface CorenJson extends MachCapJson {
  verdicts: VerdictRowJson[];
}

export function jsonReport(cap: MachCap, rows: VerdictRow[] = verdictRows(cap)): CorenJson {
  return {
    ...cap.toJSON(),
    verdicts: rows.map((row) => {
      const v = row.verdict.toJSON();
      return { task: row.task, ...row.cost.toJSON(), score: v.score, bottleneck: v.bottleneck, action: v.action, display: row.verdict.toString(), tCompute: v.tCompute, tFetch: v.tFetch, tStore: v.tStore, kernelFactor: row.kernelFactor };
    }),
  };
}
