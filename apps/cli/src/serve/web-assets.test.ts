import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultAssetsDir } from './web-assets'

let root = ''

beforeEach(() => {
  // An installed package: package.json, dist/bin.js (and chunks), dist/web/index.html.
  root = mkdtempSync(join(tmpdir(), 'tickmesh-assets-'))
  mkdirSync(join(root, 'dist', 'web'), { recursive: true })
  mkdirSync(join(root, 'src', 'serve'), { recursive: true })
  writeFileSync(join(root, 'package.json'), '{"name":"@tickmesh/cli"}')
  writeFileSync(join(root, 'dist', 'web', 'index.html'), '<!doctype html>')
})

afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('defaultAssetsDir', () => {
  it('finds dist/web from the bundled bin and from the sources', () => {
    const expected = join(root, 'dist', 'web')
    expect(defaultAssetsDir(pathToFileURL(join(root, 'dist', 'bin.js')).href)).toBe(expected)
    expect(defaultAssetsDir(pathToFileURL(join(root, 'dist', 'chunk-ABC.js')).href)).toBe(expected)
    expect(defaultAssetsDir(pathToFileURL(join(root, 'src', 'serve', 'web-assets.ts')).href)).toBe(expected)
  })

  it('points at the package’s dist/web when the page is not built (the server then names the build command)', () => {
    rmSync(join(root, 'dist', 'web'), { recursive: true })
    for (const module of [
      ['src', 'serve', 'web-assets.ts'],
      ['dist', 'bin.js'],
    ]) {
      expect(defaultAssetsDir(pathToFileURL(join(root, ...module)).href)).toBe(join(root, 'dist', 'web'))
    }
  })
})
