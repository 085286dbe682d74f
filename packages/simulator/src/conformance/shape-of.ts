import { TickmeshError } from '@tickmesh/core'

// Conformance: a simulator frame must have the same keys, value types and envelope as the real
// venue's frame in the fixtures. Values differ (prices, times); shapes must not.

/** A JSON value's shape: primitive type names, objects by key, arrays by their first element. */
export type Shape = 'string' | 'number' | 'boolean' | 'null' | { [key: string]: Shape } | Shape[]

/** The shape of a JSON value (a string is parsed first when `parse` is true). */
export function shapeOf(json: unknown): Shape {
  if (json === null || json === undefined) return 'null'
  if (typeof json === 'string') return 'string'
  if (typeof json === 'number') return 'number'
  if (typeof json === 'boolean') return 'boolean'
  if (Array.isArray(json)) return json.length === 0 ? [] : [shapeOf(json[0])]
  if (typeof json === 'object') {
    const shape: { [key: string]: Shape } = {}
    for (const key of Object.keys(json as object).sort()) {
      shape[key] = shapeOf((json as Record<string, unknown>)[key])
    }
    return shape
  }
  return 'null'
}

export interface SameShapeOptions {
  /** Paths (`data[].p`, `result`) whose shape may differ, e.g. a field that is null in the fixture. */
  ignore?: readonly string[]
  /** Allow `null` on either side where the other has a value. Default false. */
  nullMatchesAnything?: boolean
}

/** Differences between two shapes as readable lines (`data[].p: string vs number`); empty = same. */
export function shapeDifferences(actual: Shape, expected: Shape, options: SameShapeOptions = {}): string[] {
  const differences: string[] = []
  compare(actual, expected, '', options, differences)
  return differences
}

function describe(shape: Shape): string {
  if (typeof shape === 'string') return shape
  return Array.isArray(shape) ? 'array' : 'object'
}

function compare(
  actual: Shape,
  expected: Shape,
  path: string,
  options: SameShapeOptions,
  out: string[],
): void {
  if (options.ignore?.includes(path)) return
  if (options.nullMatchesAnything === true && (actual === 'null' || expected === 'null')) return
  if (typeof actual === 'string' || typeof expected === 'string') {
    if (actual !== expected) out.push(`${path || '(root)'}: ${describe(actual)} vs ${describe(expected)}`)
    return
  }
  if (Array.isArray(actual) || Array.isArray(expected)) {
    if (!Array.isArray(actual) || !Array.isArray(expected)) {
      out.push(`${path || '(root)'}: ${describe(actual)} vs ${describe(expected)}`)
      return
    }
    // An empty array on either side says nothing about its elements.
    const [first] = actual
    const [firstExpected] = expected
    if (first !== undefined && firstExpected !== undefined)
      compare(first, firstExpected, `${path}[]`, options, out)
    return
  }
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)])
  for (const key of [...keys].sort()) {
    const child = path === '' ? key : `${path}.${key}`
    if (options.ignore?.includes(child)) continue
    const a = actual[key]
    const b = expected[key]
    if (a === undefined)
      out.push(`${child}: missing in simulator frame (fixture has ${describe(b as Shape)})`)
    else if (b === undefined) out.push(`${child}: extra in simulator frame (${describe(a)}), not in fixture`)
    else compare(a, b, child, options, out)
  }
}

function parseFrame(frame: unknown, which: string): unknown {
  if (typeof frame !== 'string') return frame
  try {
    return JSON.parse(frame)
  } catch (cause) {
    throw new TickmeshError(`The ${which} frame is not JSON.`, {
      details: { frame: frame.slice(0, 200) },
      hint: 'Pass a JSON text or an already parsed value.',
      cause,
    })
  }
}

/**
 * Throws a TickmeshError listing every difference when the simulator's frame does not have the
 * fixture's shape. Frames may be JSON text or parsed values.
 */
export function expectSameShape(
  simFrame: unknown,
  fixtureFrame: unknown,
  options: SameShapeOptions = {},
): void {
  const differences = shapeDifferences(
    shapeOf(parseFrame(simFrame, 'simulator')),
    shapeOf(parseFrame(fixtureFrame, 'fixture')),
    options,
  )
  if (differences.length === 0) return
  throw new TickmeshError(`The simulator frame differs in shape from the fixture (${differences.length}).`, {
    details: { differences },
    hint: 'Make the simulator send the same keys and value types as the real venue.',
  })
}
