import { UsageError } from '../errors'

const UNIT_BYTES: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
}

/** Parses `1073741824`, `512MB`, `1GiB`, `1.5gb` into bytes; a `UsageError` naming the flag otherwise. */
export function parseBytes(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim())
  const unit = match ? UNIT_BYTES[match[2]!.toLowerCase()] : undefined
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : Number.NaN
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new UsageError(`${flag} must be a size such as 512MB or 1GiB, got "${text}".`, {
      hint: `For example ${flag} 1GiB.`,
    })
  }
  return bytes
}
