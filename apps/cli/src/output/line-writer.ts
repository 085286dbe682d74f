import type { CliOutput } from '../io'

/** Output buffered beyond this is dropped (and counted) rather than growing without bound. */
const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024

/**
 * Writes lines to stdout with a bounded buffer: when the reader (a pipe, `jq`, a slow terminal) falls
 * more than `maxBufferedBytes` behind, lines are dropped and counted instead of filling memory. A
 * closed pipe (`| head`) calls `onClosed` once so the command can stop cleanly.
 */
export class LineWriter {
  dropped = 0
  written = 0
  private closed = false

  constructor(
    private readonly output: CliOutput,
    private readonly onClosed: () => void = () => {},
    private readonly maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES,
  ) {
    output.on('error', this.handleError)
  }

  get isClosed(): boolean {
    return this.closed
  }

  line(text: string): void {
    if (this.closed) return
    if (this.output.writableLength > this.maxBufferedBytes) {
      this.dropped++
      return
    }
    this.written++
    this.output.write(`${text}\n`)
  }

  /** Waits until everything written so far is flushed (or the output closed). */
  async flush(): Promise<void> {
    if (this.closed || this.output.writableLength === 0) return
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.output.off('drain', done)
        this.output.off('close', done)
        resolve()
      }
      this.output.once('drain', done)
      this.output.once('close', done)
    })
  }

  dispose(): void {
    this.output.off('error', this.handleError)
  }

  private readonly handleError = (error: NodeJS.ErrnoException): void => {
    if (this.closed) return
    this.closed = true
    // EPIPE: the reader went away; anything else is equally final for this stream.
    void error
    this.onClosed()
  }
}
