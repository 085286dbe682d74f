import { Writable } from 'node:stream'
import type { CliIo, CliOutput } from './io'

/** A collecting output stream for in-process CLI tests. */
export class MemoryOutput extends Writable {
  text = ''
  isTTY = false
  constructor() {
    super({ decodeStrings: false })
  }
  override _write(
    chunk: string | Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    callback()
  }
}

export interface TestIo {
  io: CliIo
  stdout: MemoryOutput
  stderr: MemoryOutput
  /** Parsed NDJSON lines of stdout. */
  json(): Record<string, unknown>[]
}

/** An injected IO for `main(argv, io)`: memory stdout/stderr, an env, a cwd. */
export function createTestIo(
  options: { env?: Record<string, string>; cwd?: string; signal?: AbortSignal } = {},
): TestIo {
  const stdout = new MemoryOutput()
  const stderr = new MemoryOutput()
  const io: CliIo = {
    stdout: stdout as CliOutput,
    stderr: stderr as CliOutput,
    env: { NO_COLOR: '1', ...options.env },
    cwd: options.cwd ?? process.cwd(),
  }
  if (options.signal !== undefined) io.signal = options.signal
  return {
    io,
    stdout,
    stderr,
    json: () =>
      stdout.text
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  }
}

/** `process.argv`-shaped arguments for `main`. */
export function argv(...args: string[]): string[] {
  return ['node', 'tickmesh', ...args]
}
