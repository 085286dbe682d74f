import type { SimLevel } from '../../sim-types'

/** Changes from the pushed window to the new top levels (removed levels get size 0), best first. */
export function diffWindow(
  view: Map<number, number>,
  levels: readonly SimLevel[],
  order: 1 | -1,
): SimLevel[] {
  const changes: SimLevel[] = []
  const seen = new Set<number>()
  for (const [price, size] of levels) {
    seen.add(price)
    if (view.get(price) !== size) changes.push([price, size])
  }
  for (const price of view.keys()) if (!seen.has(price)) changes.push([price, 0])
  resetWindow(view, levels)
  return changes.sort((a, b) => order * (a[0] - b[0]))
}

export function resetWindow(view: Map<number, number>, levels: readonly SimLevel[]): void {
  view.clear()
  for (const [price, size] of levels) view.set(price, size)
}
