// Each quota membrane's use over the run's steps, for the HTML report's chart. The model tells it of
// every charge (Memory.watchCharges); it keeps bounded memory however long the run: steps fall into
// at most TIMELINE_BUCKETS buckets of equal width (the width doubles when a run outgrows them), and a
// bucket keeps only its first, lowest, highest and last use (the "M4" reduction, which draws the same
// line as every point would at one bucket per pixel column). At most TIMELINE_SERIES membranes get a line.
import { mpToPoints, type Membrane } from '../model/index.js';

export const TIMELINE_BUCKETS = 512;
export const TIMELINE_SERIES = 24;

/** Use (points) of one membrane after a charge at a step. */
export interface TimelinePoint {
  step: number;
  points: number;
}

export interface TimelineSeries {
  /** The membrane's id in the model and the name it was declared under. */
  id: number;
  name: string;
  /** Its T, in points. */
  total: number;
  /** Ended before the run did (its scope ended). */
  closed: boolean;
  points: TimelinePoint[];
}

export interface Timeline {
  /** Steps the run took. */
  steps: number;
  /** Charges and releases observed (each moves a membrane and its enclosing quota membranes). */
  charges: number;
  /** Steps per bucket at the end (1: every charge is kept). */
  bucketSteps: number;
  /** One line per quota membrane that was charged, in the order they were first charged. */
  series: TimelineSeries[];
  /** Quota membranes that were charged but get no line (beyond TIMELINE_SERIES). */
  untracked: number;
}

// A series is a flat list of buckets, each FIELDS numbers: bucket, then step and use (milli-points)
// of its first, lowest, highest and last charge.
const FIELDS = 9;
const [B, FIRST_S, FIRST_V, MIN_S, MIN_V, MAX_S, MAX_V, LAST_S, LAST_V] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

export class ChargeTimeline {
  private width = 1;
  private readonly lines = new Map<Membrane, number[]>();
  // Weak: a run that makes and drops a million membranes must not keep them to count them.
  private readonly others = new WeakSet<Membrane>();
  private untracked = 0;
  private charges = 0;

  /** `clock` tells the current step (the run's operation count). */
  constructor(
    private readonly clock: () => number,
    private readonly maxBuckets = TIMELINE_BUCKETS,
    private readonly maxSeries = TIMELINE_SERIES,
  ) {}

  /** For Memory.watchCharges: m's direct use moved, and the below use of its enclosing quota membranes. */
  readonly watcher = (m: Membrane): void => {
    this.charges++;
    const step = this.clock();
    while (step >= this.width * this.maxBuckets) this.coarsen();
    const b = Math.floor(step / this.width);
    for (let p: Membrane | null = m; p !== null; p = p.quotaParent) this.record(p, b, step);
  };

  private record(m: Membrane, b: number, step: number): void {
    let line = this.lines.get(m);
    if (line === undefined) {
      if (this.lines.size >= this.maxSeries) {
        if (!this.others.has(m)) {
          this.others.add(m);
          this.untracked++;
        }
        return;
      }
      // Its use was 0 until now: every change of it is told.
      line = [b, step, 0, step, 0, step, 0, step, 0];
      this.lines.set(m, line);
    }
    const v = m.directUsed + m.belowUsed;
    const at = line.length - FIELDS;
    if (line[at + B] !== b) {
      line.push(b, step, v, step, v, step, v, step, v);
      return;
    }
    if (v < (line[at + MIN_V] as number)) [line[at + MIN_S], line[at + MIN_V]] = [step, v];
    if (v > (line[at + MAX_V] as number)) [line[at + MAX_S], line[at + MAX_V]] = [step, v];
    [line[at + LAST_S], line[at + LAST_V]] = [step, v];
  }

  /** Doubles the bucket width: neighbouring buckets merge. */
  private coarsen(): void {
    this.width *= 2;
    for (const [m, line] of this.lines) {
      const out: number[] = [];
      for (let i = 0; i < line.length; i += FIELDS) {
        const b = Math.floor((line[i + B] as number) / 2);
        const at = out.length - FIELDS;
        if (at >= 0 && out[at + B] === b) {
          if ((line[i + MIN_V] as number) < (out[at + MIN_V] as number)) [out[at + MIN_S], out[at + MIN_V]] = [line[i + MIN_S] as number, line[i + MIN_V] as number];
          if ((line[i + MAX_V] as number) > (out[at + MAX_V] as number)) [out[at + MAX_S], out[at + MAX_V]] = [line[i + MAX_S] as number, line[i + MAX_V] as number];
          [out[at + LAST_S], out[at + LAST_V]] = [line[i + LAST_S] as number, line[i + LAST_V] as number];
        } else {
          out.push(b, ...line.slice(i + 1, i + FIELDS));
        }
      }
      this.lines.set(m, out);
    }
  }

  /** The lines as plain data (points in RAM-points), steps in order. */
  result(steps: number): Timeline {
    const series: TimelineSeries[] = [];
    for (const [m, line] of this.lines) {
      const points: TimelinePoint[] = [];
      const add = (step: number, mp: number) => {
        const last = points[points.length - 1];
        const p = mpToPoints(mp);
        if (last === undefined || last.step !== step || last.points !== p) points.push({ step, points: p });
      };
      for (let i = 0; i < line.length; i += FIELDS) {
        add(line[i + FIRST_S] as number, line[i + FIRST_V] as number);
        // Lowest and highest in the order they happened (a tie keeps lowest first).
        const lowFirst = (line[i + MIN_S] as number) <= (line[i + MAX_S] as number);
        const [a, z] = lowFirst ? [MIN_S, MAX_S] : [MAX_S, MIN_S];
        add(line[i + a] as number, line[i + a + 1] as number);
        add(line[i + z] as number, line[i + z + 1] as number);
        add(line[i + LAST_S] as number, line[i + LAST_V] as number);
      }
      series.push({ id: m.id, name: m.name, total: mpToPoints(m.total), closed: m.closed, points });
    }
    return { steps, charges: this.charges, bucketSteps: this.width, series, untracked: this.untracked };
  }
}
