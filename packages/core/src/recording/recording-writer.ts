import { Buffer } from 'node:buffer'
import { createWriteStream } from 'node:fs'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import type { RawItem } from '../adapter/adapter-types'
import { TickmeshError } from '../errors'
import { isSensitiveFrame, redactUrl } from './is-sensitive-frame'
import { encodeRecordingLine } from './recording-format'

export interface RecordingWriterOptions {
  /** Bytes allowed to wait for the disk; items beyond it are dropped and counted. Default 64 MiB. */
  maxBufferedBytes?: number
  /** Called once when the file cannot be written (later items are dropped). */
  onError?: (error: TickmeshError) => void
}

export interface RecordingWriter {
  readonly path: string
  /** Items written. */
  readonly messages: number
  /** Uncompressed bytes written (lines and newlines). */
  readonly bytes: number
  /** Frames left out because they carry credentials (see `isSensitiveFrame`). */
  readonly droppedSensitive: number
  /** Items dropped because the disk fell `maxBufferedBytes` behind, or after a write error. */
  readonly droppedOverflow: number
  /** Appends one item. Returns false when it was left out (sensitive, overflow, closed or failed). */
  write(item: RawItem): boolean
  /** Flushes and closes the file; rejects with the write error if one happened. Idempotent. */
  close(): Promise<void>
}

/**
 * Opens an NDJSON recording at `path` (gzip-compressed when it ends with `.gz`), one line per item:
 * `{"t","venue","market","kind","url","status"?,"data"}`. Auth/login frames and frames with
 * signatures or API keys are never written, and credential query parameters are redacted from URLs.
 */
export function createRecordingWriter(path: string, options: RecordingWriterOptions = {}): RecordingWriter {
  return new FileRecordingWriter(path, options)
}

class FileRecordingWriter implements RecordingWriter {
  messages = 0
  bytes = 0
  droppedSensitive = 0
  droppedOverflow = 0
  private readonly file: Writable
  private readonly sink: Writable
  private readonly maxBufferedBytes: number
  private readonly onError: ((error: TickmeshError) => void) | undefined
  private failure: TickmeshError | null = null
  private closing: Promise<void> | null = null

  constructor(
    readonly path: string,
    options: RecordingWriterOptions,
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 64 * 1024 * 1024
    this.onError = options.onError
    this.file = createWriteStream(path)
    this.sink = path.endsWith('.gz') ? createGzip() : this.file
    if (this.sink !== this.file) this.sink.pipe(this.file)
    this.file.on('error', (error) => this.fail(error))
    if (this.sink !== this.file) this.sink.on('error', (error) => this.fail(error))
  }

  write(item: RawItem): boolean {
    if (this.closing !== null || this.failure !== null) {
      this.droppedOverflow++
      return false
    }
    if (isSensitiveFrame(item.data)) {
      this.droppedSensitive++
      return false
    }
    if (this.sink.writableLength > this.maxBufferedBytes) {
      this.droppedOverflow++
      return false
    }
    const line = `${encodeRecordingLine(item, redactUrl(item.url))}\n`
    this.sink.write(line)
    this.messages++
    this.bytes += Buffer.byteLength(line)
    return true
  }

  close(): Promise<void> {
    if (this.closing === null) {
      this.sink.end()
      this.closing = finished(this.file).then(
        () => {
          if (this.failure !== null) throw this.failure
        },
        (error: unknown) => {
          throw this.failure ?? this.wrap(error)
        },
      )
    }
    return this.closing
  }

  private fail(error: unknown): void {
    if (this.failure !== null) return
    this.failure = this.wrap(error)
    this.onError?.(this.failure)
  }

  private wrap(error: unknown): TickmeshError {
    const reason = error instanceof Error ? error.message : String(error)
    return new TickmeshError(`Could not write the recording ${this.path}: ${reason}`, {
      hint: 'Check that the folder exists, is writable and the disk is not full.',
      cause: error,
      details: { path: this.path, messagesWritten: this.messages },
    })
  }
}
