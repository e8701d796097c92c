// coren's public API: FnCost (deterministic costs), MachCap (this machine, measured and cached),
// Verdict (compute or fetch), the sizing helpers and the calibration. Every refusal is a MergeError.
export { MergeError, type Code, type Diagnostic } from '../diagnostics.js';
export { FnCost, U64_MAX, ceilLog2, type FnCostJson, type U64Input } from './fncost.js';
export { formatBandwidth, formatBytes, formatCount, formatOpsRate, formatScore } from './format.js';
export { MachCap, deviceClassOf, type FixedSpec, type MachCapJson, type ReadOptions, type VerdictOptions } from './machcap.js';
export { Verdict, computeTime, fetchTime, type Action, type Bottleneck, type Forced, type VerdictJson, type VerdictRates } from './verdict.js';
export { ETL_RAM_SHARE, type BudgetOptions, type ComputeBudget, type DeviceClass } from './budget.js';
export { ASSUMED_MBPS, BYTES_PER_SEC_PER_MBPS, type NetworkInfo, type NetworkOverrides } from './network.js';
export { CACHE_FILE, CACHE_VERSION, type MachCapFigures } from './cache.js';
export { realProbes, quickProbes, type Probes, type Progress, type RealProbeOptions } from './probes.js';
export { KERNELS, KERNEL_NAMES, type Kernel, type KernelName } from './kernels.js';
export { calibrate, calibrationJson, calibrationTable, type Calibration, type CalibrationJson, type CalibrationRow } from './calibrate.js';
export { STANDARD_TASKS, type StandardTask } from './tasks.js';
export { humanReport, jsonReport, verdictRows, type CorenJson } from './report.js';
