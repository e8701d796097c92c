// The arithmetic of basket design (quota.md §9): spreads of a corpus under a basket, the floor no
// basket can beat, and the weights of a basket that comes close to it. A profile's prices are its
// bytes times one scale s_p = N / bytes_p, so a basket only chooses the vector of scales; in log space
// the worst spread is a max of differences, and its minimum (the floor) is the maximum cycle mean of
// the graph whose edge p→q weighs d_pq = max over programs of ln B_p(x) − ln B_q(x). Floats are used
// here only for ratios and for the search; the weights this returns are integers, and every spread a
// caller reports is recomputed from exact byte totals.

/** Bytes of each program under each profile: `bytes[x][p]` (> 0). */
export type ByteMatrix = readonly (readonly number[])[];

export interface SpreadStats {
  readonly median: number;
  readonly p90: number;
  readonly worst: number;
}

/** Median, 90th percentile (nearest rank) and maximum of a list of spreads. */
export function spreadStats(spreads: readonly number[]): SpreadStats {
  if (spreads.length === 0) return { median: 1, p90: 1, worst: 1 };
  const s = [...spreads].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  const p90 = s[Math.max(0, Math.ceil(0.9 * s.length) - 1)] as number;
  return { median, p90, worst: s[s.length - 1] as number };
}

/** The spread (max / min points over the profiles) of each program when profile p prices by `scale[p]` (points ∝ scale·bytes). */
export function spreadsUnderScales(bytes: ByteMatrix, scale: readonly number[]): number[] {
  return bytes.map((row) => {
    let hi = -Infinity;
    let lo = Infinity;
    row.forEach((b, p) => {
      const v = Math.log(b) + Math.log(scale[p] as number);
      if (v > hi) hi = v;
      if (v < lo) lo = v;
    });
    return Math.exp(hi - lo);
  });
}

/** Spreads of each program under a basket whose bytes under profile p are `basketBytes[p]` (scale 1 / bytes_p). */
export function spreadsUnderBasket(bytes: ByteMatrix, basketBytes: readonly number[]): number[] {
  return spreadsUnderScales(
    bytes,
    basketBytes.map((b) => 1 / b),
  );
}

/** d[p][q] = max over programs of ln B_p(x) − ln B_q(x), and the program that attains it. */
function edgeWeights(bytes: ByteMatrix, profiles: number): { d: number[][]; arg: number[][] } {
  const d = Array.from({ length: profiles }, () => new Array<number>(profiles).fill(-Infinity));
  const arg = Array.from({ length: profiles }, () => new Array<number>(profiles).fill(-1));
  bytes.forEach((row, x) => {
    for (let p = 0; p < profiles; p++) {
      for (let q = 0; q < profiles; q++) {
        if (p === q) continue;
        const v = Math.log(row[p] as number) - Math.log(row[q] as number);
        if (v > (d[p] as number[])[q]!) {
          (d[p] as number[])[q] = v;
          (arg[p] as number[])[q] = x;
        }
      }
    }
  });
  return { d, arg };
}

/** A cycle of profiles (indices) and its mean edge weight. */
interface Cycle {
  readonly nodes: readonly number[];
  readonly mean: number;
}

/** Profiles the exact cycle enumeration accepts (about a million cycles at 10). */
export const MAX_FIT_PROFILES = 10;

/** The simple cycle with the largest mean weight (each cycle enumerated once, from its smallest node). */
function maxMeanCycle(d: readonly (readonly number[])[]): Cycle {
  const n = d.length;
  let best: Cycle = { nodes: [], mean: 0 };
  const path: number[] = [];
  const used = new Array<boolean>(n).fill(false);
  const walk = (start: number, at: number, sum: number) => {
    for (let next = start; next < n; next++) {
      const w = (d[at] as number[])[next] as number;
      if (next === start) {
        if (path.length >= 2) {
          const mean = (sum + w) / path.length;
          if (best.nodes.length === 0 || mean > best.mean + 1e-15) best = { nodes: [...path], mean };
        }
        continue;
      }
      if (used[next]) continue;
      used[next] = true;
      path.push(next);
      walk(start, next, sum + w);
      path.pop();
      used[next] = false;
    }
  };
  // The start needs no mark in `used`: a walk from s only ever steps to nodes after s.
  for (let s = 0; s < n; s++) {
    path.push(s);
    walk(s, s, 0);
    path.pop();
  }
  return best;
}

