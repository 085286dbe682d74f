import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('.', import.meta.url))

// Workspace packages resolve to their sources so tests never need a build first.
const alias: Record<string, string> = {}
for (const dir of ['packages', 'apps']) {
  for (const name of readdirSync(`${root}${dir}`)) {
    const entry = `${root}${dir}/${name}/src/index.ts`
    if (existsSync(entry)) alias[`@tickmesh/${name}`] = entry
  }
}

// TICKMESH_SUITE picks the suite: default (every change), chaos (long fault runs), live (real venues).
const suite = process.env.TICKMESH_SUITE ?? 'default'
const include =
  suite === 'chaos'
    ? ['**/*.chaos.test.{ts,tsx}']
    : suite === 'live'
      ? ['**/*.live.test.{ts,tsx}']
      : ['**/*.test.{ts,tsx}']
const exclude = [
  '**/node_modules/**',
  '**/dist/**',
  ...(suite === 'default' ? ['**/*.chaos.test.*', '**/*.live.test.*'] : []),
]

export default defineConfig({
  resolve: { alias },
  test: {
    include: include.flatMap((pattern) => [
      `packages/*/src/${pattern}`,
      `apps/*/src/${pattern}`,
      `bench/src/${pattern}`,
    ]),
    exclude,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
  },
})
