import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors'
import { assertSecureUrl, isLoopbackHost } from './assert-secure-url'

describe('assertSecureUrl', () => {
  it('accepts wss:// and https:// anywhere, plain ws:// and http:// to loopback (the simulator)', () => {
    for (const url of [
      'wss://stream.binance.com:9443',
      'https://api.bybit.com',
      'ws://127.0.0.1:4000',
      'http://127.0.0.5:80/x',
      'ws://localhost:1',
      'ws://[::1]:1',
    ])
      expect(() => assertSecureUrl(url, { venue: 'okx' }), url).not.toThrow()
  })

  it('refuses plain ws:// or http:// to another host unless allowInsecure, naming the host', () => {
    const attempt = () => assertSecureUrl('ws://proxy.example:8080', { venue: 'bybit' })
    expect(attempt).toThrow(ConfigError)
    expect(attempt).toThrow(/Refusing plain ws:\/\/ to proxy\.example/)
    // `localhost@` is userinfo, not the host: still refused.
    expect(() => assertSecureUrl('http://localhost@10.0.0.1:1', { venue: 'coinbase' })).toThrow(ConfigError)
    expect(() =>
      assertSecureUrl('ws://proxy.example:8080', { venue: 'bybit', allowInsecure: true }),
    ).not.toThrow()
  })

  it('refuses an invalid URL, another scheme, or the wrong family for kind', () => {
    expect(() => assertSecureUrl('not a url', { venue: 'binance' })).toThrow(/not a valid URL/)
    expect(() => assertSecureUrl('ftp://x.example', { venue: 'binance' })).toThrow(ConfigError)
    expect(() => assertSecureUrl('https://api.bybit.com', { venue: 'bybit', kind: 'ws' })).toThrow(
      /must use wss/,
    )
    expect(() => assertSecureUrl('wss://x.example', { venue: 'bybit', kind: 'http' })).toThrow(ConfigError)
  })

  it('knows the loopback hosts', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true)
    expect(['10.0.0.1', '127.example.com', 'localhost.example', '128.0.0.1'].some(isLoopbackHost)).toBe(false)
  })
})