/**
 * Log-scales u (u_p = ln s_p) meeting every constraint u_p − u_q ≤ t − d_pq: the middle of the
 * smallest and the largest solution (both from Bellman-Ford), so each constraint keeps some slack
 * when t is above the floor. Null when t is below the floor (a positive cycle).
 */
export function scalesWithin(d: readonly (readonly number[])[], t: number): number[] | null {
  const n = d.length;
  const relax = (w: (p: number, q: number) => number) => {
    const dist = new Array<number>(n).fill(0);
    for (let round = 0; round <= n; round++) {
      let changed = false;
      for (let p = 0; p < n; p++) {
        for (let q = 0; q < n; q++) {
          if (p === q) continue;
          // u_p ≤ u_q + w(p, q)
          const v = (dist[q] as number) + w(p, q);
          if (v < (dist[p] as number) - 1e-12) {
            dist[p] = v;
            changed = true;
          }
        }
      }
      if (!changed) return dist;
    }
    return null;
  };
  const low = relax((p, q) => t - ((d[p] as number[])[q] as number));
  // The largest solution: z = −u meets z_q ≤ z_p + (t − d_pq).
  const high = relax((q, p) => t - ((d[p] as number[])[q] as number));
  if (!low || !high) return null;
  const u = low.map((v, i) => (v - (high[i] as number)) / 2);
  const shift = u[0] as number;
  return u.map((v) => v - shift);
}

export interface FloorResult {
  /** The smallest worst-case spread any one-scale-per-profile choice reaches on the corpus. */
  readonly worst: number;
  /** The profiles of the cycle that pins it (two for a pair) and, per step p→q, the program most expensive on p relative to q. */
  readonly profiles: readonly number[];
  readonly programs: readonly number[];
  /** Floor of every pair of profiles alone: sqrt(max_x B_p/B_q · max_x B_q/B_p). */
  readonly pairFloors: readonly { readonly profiles: readonly [number, number]; readonly worst: number }[];
  /** Edge weights (for the scales near the floor). */
  readonly d: readonly (readonly number[])[];
  /** Log-scales that reach the floor. */
  readonly scales: readonly number[];
}

/** The floor of a corpus (quota.md §9): exactly the maximum cycle mean, in log space, of the edge weights d_pq. */
export function corpusFloor(bytes: ByteMatrix, profiles: number): FloorResult {
  if (profiles < 2 || bytes.length === 0) return { worst: 1, profiles: [], programs: [], pairFloors: [], d: [], scales: new Array<number>(profiles).fill(0) };
  const { d, arg } = edgeWeights(bytes, profiles);
  const c = maxMeanCycle(d);
  const pairFloors: { profiles: [number, number]; worst: number }[] = [];
  for (let p = 0; p < profiles; p++) for (let q = p + 1; q < profiles; q++) pairFloors.push({ profiles: [p, q], worst: Math.exp((((d[p] as number[])[q] as number) + ((d[q] as number[])[p] as number)) / 2) });
  const scales = scalesWithin(d, c.mean + 1e-12) ?? new Array<number>(profiles).fill(0);
  const programs = c.nodes.map((p, i) => (arg[p] as number[])[c.nodes[(i + 1) % c.nodes.length] as number] as number);
  return { worst: Math.exp(c.mean), profiles: c.nodes, programs, pairFloors, d, scales };
}

/** The worst spread of the corpus under log-scales u. */
export function worstUnderScales(bytes: ByteMatrix, u: readonly number[]): number {
  return Math.max(1, ...spreadsUnderScales(bytes, u.map((v) => Math.exp(v))));
}

