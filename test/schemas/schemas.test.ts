// The JSON Schemas of profiles and baskets: generated from the model's constants and never stale,
// referenced by "$schema" in every shipped file, the same rules in the schema an editor reads and in
// the validator a run uses, and their errors in the project's words with the file and the key.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';

import { parseProfile } from '../../src/model/index.js';
import { describeSchemaError, keyOf, schemaReference, shippedSchema } from '../../src/schemas/index.js';
import { unitProfileJson } from '../../src/testing/index.js';
import { schemaArtifacts } from '../../scripts/schemas.js';
import { codeOf, thrown } from '../support/errors.js';

const root = join(import.meta.dirname, '..', '..');
const shipped = [
  ...readdirSync(join(root, 'baskets', 'runtimes')).map((f) => ({ file: join(root, 'baskets', 'runtimes', f), schema: 'runtime-profile' as const })),
  { file: join(root, 'baskets', 'standard', 'basket.json'), schema: 'basket' as const },
];

describe('the schemas', () => {
  it('are what scripts/schemas.ts generates (run npm run schemas after changing it or the kinds)', () => {
    for (const [path, text] of schemaArtifacts()) expect(readFileSync(join(root, path), 'utf8'), path).toBe(text);
  });

  it('are referenced by "$schema" in every shipped profile and basket, and accept them', () => {
    const ajv = new Ajv.default({ strict: true, allowMatchingProperties: true });
    for (const { file, schema } of shipped) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { $schema?: string };
      expect(json.$schema, file).toBe(schemaReference(schema, file));
      expect(resolve(dirname(file), json.$schema!)).toBe(shippedSchema(schema));
      const validate = ajv.getSchema(schema) ?? (ajv.addSchema(JSON.parse(readFileSync(shippedSchema(schema), 'utf8')), schema), ajv.getSchema(schema)!);
      expect(validate(json), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('say the same as the validator a run uses: the schema file compiled afresh refuses what parseProfile refuses', () => {
    const ajv = new Ajv.default({ strict: true, allowMatchingProperties: true });
    const validate = ajv.compile(JSON.parse(readFileSync(shippedSchema('runtime-profile'), 'utf8')));
    const edits: ((o: Record<string, any>) => void)[] = [
      (o) => delete o.bytes.row,
      (o) => (o.bytes['scalar:int16385'] = 1),
      (o) => (o.bytes['scalar:uint16384'] = 1),
      (o) => (o.extras['membrane:quota'].dag_node = -1),
      (o) => (o.int_rule.tiers[0].bytes = 2.5),
      (o) => (o.notes = []),
      (o) => (o.name = 'Unit'),
      (o) => (o.extra = true),
    ];
    for (const edit of edits) {
      const o = structuredClone(unitProfileJson()) as Record<string, any>;
      edit(o);
      const byParse = codeOf(() => parseProfile(JSON.stringify(o), `${String(o.name)}.json`)) === 'none';
      expect(validate(o), edit.toString()).toBe(byParse);
    }
  });
});

describe('schema errors in our words', () => {
  it('name keys as the messages write them', () => {
    expect(keyOf('')).toBe('');
    expect(keyOf('/bytes/scalar:int8')).toBe('bytes.scalar:int8');
    expect(keyOf('/int_rule/tiers/1/max_bits')).toBe('int_rule.tiers[1].max_bits');
    expect(keyOf('/a~1b/c~0d')).toBe('a/b.c~d');
  });

  it('never pass ajv\'s own text through', () => {
    const e = describeSchemaError({ instancePath: '/x', keyword: 'const', params: {}, parentSchema: { title: 'the answer' }, data: 41 });
    expect(e).toEqual(['x', 'must be the answer']);
  });

  it('list what is allowed after an unknown key; "$schema" is allowed everywhere a file starts', () => {
    const o = { $schema: 'anything', ...unitProfileJson() };
    expect(parseProfile(JSON.stringify(o), 'unit.json').name).toBe('unit');
    const e = thrown(() => parseProfile(JSON.stringify({ ...o, colour: 1 }), 'runtimes/unit.json'));
    expect(e.code).toBe('MRG4010');
    expect(e.message).toBe('runtimes/unit.json: key "colour": unknown key (allowed: name, description, notes, bytes, int_rule, extras)');
    expect(e.diagnostic.file).toBe('runtimes/unit.json');
  });
});
