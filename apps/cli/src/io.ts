import type { Readable, Writable } from 'node:stream'

/** A writable the CLI prints to: `process.stdout` or a test collector. */
export type CliOutput = Writable & { isTTY?: boolean; columns?: number; rows?: number }

/**
 * Everything the CLI touches outside itself, injectable so commands run in-process in tests:
 * output streams, input (for the dashboard's `q`), environment, working directory and a stop signal.
 */
export interface CliIo {
  stdout: CliOutput
  stderr: CliOutput
  /** Keyboard input for the dashboard; absent or not a TTY = no key handling. */
  stdin?: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown }
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  /** Aborted on SIGINT/SIGTERM (the bin wires it) or by a test: streaming commands stop cleanly. */
  signal?: AbortSignal
}

/** The real process: stdio, env, cwd. The bin adds the signal. */
export function processIo(signal?: AbortSignal): CliIo {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  }
  if (signal !== undefined) io.signal = signal
  return io
}

/** Writes one line to stderr. */
export function printError(io: CliIo, text: string): void {
  io.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
}

/** True when colors may be used: a TTY, NO_COLOR unset or empty, and FORCE_COLOR not 0. */
export function colorEnabled(io: CliIo): boolean {
  const noColor = io.env.NO_COLOR
  if (noColor !== undefined && noColor !== '') return false
  if (io.env.FORCE_COLOR === '0') return false
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '') return true
  return io.stdout.isTTY === true && io.env.TERM !== 'dumb'
}
