import { describe, expect, it } from 'vitest';

import { ASSUMED_MBPS, BYTES_PER_SEC_PER_MBPS, chooseLink, reportedSpeed, resolveNetwork, type NetInterface } from '../../src/coren/network.js';

const iface = (name: string, over: Partial<NetInterface> = {}): NetInterface => ({ name, up: true, internal: false, speedMbps: null, isDefault: false, ...over });

describe('network', () => {
  it('100 Mbit/s is the seed 13,107,200 bytes/s', () => {
    expect(ASSUMED_MBPS * BYTES_PER_SEC_PER_MBPS).toBe(13_107_200);
  });

  it('treats -1, 0, null and NaN as an unknown speed', () => {
    expect([-1, 0, null, Number.NaN, undefined, 'fast', '1000', Infinity, 1000, 0.5].map(reportedSpeed)).toEqual([null, null, null, null, null, null, null, null, 1000, 0.5]);
  });

  it('chooses the default interface if up, else the fastest one up, never loopback', () => {
    expect(chooseLink([iface('lo', { internal: true }), iface('wlan0', { speedMbps: 300 }), iface('eth0', { speedMbps: 1000, isDefault: true })])).toEqual({ name: 'eth0', speedMbps: 1000 });
    expect(chooseLink([iface('eth0', { isDefault: true, up: false }), iface('wlan0', { speedMbps: 300 }), iface('eth1', { speedMbps: 10_000 })])).toEqual({ name: 'eth1', speedMbps: 10_000 });
    expect(chooseLink([iface('lo', { internal: true })])).toBeNull();
    expect(chooseLink([iface('veth', { speedMbps: -1 })])).toEqual({ name: 'veth', speedMbps: null });
    // The default one even when another is faster; without a default, a known speed beats an unknown one.
    expect(chooseLink([iface('eth1', { speedMbps: 10_000 }), iface('eth0', { speedMbps: 100, isDefault: true })])).toEqual({ name: 'eth0', speedMbps: 100 });
    expect(chooseLink([iface('tun0'), iface('wlan0', { speedMbps: 54 })])).toEqual({ name: 'wlan0', speedMbps: 54 });
    expect(chooseLink([iface('eth1', { speedMbps: 10 }), iface('eth2', { speedMbps: 1000 }), iface('tun0'), iface('eth3', { speedMbps: 100 })])).toEqual({ name: 'eth2', speedMbps: 1000 });
  });

  it('uses the measured link while it is up, even when it is not the first interface listed', () => {
    expect(resolveNetwork(['wlan0', 'eth0'], { name: 'eth0', speedMbps: 1000 })).toEqual({ present: true, interface: 'eth0', linkMbps: 1000, bytesPerSec: 131_072_000, latencySec: 0, assumed: false, source: 'link' });
    expect(resolveNetwork([], { name: 'eth0', speedMbps: 1000 }, { netLatencyMs: 20 })).toEqual({ present: false, interface: null, linkMbps: null, bytesPerSec: 0, latencySec: 0.02, assumed: false, source: 'none' });
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
