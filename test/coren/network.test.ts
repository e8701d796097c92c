import { describe, expect, it } from 'vitest';

import { ASSUMED_MBPS, BYTES_PER_SEC_PER_MBPS, chooseLink, reportedSpeed, resolveNetwork, type NetInterface } from '../../src/coren/network.js';

const iface = (name: string, over: Partial<NetInterface> = {}): NetInterface => ({ name, up: true, internal: false, speedMbps: null, isDefault: false, ...over });

describe('network', () => {
  it('100 Mbit/s is the seed 13,107,200 bytes/s', () => {
    expect(ASSUMED_MBPS * BYTES_PER_SEC_PER_MBPS).toBe(13_107_200);
  });

  it('treats -1, 0, null and NaN as an unknown speed', () => {
    expect([-1, 0, null, Number.NaN, undefined, 'fast', 1000].map(reportedSpeed)).toEqual([null, null, null, null, null, null, 1000]);
  });

  it('chooses the default interface if up, else the fastest one up, never loopback', () => {
    expect(chooseLink([iface('lo', { internal: true }), iface('wlan0', { speedMbps: 300 }), iface('eth0', { speedMbps: 1000, isDefault: true })])).toEqual({ name: 'eth0', speedMbps: 1000 });
    expect(chooseLink([iface('eth0', { isDefault: true, up: false }), iface('wlan0', { speedMbps: 300 }), iface('eth1', { speedMbps: 10_000 })])).toEqual({ name: 'eth1', speedMbps: 10_000 });
    expect(chooseLink([iface('lo', { internal: true })])).toBeNull();
    expect(chooseLink([iface('veth', { speedMbps: -1 })])).toEqual({ name: 'veth', speedMbps: null });
  });

  it('resolves presence, the assumed speed and overrides', () => {
    expect(resolveNetwork([], { name: 'eth0', speedMbps: 1000 })).toMatchObject({ present: false, source: 'none', bytesPerSec: 0 });
    expect(resolveNetwork(['eth0'], { name: 'eth0', speedMbps: 1000 })).toMatchObject({ present: true, linkMbps: 1000, bytesPerSec: 1000 * 131_072, assumed: false, source: 'link' });
    expect(resolveNetwork(['eth0'], { name: 'eth0', speedMbps: null })).toMatchObject({ present: true, assumed: true, bytesPerSec: 13_107_200, source: 'assumed' });
    // The measured link is gone but another interface is up: its speed is unknown.
    expect(resolveNetwork(['wlan0'], { name: 'eth0', speedMbps: 1000 })).toMatchObject({ present: true, interface: 'wlan0', assumed: true });
    expect(resolveNetwork(['eth0'], null, { netMbps: 8, netLatencyMs: 30 })).toMatchObject({ present: true, bytesPerSec: 8 * 131_072, latencySec: 0.03, source: 'override' });
    expect(resolveNetwork([], null, { netMbps: 8 })).toMatchObject({ present: true, source: 'override' });
    expect(resolveNetwork(['eth0'], null, { netMbps: 0 })).toMatchObject({ present: false, bytesPerSec: 0 });
    expect(() => resolveNetwork(['eth0'], null, { netMbps: Infinity })).toThrow(/--net-mbps/);
    expect(() => resolveNetwork(['eth0'], null, { netLatencyMs: -1 })).toThrow(/--net-latency-ms/);
  });
});
