// The system probes' pure parts, over fixed readings: what os.cpus(), os.networkInterfaces(),
// /sys/class/net and systeminformation would report.
import { describe, expect, it } from 'vitest';

import { ASSUMED_LLC_BYTES, fingerprintOf, readOperstate, systemInfoOf, upInterfaceNames, type HostFingerprint, type RawInterface, type SystemReadings } from '../../src/coren/probe-system.js';

describe('fingerprintOf', () => {
  it('takes the first CPU model trimmed, counts the logical CPUs and names the runtime', () => {
    expect(fingerprintOf([{ model: '  Fake CPU 3000 @ 2.0GHz ' }, { model: 'other' }, { model: 'other' }], 8_000_000_000, 'v20.20.2')).toEqual({
      cpuModel: 'Fake CPU 3000 @ 2.0GHz',
      cores: 3,
      ramTotal: 8_000_000_000,
      runtime: 'node v20.20.2',
    });
  });

  it('says "unknown" for no CPUs listed or a blank model', () => {
    expect(fingerprintOf([], 1024, 'v1.0.0')).toEqual({ cpuModel: 'unknown', cores: 0, ramTotal: 1024, runtime: 'node v1.0.0' });
    expect(fingerprintOf([{ model: '   ' }], 1024, 'v1.0.0').cpuModel).toBe('unknown');
  });
});

describe('upInterfaceNames', () => {
  const ext = { internal: false };
  const int = { internal: true };

  it('keeps the interfaces with a non-internal address that are not down, in listing order', () => {
    const asked: string[] = [];
    const states = new Map([
      ['eth0', 'up'],
      ['wlan0', 'down'],
      ['docker0', 'unknown'],
    ]);
    const names = upInterfaceNames(
      () => ({ lo: [int], eth0: [int, ext], wlan0: [ext], docker0: [ext], tun0: [ext], gone: undefined, bare: [] }),
      (name) => {
        asked.push(name);
        return states.get(name) ?? null;
      },
    );
    // lo: only internal; wlan0: down; gone, bare: no addresses; tun0: no operstate known, so kept.
    expect(names).toEqual(['eth0', 'docker0', 'tun0']);
    // The operstate is read only for interfaces that have an external address.
    expect(asked).toEqual(['eth0', 'wlan0', 'docker0', 'tun0']);
  });

  it('returns no names when listing the interfaces fails', () => {
    expect(
      upInterfaceNames(
        () => {
          throw new Error('EPERM: uv_interface_addresses');
        },
        () => 'up',
      ),
    ).toEqual([]);
  });
});

describe('readOperstate', () => {
  const files = new Map([['/sys/class/net/eth0/operstate', 'down\n']]);
  const reads: string[] = [];
  const read = (path: string): string => {
    reads.push(path);
    const text = files.get(path);
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };

  it('reads /sys/class/net/NAME/operstate on Linux, trimmed', () => {
    reads.length = 0;
    expect(readOperstate('eth0', 'linux', read)).toBe('down');
    expect(reads).toEqual(['/sys/class/net/eth0/operstate']);
  });

  it('is null where the file cannot be read, on other systems, and for names that could leave the folder', () => {
    reads.length = 0;
    expect(readOperstate('veth-1.2@if3:x', 'linux', read)).toBeNull(); // a legal name, no such file
    expect(reads).toEqual(['/sys/class/net/veth-1.2@if3:x/operstate']);
    reads.length = 0;
    expect(readOperstate('eth0', 'darwin', read)).toBeNull();
    expect(readOperstate('../eth0', 'linux', read)).toBeNull();
    expect(readOperstate('x/../eth0', 'linux', read)).toBeNull();
    expect(readOperstate('eth0/..', 'linux', read)).toBeNull();
    expect(readOperstate('', 'linux', read)).toBeNull();
    expect(reads).toEqual([]);
  });
});

