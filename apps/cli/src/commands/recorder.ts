import { existsSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { createRecordingWriter, type RawItem, type RecordingWriter, type TickmeshError } from '@tickmesh/core'
import { UsageError } from '../errors'
import type { CliIo } from '../io'

/** A recording in progress: raw frames and REST responses go to the file as they arrive. */
export interface Recorder {
  readonly writer: RecordingWriter
  readonly onRaw: (item: RawItem) => void
  /** The first write failure (disk full, permission), when one happened. */
  readonly failure: TickmeshError | null
  close(): Promise<void>
}

/** Opens `path` (gzip when it ends in `.gz`) after checking its folder exists. */
export function openRecorder(io: CliIo, path: string, onFailure: (error: TickmeshError) => void): Recorder {
  const full = isAbsolute(path) ? path : join(io.cwd, path)
  const folder = dirname(full)
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`Cannot record to ${path}: the folder ${folder} does not exist.`, {
      hint: 'Create the folder first or choose another --out path.',
      details: { path },
    })
  }
  let failure: TickmeshError | null = null
  const writer = createRecordingWriter(full, {
    onError: (error) => {
      if (failure !== null) return
      failure = error
      onFailure(error)
    },
  })
  return {
    writer,
    onRaw: (item) => {
      writer.write(item)
    },
    get failure() {
      return failure
    },
    close: () => writer.close(),
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${bytes} B`
}
