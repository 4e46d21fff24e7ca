import { describe, it, expect } from 'vitest'
import type { Timeline, TimelineLane, TimelinePoll } from '../timeline.js'
import { renderTimeline, timelineLegend } from './timeline-svg.js'

const poll = (at: number, extra: Partial<TimelinePoll> = {}): TimelinePoll => ({ at, durationMs: 12,
  answer: 'pending', outcome: '400 authorization_pending', intervalMs: 2000, windowOpensAt: at, early: false,
  late: false, ...extra })
const lane = (oobCode: string, extra: Partial<TimelineLane> = {}): TimelineLane => ({ oobCode, initiatedAt: 0,
  answeredAt: 10, intervalMs: 2000, intervalDefaulted: false, expiresAt: 6010, polls: [], actions: [], ...extra })
const timeline = (lanes: TimelineLane[], endsAt = 5000): Timeline =>
  ({ origin: '2025-06-02T09:30:00.000Z', endsAt, lanes })

describe('renderTimeline', () => {
  const drawn = renderTimeline(timeline([lane('ftpuF1hY4KyUtTYKsYoS', {
    polls: [poll(10), poll(1000, { answer: 'slow-down', outcome: '400 slow_down', windowOpensAt: 2010, early: true }),
      poll(5000, { answer: 'tokens', outcome: '200 tokens', intervalMs: 7000, windowOpensAt: 8000, early: true })],
    actions: [{ at: 3000, action: 'approve', outcome: '204' }],
  })]), 'flows/push-happy-path')

  it('is an inline SVG named for screen readers; the legend is text with a swatch per mark', () => {
    expect(drawn).toMatch(/^<svg class="timeline" viewBox="0 0 720 56" width="720" height="56" aria-label="Polling /)
    expect(drawn).toContain('<title>Polling timeline of flows/push-happy-path: 1 transaction, 3 polls, 2 early or ' +
      'late, over 5.000 s</title>')
    expect(drawn).toMatch(/<\/svg>$/)
    expect(timelineLegend).toMatch(/^<p class="tl-legend">/)
    for (const key of ['authorization_pending', 'slow_down', 'tokens', 'other error', '429 / 5xx', 'no response',
      'poll allowed', 'early or late', 'initiation', 'user action', 'expiry']) {
      expect(timelineLegend).toContain(`</svg>${key}</span>`)
    }
    expect(drawn).not.toMatch(/<script|href=|url\(/)
  })

  it('gives every mark a title: polls with their answer and flags, windows, the user, the initiation, expiry', () => {
    expect(drawn).toContain('<g><circle class="tl-pending" cx="89" cy="20" r="5"/><title>poll 1 at 0.010 s → ' +
      '400 authorization_pending (12 ms)</title></g>')
    expect(drawn).toContain('<circle class="tl-flag" cx="')
    expect(drawn).toContain('<title>poll 2 at 1.000 s → 400 slow_down (12 ms); early: allowed from 2.010 s ' +
      '(interval 2.000 s)</title>')
    expect(drawn).toContain('<title>poll 1 allowed from 0.010 s (interval 2.000 s)</title></rect>')
    // An early poll's window opens after it: a tick where it opened, not a span.
    expect(drawn).toContain('<line class="tl-opens"')
    expect(drawn).toContain('<title>user: approved at 3.000 s → 204</title>')
    expect(drawn).toContain('<title>initiation at 0.000 s, answered at 0.010 s: interval 2.000 s; expires at ' +
      '6.010 s</title>')
    expect(drawn).toContain('<title>oob_code expired at 6.010 s</title>')
  })

  it('states an expiry far beyond the run instead of squashing the picture, and names a defaulted interval', () => {
    const out = renderTimeline(timeline([lane('A', { expiresAt: 300_010, intervalMs: 5000, intervalDefaulted: true,
      polls: [poll(10)] })], 2000), 'c')
    expect(out).toContain('interval 5.000 s (the default: the answer had no usable interval); expires at 300.010 s, ' +
      'beyond this axis')
    expect(out).not.toContain('oob_code expired at')
    expect(out).toContain('>2 s</text>')
    expect(out).not.toContain('>10 s</text>')
  })

  it('escapes what the server chose, draws at most 12 lanes and says how many it left out', () => {
    const lanes = Array.from({ length: 14 }, (_, i) => lane(`<b>${i}"`, { polls: [poll(10 + i)] }))
    const out = renderTimeline(timeline(lanes), 'properties/oob-code-state-machine')
    expect(out).not.toContain('<b>')
    expect(out).toContain('&lt;b&gt;0"<title>oob_code &lt;b&gt;0"</title></text>')
    expect(out.match(/<title>initiation at /g)).toHaveLength(12)
    expect(out).toContain('<p class="muted">12 of 14 transactions drawn; the transcript has all.</p>')
  })

  it('keeps the axis to the run when a window would open far later, with a few round ticks', () => {
    const out = renderTimeline(timeline([lane('A', { expiresAt: undefined, polls: [poll(10),
      poll(20, { windowOpensAt: 3_600_000, intervalMs: 3_600_000, early: true })] })], 20), 'c')
    expect(out).not.toContain('class="tl-opens"')
    expect(out).toContain('early: allowed from 3600.000 s')
    expect(out.match(/<text x="[\d.]+" y="[\d.]+" text-anchor="middle">/g)!.length).toBeLessThanOrEqual(9)
    const long = renderTimeline(timeline([lane('A', { expiresAt: undefined, polls: [poll(10)] })], 50_000_000), 'c')
    expect(long.match(/text-anchor="middle">/g)!.length).toBeLessThanOrEqual(9)
    expect(long).not.toMatch(/NaN|Infinity/)
  })
})
