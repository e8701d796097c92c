// The command line's view of the outside world, so tests can run commands without a process.
import { useColor } from '../diagnostics.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Colour is allowed on this stream (a TTY and no NO_COLOR). */
  colorOut: boolean;
  colorErr: boolean;
  /** stderr is a terminal: progress may be shown there. */
  errIsTTY: boolean;
  cwd: string;
}

export function processIo(): Io {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    colorOut: useColor(process.stdout),
    colorErr: useColor(process.stderr),
    errIsTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}

export interface CapturedIo extends Io {
  readonly stdout: string;
  readonly stderr: string;
}

export function captureIo(cwd = process.cwd()): CapturedIo {
  let stdout = '';
  let stderr = '';
  return {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    colorOut: false,
    colorErr: false,
    errIsTTY: false,
    cwd,
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
