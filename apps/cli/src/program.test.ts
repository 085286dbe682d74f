import { describe, expect, it } from 'vitest'
import { main } from './program'
import { argv, createTestIo } from './test-io'

describe('tickmesh usage', () => {
  it('prints --version and exits 0', async () => {
    const t = createTestIo()
    expect(await main(argv('--version'), t.io)).toBe(0)
    expect(t.stdout.text.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('has --help with examples on every command', async () => {
    for (const command of ['watch', 'stream', 'arb', 'book', 'record', 'replay', 'sim', 'latency']) {
      const t = createTestIo()
      expect(await main(argv(command, '--help'), t.io)).toBe(0)
      expect(t.stdout.text).toContain(`Usage: tickmesh ${command}`)
      expect(t.stdout.text).toContain('Examples:')
    }
  })

  it('exits 2 on an unknown flag, naming it', async () => {
    const t = createTestIo()
    expect(await main(argv('watch', 'BTC/USDT', '--sim', '--colour'), t.io)).toBe(2)
    expect(t.stderr.text).toContain("unknown option '--colour'")
    expect(t.stderr.text).toContain('--help')
  })

  it('exits 2 on an unknown command with a suggestion', async () => {
    const t = createTestIo()
    expect(await main(argv('wach', 'BTC/USDT'), t.io)).toBe(2)
    expect(t.stderr.text).toContain('watch')
  })

  it('exits 2 on a venue spelling of a symbol, naming the unified spelling', async () => {
    const t = createTestIo()
    expect(await main(argv('stream', 'BTCUSDT', '--sim', '--duration', '1s'), t.io)).toBe(2)
    expect(t.stderr.text).toContain('"BTCUSDT" is not a unified symbol')
    expect(t.stderr.text).toContain('"BTC/USDT"')
    expect(t.stderr.text.trim().split('\n')).toHaveLength(1)
  })

  it('exits 2 on a bad duration, venue or channel', async () => {
    const cases: [string[], string][] = [
      [['watch', 'BTC/USDT', '--duration', '10 minutes'], '--duration "10 minutes" is not a duration'],
      [['watch', 'BTC/USDT', '--venues', 'binanse'], 'Did you mean "binance"?'],
      [['stream', 'BTC/USDT', '--channels', 'trade'], 'Did you mean "trades"?'],
      [['replay', 'x.ndjson', '--speed', 'fast'], '--speed must be'],
    ]
    for (const [args, message] of cases) {
      const t = createTestIo()
      expect(await main(argv(...args), t.io)).toBe(2)
      expect(t.stderr.text).toContain(message)
    }
  })
})
