import { describe, it, expect } from 'vitest'
import type { RunResults } from '../model.js'
import { sampleRun } from '../sample-run.js'
import { renderHtml } from './html.js'

describe('renderHtml', () => {
  const run = sampleRun()
  const note = 'expected failure for check flows/gone matched no check in this run'
  const html = renderHtml(run, { notes: [note] })

  it('is one self-contained page: no script, no external reference, fetches forbidden by CSP', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; ` +
      `style-src 'unsafe-inline'">`)
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|href="(?!#)|url\(/i)
  })

  it('makes a <script> in a server message inert text', () => {
    expect(html).toContain('error "bad \\"error\\" &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" ' +
      'has characters outside %x20-7E')
    const hostile: RunResults = { ...run, target: 'https://x.test/"><script>alert(1)</script>',
      checks: run.checks.map((c) => ({ ...c, id: `${c.id}"><img onerror=x>`, title: '</summary><script>' })) }
    const out = renderHtml(hostile)
    expect(out).not.toMatch(/<script|<img/i)
    expect(out).toContain('id="check-flows/push-pending&quot;&gt;&lt;img onerror=x&gt;"')
  })

  it('has the header facts, an aligned counts table, and every requirement including untested ones', () => {
    expect(html).toContain('<p class="verdict failed">FAILED</p>')
    expect(html).toContain('<p class="why">2 requirements failed: <a href="#req-OOB-S-POLL-PENDING"><code>' +
      'OOB-S-POLL-PENDING</code></a>, <a href="#req-OOB-S-ERROR-SHAPE"><code>OOB-S-ERROR-SHAPE</code></a>: ' +
      'see Failures.</p>')
    for (const fact of ['<code>https://auth.example.test</code>', '<dd>okta</dd>', '<code>1234</code>',
      '<dd>2025-06-02T09:30:00.000Z</dd>', '<dd>12.5 s</dd>']) {
      expect(html).toContain(fact)
    }
    // Every number column right-aligned under a right-aligned heading; an empty cell is a dash, not nothing.
    expect(html).toContain('<table class="counts">\n<tr><th></th><th class="n passed">passed</th>' +
      '<th class="n failed">failed</th><th class="n warning">warning</th><th class="n skipped">skipped</th>' +
      '<th class="n untested">untested</th></tr>\n<tr><th scope="row">checks</th><td class="n">1</td>' +
      '<td class="n">2</td><td class="n">2</td><td class="n">1</td><td class="n">–</td></tr>\n' +
      '<tr><th scope="row">requirements</th><td class="n">2</td><td class="n">2</td>' +
      '<td class="n">2</td><td class="n">1</td><td class="n">1</td></tr>\n</table>')
    expect(html).toContain('<tr id="req-OOB-S-RATE-LIMIT"><td><code>OOB-S-RATE-LIMIT</code></td><td>SHOULD</td>' +
      '<td class="status untested">untested</td><td>Endpoints rate-limit and answer 429</td><td></td></tr>')
    expect(html).toContain('<a href="#check-flows/push-pending"><code>flows/push-pending</code></a>')
    expect(html).toContain(`<li>${note}</li>`)
  })

  it('puts the verdict, failures, notes, grid, warnings, not-judged items, full tables, with jump links', () => {
    const sections = [...html.matchAll(/<section id="([\w-]+)">/g)].map((m) => m[1])
    expect(sections).toEqual(['failures', 'notes', 'grid', 'warnings', 'not-judged', 'requirements', 'checks'])
    expect(html.indexOf('class="verdict')).toBeLessThan(html.indexOf('<section id="failures">'))
    expect(html).toContain('<nav class="toc" aria-label="Sections"><a href="#failures">Failures (2)</a>' +
      '<a href="#notes">Notes (1)</a><a href="#grid">Requirement grid</a><a href="#warnings">Warnings (2)</a>' +
      '<a href="#not-judged">Not judged and skipped (3)</a><a href="#requirements">All requirements</a>' +
      '<a href="#checks">All checks</a></nav>')
  })

  it('shows each failure with its requirement, statement, what broke, timeline and reproduction', () => {
    const failures = section(html, 'failures')
    expect([...failures.matchAll(/<article class="failure" id="failure-([^"]+)">/g)].map((m) => m[1]))
      .toEqual(['flows/push-pending', 'schema/token-error-shape'])
    expect(failures).toContain('<div class="broke">\n<p><a href="#req-OOB-S-POLL-PENDING"><code>' +
      'OOB-S-POLL-PENDING</code></a> MUST · Polls before the user acts get authorization_pending</p>\n' +
      '<p class="message"><span class="muted">Expected and received:</span> expected 400 ' +
      'authorization_pending before approval, got 200 with tokens</p>\n</div>')
    const pending = failures.slice(0, failures.indexOf('id="failure-schema/'))
    expect(pending).toContain('<svg class="timeline" viewBox=')
    expect(pending).toContain('</svg>\n<p class="tl-legend">')
    expect(pending).toContain('aria-label="Polling timeline of flows/push-pending: 1 transaction, 1 poll, ' +
      'over 5.047 s"')
    expect(pending).toContain("<h4>Reproduction</h4>\n<pre>curl 'https://auth.example.test/oauth2/v1/")
    expect(pending).toContain('The same script is in <code>reproductions/flows/push-pending.sh</code> in the ' +
      'report directory.')
    // Its transcript has no initiation: nothing polls, so no timeline.
    expect(failures.slice(failures.indexOf('id="failure-schema/'))).not.toContain('<svg')
  })

  it('draws one grid cell per requirement, grouped by area, linked to its row', () => {
    const grid = section(html, 'grid')
    expect([...grid.matchAll(/aria-label="([^"]+)"/g)].map((m) => m[1]))
      .toEqual(['OOB-S-INIT', 'OOB-S-POLL', 'OOB-S-FIRST', 'OOB-S-CODE', 'OOB-S-OTP', 'OOB-S-ERROR', 'OOB-S-RATE'])
    expect(grid).toContain('<div class="area" role="group" aria-label="OOB-S-POLL"><span class="area-name">POLL' +
      '</span><a class="cell failed" href="#req-OOB-S-POLL-PENDING" title="OOB-S-POLL-PENDING (MUST) failed: ' +
      'Polls before the user acts get authorization_pending">✗ PENDING</a><a class="cell passed" ' +
      'href="#req-OOB-S-POLL-APPROVED" title="OOB-S-POLL-APPROVED (MUST) passed: After approval the next poll ' +
      'returns tokens">✓ APPROVED</a></div>')
    expect(grid.match(/<a class="cell /g)).toHaveLength(run.requirements.length)
  })

  it('keeps warnings and not-judged items apart from failures, each with its reason', () => {
    const warnings = section(html, 'warnings')
    expect(warnings).toContain('<li><a href="#check-flows/first-poll-immediate"><code>flows/first-poll-immediate' +
      '</code></a> <code>OOB-S-FIRST-POLL</code>: <span class="message">')
    expect(warnings).toContain('<span class="muted">Expected failure: legacy code generator, replaced in Q3 ' +
      '(until 2099-12-31)</span>')
    const notJudged = section(html, 'not-judged')
    expect(notJudged).toContain('<li><a href="#check-flows/sms-otp-wrong-code"><code>flows/sms-otp-wrong-code' +
      '</code></a>: <span class="message">the driver cannot read the OTP that was sent (no getOtp operation)' +
      '</span></li>')
    expect(notJudged).toContain('<td class="status untested">untested</td><td class="message">')
    expect(notJudged).not.toContain('flows/push-pending')
  })

  it('says so when nothing failed, and leaves out empty sections', () => {
    const passed = run.checks.filter((c) => c.status === 'passed')
    const out = renderHtml({ ...run, verdict: 'passed', checks: passed,
      summary: { passed: 1, failed: 0, warnings: 0, skipped: 0 },
      requirements: run.requirements.filter((r) => r.status === 'passed') })
    expect(out).toContain('<p class="verdict passed">PASSED</p>')
    expect(section(out, 'failures')).toContain('<h2>No failures</h2>\n<p class="passed">All 1 check that ran ' +
      'passed.</p>')
    expect([...out.matchAll(/<section id="([\w-]+)">/g)].map((m) => m[1]))
      .toEqual(['failures', 'grid', 'requirements', 'checks'])
    expect(out).toContain('<nav class="toc" aria-label="Sections"><a href="#failures">No failures</a>' +
      '<a href="#grid">Requirement grid</a><a href="#requirements">All requirements</a>' +
      '<a href="#checks">All checks</a></nav>')
  })

  it('says why a run is incomplete, naming at most 8 MUSTs, and why a run with an errored check failed', () => {
    const notExercised = Array.from({ length: 10 }, (_, i) => ({ id: `OOB-S-X-${i}`, reason: 'no driver' }))
    const calm = run.checks.filter((c) => c.status === 'passed' || c.status === 'skipped')
    const incomplete = renderHtml({ ...run, verdict: 'incomplete', checks: calm,
      summary: { passed: 1, failed: 0, warnings: 0, skipped: 1 },
      completeness: { mustInScope: 14, mustExercised: 4, notExercised } })
    const named = notExercised.slice(0, 8).map((r) => `<a href="#req-${r.id}"><code>${r.id}</code></a>`)
    expect(incomplete).toContain('<p class="verdict skipped">INCOMPLETE</p>\n<p class="why">Nothing failed, but 10 ' +
      `MUST requirements were not exercised: ${named.join(', ')} and 2 more (4 of 14 exercised).</p>`)
    const [happy] = calm
    const errored = renderHtml({ ...run, checks: [{ ...happy!, status: 'failed', errored: true,
      message: 'no answer within 10 s' }], requirements: [] })
    expect(errored).toContain('<p class="why">1 check could not finish: see Failures.</p>')
    expect(section(errored, 'failures')).toContain('<p class="message">no answer within 10 s</p>')
  })

  it('says when the run was interrupted, and when it holds one shard of the checks', () => {
    const stopped = renderHtml({ ...run, verdict: 'incomplete', interrupted: true, shard: { index: 2, count: 3 } })
    expect(stopped).toContain('<p class="why warning">Interrupted: the run was stopped before every check ' +
      'finished; the reports hold what finished, the rest is skipped.</p>')
    expect(stopped).toContain('<p class="why">Shard 2 of 3: this report holds only this shard\'s checks; ' +
      '<code>oob-conformance merge-reports</code> joins the shards into one report.</p>')
    expect(html).not.toContain('Interrupted:')
    expect(html).not.toContain('Shard ')
  })

  it('lists every check, what needs attention first, each with its timeline and collapsible transcript', () => {
    const order = [...html.matchAll(/<details class="check (\w+)" id="check-([^"]+)">/g)].map((m) => [m[1], m[2]])
    expect(order).toEqual([
      ['failed', 'flows/push-pending'],
      ['failed', 'schema/token-error-shape'],
      ['warning', 'flows/first-poll-immediate'],
      ['warning', 'properties/oob-code-entropy'],
      ['skipped', 'flows/sms-otp-wrong-code'],
      ['passed', 'flows/push-happy-path'],
    ])
    const checks = section(html, 'checks')
    // flows/push-happy-path's transcript is flows/push-pending's: drawn once, referred to after.
    expect(checks.match(/<svg class="timeline"/g)).toHaveLength(2)
    expect(checks).toContain('<h4>Polling timeline</h4>\n<p>Same requests as <a href="#check-flows/push-pending">' +
      '<code>flows/push-pending</code></a>: its timeline is drawn there.</p>')
    // One key for all of them, before the first check.
    expect(checks.match(/<p class="tl-legend">/g)).toHaveLength(1)
    expect(checks.indexOf('<p class="tl-legend">')).toBeLessThan(checks.indexOf('<details class="check'))
    expect(checks).toContain('<details><summary>Transcript (2 exchanges)</summary>')
    const reason = 'legacy code generator, replaced in Q3 (until 2099-12-31)'
    expect(checks).toContain(`<p>Expected failure: ${reason}</p>`)
  })

  it('shows headers and bodies, pretty-printing JSON only when nothing is lost', () => {
    expect(html).toContain('authorization: Basic [REDACTED]\n\nlogin_hint=push%40example.test&amp;channel')
    expect(html).toContain('{\n  "oob_code": "ftpuF1hY4KyUtTYKsYoS",\n  "expires_in": 300,')
    const duplicate = '{"error":"invalid_grant","error":"access_denied"}'
    const [first] = run.checks
    const check = { ...first!, transcript: [{ ...first!.transcript![1]!,
      response: { status: 400, headers: {}, body: duplicate, truncated: true } }] }
    const out = renderHtml({ ...run, checks: [check] })
    expect(out).toContain(`<pre>${duplicate}</pre>`)
    expect(out).toContain('<h4>Response <span class="muted">(body truncated)</span></h4>')
  })

  it('says why an exchange has no response', () => {
    const [first] = run.checks
    const check = { ...first!, transcript: [{ ...first!.transcript![1]!, response: undefined,
      error: 'timed out after 10 s' }] }
    expect(renderHtml({ ...run, checks: [check] }))
      .toContain('→ no response: timed out after 10 s')
  })
})

/** The markup of `<section id="{id}">`, up to its end. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`)
  expect(start).toBeGreaterThan(-1)
  return html.slice(start, html.indexOf('</section>', start))
}
