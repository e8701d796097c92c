// Display formats of the seed: counts with decimal suffixes (200.0M, 2.0G), byte sizes with binary
// multiples labelled KB MB GB TB (1.2GB is 1.28e9 bytes, 22.9MB is 24e6 bytes), one decimal each.

const COUNT_UNITS = ['K', 'M', 'G', 'T', 'P', 'E'] as const;
const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;

function scaled(value: number, base: number, units: readonly string[], plainSuffix: string): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const sign = value < 0 ? '-' : '';
  let v = Math.abs(value);
  if (Number(v.toFixed(1)) < base) return `${sign}${Number.isInteger(v) ? v : v.toFixed(1)}${plainSuffix}`;
  let unit = -1;
  // Step up while the rounded figure would print as `base` or more (999.96K is 1.0M).
  while (unit < units.length - 1 && Number(v.toFixed(1)) >= base) {
    v /= base;
    unit++;
  }
  return `${sign}${v.toFixed(1)}${units[unit]}`;
}

/** A count (operations): `200.0M`, `2.0G`; below 1000 the plain integer. */
export function formatCount(n: bigint | number): string {
  return scaled(Number(n), 1000, COUNT_UNITS, '');
}

/** A byte size: `1.2GB`, `22.9MB`, `10.0MB`; below 1 KiB `512B`. */
export function formatBytes(n: bigint | number): string {
  return scaled(Number(n), 1024, BYTE_UNITS, 'B');
}

/** A rate in operations per second: `8.8G ops/s`. */
export function formatOpsRate(opsPerSec: number): string {
  return `${formatCount(opsPerSec)} ops/s`;
}

/** A bandwidth: `6.2GB/s`. */
export function formatBandwidth(bytesPerSec: number): string {
  return `${formatBytes(bytesPerSec)}/s`;
}

/** Seconds with three decimals (`0.712`), or `+inf` / `-inf`. */
export function formatScore(seconds: number): string {
  if (seconds === Infinity) return '+inf';
  if (seconds === -Infinity) return '-inf';
  const s = seconds.toFixed(3);
  return s === '-0.000' ? '0.000' : s;
}
