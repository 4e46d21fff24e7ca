/**
 * Reproductions: an exchange's request as a curl command a reader can paste into a POSIX shell.
 * @module
 */
import type { Exchange } from './model.js'

/** Headers curl computes itself; copying a recorded value could contradict the body or the URL. */
const computedHeaders = new Set(['content-length', 'host', 'connection', 'transfer-encoding'])

/**
 * The request as `curl`, the URL on the first line and one option per line after it. Build it from an already
 * redacted request: it prints what it gets. No `-L`: a redirect is part of what a check observes, not
 * something to follow silently.
 */
export function toCurl(request: Exchange['request']): string {
  const { method, url, headers, body } = request
  const first = ['curl']
  // Without -X curl sends GET, or POST when there is a body; say the method only when it differs.
  if (method.toUpperCase() !== (body === undefined ? 'GET' : 'POST')) first.push('-X', quote(method))
  // curl reads [] and {} in a URL as globs; generated cases may well put them there.
  if (/[[\]{}]/.test(url)) first.push('--globoff')
  first.push(quote(url))
  const args = [first.join(' ')]
  for (const [name, value] of Object.entries(headers)) {
    if (computedHeaders.has(name.toLowerCase())) continue
    // `-H 'Name:'` would remove the header; curl's syntax for sending it empty is `-H 'Name;'`.
    args.push(`-H ${quote(value === '' ? `${name};` : `${name}: ${value}`)}`)
  }
  if (body !== undefined) args.push(`--data-raw ${quote(body)}`)
  return args.join(' \\\n  ')
}

/** POSIX single quoting: nothing is special inside '…' except the quote itself, written as '\''. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`
}
