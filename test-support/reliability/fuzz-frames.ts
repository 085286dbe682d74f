import { readdirSync } from 'node:fs'
import type { MarketEvent } from '@tickmesh/core'
import { marketEventSchema } from '@tickmesh/core'
import fc from 'fast-check'
import { fixturePath, readFixture } from '../fixtures'
import { isFullRun } from './run-mode'

// Frame fuzzing shared by every venue's `*.fuzz.test.ts`: real captured/documented frames, mutated
// structurally (a value replaced, removed, retyped; an unknown field added) and textually (cut,
// spliced, a character flipped), mixed with random JSON and random text.

/** Cases per venue: 100 000 in a full run (`TICKMESH_FULL=1`), a quick 3 000 on every change. */
export function fuzzCases(): number {
  const override = Number(process.env.TICKMESH_FUZZ_CASES)
  if (Number.isInteger(override) && override > 0) return override
  return isFullRun() ? 100_000 : 3_000
}

/** Every message of a venue's fixtures as it arrives on the wire (`.json` compacted, `.jsonl` lines). */
export function venueFrames(venue: string): string[] {
  const frames: string[] = []
  const directory = fixturePath(venue, '')
  for (const file of readdirSync(directory)) {
    if (file.endsWith('.jsonl')) {
      for (const line of readFixture(venue, file).split('\n')) {
        if (line.trim().length > 0) frames.push(line.trim())
      }
    } else if (file.endsWith('.json') || file.endsWith('.txt')) {
      const text = readFixture(venue, file)
      try {
        frames.push(JSON.stringify(JSON.parse(text)))
      } catch {
        frames.push(text)
      }
    }
  }
  return frames
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

type Mutation =
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'remove'; at: number }
  | { kind: 'addField'; at: number; name: string; value: Json }
  | { kind: 'numberText'; at: number; text: string }
  | { kind: 'retype'; at: number }

/** Values that have broken parsers in the wild: non-finite, exponent overflow, empty, negative zero. */
const NASTY_TEXT = [
  '',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-1e999',
  '-0',
  '0x10',
  ' 1',
  '1,5',
  '9007199254740993',
  '1e-400',
  '__proto__',
  'constructor',
  'null',
  '[]',
  '{}',
  '\u0000',
  'BTC-USD',
  'BTCUSDT',
  'BTC-USDT-SWAP',
]

const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  { weight: 2, arbitrary: fc.constantFrom<Json>(...NASTY_TEXT) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Json>(
      Number.MAX_VALUE,
      -1,
      0,
      1.5,
      2 ** 53 + 1,
      [],
      {},
      [['1', '2']],
      [['x', 'y', 'z']],
    ),
  },
)

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: jsonValue }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('addField' as const),
    at: fc.nat(),
    name: fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('__proto__', 'x_sim_unknown', 'data', 'type'),
    ),
    value: jsonValue,
  }),
  fc.record({ kind: fc.constant('numberText' as const), at: fc.nat(), text: fc.constantFrom(...NASTY_TEXT) }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat() }),
)

interface Slot {
  parent: Json[] | { [key: string]: Json }
  key: string | number
}

function slotsOf(value: Json, out: Slot[]): Slot[] {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      out.push({ parent: value, key: index })
      slotsOf(value[index] as Json, out)
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      out.push({ parent: value, key })
      slotsOf(value[key] as Json, out)
    }
  }
  return out
}

function containersOf(value: Json, out: Array<{ [key: string]: Json }>): Array<{ [key: string]: Json }> {
  if (Array.isArray(value)) for (const item of value) containersOf(item, out)
  else if (value !== null && typeof value === 'object') {
    out.push(value)
    for (const item of Object.values(value)) containersOf(item, out)
  }
  return out
}

function read(slot: Slot): Json {
  return (slot.parent as Record<string | number, Json>)[slot.key] as Json
}

function write(slot: Slot, value: Json): void {
  ;(slot.parent as Record<string | number, Json>)[slot.key] = value
}

function retype(value: Json): Json {
  if (typeof value === 'string') return Number.isNaN(Number(value)) ? [value] : Number(value)
  if (typeof value === 'number') return String(value)
  if (Array.isArray(value)) return value.length > 0 ? (value[0] as Json) : null
  if (value === null) return {}
  if (typeof value === 'object') return Object.values(value)
  return String(value)
}

function applyMutation(root: { value: Json }, change: Mutation): void {
  if (change.kind === 'addField') {
    const containers = containersOf(root.value, [])
    const target = containers[change.at % Math.max(containers.length, 1)]
    // A JSON frame can carry a `__proto__` key; define it as an own property like JSON.parse does.
    if (target)
      Object.defineProperty(target, change.name, {
        value: structuredClone(change.value),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    return
  }
  const slots = slotsOf(root.value, [])
  if (slots.length === 0) {
    root.value = change.kind === 'replace' ? structuredClone(change.value) : retype(root.value)
    return
  }
  const slot = slots[change.at % slots.length] as Slot
  switch (change.kind) {
    case 'replace':
      // Generated values can be shared constants: copy so one case never alters the next.
      write(slot, structuredClone(change.value))
      break
    case 'remove':
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1)
      else delete slot.parent[slot.key as string]
      break
    case 'numberText':
      write(slot, change.text)
      break
    case 'retype':
      write(slot, retype(read(slot)))
      break
  }
}

type TextMutation =
  | { kind: 'cut'; at: number }
  | { kind: 'splice'; at: number; text: string }
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'duplicate' }

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), text: fc.string({ maxLength: 6 }) }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    char: fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\\', '0', '-', 'e', ' ', '\u2028'),
  }),
  fc.record({ kind: fc.constant('duplicate' as const) }),
)