describe('systemInfoOf', () => {
  const fp: HostFingerprint = { cpuModel: 'Fake CPU 3000', cores: 6, ramTotal: 16_000, runtime: 'node v20.0.0' };
  const eth0: RawInterface = { iface: 'eth0', operstate: 'up', ip4: '10.0.0.2', ip6: '', internal: false, speed: 1000, default: true };
  const readings = (over: Partial<SystemReadings> = {}): SystemReadings => ({
    cpu: { cores: 4, physicalCores: 2 },
    mem: { total: 8000, available: 5000 },
    battery: { hasBattery: false },
    ifaces: [eth0],
    cache: { l1d: 32_768, l2: 262_144, l3: 8_388_608 },
    ...over,
  });
  const notAsked = () => {
    throw new Error('ramAvailableNow asked although the OS reported available RAM');
  };

  it('takes the figures the OS reports, the CPU model from the fingerprint and the L3 as the last-level cache', () => {
    expect(systemInfoOf(readings(), fp, notAsked)).toEqual({
      cpuModel: 'Fake CPU 3000',
      cores: 4,
      physicalCores: 2,
      ramTotal: 8000,
      ramAvailable: 5000,
      battery: false,
      llcBytes: 8_388_608,
      interfaces: [{ name: 'eth0', up: true, internal: false, speedMbps: 1000, isDefault: true }],
    });
  });

  it('falls back when a figure is 0: cores and RAM to the fingerprint, physical cores to logical, available RAM to now', () => {
    const s = systemInfoOf(readings({ cpu: { cores: 0, physicalCores: 0 }, mem: { total: 0, available: 0 } }), fp, () => 1234);
    expect([s.cores, s.physicalCores, s.ramTotal, s.ramAvailable]).toEqual([6, 0, 16_000, 1234]);
    const t = systemInfoOf(readings({ cpu: { cores: 3, physicalCores: -1 } }), fp, notAsked);
    expect([t.cores, t.physicalCores]).toEqual([3, 3]);
    expect(systemInfoOf(readings({ cpu: { cores: 4, physicalCores: 0 } }), fp, notAsked).physicalCores).toBe(4);
    const u = systemInfoOf(readings({ cpu: { cores: 1, physicalCores: 1 }, mem: { total: 1, available: 1 } }), fp, notAsked);
    expect([u.cores, u.physicalCores, u.ramTotal, u.ramAvailable]).toEqual([1, 1, 1, 1]);
  });

  it('reports a battery only when the OS says so', () => {
    expect(systemInfoOf(readings({ battery: { hasBattery: true } }), fp, notAsked).battery).toBe(true);
    expect(systemInfoOf(readings({ battery: { hasBattery: 'yes' as unknown as boolean } }), fp, notAsked).battery).toBe(false);
  });

  it('takes the largest cache level reported, else the assumed 32 MiB', () => {
    expect(systemInfoOf(readings({ cache: { l1d: 32_768, l2: 1_048_576, l3: 0 } }), fp, notAsked).llcBytes).toBe(1_048_576);
    expect(systemInfoOf(readings({ cache: { l1d: 49_152, l2: -1 } }), fp, notAsked).llcBytes).toBe(49_152);
    expect(systemInfoOf(readings({ cache: { l3: '8388608' as unknown as number, l2: 2_097_152 } }), fp, notAsked).llcBytes).toBe(2_097_152);
    expect(systemInfoOf(readings({ cache: {} }), fp, notAsked).llcBytes).toBe(ASSUMED_LLC_BYTES);
    expect(ASSUMED_LLC_BYTES).toBe(33_554_432);
  });

  it('maps each interface: up when not down and it has an address; speed only when reported', () => {
    const ifaces: RawInterface[] = [
      eth0,
      { iface: 'lo', operstate: 'unknown', ip4: '127.0.0.1', ip6: '::1', internal: true, speed: null, default: false },
      { iface: 'wlan0', operstate: 'down', ip4: '192.168.1.5', ip6: '', internal: false, speed: 300, default: false },
      { iface: 'v6only', operstate: 'up', ip4: '', ip6: 'fe80::1', internal: false, speed: -1, default: false },
      { iface: 'noaddr', operstate: 'up', ip4: '', ip6: '', internal: false, speed: null, default: false },
      { iface: 'odd', operstate: 'up', ip4: '10.1.1.1', ip6: '', internal: false, speed: '1000' as unknown as number, default: false },
    ];
    expect(systemInfoOf(readings({ ifaces }), fp, notAsked).interfaces).toEqual([
      { name: 'eth0', up: true, internal: false, speedMbps: 1000, isDefault: true },
      { name: 'lo', up: true, internal: true, speedMbps: null, isDefault: false },
      { name: 'wlan0', up: false, internal: false, speedMbps: 300, isDefault: false },
      { name: 'v6only', up: true, internal: false, speedMbps: -1, isDefault: false },
      { name: 'noaddr', up: false, internal: false, speedMbps: null, isDefault: false },
      { name: 'odd', up: true, internal: false, speedMbps: null, isDefault: false }, // a speed that is not a number is unknown
    ]);
  });

  it('accepts a single interface object where systeminformation returns one', () => {
    expect(systemInfoOf(readings({ ifaces: eth0 }), fp, notAsked).interfaces).toEqual([{ name: 'eth0', up: true, internal: false, speedMbps: 1000, isDefault: true }]);
  });
});
