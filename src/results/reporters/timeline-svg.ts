/**
 * A polling timeline (`../timeline.ts`) as inline SVG for report.html: no script, no external reference, so
 * the page's CSP holds; colours come from the page's CSS variables, so dark mode applies. Every mark carries a
 * `<title>` (its tooltip and accessible name); a text legend follows the picture.
 * @module
 */
import type { PollAnswer, Timeline, TimelineLane, TimelinePoll } from '../timeline.js'
import { escapeAttribute as attr, escapeMarkup as esc, plural, seconds } from './common.js'

const WIDTH = 720
const GUTTER = 88
const RIGHT = 14
const LANE = 28
const TOP = 6
const AXIS = 22
/** Lanes beyond this are left to the transcript: a property check can start dozens of transactions. */
const MAX_LANES = 12
/**
 * An expiry or window opening further out than this multiple of the run's span would squash the picture; it
 * is stated in the titles instead.
 */
const REACH = 1.5

export const timelineCss = `
svg.timeline{display:block;max-width:100%;height:auto;margin:.5rem 0 .25rem;font:11px system-ui,sans-serif}
svg.timeline text{fill:var(--muted)}svg.timeline .tl-lane{stroke:var(--line)}
.tl-window{fill:var(--passed);fill-opacity:.16}.tl-opens{stroke:var(--passed);stroke-dasharray:2 2}
.tl-expiry{stroke:var(--failed);stroke-width:1.5;stroke-dasharray:4 3}
.tl-init{fill:none;stroke:var(--fg);stroke-width:1.5}.tl-action{fill:var(--fg)}
.tl-pending{fill:var(--skipped)}.tl-slow-down{fill:var(--warning)}.tl-tokens{fill:var(--passed)}
.tl-error{fill:var(--failed)}.tl-unavailable{fill:var(--untested)}
.tl-no-response{fill:var(--bg);stroke:var(--failed);stroke-width:1.5}
.tl-flag{fill:none;stroke:var(--failed);stroke-width:2}
.tl-legend{display:flex;flex-wrap:wrap;gap:.2rem 1rem;margin:0 0 .5rem;font-size:.8rem;color:var(--muted)}
.tl-legend svg{vertical-align:-2px;margin-right:.25rem}
`.trim()

const answerLabels: Record<PollAnswer, string> = {
  'pending': 'authorization_pending',
  'slow-down': 'slow_down',
  'tokens': 'tokens',
  'error': 'other error',
  'unavailable': '429 / 5xx',
  'no-response': 'no response',
}

const actionLabels: Record<string, string> = { approve: 'approved', deny: 'denied', expire: 'expired',
  otp: 'OTP read' }

/**
 * The picture, and a note when some lanes were left out; `subject` names it (the check id). The page shows
 * `timelineLegend` next to it, once per group of pictures.
 */
export function renderTimeline(timeline: Timeline, subject: string): string {
  const lanes = timeline.lanes.slice(0, MAX_LANES)
  // Early polls' windows are marked where they opened, possibly after the last exchange; expiries too.
  const marks = lanes.flatMap((l) =>
    [...l.polls.map((p) => p.windowOpensAt), ...(l.expiresAt === undefined ? [] : [l.expiresAt])])
  const reach = Math.max(timeline.endsAt, 1000) * REACH
  const span = Math.max(timeline.endsAt, 1000, ...marks.filter((t) => t <= reach)) * 1.03
  const x = (ms: number) => round(GUTTER + (ms / span) * (WIDTH - GUTTER - RIGHT))
  const height = TOP + lanes.length * LANE + AXIS
  const polls = lanes.reduce((n, l) => n + l.polls.length, 0)
  const flagged = lanes.reduce((n, l) => n + l.polls.filter((p) => p.early || p.late).length, 0)
  const summary = `Polling timeline of ${subject}: ${plural(lanes.length, 'transaction')}, ${plural(polls, 'poll')}` +
    `${flagged > 0 ? `, ${flagged} early or late` : ''}, over ${secs(timeline.endsAt)}`
  const body = lanes.map((lane, i) => laneMarks(lane, TOP + i * LANE + LANE / 2, x, span)).join('\n')
  const svg = `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" ` +
    `width="${WIDTH}" height="${height}" aria-label="${attr(summary)}">\n<title>${esc(summary)}</title>\n${body}\n` +
    `${axis(span, TOP + lanes.length * LANE, x)}\n</svg>`
  const left = timeline.lanes.length - lanes.length
  const note = left > 0
    ? `\n<p class="muted">${lanes.length} of ${timeline.lanes.length} transactions drawn; the transcript has all.</p>`
    : ''
  return `${svg}${note}`
}

