import { describe, expect, it } from 'vitest'
import { assignmentsOf } from './create-collector'
import { parseShard, shardOf } from './shard'

describe('sharding', () => {
  it('parses k/n and explains the spelling otherwise', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 })
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0'])
      expect(() => parseShard(bad)).toThrow(/is not a shard/)
  })

  it('assigns every instrument to exactly one shard, independent of the symbol list', () => {
    const symbols = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT', 'DOGE/USDT']
    const all = assignmentsOf(['binance', 'okx'], symbols, 'spot', undefined)
    const shards = [1, 2, 3].map((index) =>
      assignmentsOf(['binance', 'okx'], symbols, 'spot', { index, count: 3 }),
    )
    expect(shards.flat().length).toBe(all.length)
    expect(new Set(shards.flat().map((entry) => `${entry.venue}:${entry.symbol}`)).size).toBe(all.length)
    // Adding a symbol never moves another instrument to a different shard.
    const before = shardOf('okx', 'spot', 'ETH/USDT', 3)
    const more = assignmentsOf(['okx'], [...symbols, 'ADA/USDT'], 'spot', { index: before, count: 3 })
    expect(more.some((entry) => entry.symbol === 'ETH/USDT')).toBe(true)
    // Stable across runs and machines (FNV-1a): a fixed value guards against accidental changes.
    expect(shardOf('binance', 'spot', 'BTC/USDT', 1_000)).toBe(390)
    expect([1, 2]).toContain(shardOf('binance', 'spot', 'BTC/USDT', 2))
  })
})
