/**
 * # merg-e-sim/testing — property tests of Merg-E's memory model in your own test suite
 *
 * fast-check (a peer dependency: install it beside merg-e-sim) arbitraries and helpers:
 * - **Programs**: `programSource(opts?)` generates Merg-E scripts, grammar-aware and mostly valid, with
 *   stacked quota and copy_on_mutate membranes, grafts (prune / ent), dataframes, callables and their
 *   scopes, blockers, vectorize and handlers (`opts.features` narrows them); `vectorizeProgram()`
 *   builds programs around one vectorize; `byteMutation` / `tokenMutation` damage a source.
 * - **Model operations**: `memoryCommands()` and `memoryModelSetup()` for `fc.commands` /
 *   `fc.modelRun` (or the ready `memoryModelProperty()`): every operation of the model runs against a
 *   plain reference model that predicts acceptance and every counter.
 * - **Invariants**: `checkInvariants(mem)` (the list of violations), `assertInvariants(mem)`, and
 *   `runChecked(input, opts)`, which runs a program and asserts the invariants of its end state.
 * - **A unit world**: `unitWorld()` prices one byte as one milli-point, for hand-computed expectations.
 */
export { PROGRAM_FEATURES, programChoices, programSource, renderProgram, statementChoice, vectorizeProgram, type ProgramFeature, type ProgramOptions, type StatementChoice } from './programs.js';
export { byteMutation, MUTATION_WORDS, tokenize, tokenMutation } from './mutate.js';
export {
  memoryCommands,
  memoryModelProperty,
  memoryModelSetup,
  newMemoryModelStats,
  type MemoryCommand,
  type MemoryModelStats,
  type RealWorld,
  type ReferenceModel,
} from './memory-model.js';
export { assertInvariants, checkInvariants, runChecked } from './invariants.js';
export { UNIT_BASKET, unitProfile, unitProfileJson, unitWorld } from './unit-world.js';