function laneMarks(lane: TimelineLane, y: number, x: (ms: number) => number, span: number): string {
  const marks: string[] = []
  const code = lane.oobCode.length > 10 ? `${lane.oobCode.slice(0, 9)}…` : lane.oobCode
  marks.push(`<text x="${GUTTER - 6}" y="${y + 4}" text-anchor="end">${esc(code)}<title>oob_code ` +
    `${esc(lane.oobCode)}</title></text>`, `<line class="tl-lane" x1="${GUTTER}" y1="${y}" x2="${WIDTH - RIGHT}" ` +
    `y2="${y}"/>`)
  lane.polls.forEach((poll, i) => marks.push(allowed(poll, i + 1, y, x)))
  if (lane.initiatedAt !== undefined) {
    const interval = `interval ${secs(lane.intervalMs)}` +
      (lane.intervalDefaulted ? ' (the default: the answer had no usable interval)' : '')
    const expiry = lane.expiresAt === undefined ? 'no expires_in'
      : `expires at ${secs(lane.expiresAt)}${lane.expiresAt > span ? ', beyond this axis' : ''}`
    marks.push(`<rect class="tl-init" x="${round(x(lane.initiatedAt) - 4)}" y="${y - 4}" width="8" height="8">` +
      `<title>initiation at ${secs(lane.initiatedAt)}, answered at ${secs(lane.answeredAt ?? lane.initiatedAt)}: ` +
      `${esc(interval)}; ${esc(expiry)}</title></rect>`)
  }
  if (lane.expiresAt !== undefined && lane.expiresAt <= span) {
    marks.push(`<line class="tl-expiry" x1="${x(lane.expiresAt)}" y1="${y - LANE / 2 + 2}" ` +
      `x2="${x(lane.expiresAt)}" y2="${y + LANE / 2 - 2}"><title>oob_code expired at ${secs(lane.expiresAt)}` +
      `</title></line>`)
  }
  for (const action of lane.actions) {
    const ax = x(action.at)
    const what = actionLabels[action.action] ?? action.action
    marks.push(`<path class="tl-action" d="M${ax} ${y - 13}l4 4l-4 4l-4-4z"><title>user: ${esc(what)} at ` +
      `${secs(action.at)} → ${esc(action.outcome)}</title></path>`)
  }
  lane.polls.forEach((poll, i) => marks.push(pollMark(poll, i + 1, y, x)))
  return marks.join('\n')
}

/** The span in which poll `n` was allowed, up to when it came; a dashed tick where it opened if it came early. */
function allowed(poll: TimelinePoll, n: number, y: number, x: (ms: number) => number): string {
  const from = x(poll.windowOpensAt)
  const title = `<title>poll ${n} allowed from ${secs(poll.windowOpensAt)} (interval ${secs(poll.intervalMs)})</title>`
  if (poll.at < poll.windowOpensAt) {
    if (from > WIDTH - RIGHT) return ''
    return `<line class="tl-opens" x1="${from}" y1="${y - 9}" x2="${from}" y2="${y + 9}">${title}</line>`
  }
  return `<rect class="tl-window" x="${from}" y="${y - 9}" width="${round(Math.max(x(poll.at) - from, 1))}" ` +
    `height="18">${title}</rect>`
}

function pollMark(poll: TimelinePoll, n: number, y: number, x: (ms: number) => number): string {
  const flags = [
    poll.early ? `early: allowed from ${secs(poll.windowOpensAt)} (interval ${secs(poll.intervalMs)})` : '',
    poll.late ? 'late: after the oob_code expired' : '',
  ].filter((f) => f !== '')
  const title = `poll ${n} at ${secs(poll.at)} → ${poll.outcome} (${poll.durationMs} ms)` +
    (flags.length > 0 ? `; ${flags.join('; ')}` : '')
  const px = x(poll.at)
  const ring = flags.length > 0 ? `<circle class="tl-flag" cx="${px}" cy="${y}" r="8"/>` : ''
  return `<g>${ring}<circle class="tl-${poll.answer}" cx="${px}" cy="${y}" r="5"/><title>${esc(title)}</title></g>`
}

function axis(span: number, y: number, x: (ms: number) => number): string {
  // At most 8 steps: a round number of seconds, else of minutes.
  const step = [100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000]
    .find((s) => span / s <= 8) ?? Math.ceil(span / 8 / 60_000) * 60_000
  const ticks: string[] = [`<line class="tl-lane" x1="${GUTTER}" y1="${y + 2}" x2="${WIDTH - RIGHT}" y2="${y + 2}"/>`]
  for (let t = 0; t <= span; t += step) {
    ticks.push(`<line class="tl-lane" x1="${x(t)}" y1="${y + 2}" x2="${x(t)}" y2="${y + 6}"/>`,
      `<text x="${x(t)}" y="${y + 17}" text-anchor="middle">${t / 1000} s</text>`)
  }
  return ticks.join('\n')
}

const swatch = (shape: string) => `<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">${shape}</svg>`
const dot = (cls: string) => swatch(`<circle class="${cls}" cx="7" cy="7" r="5"/>`)
/** The key to every mark of a timeline, as text with a small swatch each. */
export const timelineLegend = `<p class="tl-legend">${[
  ...(Object.keys(answerLabels) as PollAnswer[]).map((a) => `<span>${dot(`tl-${a}`)}${esc(answerLabels[a])}</span>`),
  `<span>${swatch('<rect class="tl-window" x="0" y="2" width="14" height="10"/>')}poll allowed</span>`,
  `<span>${swatch('<circle class="tl-flag" cx="7" cy="7" r="5.5"/>')}early or late</span>`,
  `<span>${swatch('<rect class="tl-init" x="3" y="3" width="8" height="8"/>')}initiation</span>`,
  `<span>${swatch('<path class="tl-action" d="M7 2l5 5l-5 5l-5-5z"/>')}user action</span>`,
  `<span>${swatch('<line class="tl-expiry" x1="7" y1="0" x2="7" y2="14"/>')}expiry</span>`,
].join('')}</p>`

function secs(ms: number): string {
  return `${seconds(ms)} s`
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
