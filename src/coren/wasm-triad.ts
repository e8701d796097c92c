// The STREAM triad a[i] = b[i] + q·c[i] as a WebAssembly SIMD function (two doubles per f64x2 step),
// assembled here byte by byte (no toolchain, nothing binary in the repository). MachCap runs it over
// the same shared arrays as the JS triad, to report what the machine's memory gives code that is not
// limited by a JS engine's scalar loop. It imports a shared memory (env.mem), so that memory's buffer
// can be the SharedArrayBuffer the JS probes use.

/** Unsigned and signed LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => vec([...Buffer.from(text)].map((x) => [x]));

const [I32, F64, V128] = [0x7f, 0x7c, 0x7b];
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32 = (v: number) => [0x41, ...sleb(v)];
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const [ADD, SHL, GE_U, BR, BR_IF, BLOCK, LOOP, END, VOID] = [0x6a, 0x74, 0x4f, 0x0c, 0x0d, 0x02, 0x03, 0x0b, 0x40];
const [V128_LOAD, V128_STORE, F64X2_SPLAT, F64X2_ADD, F64X2_MUL] = [0x00, 0x0b, 0x14, 0xf0, 0xf2];
/** memarg: alignment 2^3 (the arrays are 8-byte aligned), offset 0. */
const MEM = [3, 0];
/** Memory limits: shared, 1 to 65536 pages (any size the caller gives). */
const SHARED_MEMORY = [0x03, ...uleb(1), ...uleb(65536)];

/** triad(a, b, c, n, q): byte addresses of three arrays of n doubles (n even); locals qq (v128), end (i32). */
const BODY = [
  ...vec([[1, V128], [1, I32]]),
  ...get(4), ...simd(F64X2_SPLAT), ...set(5),
  ...get(0), ...get(3), ...i32(3), SHL, ADD, ...set(6),
  BLOCK, VOID, LOOP, VOID,
  ...get(0), ...get(6), GE_U, BR_IF, 1,
  ...get(0), ...get(1), ...simd(V128_LOAD, ...MEM), ...get(2), ...simd(V128_LOAD, ...MEM), ...get(5), ...simd(F64X2_MUL), ...simd(F64X2_ADD), ...simd(V128_STORE, ...MEM),
  ...get(0), ...i32(16), ADD, ...set(0), ...get(1), ...i32(16), ADD, ...set(1), ...get(2), ...i32(16), ADD, ...set(2),
  BR, 0, END, END, END,
];

/** The module: imports env.mem (shared), exports triad(a, b, c, n, q). */
export const WASM_TRIAD_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [F64]]), ...vec([])]])),
  ...section(2, vec([[...name('env'), ...name('mem'), 0x02, ...SHARED_MEMORY]])),
  ...section(3, vec([[0]])),
  ...section(7, vec([[...name('triad'), 0x00, 0]])),
  ...section(10, vec([[...uleb(BODY.length), ...BODY]])),
]);

/** The part of the WebAssembly API used here (the project's lib settings have no DOM types). */
export interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: true }) => { buffer: SharedArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The runtime's WebAssembly, or null when it has none. */
export function wasmApi(): WasmApi | null {
  return ((globalThis as { WebAssembly?: WasmApi }).WebAssembly ?? null);
}

export const WASM_PAGE = 65536;
