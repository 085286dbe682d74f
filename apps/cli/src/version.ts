import { createRequire } from 'node:module'

// Read at runtime so the published bin reports its package's version (dist/ sits beside package.json).
function readVersion(): string {
  try {
    const require = createRequire(import.meta.url)
    for (const candidate of ['../package.json', '../../package.json']) {
      try {
        const pkg = require(candidate) as { name?: string; version?: string }
        if (pkg.name === '@tickmesh/cli' && typeof pkg.version === 'string') return pkg.version
      } catch {
        // try the next location
      }
    }
  } catch {
    // no require available
  }
  return '0.0.0'
}

export const CLI_VERSION = readVersion()
