// What the OS says about the machine. The slow queries go through systeminformation (tens to
// hundreds of ms, so only when measuring); the fast ones use node:os, for the cached path.
// Each reading is turned into coren's figures by a pure function over the raw values (tested
// with fixed inputs); the exported probes only read the host and hand the readings over.
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

/** The fingerprint from os.cpus(), os.totalmem() and process.version. */
export function fingerprintOf(cpuList: readonly { model: string }[], ramTotal: number, nodeVersion: string): HostFingerprint {
  return { cpuModel: cpuList[0]?.model.trim() || 'unknown', cores: cpuList.length, ramTotal, runtime: `node ${nodeVersion}` };
}

export function hostFingerprint(): HostFingerprint {
  return fingerprintOf(cpus(), totalmem(), process.version);
}

/** Available RAM now (libuv reads MemAvailable on Linux). */
export function fastRamAvailable(): number {
  return freemem();
}

/** What os.networkInterfaces() lists per interface (only whether an address is the loopback's matters here). */
export type InterfaceAddresses = Record<string, readonly { internal: boolean }[] | undefined>;

/**
 * Names of the interfaces with a non-internal address whose operstate is not `down`. `list` may
 * throw (some sandboxes refuse to list interfaces): then there is nothing to fetch over.
 */
export function upInterfaceNames(list: () => InterfaceAddresses, operstate: (name: string) => string | null): string[] {
  const names: string[] = [];
  let all: InterfaceAddresses;
  try {
    all = list();
  } catch {
    return names;
  }
  for (const [name, addrs] of Object.entries(all)) {
    if (!addrs || addrs.every((a) => a.internal)) continue; // every() holds for no addresses too
    if (operstate(name) === 'down') continue;
    names.push(name);
  }
  return names;
}

/**
 * An interface's operstate from Linux's /sys/class/net (null elsewhere, for a name that could leave
 * that folder, or when `read` fails).
 */
export function readOperstate(name: string, platform: string, read: (path: string) => string): string | null {
  if (platform !== 'linux' || !/^[\w.@:-]+$/.test(name)) return null;
  try {
    return read(`/sys/class/net/${name}/operstate`).trim();
  } catch {
    return null;
  }
}

/** Non-loopback interfaces with an address and not reported down (Linux: /sys/class/net). */
export function fastUpInterfaces(): string[] {
  return upInterfaceNames(networkInterfaces, (name) => readOperstate(name, process.platform, (path) => readTextFile(path, 4096)));
}

/** The systeminformation readings querySystem uses (the fields of its types that coren reads). */
export interface SystemReadings {
  cpu: { cores: number; physicalCores: number };
  mem: { total: number; available: number };
  battery: { hasBattery: boolean };
  ifaces: RawInterface | RawInterface[];
  cache: { l1d?: number; l2?: number; l3?: number };
}

export interface RawInterface {
  iface: string;
  operstate: string;
  ip4: string;
  ip6: string;
  internal: boolean;
  speed: number | null;
  default: boolean;
}

/**
 * SystemInfo from the readings. A figure the OS reports as 0 or less falls back: cores and total RAM
 * to the fingerprint's, physical cores to logical, available RAM to `ramAvailableNow()`, the cache
 * size to the next level down and then to ASSUMED_LLC_BYTES.
 */
export function systemInfoOf(r: SystemReadings, fp: HostFingerprint, ramAvailableNow: () => number): SystemInfo {
  const list = Array.isArray(r.ifaces) ? r.ifaces : [r.ifaces];
  const llc = [r.cache.l3, r.cache.l2, r.cache.l1d].find((v) => typeof v === 'number' && v > 0);
  return {
    cpuModel: fp.cpuModel,
    cores: r.cpu.cores > 0 ? r.cpu.cores : fp.cores,
    physicalCores: r.cpu.physicalCores > 0 ? r.cpu.physicalCores : r.cpu.cores,
    ramTotal: r.mem.total > 0 ? r.mem.total : fp.ramTotal,
    ramAvailable: r.mem.available > 0 ? r.mem.available : ramAvailableNow(),
    battery: r.battery.hasBattery === true,
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

export async function querySystem(): Promise<SystemInfo> {
  const si = (await importPackage<{ default: typeof import('systeminformation') }>('systeminformation')).default;
  const [cpu, mem, battery, ifaces, cache] = await Promise.all([si.cpu(), si.mem(), si.battery(), si.networkInterfaces(), si.cpuCache()]);
  return systemInfoOf({ cpu, mem, battery, ifaces, cache }, hostFingerprint(), fastRamAvailable);
}
