import { appendFileSync } from 'node:fs'

// One switch for every reliability suite: `TICKMESH_FULL=1` (pnpm test:reliability) runs the long
// forms whose figures docs/reliability.md records; otherwise the short forms that fit in CI.

export function isFullRun(): boolean {
  const value = process.env.TICKMESH_FULL
  return value !== undefined && value !== '' && value !== '0' && value !== 'false'
}

/** Seed of every randomized reliability run (`TICKMESH_SEED`), printed so a failure can be replayed. */
export function reliabilitySeed(fallback = 20_261_125): number {
  const value = Number(process.env.TICKMESH_SEED)
  return Number.isInteger(value) ? value : fallback
}

/** Writes one result line the docs are built from: `[reliability] {"suite":…}`. */
export function reportFigure(figure: Record<string, unknown>): void {
  const line = JSON.stringify({ ...figure, at: new Date().toISOString() })
  process.stdout.write(`[reliability] ${line}\n`)
  // `TICKMESH_RELIABILITY_OUT=<file>` collects the figures of a run as NDJSON for the docs.
  const out = process.env.TICKMESH_RELIABILITY_OUT
  if (out) appendFileSync(out, `${line}\n`)
}
