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

  it('has the header facts, counts, and every requirement including untested ones', () => {
    expect(html).toContain('<p class="verdict failed">FAILED</p>')
    for (const fact of ['<code>https://auth.example.test</code>', '<dd>okta</dd>', '<code>1234</code>',
      '<dd>2025-06-02T09:30:00.000Z</dd>', '<dd>12.5 s</dd>']) {
      expect(html).toContain(fact)
    }
    expect(html).toContain('<tr><th>requirements</th><td class="n">2</td><td class="n">2</td>' +
      '<td class="n">2</td><td class="n">1</td><td class="n">1</td></tr>')
    expect(html).toContain('<tr><td><code>OOB-S-RATE-LIMIT</code></td><td>SHOULD</td>' +
      '<td class="status untested">untested</td><td>Endpoints rate-limit and answer 429</td><td></td></tr>')
    expect(html).toContain('<a href="#check-flows/push-pending"><code>flows/push-pending</code></a>')
    expect(html).toContain(`<li>${note}</li>`)
  })

  it('lists failed checks first and open, each with reproduction and collapsible transcript', () => {
    const order = [...html.matchAll(/<details class="check (\w+)" id="check-([^"]+)"( open)?>/g)]
      .map((m) => [m[1], m[2], Boolean(m[3])])
    expect(order).toEqual([
      ['failed', 'flows/push-pending', true],
      ['failed', 'schema/token-error-shape', true],
      ['warning', 'flows/first-poll-immediate', false],
      ['warning', 'properties/oob-code-entropy', false],
      ['skipped', 'flows/sms-otp-wrong-code', false],
      ['passed', 'flows/push-happy-path', false],
    ])
    expect(html).toContain('<details><summary>Transcript (2 exchanges)</summary>')
    const reason = 'legacy code generator, replaced in Q3 (until 2099-12-31)'
    expect(html).toContain(`<p>Expected failure: ${reason}</p>`)
    expect(html).toContain("<h4>Reproduction</h4>\n<pre>curl 'https://auth.example.test/oauth2/v1/")
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
