import { describe, expect, it } from 'vitest';

import { checkInvariants, countNodes, langDag } from '../../src/model/index.js';
import { unitWorld } from './fixtures.js';
import { codeOf, refusedUnchanged } from '../support/errors.js';

describe('the immutable DAG', () => {
  it('declares at a path, creating (and paying for) the intermediate nodes', () => {
    const mem = unitWorld();
    mem.declareScalar(mem.root, ['olddag', 'coolfloat256', 'pi'], 'float256', 3.14159);
    expect(mem.value(mem.root, ['olddag', 'coolfloat256', 'pi'])).toBe(3.14159);
    expect(mem.lookup(mem.root, ['olddag']).node.kind).toBe('dag');
    const t = mem.report().totals;
    expect(t.byKind.map((k) => [k.kind, k.count, k.mp])).toEqual([
      ['dag_node', 2, 2000],
      ['scalar:float256', 1, 32],
    ]);
  });

  it('yields new versions that share unchanged parts', () => {
    const mem = unitWorld();
    mem.declareScalar(mem.root, ['a', 'x'], 'int32', 1n, { inert: false });
    mem.declareScalar(mem.root, ['b', 'y'], 'int32', 2n);
    const v1 = mem.dag;
    mem.assign(mem.root, ['a', 'x'], 5n);
    const v2 = mem.dag;
    expect(v1).not.toBe(v2);
    expect(v1.children.get('b')).toBe(v2.children.get('b'));
    expect(v1.children.get('a')).not.toBe(v2.children.get('a'));
    const x1 = (v1.children.get('a') as any).children.get('x');
    expect(x1.value).toBe(1n);
    expect(Object.isFrozen(v2)).toBe(true);
    expect(mem.value(mem.root, ['a', 'x'])).toBe(5n);
  });

  it('refuses bad paths, duplicates and non-dag parents with coded errors and no change', () => {
    const mem = unitWorld();
    mem.declareScalar(mem.root, ['a', 'x'], 'int32', 1n);
    refusedUnchanged(mem, 'MRG3001', () => mem.lookup(mem.root, ['a', 'nope']));
    refusedUnchanged(mem, 'MRG3001', () => mem.declareScalar(mem.root, ['a', 'x'], 'int32', 2n));
    refusedUnchanged(mem, 'MRG3002', () => mem.declareScalar(mem.root, ['a', 'x', 'y'], 'int32', 2n));
    refusedUnchanged(mem, 'MRG3003', () => mem.declareScalar(mem.root, ['a', 'z'], 'int8', 300n));
    refusedUnchanged(mem, 'MRG3002', () => mem.declareScalar(mem.root, ['a', 'z'], 'dag', 1n));
  });

  it('takes names like __proto__ and constructor', () => {
    const mem = unitWorld();
    mem.declareScalar(mem.root, ['__proto__', 'constructor'], 'string', 'ok');
    expect(mem.value(mem.root, ['__proto__', 'constructor'])).toBe('ok');
    expect(mem.has(mem.root, ['toString'])).toBe(false);
  });

  it('prunes from a mutable parent by cutting, keeping payments', () => {
    const mem = unitWorld();
    mem.declareScalar(mem.root, ['d', 'sub', 'k'], 'int32', 7n);
    const before = mem.report().totals.mp;
    const x = mem.prune(mem.root, ['d', 'sub']);
    expect(x.copied).toBe(false);
    expect(mem.has(mem.root, ['d', 'sub'])).toBe(false);
    expect(mem.report().totals.mp).toBe(before);
    expect(x.node.acct?.by).toBe(0);
    mem.ent(mem.root, [], x, 'moved');
    expect(mem.value(mem.root, ['moved', 'k'])).toBe(7n);
    expect(mem.report().totals.mp).toBe(before);
    expect(codeOf(() => mem.ent(mem.root, [], x, 'again'))).toBe('MRG3004');
  });

  it('prunes from an inert parent by copying (the copy is new, unpaid and mutable)', () => {
    const mem = unitWorld();
    mem.installBuiltin(mem.root, ['scope', 'imported', 'lang'], langDag());
    expect(mem.report().totals.mp).toBe(0);
    const v = mem.prune(mem.root, ['scope', 'imported', 'lang', 'Version']);
    expect(v.copied).toBe(true);
    expect(mem.value(mem.root, ['scope', 'imported', 'lang', 'Version', 'minor'])).toBe(3n);
    expect(v.node.acct?.by).toBe(-1);
    mem.ent(mem.root, [], v, 'version');
    expect(mem.report().totals.entities).toBe(3);
    mem.assign(mem.root, ['version', 'major'], 1n);
    expect(codeOf(() => mem.assign(mem.root, ['scope', 'imported', 'lang', 'Version', 'major'], 1n))).toBe('MRG3005');
  });

  it('aliases without copying or charging, following the alias for reads and writes', () => {
    const mem = unitWorld();
    mem.declareScalar(mem.root, ['deep', 'er', 'x'], 'int32', 1n);
    const before = mem.report().totals.mp;
    mem.alias(mem.root, ['deep', 'er'], 'short');
    expect(mem.report().totals.mp).toBe(before);
    mem.assign(mem.root, ['short', 'x'], 9n);
    expect(mem.value(mem.root, ['deep', 'er', 'x'])).toBe(9n);
    mem.declareScalar(mem.root, ['short', 'y'], 'bool', true);
    expect(mem.lookup(mem.root, ['short', 'y']).path).toEqual(['deep', 'er', 'y']);
    mem.prune(mem.root, ['deep', 'er']);
    expect(codeOf(() => mem.lookup(mem.root, ['short', 'x']))).toBe('MRG3001');
  });

  it('follows an alias that leads back to its own parent', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['a']);
    mem.alias(mem.root, ['a'], 'b');
    mem.alias(mem.at(mem.root, ['a']), [], 'loop'); // a.loop -> a
    expect(mem.lookup(mem.root, ['b', 'loop', 'loop', 'loop']).path).toEqual(['a']);
  });

  it('freezes deeply: nothing below a frozen node changes', () => {
    const mem = unitWorld();
    mem.declareScalar(mem.root, ['f', 'g', 'x'], 'int32', 1n);
    mem.declareDataframe(mem.root, ['f', 'df'], [{ name: 'n', type: 'int32' }]);
    mem.freeze(mem.root, ['f']);
    refusedUnchanged(mem, 'MRG3005', () => mem.assign(mem.root, ['f', 'g', 'x'], 2n));
    refusedUnchanged(mem, 'MRG3005', () => mem.declareScalar(mem.root, ['f', 'g', 'y'], 'int32', 2n));
    refusedUnchanged(mem, 'MRG3005', () => mem.appendRow(mem.root, ['f', 'df'], [1n]));
    refusedUnchanged(mem, 'MRG3005', () => mem.alias(mem.at(mem.root, ['f']), ['g'], 'g2'));
    const copy = mem.prune(mem.root, ['f', 'g']);
    expect(copy.copied).toBe(true);
    expect(mem.has(mem.root, ['f', 'g'])).toBe(true);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('edits a wide node by copying a bucket, not the sibling collection', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['wide']);
    const w = mem.at(mem.root, ['wide']);
    for (let i = 0; i < 3000; i++) mem.declareScalar(w, [`k${i}`], 'int32', BigInt(i), { inert: false });
    expect(countNodes(mem.dag)).toBe(3002);
    const before = mem.dag.children.get('wide') as any;
    mem.assign(w, ['k1234'], 0n);
    const after = mem.dag.children.get('wide') as any;
    expect(after.children.get('k1233')).toBe(before.children.get('k1233'));
    expect(after.children.keys().slice(0, 3)).toEqual(['k0', 'k1', 'k2']);
  });
});
