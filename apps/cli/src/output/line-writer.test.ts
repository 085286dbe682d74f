import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CliOutput } from '../io'
import { LineWriter } from './line-writer'

/** A stdout whose reader never reads: everything written stays buffered. */
function stuckOutput(): CliOutput {
  return new Writable({ highWaterMark: 1024, write: () => {} }) as CliOutput
}

describe('LineWriter', () => {
  it('drops and counts lines once the unread buffer passes its bound', () => {
    const writer = new LineWriter(stuckOutput(), () => {}, 10_000)
    const line = 'x'.repeat(99)
    for (let i = 0; i < 1_000; i++) writer.line(line)
    // The first write may pass the bound; after that at most ~10 kB are held.
    expect(writer.written).toBeLessThanOrEqual(102)
    expect(writer.written + writer.dropped).toBe(1_000)
    expect(writer.dropped).toBeGreaterThan(800)
  })

  it('reports a closed pipe (EPIPE) once so the command can stop, and writes nothing after', () => {
    const output = stuckOutput()
    let closed = 0
    const writer = new LineWriter(output, () => closed++)
    writer.line('a')
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })
    output.emit('error', epipe)
    output.emit('error', epipe)
    expect(closed).toBe(1)
    expect(writer.isClosed).toBe(true)
    writer.line('b')
    expect(writer.written).toBe(1)
  })
})
