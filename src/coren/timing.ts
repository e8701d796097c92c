// How coren times work it measures on a machine that may be busy.

/**
 * Seconds a piece of work took, not counting the time it waited for a core: the smaller of its wall
 * time and the process's CPU time over it. A CPU reading of 0 (below the clock's resolution) says
 * nothing, and the wall time stands.
 */
export function unwaitedSec(wallSec: number, cpuSec: number): number {
  return cpuSec > 0 ? Math.min(wallSec, cpuSec) : wallSec;
}
