/** Hosts that never go through a proxy: a proxy cannot reach the caller's own loopback. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host)
}

/** `NO_PROXY` semantics as curl applies them: `*`, exact hosts, domain suffixes (`.example.com` or `example.com`), optional `:port`. */
function matchesNoProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = url.port || (url.protocol === 'wss:' || url.protocol === 'https:' ? '443' : '80')
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase()
    if (entry === '') continue
    if (entry === '*') return true
    const colon = entry.lastIndexOf(':')
    const hasPort = colon > 0 && !entry.includes(']') && /^\d+$/.test(entry.slice(colon + 1))
    const entryHost = (hasPort ? entry.slice(0, colon) : entry).replace(/^\*?\./, '')
    if (hasPort && entry.slice(colon + 1) !== port) continue
    if (host === entryHost || host.endsWith(`.${entryHost}`)) return true
  }
  return false
}

/**
 * The proxy URL to use for `target`, or null. `explicit`: a string forces that proxy, `null` (or '')
 * disables, `undefined` reads HTTPS_PROXY / https_proxy (and NO_PROXY / no_proxy) from `env`;
 * environment proxies never apply to loopback targets (the local simulator).
 */
export function resolveProxy(
  target: string,
  explicit: string | null | undefined,
  env: Record<string, string | undefined> = process.env,
): string | null {
  if (explicit === null || explicit === '') return null
  // An explicit proxy is the caller's decision, loopback included.
  if (explicit !== undefined) return explicit
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return null
  }
  if (isLoopback(url.hostname)) return null
  const proxy = env.HTTPS_PROXY ?? env.https_proxy
  if (proxy === undefined || proxy === '') return null
  const noProxy = env.NO_PROXY ?? env.no_proxy
  if (noProxy !== undefined && matchesNoProxy(url, noProxy)) return null
  return proxy
}
