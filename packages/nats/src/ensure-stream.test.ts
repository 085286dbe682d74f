import { jetstreamManager } from '@nats-io/jetstream'
import { nanos } from '@nats-io/transport-node'
import { describe, expect, it } from 'vitest'
import { connectNats, parseNatsUrl, redactNatsUrl } from './connect-nats'
import { ensureStream } from './ensure-stream'
import { startNatsServer } from './test-support/start-nats-server'

describe('ensureStream', () => {
  it('creates the stream with retention limits, verifies it, and updates changed limits in place', async () => {
    const server = await startNatsServer()
    const connection = await connectNats(server.url)
    try {
      const jsm = await jetstreamManager(connection)
      const created = await ensureStream(jsm, { maxAgeMs: 3_600_000, maxBytes: 1_000_000 })
      expect(created.config).toMatchObject({
        name: 'TICKMESH',
        subjects: ['tickmesh.>'],
        max_age: nanos(3_600_000),
        max_bytes: 1_000_000,
        duplicate_window: nanos(300_000),
      })
      const again = await ensureStream(jsm, { maxAgeMs: 3_600_000, maxBytes: 1_000_000 })
      expect(again.config.max_age).toBe(nanos(3_600_000))
      const updated = await ensureStream(jsm, { maxAgeMs: 60_000, maxBytes: 2_000_000 })
      expect(updated.config).toMatchObject({
        max_age: nanos(60_000),
        max_bytes: 2_000_000,
        duplicate_window: nanos(60_000),
      })
      await expect(ensureStream(jsm, { storage: 'memory' })).rejects.toThrow(/uses file storage, not memory/)
      await jsm.streams.add({ name: 'OTHER', subjects: ['other.>'] })
      await expect(ensureStream(jsm, { name: 'OTHER' })).rejects.toThrow(
        /does not hold the subjects tickmesh\.>/,
      )
    } finally {
      await connection.close()
      await server.stop()
    }
  })
})

describe('connectNats', () => {
  it('parses server lists and credentials, and rejects other schemes', () => {
    expect(parseNatsUrl('nats://a:4222,b')).toEqual({ servers: ['a:4222', 'b:4222'] })
    expect(parseNatsUrl('nats://user:secret@host:1')).toEqual({
      servers: ['host:1'],
      user: 'user',
      pass: 'secret',
    })
    expect(parseNatsUrl('nats://tok@host:1')).toEqual({ servers: ['host:1'], token: 'tok' })
    expect(() => parseNatsUrl('http://host')).toThrow(/not a nats:\/\/ URL/)
    expect(redactNatsUrl('nats://user:secret@host:1')).toBe('nats://***@host:1')
  })

  it('fails with a ConnectionError naming the URL when nobody listens', async () => {
    const server = await startNatsServer()
    const url = server.url
    await server.stop()
    await expect(connectNats(url, { timeoutMs: 1_000 })).rejects.toThrow(
      /Could not connect to NATS at nats:\/\/127\.0\.0\.1/,
    )
  })
})

describe('startNatsServer', () => {
  it('fails clearly (does not skip) when the nats-server binary is missing', async () => {
    await expect(startNatsServer({ binary: '/nonexistent/nats-server' })).rejects.toThrow(
      /nats-server was not found[\s\S]*apt-get install -y nats-server/,
    )
  })
})