/** Mean of ln(spread) over the corpus under log-scales u. */
export function meanLogSpread(bytes: ByteMatrix, u: readonly number[]): number {
  let sum = 0;
  for (const row of bytes) {
    let hi = -Infinity;
    let lo = Infinity;
    row.forEach((b, p) => {
      const v = Math.log(b) + (u[p] as number);
      if (v > hi) hi = v;
      if (v < lo) lo = v;
    });
    sum += hi - lo;
  }
  return bytes.length === 0 ? 0 : sum / bytes.length;
}

/**
 * Log-scales minimizing the mean log-spread: a pattern search with halving steps over the directions
 * 1_S, every non-empty set S of profiles 1…n−1 raised together (profile 0 stays: raising it is
 * lowering all the others). The objective is convex and linear between kinks u_p − u_q = c, and near
 * any point those kinks cut space into cones spanned by such vectors: where no small ±1_S step
 * improves, no direction does (without a bound; at the bound's edge the search may stop short).
 * Single profiles alone stall at a kink (quota.md §9; test/model/fit.mutants.test.ts).
 */
export function scalesForMean(bytes: ByteMatrix, profiles: number, start: readonly number[], maxWorstLog = Infinity): number[] {
  const u = [...start];
  // With a bound, only moves that keep every program's log-spread within it (start must be inside).
  const inside = (v: readonly number[]) => maxWorstLog === Infinity || Math.log(worstUnderScales(bytes, v)) <= maxWorstLog;
  let f = meanLogSpread(bytes, u);
  // Single profiles first, then larger sets; after a move the search starts again from the first
  // direction, so the many sets (511 at 10 profiles) are tried only where single profiles stop.
  const dirs: number[][] = [];
  for (let set = 1; set < 1 << (profiles - 1); set++) dirs.push(Array.from({ length: profiles }, (_, p) => (p > 0 && (set >> (p - 1)) & 1 ? 1 : 0)));
  dirs.sort((a, b) => a.reduce((n, x) => n + x, 0) - b.reduce((n, x) => n + x, 0));
  const moved = (dir: readonly number[], step: number): boolean => {
    for (const sign of [1, -1]) {
      const v = u.map((x, i) => x + sign * step * (dir[i] as number));
      const fv = meanLogSpread(bytes, v);
      if (fv < f - 1e-13 && inside(v)) {
        u.splice(0, u.length, ...v);
        f = fv;
        return true;
      }
    }
    return false;
  };
  for (let step = 0.5; step > 1e-7; step /= 2) {
    let i = 0;
    while (i < dirs.length) i = moved(dirs[i] as number[], step) ? 0 : i + 1;
  }
  return u;
}

/**
 * Non-negative least squares (Lawson–Hanson): w ≥ 0 minimizing ‖A w − b‖, A given by columns.
 * Small and dense: one row per profile, one column per candidate program.
 */
