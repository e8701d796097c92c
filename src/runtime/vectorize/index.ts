// vectorize's public API: the engine (RunOptions.vectorize), the memo store, the machine helpers and
// the report shapes. See the README section `vectorize`.
export { VectorizeEngine, type VectorizeOptions } from './engine.js';
export * from './memo/index.js';
export { localStoreMachine, machineFromFile, nominalMachine } from './machine.js';
export { memoLines, reportsJson, reportsTable, type InterpreterSpeed, type MemoCounts, type MemoSummary, type VectorizeReport } from './report.js';
export { memoKey, canonicalJson, MEMO_FORMAT } from './canon.js';
export { shipClosure, type ShippedClosure } from './closure.js';
export { shutdownWorkers, workerCount } from './threads.js';
