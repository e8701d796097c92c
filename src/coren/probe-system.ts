// What the OS says about the machine. The slow queries go through systeminformation (tens to
// hundreds of ms, so only when measuring); the fast ones use node:os, for the cached path.
import { cpus, freemem, networkInterfaces, totalmem } from 'node:os';

import { importPackage } from '../package-import.js';
import { readTextFile } from '../read-file.js';
import type { NetInterface } from './network.js';

/** Identifies the host a cached MachCap belongs to. */
export interface HostFingerprint {
  cpuModel: string;
  cores: number;
  ramTotal: number;
  runtime: string;
}

export interface SystemInfo {
  cpuModel: string;
  /** Logical cores. */
  cores: number;
  physicalCores: number;
  ramTotal: number;
  ramAvailable: number;
  battery: boolean;
  /** Size of the last-level cache the OS reports (bytes). */
  llcBytes: number;
  interfaces: NetInterface[];
}

/** Assumed when the OS reports no cache sizes: large, so the triad still leaves the cache. */
export const ASSUMED_LLC_BYTES = 32 << 20;

export function hostFingerprint(): HostFingerprint {
  const list = cpus();
  return { cpuModel: list[0]?.model.trim() || 'unknown', cores: list.length, ramTotal: totalmem(), runtime: `node ${process.version}` };
}

/** Available RAM now (libuv reads MemAvailable on Linux). */
export function fastRamAvailable(): number {
  return freemem();
}

/** Non-loopback interfaces with an address and not reported down (Linux: /sys/class/net). */
export function fastUpInterfaces(): string[] {
  const names: string[] = [];
  let all: ReturnType<typeof networkInterfaces>;
  try {
    all = networkInterfaces();
  } catch {
    return names; // some sandboxes refuse to list interfaces: nothing we can fetch over
  }
  for (const [name, addrs] of Object.entries(all)) {
    if (!addrs || addrs.length === 0 || addrs.every((a) => a.internal)) continue;
    if (linuxOperstate(name) === 'down') continue;
    names.push(name);
  }
  return names;
}

function linuxOperstate(name: string): string | null {
  if (process.platform !== 'linux' || !/^[\w.@:-]+$/.test(name)) return null;
  try {
    return readTextFile(`/sys/class/net/${name}/operstate`, 4096).trim();
  } catch {
    return null;
  }
}

export async function querySystem(): Promise<SystemInfo> {
  const si = (await importPackage<{ default: typeof import('systeminformation') }>('systeminformation')).default;
  const [cpu, mem, battery, ifaces, cache] = await Promise.all([si.cpu(), si.mem(), si.battery(), si.networkInterfaces(), si.cpuCache()]);
  const list = Array.isArray(ifaces) ? ifaces : [ifaces];
  const llc = [cache.l3, cache.l2, cache.l1d].find((v) => typeof v === 'number' && v > 0);
  const fp = hostFingerprint();
  return {
    cpuModel: fp.cpuModel,
    cores: cpu.cores > 0 ? cpu.cores : fp.cores,
    physicalCores: cpu.physicalCores > 0 ? cpu.physicalCores : cpu.cores,
    ramTotal: mem.total > 0 ? mem.total : fp.ramTotal,
    ramAvailable: mem.available > 0 ? mem.available : fastRamAvailable(),
    battery: battery.hasBattery === true,
    llcBytes: llc ?? ASSUMED_LLC_BYTES,
    interfaces: list.map((i) => ({
      name: i.iface,
      up: i.operstate !== 'down' && Boolean(i.ip4 || i.ip6),
      internal: i.internal,
      speedMbps: typeof i.speed === 'number' ? i.speed : null,
      isDefault: i.default,
    })),
  };
}
