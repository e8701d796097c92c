// Built-in sub-DAGs the interpreter places in every scope (unpaid, inert).
import { Acct, branch, scalarNode, UNPAID, type BranchNode, type DagNode } from './dag.js';
import { kindId } from './kinds.js';
import { NameMap } from './namemap.js';
import { scalarType } from './types.js';

/** The implemented spec version (language.md §3: `lang.version.major` / `.minor`). */
export const SPEC_VERSION = { major: 0n, minor: 3n } as const;

/**
 * `scope.imported.lang.Version` as a frozen, unpaid sub-DAG: `major` and `minor` as int32 scalars.
 * Install it with `memory.installBuiltin(view, ['imported', 'lang', 'Version'], langVersionDag())`
 * under a frozen `lang` (or install `langDag()`), so `prune` copies it and the copy pays on `ent`.
 */
export function langVersionDag(major: bigint = SPEC_VERSION.major, minor: bigint = SPEC_VERSION.minor): BranchNode {
  const int32 = scalarType('int32');
  const kid = kindId('scalar:int32');
  const leaf = (v: bigint) => scalarNode(int32, v, kid, 0, new Acct(UNPAID, 0, 0, 0), true);
  const children = NameMap.of<DagNode>([['major', leaf(major)], ['minor', leaf(minor)]]);
  return branch(new Acct(UNPAID, 0, 0, 0), 'dag_node', true, children);
}

/** `lang` with its `Version` child, frozen and unpaid (install at `[..., 'imported', 'lang']`). */
export function langDag(): BranchNode {
  return branch(new Acct(UNPAID, 0, 0, 0), 'dag_node', true, NameMap.of<DagNode>([['Version', langVersionDag()]]));
}
