// Test helpers for Merg-E programs: fast-check arbitraries that generate programs and damage them.
export { PROGRAM_FEATURES, programChoices, programSource, renderProgram, statementChoice, vectorizeProgram, type ProgramFeature, type ProgramOptions, type StatementChoice } from './programs.js';
export { byteMutation, MUTATION_WORDS, tokenize, tokenMutation } from './mutate.js';
