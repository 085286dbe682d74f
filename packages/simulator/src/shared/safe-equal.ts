import { timingSafeEqual } from 'node:crypto'

/**
 * Constant-time string compare for signatures, so the simulator never teaches clients to rely on a
 * timing side channel. Different lengths are still compared (against itself) before returning false.
 */
export function safeEqual(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8')
  const b = Buffer.from(expected, 'utf8')
  if (a.length !== b.length) {
    timingSafeEqual(b, b)
    return false
  }
  return timingSafeEqual(a, b)
}
