import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { ConnectionError, type MarketEvent, safeParseJson } from '@tickmesh/core'
import { checkShape } from './event-codec'

/** A file of spilled events handed back for republishing; deleted once every event is stored. */
export interface SpillSegment {
  readonly path: string
  readonly events: readonly MarketEvent[]
  /** Lines that could not be read back (a torn last line after a crash). */
  readonly unreadableLines: number
  /** Events of this segment not yet confirmed by the server; the owner counts it down. */
  remaining: number
}

export interface SpillStoreOptions {
  directory: string
  /** Events per file; a file is republished as a whole (default 1 000). */
  segmentEvents?: number
}

const FILE_PATTERN = /^spill-\d{13}-\d+-\d{6}\.jsonl$/

/**
 * Trades (and other kinds that must never be dropped) waiting for NATS, as JSON lines on local disk.
 * Files are appended synchronously so an event is on disk before `append` returns, and read back in
 * the order written, including files left by an earlier run.
 */
export class SpillStore {
  readonly directory: string
  private readonly segmentEvents: number
  private readonly closedFiles: string[] = []
  private readonly runId: string
  private activeFd: number | null = null
  private activePath: string | null = null
  private activeLines = 0
  private fileSequence = 0
  private pending = 0

  constructor(options: SpillStoreOptions) {
    this.directory = options.directory
    this.segmentEvents = Math.max(1, options.segmentEvents ?? 1_000)
    this.runId = `${Date.now()}-${process.pid}`
    mkdirSync(this.directory, { recursive: true })
    for (const name of readdirSync(this.directory).sort()) {
      if (!FILE_PATTERN.test(name)) continue
      const path = join(this.directory, name)
      this.closedFiles.push(path)
      this.pending += countLines(path)
    }
  }

  /** Events on disk not yet handed back. */
  get pendingEvents(): number {
    return this.pending
  }

  get hasPending(): boolean {
    return this.pending > 0
  }

  /** Appends one event. Throws a `ConnectionError` when the disk refuses (full, read-only). */
  append(event: MarketEvent): void {
    try {
      if (this.activeFd === null) {
        this.fileSequence++
        this.activePath = join(
          this.directory,
          `spill-${this.runId}-${String(this.fileSequence).padStart(6, '0')}.jsonl`,
        )
        this.activeFd = openSync(this.activePath, 'a')
        this.activeLines = 0
      }
      writeSync(this.activeFd, `${JSON.stringify(event)}\n`)
    } catch (error) {
      throw new ConnectionError(`Could not write the spill file in ${this.directory}.`, {
        cause: error,
        isRetryable: false,
        hint: 'Free disk space or point the spill directory (--spill-dir) at a writable disk: trades are being lost.',
      })
    }
    this.activeLines++
    this.pending++
    if (this.activeLines >= this.segmentEvents) this.rotate()
  }

  /** The oldest file's events, or null when nothing waits. The file stays until `release`. */
  take(): SpillSegment | null {
    if (this.closedFiles.length === 0 && this.activeLines > 0) this.rotate()
    const path = this.closedFiles.shift()
    if (path === undefined) return null
    let text = ''
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      // Removed by hand meanwhile: nothing to republish.
    }
    const events: MarketEvent[] = []
    let unreadableLines = 0
    let lines = 0
    for (const line of text.split('\n')) {
      if (line.length === 0) continue
      lines++
      const parsed = safeParseJson<unknown>(line)
      const checked = parsed.success ? checkShape(parsed.value, line) : null
      if (checked?.success) events.push(checked.value)
      else unreadableLines++
    }
    this.pending = Math.max(0, this.pending - lines)
    const segment: SpillSegment = { path, events, unreadableLines, remaining: events.length }
    if (events.length === 0) this.release(segment)
    return segment
  }

  /** Deletes a segment's file once every event in it is stored in JetStream. */
  release(segment: SpillSegment): void {
    try {
      unlinkSync(segment.path)
    } catch {
      // Already gone.
    }
  }

  /** Closes the open file; spilled events stay on disk for the next run. */
  close(): void {
    this.rotate()
  }

  private rotate(): void {
    if (this.activeFd === null) return
    try {
      closeSync(this.activeFd)
    } catch {
      // The data was written synchronously; a failing close loses nothing.
    }
    this.closedFiles.push(this.activePath!)
    this.activeFd = null
    this.activePath = null
    this.activeLines = 0
  }
}

function countLines(path: string): number {
  try {
    const text = readFileSync(path, 'utf8')
    let count = 0
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++
    return count
  } catch {
    return 0
  }
}
