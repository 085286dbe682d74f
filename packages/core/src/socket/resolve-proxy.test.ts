import { describe, expect, it } from 'vitest'
import { resolveProxy } from './resolve-proxy'

describe('resolveProxy', () => {
  const env = { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'internal.example, .corp.test, host.test:9443' }
  it('reads HTTPS_PROXY / https_proxy and honors NO_PROXY', () => {
    expect(resolveProxy('wss://stream.binance.com:9443/ws', undefined, env)).toBe('http://proxy:3128')
    expect(resolveProxy('wss://x.internal.example/ws', undefined, env)).toBeNull()
    expect(resolveProxy('wss://a.b.corp.test/ws', undefined, env)).toBeNull()
    expect(resolveProxy('wss://host.test:9443/ws', undefined, env)).toBeNull()
    expect(resolveProxy('wss://host.test/ws', undefined, env)).toBe('http://proxy:3128')
    expect(resolveProxy('wss://a/ws', undefined, { https_proxy: 'http://p:1' })).toBe('http://p:1')
    expect(resolveProxy('wss://a/ws', undefined, { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' })).toBeNull()
    expect(resolveProxy('wss://a/ws', undefined, {})).toBeNull()
  })
  it('never proxies loopback from the environment; an explicit setting always wins', () => {
    expect(resolveProxy('ws://127.0.0.1:8080', undefined, env)).toBeNull()
    expect(resolveProxy('ws://localhost:8080', undefined, { HTTPS_PROXY: 'http://p:1' })).toBeNull()
    expect(resolveProxy('ws://localhost:8080', 'http://p:1', env)).toBe('http://p:1')
    expect(resolveProxy('ws://[::1]:8080', undefined, env)).toBeNull()
    expect(resolveProxy('wss://a/ws', null, env)).toBeNull()
    expect(resolveProxy('wss://a/ws', 'http://explicit:1', {})).toBe('http://explicit:1')
  })
})
