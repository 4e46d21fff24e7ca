/**
 * Turns what vitest reported into the results model: one CheckResult per check, secrets redacted, a curl
 * reproduction for every failure.
 * @module
 */
import type { Profile } from '../profile.js'
import type { Redactor } from '../redact/index.js'
import { redactExchange } from '../redact/index.js'
import { toCurl } from '../results/curl.js'
import type { CheckResult, Exchange, Level } from '../results/model.js'
import type { RawCheck } from './vitest-run.js'

const LEVEL_RANK: Record<Level, number> = { MUST: 3, SHOULD: 2, MAY: 1 }

export function strongestLevel(requirements: string[], levelFor: (id: string) => Level | undefined): Level {
  let level: Level = 'MAY'
  for (const id of requirements) {
    const l = levelFor(id) ?? 'MUST'
    if (LEVEL_RANK[l] > LEVEL_RANK[level]) level = l
  }
  return requirements.length === 0 ? 'MUST' : level
}

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

export interface AssembleOptions {
  profile: Profile
  levelFor: (id: string) => Level | undefined
  redact: Redactor
}

export function assembleCheck(raw: RawCheck, options: AssembleOptions): CheckResult {
  const meta = raw.meta
  const exchanges = (meta?.exchanges ?? []).map((e) => redactExchange(e, options.redact))
  const requirements = meta?.requirements ?? []
  const failed = raw.state === 'failed'
  return {
    id: meta?.id ?? raw.name,
    title: meta?.title ?? raw.name,
    requirements,
    level: strongestLevel(requirements, options.levelFor),
    status: raw.state,
    message: options.redact(raw.message),
    reproduction: failed ? reproduction(exchanges, meta?.reproduction.map(options.redact)) : null,
    durationMs: raw.durationMs,
    transcript: exchanges,
  }
}
