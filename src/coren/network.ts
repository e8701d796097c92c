// The network a verdict fetches over: present or not, its speed (reported, assumed, or the
// user's), and its latency.
import { fail } from '../diagnostics.js';

/**
 * coren counts a Mbit as 2^20 bits: the seed's assumed 100 Mbit/s is 13,107,200 bytes/s.
 */
export const BYTES_PER_SEC_PER_MBPS = 131_072;
/** Used when the OS does not report the link's speed (virtual NICs report −1). */
export const ASSUMED_MBPS = 100;

/** The link measured with the machine: the interface a fetch would use and its reported speed. */
export interface Link {
  name: string;
  /** Mbit/s as the OS reports it; null when it does not know. */
  speedMbps: number | null;
}

export interface NetInterface {
  name: string;
  up: boolean;
  internal: boolean;
  speedMbps: number | null;
  isDefault: boolean;
}

/** `store`: the measured network to a memo store (MachCap.withStore). */
export type NetworkSource = 'link' | 'assumed' | 'override' | 'fixed' | 'none' | 'store';

export interface NetworkInfo {
  present: boolean;
  /** The interface a fetch would use, if any. */
  interface: string | null;
  /** The link speed the OS reports (Mbit/s), null if unknown. */
  linkMbps: number | null;
  /** What verdicts use; 0 without a network. */
  bytesPerSec: number;
  latencySec: number;
  /** The speed is the assumed 100 Mbit/s, not a reported one. */
  assumed: boolean;
  source: NetworkSource;
}

export interface NetworkOverrides {
  /** Mbit/s; 0 means "no network". */
  netMbps?: number;
  netLatencyMs?: number;
}

/** A speed the OS really reported: a finite number > 0 (−1, 0, null and NaN mean unknown). */
export function reportedSpeed(speed: unknown): number | null {
  return Number.isFinite(speed) && (speed as number) > 0 ? (speed as number) : null; // isFinite is false for non-numbers
}

/** The link a fetch would use: the default interface if it is up, else the fastest one up. */
export function chooseLink(interfaces: readonly NetInterface[]): Link | null {
  const up = interfaces.filter((i) => i.up && !i.internal);
  const chosen = up.find((i) => i.isDefault) ?? [...up].sort((a, b) => (b.speedMbps ?? 0) - (a.speedMbps ?? 0))[0];
  return chosen ? { name: chosen.name, speedMbps: reportedSpeed(chosen.speedMbps) } : null;
}

export function checkOverrides(o: NetworkOverrides): void {
  for (const [flag, v] of [['--net-mbps', o.netMbps], ['--net-latency-ms', o.netLatencyMs]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) fail('MRG4043', `${flag} must be a finite number >= 0, got ${v}`);
  }
}

/**
 * `upNames`: non-loopback interfaces up now. `link`: the link found when the machine was measured.
 * No interface up means no network; an unknown speed uses the assumed 100 Mbit/s; an override
 * speed > 0 counts as a network (the user says there is one), 0 as none.
 */
export function resolveNetwork(upNames: readonly string[], link: Link | null, o: NetworkOverrides = {}): NetworkInfo {
  checkOverrides(o);
  const latencySec = (o.netLatencyMs ?? 0) / 1000;
  const name = link && upNames.includes(link.name) ? link.name : (upNames[0] ?? null);
  const linkMbps = link && name === link.name ? link.speedMbps : null;
  if (o.netMbps !== undefined) {
    const present = o.netMbps > 0;
    return { present, interface: name, linkMbps, bytesPerSec: present ? o.netMbps * BYTES_PER_SEC_PER_MBPS : 0, latencySec, assumed: false, source: 'override' };
  }
  if (name === null) return { present: false, interface: null, linkMbps: null, bytesPerSec: 0, latencySec, assumed: false, source: 'none' };
  const assumed = linkMbps === null;
  const mbps = linkMbps ?? ASSUMED_MBPS;
  return { present: true, interface: name, linkMbps, bytesPerSec: mbps * BYTES_PER_SEC_PER_MBPS, latencySec, assumed, source: assumed ? 'assumed' : 'link' };
}
