// The JSON Schemas of the project's hand-written files — runtime profiles and basket.json — and the
// validators ajv compiles from them. The schemas are built here from the model's own constants (the
// kinds a profile must price), written to schemas/ for editors ("$schema" in every shipped file),
// and compiled by ajv into standalone code (src/schemas/validators.generated.ts), so a run checks a
// profile without compiling a schema at start-up and ajv is needed only to generate.
// `npm run schemas` writes them; test/schemas/generated.test.ts fails when they are stale.
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

import { BASE_KINDS, MEMBRANE_KINDS, REQUIRED_BYTES_KEYS, REQUIRED_EXTRAS_KEYS } from '../src/model/kinds.js';

/** `scalar:<T>` for every sized scalar type: bool, float16…float256, intN and uintN with N in 1…16384. */
const SCALAR_KIND = '^scalar:(bool|float(16|32|64|128|256)|u?int([1-9][0-9]{0,3}|1[0-5][0-9]{3}|16[0-2][0-9]{2}|163[0-7][0-9]|1638[0-4]))$';
const NAME = '^[a-z0-9][a-z0-9_-]*$';

const bytes = (min = 0) => ({ type: 'integer', minimum: min, maximum: 1_000_000_000, title: 'a whole number of bytes' });
/** One definition of a byte count, referenced everywhere (the compiled validator shares its code). */
const BYTES = { $ref: '#/definitions/bytes' };

/** kind → bytes: the required keys, and any scalar kind besides (and `scalar:*` in an extras table). */
function table(required: readonly string[], description: string, scalarStar: boolean) {
  const named = [...required, ...(scalarStar ? ['scalar:*'] : [])];
  return {
    type: 'object',
    title: 'an object of kind -> bytes',
    description,
    required: [...required],
    properties: Object.fromEntries(named.map((k) => [k, BYTES])),
    patternProperties: { [SCALAR_KIND]: BYTES },
    additionalProperties: false,
  };
}

export function profileSchema() {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'an object',
    description: 'A merg-e-sim runtime profile: how many bytes one entity of each kind takes in a runtime. Its file name is NAME.json.',
    type: 'object',
    required: ['name', 'description', 'notes', 'bytes', 'int_rule', 'extras'],
    additionalProperties: false,
    definitions: { bytes: bytes() },
    properties: {
      $schema: { type: 'string', title: 'a string', description: 'This schema, for editors.' },
      name: { type: 'string', pattern: NAME, title: 'a lowercase name like "cpython-dev"', description: 'The profile name; the file is NAME.json.' },
      description: { type: 'string', title: 'a string' },
      notes: {
        type: 'array',
        minItems: 1,
        items: { type: 'string' },
        title: 'a non-empty array of strings (cite the object layouts the numbers come from)',
        description: 'Where the numbers come from (documented object layouts, a measurement).',
      },
      bytes: table(REQUIRED_BYTES_KEYS, `Bytes of one entity of each kind (${BASE_KINDS.join(', ')}), of a string byte, and of sized scalars (scalar:int32, …); intN/uintN without an entry follow int_rule.`, false),
      int_rule: {
        type: 'object',
        title: 'an object',
        description: 'Bytes of scalar:intN / uintN without an entry: the first tier whose max_bits holds N, else ref + alignUp(header + ceil(N / unit_bits) * unit_bytes, align).',
        required: ['tiers', 'ref', 'header', 'unit_bits', 'unit_bytes', 'align'],
        additionalProperties: false,
        properties: {
          tiers: {
            type: 'array',
            title: 'an array of {"max_bits", "bytes"}',
            items: {
              type: 'object',
              title: 'an object {"max_bits", "bytes"}',
              required: ['max_bits', 'bytes'],
              additionalProperties: false,
              properties: { max_bits: bytes(1), bytes: BYTES },
            },
          },
          ref: BYTES,
          header: BYTES,
          unit_bits: bytes(1),
          unit_bytes: bytes(1),
          align: bytes(1),
        },
      },
      extras: {
        type: 'object',
        title: 'an object with one table per membrane kind',
        description: 'Extra bytes per entity added through a membrane of each kind.',
        required: MEMBRANE_KINDS.map((m) => `membrane:${m}`),
        additionalProperties: false,
        properties: Object.fromEntries(MEMBRANE_KINDS.map((m) => [`membrane:${m}`, table(REQUIRED_EXTRAS_KEYS, `Extras through a ${m} membrane; scalar:* stands for every scalar without its own entry.`, true)])),
      },
    },
  };
}

export function basketSchema() {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'an object',
    description: 'A merg-e-sim basket (baskets/NAME/basket.json): the programs whose allocations normalize RAM-points.',
    type: 'object',
    required: ['name', 'description', 'programs'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', title: 'a string', description: 'This schema, for editors.' },
      name: { type: 'string', pattern: NAME, title: 'a lowercase name like "standard"', description: "The basket's name: its folder's name." },
      description: { type: 'string', pattern: '\\S', title: 'a non-empty string' },
      warnSpread: {
        type: 'number',
        minimum: 1,
        title: 'a number of at least 1 (a spread is max/min)',
        description: 'A run whose RAM-points spread more than this across the profiles is unlike the basket (warning MRG4052); default 1.5.',
      },
      portability: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        title: 'a number from 0 (points track bytes) to 1 (every kind priced the same everywhere)',
        description: 'The portability blend: each price moves this far toward the geometric mean of its price under every profile; default 0.',
      },
      programs: {
        type: 'array',
        minItems: 1,
        title: 'a non-empty array of {"file", "weight"}',
        items: {
          type: 'object',
          title: 'an object {"file", "weight"}',
          required: ['file', 'weight'],
          additionalProperties: false,
          properties: {
            file: { type: 'string', pattern: '\\.(merge|mrg)$', title: 'the name of a .merge or .mrg program', description: 'A program beside basket.json.' },
            weight: { type: 'integer', minimum: 1, maximum: 1_000_000, title: 'a whole number of at least 1' },
          },
        },
      },
    },
  };
}

/** Every generated file, by its path from the repository root, and its text. */
export function schemaArtifacts(): Map<string, string> {
  const schemas = { 'runtime-profile': profileSchema(), basket: basketSchema() };
  const files = new Map<string, string>();
  for (const [name, schema] of Object.entries(schemas)) files.set(`schemas/${name}.schema.json`, JSON.stringify(schema, null, 2) + '\n');
  // verbose: errors carry the failing value and its schema (for the title the message quotes);
  // a table names its required scalar kinds although its pattern covers them too (for editors).
  const ajv = new Ajv.default({ code: { source: true, esm: true }, inlineRefs: false, verbose: true, strict: true, allowMatchingProperties: true, allErrors: false });
  for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema, name);
  const code = standaloneCode.default(ajv, { validateProfile: 'runtime-profile', validateBasket: 'basket' });
  files.set(
    'src/schemas/validators.generated.ts',
    `// @ts-nocheck\n// Generated by \`npm run schemas\` (scripts/schemas.ts) from schemas/*.schema.json with ajv's standalone code: do not edit.\n${code}\n`,
  );
  return files;
}
