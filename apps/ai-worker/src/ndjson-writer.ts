import type { WriteStream } from 'node:fs'
import { createWriteStream } from 'node:fs'
import type { OutputRecord } from './output-records'

/** Anything that takes text: `process.stdout`, a test's collector. */
export interface TextSink {
  write(text: string): unknown
}

/** Writes one JSON object per line to a sink (stdout) or to a file it opens for appending. */
export class NdjsonWriter {
  private readonly file: WriteStream | null
  private readonly sink: TextSink
  private failed: Error | null = null

  constructor(target: TextSink | { path: string }) {
    if ('path' in target) {
      this.file = createWriteStream(target.path, { flags: 'a' })
      this.sink = this.file
      // A full disk must not crash the worker; the error is reported on close.
      this.file.on('error', (error: Error) => {
        this.failed ??= error
      })
    } else {
      this.file = null
      this.sink = target
    }
  }

  write(record: OutputRecord): void {
    if (this.failed !== null) return
    try {
      this.sink.write(`${JSON.stringify(record)}\n`)
    } catch (error) {
      this.failed = error instanceof Error ? error : new Error(String(error))
    }
  }

  /** Flushes and closes a file this writer opened; resolves with the first write error, if any. */
  async close(): Promise<Error | null> {
    const file = this.file
    if (file !== null && !file.destroyed) await new Promise<void>((resolve) => file.end(resolve))
    return this.failed
  }
}
