// How much work the model did in operations whose cost grows with the data (copying or walking a
// sub-DAG, copying a dataframe): one unit per node or row. A single such operation counts as one
// interpreter step, so the interpreter reads this to look at the clock and the heap during slow
// steps (a loop pruning a 4,000-node frozen sub-DAG ran 65,536 of them between two checkpoints).
export const work = { units: 0 };
