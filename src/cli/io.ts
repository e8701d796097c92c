// The command line's view of the outside world, so tests can run commands without a process.
import { diagnostic, formatDiagnostic, useColor } from '../diagnostics.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Colour is wanted on this stream (decided per stream: FORCE_COLOR, NO_COLOR, TERM=dumb, its TTY). */
  colorOut: boolean;
  colorErr: boolean;
  /** stderr is a terminal: progress may be shown there. */
  errIsTTY: boolean;
  cwd: string;
  /** All of standard input (the file `-`), at most `max` bytes: beyond, an EFBIG error. */
  readStdin(max: number): Promise<Buffer>;
}

function tooLong(max: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`standard input is larger than ${max} bytes`), { code: 'EFBIG' });
}

async function readAll(stream: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += b.length;
    if (total > max) throw tooLong(max);
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}

function closedPipe(): never {
  return process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
}

/**
 * A write that fails after the command started must not end in Node's stack trace: a reader that went
 * away (`merg-e run … | head`, EPIPE) ends the process quietly with the status so far, as Unix tools
 * do; any other failure (a full disk) is reported in one coded line on stderr (MRG4025, exit 1).
 */
export function endOnWriteError(stream: NodeJS.WriteStream, name: string): void {
  stream.on('error', (e: NodeJS.ErrnoException) => writeFailed(stream, name, e));
}

function writeFailed(stream: NodeJS.WriteStream, name: string, e: NodeJS.ErrnoException): never {
  if (e.code === 'EPIPE') return closedPipe();
  if (stream !== process.stderr) {
    const d = diagnostic('MRG4025', `cannot write to ${name}: ${e.code ?? e.message}`, undefined, 'Check where the output goes (a full disk, a closed file).');
    process.stderr.write(formatDiagnostic(d) + '\n');
  }
  return process.exit(1);
}

/**
 * Writes and, when the write failed, ends at once. The stream's 'error' event would come on a later
 * tick, which a running program (synchronous) never yields to: `merg-e run prog | head -1` went on
 * for its whole --timeout after head had gone, then printed MRG3011. A failed write marks the stream
 * `errored` at once, so the program stops at the write that found the reader gone.
 */
function writeOrEnd(stream: NodeJS.WriteStream, name: string, text: string): void {
  stream.write(text);
  const e = stream.errored as NodeJS.ErrnoException | null;
  if (e) writeFailed(stream, name, e);
}

/**
 * Output to a pipe blocks while the reader is behind. Node would queue it in memory instead, and the
 * interpreter runs synchronously: `merg-e run prog | slow-reader` grew by gigabytes (and outlived
 * its --timeout flushing them). Files and terminals are written synchronously already.
 */
export function blockOnFullPipe(stream: NodeJS.WriteStream): void {
  const handle = (stream as unknown as { _handle?: { setBlocking?: (on: boolean) => unknown } })._handle;
  if (handle && typeof handle.setBlocking === 'function') handle.setBlocking(true);
}

let watched = false;

export function processIo(): Io {
  if (!watched) {
    watched = true;
    endOnWriteError(process.stdout, 'stdout');
    endOnWriteError(process.stderr, 'stderr');
    blockOnFullPipe(process.stdout);
    blockOnFullPipe(process.stderr);
  }
  return {
    out: (t) => writeOrEnd(process.stdout, 'stdout', t),
    err: (t) => writeOrEnd(process.stderr, 'stderr', t),
    colorOut: useColor(process.stdout),
    colorErr: useColor(process.stderr),
    errIsTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    readStdin: (max) => readAll(process.stdin, max),
  };
}

export interface CapturedIo extends Io {
  readonly stdout: string;
  readonly stderr: string;
}

export interface CaptureOptions {
  /** What the command reads as `-`. */
  stdin?: string | Buffer;
  colorOut?: boolean;
  colorErr?: boolean;
  errIsTTY?: boolean;
}

/** An Io that records what a command prints. */
export function captureIo(cwd = process.cwd(), opts: CaptureOptions = {}): CapturedIo {
  let stdout = '';
  let stderr = '';
  return {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    colorOut: opts.colorOut ?? false,
    colorErr: opts.colorErr ?? false,
    errIsTTY: opts.errIsTTY ?? false,
    cwd,
    readStdin: (max) => readAll([Buffer.from(opts.stdin ?? '')], max),
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** A subcommand: gets its own arguments, returns the exit status. */
export type Command = (argv: string[], io: Io) => Promise<number>;