export function nnls(columns: readonly (readonly number[])[], b: readonly number[]): number[] {
  const m = columns.length;
  const rows = b.length;
  const w = new Array<number>(m).fill(0);
  const passive = new Set<number>();
  const residual = () => b.map((bi, r) => bi - columns.reduce((s, col, j) => s + (col[r] as number) * (w[j] as number), 0));
  const dot = (col: readonly number[], v: readonly number[]) => col.reduce((s, c, r) => s + c * (v[r] as number), 0);
  const solvePassive = (set: number[]): number[] => {
    // Normal equations on the passive columns (few: at most one per row in a basic solution).
    const k = set.length;
    const g = Array.from({ length: k }, (_, i) => Array.from({ length: k + 1 }, (_, j) => (j < k ? dot(columns[set[i] as number] as number[], columns[set[j] as number] as number[]) : dot(columns[set[i] as number] as number[], b))));
    for (let i = 0; i < k; i++) {
      let piv = i;
      for (let r = i + 1; r < k; r++) if (Math.abs((g[r] as number[])[i] as number) > Math.abs((g[piv] as number[])[i] as number)) piv = r;
      [g[i], g[piv]] = [g[piv] as number[], g[i] as number[]];
      const gi = g[i] as number[];
      const diag = gi[i] as number;
      if (Math.abs(diag) < 1e-300) continue;
      for (let r = 0; r < k; r++) {
        if (r === i) continue;
        const gr = g[r] as number[];
        const f = (gr[i] as number) / diag;
        if (f !== 0) for (let c = i; c <= k; c++) gr[c] = (gr[c] as number) - f * (gi[c] as number);
      }
    }
    return g.map((gi, i) => (Math.abs(gi[i] as number) < 1e-300 ? 0 : (gi[k] as number) / (gi[i] as number)));
  };
  const tol = 1e-12 * Math.max(1, ...b.map(Math.abs));
  for (let iter = 0; iter < 3 * m + 3 * rows + 10; iter++) {
    const r = residual();
    let best = -1;
    let bestG = tol;
    for (let j = 0; j < m; j++) {
      if (passive.has(j)) continue;
      const gj = dot(columns[j] as number[], r);
      if (gj > bestG) {
        bestG = gj;
        best = j;
      }
    }
    if (best < 0) break;
    passive.add(best);
    for (let inner = 0; inner < 3 * m + 10; inner++) {
      const set = [...passive];
      const z = solvePassive(set);
      if (z.every((v) => v > 0)) {
        set.forEach((j, i) => (w[j] = z[i] as number));
        break;
      }
      let alpha = 1;
      set.forEach((j, i) => {
        const zi = z[i] as number;
        if (zi <= 0) alpha = Math.min(alpha, (w[j] as number) / ((w[j] as number) - zi));
      });
      set.forEach((j, i) => {
        w[j] = (w[j] as number) + alpha * ((z[i] as number) - (w[j] as number));
        if ((w[j] as number) <= 1e-15) {
          w[j] = 0;
          passive.delete(j);
        }
      });
    }
  }
  return w;
}

/**
 * Non-negative weights over candidate programs whose bytes under each profile are proportional to
 * `target` (a basket's bytes_p sets its scale 1/bytes_p): NNLS on the candidates' bytes relative to
 * the target, so every profile counts alike.
 */
export function weightsForTarget(candidates: ByteMatrix, target: readonly number[]): number[] {
  const cols = candidates.map((row) => {
    const rel = row.map((b, p) => b / (target[p] as number));
    const norm = Math.hypot(...rel) || 1;
    return { rel: rel.map((v) => v / norm), norm };
  });
  const w = nnls(
    cols.map((c) => c.rel),
    target.map(() => 1),
  );
  return w.map((v, j) => v / (cols[j] as { norm: number }).norm);
}

/** Whole-number weights for real ones: scaled so the largest is `top`, rounded, zeros dropped, divided by their gcd. */
export function wholeWeights(w: readonly number[], top: number): number[] {
  const max = Math.max(0, ...w);
  if (!(max > 0)) return w.map(() => 0);
  const out = w.map((v) => Math.round((v / max) * top));
  const g = out.reduce((a, v) => (v > 0 ? gcdOf(a, v) : a), 0) || 1;
  return out.map((v) => v / g);
}

export type FitObjective = 'worst' | 'mean';

/** A basket's bytes under each profile: Σ weight × candidate bytes. */
function basketBytesOf(candidates: ByteMatrix, w: readonly number[], profiles: number): number[] {
  const out = new Array<number>(profiles).fill(0);
  candidates.forEach((row, j) => {
    const wj = w[j] as number;
    if (wj !== 0) row.forEach((b, p) => (out[p] = (out[p] as number) + wj * b));
  });
  return out;
}

interface Scored {
  readonly weights: number[];
  readonly worst: number;
  readonly mean: number;
}

