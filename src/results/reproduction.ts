/**
 * The reproduction of a failure: the check's last exchanges as runnable curl commands, plus any extra lines
 * (the fast-check seed and path of a generated counterexample).
 * @module
 */
import { toCurl } from './curl.js'
import type { Exchange } from './model.js'

/** At most this many exchanges are spelled out as curl in a reproduction; report.html has them all. */
const REPRODUCED_EXCHANGES = 6

export function reproduction(exchanges: Exchange[], extra: string[] = []): string {
  const shown = exchanges.slice(-REPRODUCED_EXCHANGES)
  const lines: string[] = []
  if (exchanges.length > shown.length) {
    lines.push(`# ${exchanges.length - shown.length} earlier request(s) of this check are in report.html`)
  }
  for (const exchange of shown) {
    const outcome = exchange.response ? `→ ${exchange.response.status}` : `→ ${exchange.error ?? 'no response'}`
    const what = exchange.operation === 'control' ? ' (the user\'s part, test-control API)' : ''
    lines.push(`# ${exchange.operation ?? 'request'}${what} ${outcome}`, toCurl(exchange.request))
  }
  return [...extra, ...lines].join('\n')
}
