import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'

/** The lines of a text file (gunzipped when it ends in `.gz`), with 1-based line numbers. */
export async function* readLines(path: string): AsyncGenerator<{ text: string; line: number }> {
  const file = createReadStream(path)
  const source: Readable = path.endsWith('.gz') ? file.pipe(createGunzip()) : file
  if (source !== file) file.on('error', (error) => source.destroy(error))
  const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY })
  let line = 0
  try {
    for await (const text of lines) {
      line++
      yield { text, line }
    }
  } finally {
    lines.close()
    source.destroy()
    file.destroy()
  }
}