/**
 * Whole weights over the candidates for a basket that brings the corpus's worst spread close to the
 * floor (`worst`: any basket within 1.5% of it counts as reaching it, and then the smaller mean
 * log-spread wins) or that minimizes the mean log-spread (`mean`). Targets are scale vectors at and
 * a little above the floor (and, within those, the ones with the smallest mean); each is met by NNLS
 * over the candidates, rounded to whole weights, then improved by a local search on the weights.
 */
export function fitWeights(corpus: ByteMatrix, candidates: ByteMatrix, profiles: number, objective: FitObjective = 'worst', floor = corpusFloor(corpus, profiles)): number[] | null {
  const logFloor = Math.log(floor.worst);
  const score = (w: number[]): Scored | null => {
    const bb = basketBytesOf(candidates, w, profiles);
    if (bb.some((b) => !(b > 0))) return null;
    const u = bb.map((b) => -Math.log(b));
    return { weights: w, worst: worstUnderScales(corpus, u), mean: meanLogSpread(corpus, u) };
  };
  const near = (s: Scored) => s.worst <= floor.worst * 1.015;
  const better = (x: Scored, y: Scored | null) => y === null || (objective === 'mean' ? x.mean < y.mean - 1e-12 : near(x) && near(y) ? x.mean < y.mean - 1e-12 : x.worst < y.worst - 1e-12);
  const targets: number[][] = [];
  if (objective === 'worst') {
    for (const slack of [0, 0.001, 0.003, 0.006, 0.01]) {
      const u = scalesWithin(floor.d, logFloor + slack);
      if (!u) continue;
      targets.push(u);
      if (slack > 0) targets.push(scalesForMean(corpus, profiles, u, logFloor + slack));
    }
  } else targets.push(scalesForMean(corpus, profiles, floor.scales));
  let best: Scored | null = null;
  for (const u of targets) {
    const w = weightsForTarget(
      candidates,
      u.map((v) => Math.exp(-v)),
    );
    for (const top of [20, 100, 1000, 10000]) {
      const s = score(wholeWeights(w, top));
      if (s && better(s, best)) best = s;
    }
  }
  if (best === null) return null;
  // Local search on whole weights: nudge one weight up or down by a step, keep what is better.
  const moves = [0.5, 0.1, 0.02];
  for (let round = 0; round < 200; round++) {
    let moved = false;
    for (const f of moves) {
      for (let j = 0; j < candidates.length; j++) {
        const wj = best.weights[j] as number;
        const step = Math.max(1, Math.round(Math.max(...best.weights) * f * (wj > 0 ? 0.1 : 0.01)));
        for (const d of [step, -step]) {
          if (wj + d < 0) continue;
          const w = [...best.weights];
          w[j] = wj + d;
          const s = score(w);
          if (s && better(s, best)) {
            best = s;
            moved = true;
          }
        }
      }
    }
    if (!moved) break;
  }
  // Fewer programs make a basket one can read: drop a program when the basket stays as good — for
  // `worst` still within 1.5% of the floor (or no worse) and a mean log-spread at most 0.3% larger.
  const keepsUp = (s: Scored, b: Scored) =>
    objective === 'mean' ? s.mean <= b.mean * 1.003 : (near(s) || s.worst <= b.worst * (1 + 1e-12)) && (near(s) === near(b) || near(s)) && s.mean <= b.mean * 1.003;
  const order = best.weights.map((w, j) => j).filter((j) => (best as Scored).weights[j] as number > 0);
  order.sort((a, b) => ((best as Scored).weights[a] as number) - ((best as Scored).weights[b] as number));
  const reference = best;
  for (const j of order) {
    const w = [...best.weights];
    w[j] = 0;
    const s = score(w);
    if (s && keepsUp(s, reference)) best = s;
  }
  const g = best.weights.reduce((a, v) => (v > 0 ? gcdOf(a, v) : a), 0) || 1;
  return best.weights.map((v) => v / g);
}

function gcdOf(a: number, b: number): number {
  return b === 0 ? a : gcdOf(b, a % b);
}
