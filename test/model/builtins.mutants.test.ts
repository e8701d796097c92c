// The built-in `lang` sub-DAG (language.md §3): its exact shape, read node by node.
import { describe, expect, it } from 'vitest';

import { langDag, langVersionDag, SPEC_VERSION } from '../../src/model/builtins.js';
import type { BranchNode, DagNode } from '../../src/model/dag.js';

/** A node as plain data: kind, entity or type and value, frozen, payment, children by name. */
function picture(n: DagNode): unknown {
  const acct = n.acct ? [n.acct.by, n.acct.mp, n.acct.q, n.acct.c] : null;
  if (n.kind === 'dag') return { entity: n.entity, frozen: n.frozen, acct, children: n.children.entries().map(([k, v]) => [k, picture(v)]) };
  if (n.kind === 'scalar') return { type: n.type.name, value: n.value, frozen: n.frozen, acct };
  return { kind: n.kind };
}

const UNPAID_ACCT = [-1, 0, 0, 0];
const leaf = (value: bigint) => ({ type: 'int32', value, frozen: true, acct: UNPAID_ACCT });

describe('built-ins', () => {
  it('lang.Version is a frozen, unpaid dag_node holding major and minor as int32', () => {
    expect(SPEC_VERSION).toEqual({ major: 0n, minor: 3n });
    expect(picture(langVersionDag())).toEqual({
      entity: 'dag_node',
      frozen: true,
      acct: UNPAID_ACCT,
      children: [['major', leaf(0n)], ['minor', leaf(3n)]],
    });
    expect(picture(langVersionDag(2n, 11n))).toEqual({
      entity: 'dag_node',
      frozen: true,
      acct: UNPAID_ACCT,
      children: [['major', leaf(2n)], ['minor', leaf(11n)]],
    });
  });

  it('lang is a frozen, unpaid dag_node whose only child is Version', () => {
    const lang: BranchNode = langDag();
    expect(picture(lang)).toEqual({
      entity: 'dag_node',
      frozen: true,
      acct: UNPAID_ACCT,
      children: [['Version', { entity: 'dag_node', frozen: true, acct: UNPAID_ACCT, children: [['major', leaf(0n)], ['minor', leaf(3n)]] }]],
    });
  });
});
