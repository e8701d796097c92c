// Generated Merg-E programs for the front-end benches (and the parser's equivalence tests): the
// examples' statement forms repeated to any size, a file of plain declarations, and dense statements;
// and the CPU-bound vectorize the vectorize and memo benches both time.

/** One block of the examples' statement forms (seed snippets, the primes app's body, utils' function). */
function block(i: number): string {
  return `\`\`\`devdoc
Block ${i}: a quota stack with its grafts, a merged callable, a dataframe and its vectorized copy.
\`\`\`
mutable dag olddag${i};
mutable dag newdag${i} = membrane<quota<80, 40, 30>> olddag${i};
inert float256 newdag${i}.coolfloat256.pi = 3.14159;
mutable dag dag3_${i} = membrane<quota<60,30, 10>> newdag${i};
mutable dag dag4_${i} = membrane<quota<40,40, 0>> dag3_${i};
mutable dag version${i} = prune scope.imported.lang.Version;
ent dag4_${i} version${i} as Version;
alias dag4_${i}.Version as v${i};
inert float16 points${i} = lang.memory.dag.dag_rampoints(newdag${i}.coolfloat256.pi, lang.type.int128);
shared mutable int ok_count${i} = 0;
inert int max_prime${i} = 1000;
reentrant mutable merge utils.is_prime as is_prime${i}(x int)<membrane<quota<15,0,0>>>::{ ok_count: ok_count${i}; }{ max_prime: max_prime${i}; }@[range_error];
mutable dataframe inDf${i} string id, int32 startval, int32 endval;
inDf${i}( "foo" 17 99 );
inDf${i}( "bar" 42 1999 );
freeze inDf${i};
mutable dataframe outDf${i} string id, int32 span;
function span${i}(id string, startval int32, endval int32)::{}{
  return id endval - startval;
};
mutable blocker ready${i};
ready${i} += vectorize span${i} inDf${i} outDf${i};
await_all ready${i};
mutable int counter${i} = 0;
while counter${i} < 100 {
  counter${i} += 1;
  if counter${i} % 7 == 0 && counter${i} != 49 {
    ready${i} += is_prime${i}(counter${i});
  } else {
    ok_count${i} -= 0;
  };
};
await_all ready${i};
cout "counted " ok_count${i} " prime numbers" endl;
lang.assert lang.version.major == 0 && lang.version.minor == 3;
`;
}

export function generateProgram(minBytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < minBytes; i++) {
    const b = block(i);
    parts.push(b);
    size += b.length;
  }
  return parts.join('\n');
}

/** `utils.mrm`, the module the generated programs merge (`utils.is_prime`), as the examples have it. */
export const UTILS_MODULE = `function is_prime(x int)::{ ok_count; }{
  lang.assert x <= max_prime;
  mutable bool prime = x > 1;
  mutable int divisor = 2;
  while prime && divisor * divisor <= x {
    if x % divisor == 0 {
      prime = false;
    };
    divisor += 1;
  };
  if prime {
    ok_count += 1;
  };
  return prime;
};
`;

/** `n` declarations, one a line: `mutable int v0 = 0;` … */
export function declarations(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`mutable int v${i} = ${i};`);
  return lines.join('\n') + '\n';
}

/** About `bytes` of dense assignments to one declared name: `x=1;x=1;…`, twenty to a line. */
export function denseStatements(bytes: number): string {
  const line = 'x=1;'.repeat(20) + '\n';
  return 'mutable int x = 0;\n' + line.repeat(Math.max(1, Math.floor(bytes / line.length)));
}

/**
 * A CPU-bound vectorize: `rows` rows, each about 15,000 interpreter operations (a 1,500-step loop)
 * and 12 bytes of result. `salt` shifts the inputs, so each trial gets its own memo key.
 */
export function mixVectorize(rows: number, salt?: number): string {
  const shift = salt === undefined ? '' : ` + ${salt}`;
  return `mutable dataframe inDf int64 x;
mutable int i = 0;
while i < ${rows} { inDf(i * 7919 % 100003${shift}); i += 1; };
mutable dataframe outDf int64 x, int32 h;
function mix(x int64)::{}{
  mutable int h = x;
  mutable int j = 0;
  while j < 1500 { h = (h * 31 + j) % 1000003; j += 1; };
  return x h;
};
mutable blocker b;
b += vectorize mix inDf outDf;
await_all b;
cout lang.dataframe.rows(outDf) endl;
`;
}
