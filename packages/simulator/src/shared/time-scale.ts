/** A venue timer (keepalive, lifetime) shrunk by `timeScale` for tests; never below 1 ms. */
export function scaledMs(ms: number, timeScale: number | undefined): number {
  return Math.max(1, Math.round(ms * (timeScale ?? 1)))
}
