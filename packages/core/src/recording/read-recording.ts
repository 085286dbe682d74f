import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { RawItem } from '../adapter/adapter-types'
import { ConfigError, DecodeError } from '../errors'
import { decodeRecordingLine } from './recording-format'

export interface ReadRecordingOptions {
  /** Called for each line that could not be read (it is skipped) and for a truncated gzip end. */
  onError?: (error: DecodeError) => void
}

/** Counters of a reader, filled in as it is iterated. */
export interface RecordingReader extends AsyncIterable<RawItem> {
  readonly path: string
  /** Lines read so far (including bad ones and blank ones). */
  readonly lines: number
  /** Items yielded so far. */
  readonly items: number
  /** Lines skipped as unreadable so far. */
  readonly errors: number
}

/**
 * Reads a recording written by `createRecordingWriter` (gunzipping `.gz`), yielding items in file
 * order. Bad lines become `DecodeError`s (with the line number) passed to `onError` and are skipped;
 * iteration never throws for them. A missing file rejects the first step with a `ConfigError`.
 */
export function readRecording(path: string, options: ReadRecordingOptions = {}): RecordingReader {
  return new FileRecordingReader(path, options.onError)
}

class FileRecordingReader implements RecordingReader {
  lines = 0
  items = 0
  errors = 0

  constructor(
    readonly path: string,
    private readonly onError: ((error: DecodeError) => void) | undefined,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RawItem> {
    try {
      await stat(this.path)
    } catch (error) {
      throw new ConfigError(`Cannot open the recording ${this.path}.`, {
        hint: 'Check the path; recordings are made with `tickmesh record`.',
        cause: error,
        details: { path: this.path },
      })
    }
    const file = createReadStream(this.path)
    const source: Readable = this.path.endsWith('.gz') ? file.pipe(createGunzip()) : file
    // A damaged gzip stream errors on the gunzip stream; forward it so readline ends the loop.
    if (source !== file) file.on('error', (error) => source.destroy(error))
    const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY })
    try {
      for await (const text of lines) {
        this.lines++
        if (text.trim().length === 0) continue
        const result = decodeRecordingLine(text, this.lines, this.path)
        if (result instanceof DecodeError) {
          this.report(result)
          continue
        }
        this.items++
        yield result
      }
    } catch (error) {
      this.report(
        new DecodeError(`The recording ${this.path} ends unreadably after line ${this.lines}.`, {
          hint: 'The file was probably cut off while being written (a crash or a full disk); the items before this point were read.',
          cause: error,
          details: { path: this.path, line: this.lines },
        }),
      )
    } finally {
      lines.close()
      source.destroy()
      file.destroy()
    }
  }

  private report(error: DecodeError): void {
    this.errors++
    this.onError?.(error)
  }
}
