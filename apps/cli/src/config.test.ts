import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { revealSecret } from '@tickmesh/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from './config'
import { formatError, UsageError } from './errors'
import { createTestIo } from './test-io'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tickmesh-config-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('loadConfig', () => {
  it('reads credentials from the environment without ever printing the secret', () => {
    const { io } = createTestIo({
      cwd: dir,
      env: {
        TICKMESH_OKX_API_KEY: 'okx-key-123456',
        TICKMESH_OKX_API_SECRET: 'top-secret',
        TICKMESH_OKX_PASSPHRASE: 'pass',
      },
    })
    const config = loadConfig(io)
    const credentials = config.venues.okx?.credentials
    expect(credentials?.apiKey).toBe('okx-key-123456')
    expect(revealSecret(credentials!)).toEqual({ secret: 'top-secret', passphrase: 'pass' })
    expect(JSON.stringify(config)).not.toContain('top-secret')
    expect(String(credentials)).not.toContain('top-secret')
  })

  it('reads tickmesh.config.json from the working directory, the environment winning', () => {
    const path = join(dir, 'tickmesh.config.json')
    writeFileSync(
      path,
      JSON.stringify({
        venues: { binance: { apiKey: 'file-key', secret: 'file-secret', wsUrl: 'wss://testnet.example' } },
      }),
    )
    chmodSync(path, 0o600)
    const { io } = createTestIo({ cwd: dir, env: { TICKMESH_BINANCE_API_KEY: 'env-key' } })
    const config = loadConfig(io)
    expect(config.path).toBe(path)
    expect(config.venues.binance?.credentials?.apiKey).toBe('env-key')
    expect(revealSecret(config.venues.binance!.credentials!).secret).toBe('file-secret')
    expect(config.venues.binance?.wsUrl).toBe('wss://testnet.example')
    expect(config.warnings).toEqual([])
  })

  it('warns when a file holding secrets is readable by other users, without echoing them', () => {
    const path = join(dir, 'creds.json')
    writeFileSync(path, JSON.stringify({ venues: { bybit: { apiKey: 'k', secret: 'very-secret-value' } } }))
    chmodSync(path, 0o644)
    const { io } = createTestIo({ cwd: dir })
    const config = loadConfig(io, 'creds.json')
    expect(config.warnings).toHaveLength(1)
    expect(config.warnings[0]).toContain('readable by other users')
    expect(config.warnings[0]).toContain('chmod 600')
    expect(config.warnings[0]).not.toContain('very-secret-value')
  })

  it('fails with a usage error for a missing --config file or invalid JSON, never quoting the file', () => {
    const { io } = createTestIo({ cwd: dir })
    expect(() => loadConfig(io, 'missing.json')).toThrow(UsageError)
    const path = join(dir, 'bad.json')
    writeFileSync(path, '{"venues": {"okx": {"secret": "leaky-secret" ')
    let message = ''
    try {
      loadConfig(io, path)
    } catch (error) {
      message = formatError(error)
    }
    expect(message).toContain('not valid JSON')
    expect(message).not.toContain('leaky-secret')
  })

  it('rejects unknown venues and settings by name', () => {
    const path = join(dir, 'tickmesh.config.json')
    writeFileSync(path, JSON.stringify({ venues: { binanse: { apiKey: 'k' } } }))
    const { io } = createTestIo({ cwd: dir })
    expect(() => loadConfig(io)).toThrow(/Unknown venue "binanse"/)
  })
})