function applyTextMutation(frame: string, change: TextMutation): string {
  const at = frame.length === 0 ? 0 : ('at' in change ? change.at : 0) % frame.length
  switch (change.kind) {
    case 'cut':
      return frame.slice(0, at)
    case 'splice':
      return frame.slice(0, at) + change.text + frame.slice(at)
    case 'flip':
      return frame.slice(0, at) + change.char + frame.slice(at + 1)
    case 'duplicate':
      return frame + frame
  }
}

/**
 * Frames for a decoder: mostly structurally mutated real frames (they reach deep into the decoder),
 * plus textually broken ones, unmutated originals and random JSON/text.
 */
export function fuzzFrameArbitrary(
  frames: readonly string[],
  extraFrames: readonly string[] = [],
): fc.Arbitrary<string> {
  const pool = [...frames, ...extraFrames]
  if (pool.length === 0) throw new Error('fuzzFrameArbitrary needs at least one seed frame')
  const structural = fc
    .tuple(fc.nat({ max: pool.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([index, changes]) => {
      const source = pool[index] as string
      let parsed: Json
      try {
        parsed = JSON.parse(source) as Json
      } catch {
        return source
      }
      const root = { value: parsed }
      for (const change of changes) applyMutation(root, change)
      return JSON.stringify(root.value)
    })
  const textual = fc
    .tuple(fc.nat({ max: pool.length - 1 }), textMutation)
    .map(([index, change]) => applyTextMutation(pool[index] as string, change))
  return fc.oneof(
    { weight: 10, arbitrary: structural },
    { weight: 3, arbitrary: textual },
    { weight: 1, arbitrary: fc.constantFrom(...pool) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 64 }) },
  )
}

export interface FuzzTally {
  cases: number
  events: number
  errorEvents: number
  byKind: Record<string, number>
}

/**
 * Runs `decode` over `cases` fuzzed frames: it must never throw and every event it returns must pass
 * `marketEventSchema`. Returns what was produced, so a test can also check the fuzz reached the
 * decoder's data paths (not only its JSON error path).
 */
export function fuzzDecoder(
  decode: (frame: string) => readonly MarketEvent[],
  frames: fc.Arbitrary<string>,
  options: { cases: number; seed: number },
): FuzzTally {
  const tally: FuzzTally = { cases: 0, events: 0, errorEvents: 0, byKind: {} }
  fc.assert(
    fc.property(frames, (frame) => {
      tally.cases++
      const events = decode(frame)
      if (!Array.isArray(events)) throw new Error('decode must return an array')
      for (const event of events) {
        const checked = marketEventSchema.safeParse(event)
        if (!checked.success) {
          throw new Error(
            `invalid ${String(event.kind)} event: ${checked.error.message}\nframe: ${frame.slice(0, 400)}`,
          )
        }
        tally.events++
        if (event.kind === 'error') tally.errorEvents++
        tally.byKind[event.kind] = (tally.byKind[event.kind] ?? 0) + 1
      }
    }),
    { numRuns: options.cases, seed: options.seed, endOnFailure: true },
  )
  return tally
}

/**
 * Runs sequences of fuzzed frames through a fresh stateful pipeline (decode + book sync) per case:
 * `push` must never throw and every event it emits must pass `marketEventSchema`.
 */
export function fuzzPipeline(
  create: (emit: (event: MarketEvent) => void) => { push(frame: string): void; close?(): void },
  frames: fc.Arbitrary<string>,
  options: { cases: number; seed: number },
): FuzzTally {
  const tally: FuzzTally = { cases: 0, events: 0, errorEvents: 0, byKind: {} }
  fc.assert(
    fc.property(fc.array(frames, { minLength: 1, maxLength: 12 }), (sequence) => {
      tally.cases++
      const problems: string[] = []
      const pipeline = create((event) => {
        const checked = marketEventSchema.safeParse(event)
        if (!checked.success) problems.push(`invalid ${String(event.kind)} event: ${checked.error.message}`)
        tally.events++
        if (event.kind === 'error') tally.errorEvents++
        tally.byKind[event.kind] = (tally.byKind[event.kind] ?? 0) + 1
      })
      try {
        for (const frame of sequence) pipeline.push(frame)
      } finally {
        pipeline.close?.()
      }
      if (problems.length > 0) throw new Error(`${problems[0]}\nframes: ${sequence.join('\n').slice(0, 800)}`)
    }),
    { numRuns: options.cases, seed: options.seed, endOnFailure: true },
  )
  return tally
}
