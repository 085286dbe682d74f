import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Shared fixtures live beside the repository (`../shared/fixtures`), in CI as on a developer machine.
const root =
  process.env.TICKMESH_FIXTURES ?? fileURLToPath(new URL('../../shared/fixtures/', import.meta.url))

export function fixturePath(venue: string, file: string): string {
  return `${root.endsWith('/') ? root : `${root}/`}${venue}/${file}`
}

/** The fixture's text exactly as stored. */
export function readFixture(venue: string, file: string): string {
  return readFileSync(fixturePath(venue, file), 'utf8')
}

/** A `.json` fixture re-serialized compactly, as it would arrive on the wire. */
export function readFixtureFrame(venue: string, file: string): string {
  return JSON.stringify(JSON.parse(readFixture(venue, file)))
}

/** The lines of a `.jsonl` fixture. */
export function readFixtureLines(venue: string, file: string): string[] {
  return readFixture(venue, file)
    .split('\n')
    .filter((line) => line.trim().length > 0)
}
