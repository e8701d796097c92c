// The standard tasks of the `coren` verdict table; the seed's two rows come first.
import { FnCost } from './fncost.js';
import type { KernelName } from './kernels.js';

export interface StandardTask {
  /** At most 21 characters, to keep the seed's column layout. */
  name: string;
  cost: FnCost;
  /** The calibrated kernel constant that applies, if the task is one of the kernels. */
  kernel?: KernelName;
}

const MiB = 1n << 20n;
const GiB = 1n << 30n;

export const STANDARD_TASKS: readonly StandardTask[] = [
  { name: 'sort 1M x 64B', cost: FnCost.sort(1_000_000, 64, 10n * MiB), kernel: 'sort' },
  { name: 'matmul 1k^3', cost: FnCost.matmul(1000, 1000, 1000, 10n * MiB), kernel: 'matmul' },
  { name: 'scan 1GB', cost: FnCost.scan(GiB, MiB), kernel: 'scan' },
  { name: 'sha256 256MB', cost: FnCost.hash(256n * MiB), kernel: 'hash' },
  { name: 'etl 10M x 128B', cost: FnCost.etl(10_000_000, 128, 32, 64n * MiB), kernel: 'etl' },
  // The seed's pipeline: scan, then sort, then hash.
  { name: 'scan+sort+hash', cost: FnCost.scan(64_000_000, 0).then(FnCost.sort(1_000_000, 64, 0)).then(FnCost.hash(64_000_000)) },
  { name: 'copy 1GB', cost: FnCost.copy(GiB) },
  { name: 'matmul 10k^3', cost: FnCost.matmul(10_000, 10_000, 10_000, 800_000_000), kernel: 'matmul' },
  { name: 'matmul 64k^3', cost: FnCost.matmul(65_536, 65_536, 65_536, 8n * 65_536n * 65_536n), kernel: 'matmul' },
];
