import { ConfigError, type Market, type VenueId } from '@tickmesh/core'

/** `k/n`: this collector is shard k (1-based) of n. */
export interface ShardSpec {
  /** 1 … count. */
  index: number
  count: number
}

/** Parses `--shard k/n` (1 ≤ k ≤ n). Throws a `ConfigError` with the accepted spelling. */
export function parseShard(text: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = match ? Number(match[1]) : Number.NaN
  const count = match ? Number(match[2]) : Number.NaN
  if (
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(count) ||
    count < 1 ||
    index < 1 ||
    index > count
  ) {
    throw new ConfigError(`"${text}" is not a shard.`, {
      hint: 'Write --shard k/n with 1 ≤ k ≤ n, e.g. --shard 1/3, --shard 2/3 and --shard 3/3 on three collectors.',
    })
  }
  return { index, count }
}

/**
 * The shard (1-based) that owns a venue's instrument. A hash, not a position in the symbol list, so
 * each instrument's owner depends only on its name and n: collectors started with different symbol
 * lists still agree, and adding a symbol never moves the others.
 */
export function shardOf(venue: VenueId, market: Market, symbol: string, count: number): number {
  // FNV-1a, 32 bits: stable across processes, platforms and Node versions.
  const key = `${venue}:${market}:${symbol}`
  let hash = 0x811c9dc5
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return (hash % count) + 1
}
