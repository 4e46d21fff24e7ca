import { describe, it, expect } from 'vitest'
import type { CheckResult, RunResults } from '../model.js'
import { sampleRun } from '../sample-run.js'
import { renderMarkdown, summaryLimit } from './markdown.js'

const fences = (md: string) => md.split('\n').filter((l) => /^`{3,}/.test(l))

describe('renderMarkdown', () => {
  const run = sampleRun()
  const md = renderMarkdown(run, { notes: ['check flows/push-happy-path no longer fails: remove its entry'] })

  it('opens with a one-line verdict and the counts table', () => {
    const lines = md.split('\n')
    expect(lines[0]).toBe('## oob-conformance: FAILED')
    expect(lines[2]).toBe('**FAILED**: 2 failed, 2 warnings, 1 passed, 1 skipped (6 checks) against ' +
      '`https://auth.example.test`, profile `okta`, seed `1234`')
    expect(lines.slice(4, 8)).toEqual([
      '| | passed | failed | warning | skipped | untested |',
      '|---|---:|---:|---:|---:|---:|',
      '| checks | 1 | 2 | 2 | 1 |  |',
      '| requirements | 2 | 2 | 2 | 1 | 1 |',
    ])
  })

  it('lists each failed requirement with its failing checks and their reproduction in a sh block', () => {
    const section = md.slice(md.indexOf('#### `OOB-S-POLL-PENDING` (MUST)'),
      md.indexOf('#### `OOB-S-ERROR-SHAPE`'))
    expect(section).toContain('Failing checks: `flows/push-pending`')
    expect(section).toContain('```sh\n' + run.checks[1]!.reproduction + '\n```')
  })

  it('shows warnings with the expected-failure reason, skips with their reason, and the notes', () => {
    expect(md).toContain('- **`properties/oob-code-entropy`** (MUST; `OOB-S-CODE-ENTROPY`) ' +
      'expected failure: ' +
      'estimated 96 bits of entropy over 200 codes (needs 128)<br>seed 1234, path "0:1"' +
      '<br>Reason: legacy code generator, replaced in Q3 (until 2099-12-31)')
    expect(md).toContain('<details><summary>Reproduction (11 lines)</summary>')
    expect(md).toContain('### Skipped\n\n- `flows/sms-otp-wrong-code`: ' +
      'the driver cannot read the OTP that was sent (no getOtp operation)')
    expect(md).toContain('### Notes\n\n- check flows/push-happy-path no longer fails: remove its entry')
  })

  it('escapes what GitHub would render as markup in server-supplied text', () => {
    expect(md).toContain('error "bad \\\\"error\\\\" \\<script\\>alert(1)\\</script\\> \\& more"')
    expect(md).not.toContain('<script>')
  })

  it('still lists a failed check that no failed requirement of the run names', () => {
    const out = renderMarkdown({ ...run, requirements: [] })
    expect(out).toContain('### Other failed checks\n\n- **`flows/push-pending`** Push pending')
    expect(out).toContain('- **`schema/token-error-shape`** Token errors match the OAuthError schema')
  })

  it('uses a longer fence when a reproduction contains backticks', () => {
    const checks = [{ ...run.checks[1]!, reproduction: 'printf "```"' }]
    const out = renderMarkdown({ ...run, checks })
    expect(out).toContain('````sh\nprintf "```"\n````')
  })

  it('states the verdict the exit code gives', () => {
    const only = (checks: CheckResult[], summary: RunResults['summary']) =>
      ({ ...run, checks, summary, requirements: [] })
    const warning = run.checks.find((c) => c.id === 'flows/first-poll-immediate')!
    const skipped = run.checks.find((c) => c.status === 'skipped')!
    const passed = run.checks.find((c) => c.status === 'passed')!
    const warned = only([passed, warning], { passed: 1, failed: 0, warnings: 1, skipped: 0 })
    expect(renderMarkdown(warned)).toMatch(/^## oob-conformance: PASSED WITH WARNINGS\n/)
    expect(renderMarkdown(warned, { strict: true })).toMatch(/^## oob-conformance: FAILED\n/)
    const clean = renderMarkdown(only([passed], { passed: 1, failed: 0, warnings: 0, skipped: 0 }))
    expect(clean).toMatch(/^## oob-conformance: PASSED\n/)
    expect(clean).not.toContain('###')
    expect(renderMarkdown(only([skipped], { passed: 0, failed: 0, warnings: 0, skipped: 1 })))
      .toMatch(/^## oob-conformance: NOTHING TESTED\n/)
  })

  it('says INCOMPLETE in its heading and lists the MUSTs not exercised, with why', () => {
    const passed = run.checks.find((c) => c.status === 'passed')!
    const incomplete: RunResults = { ...run, checks: [passed], summary: { passed: 1, failed: 0, warnings: 0, skipped: 0 },
      verdict: 'incomplete', completeness: { mustInScope: 2, mustExercised: 1,
        notExercised: [{ id: 'OOB-S-DENIAL-ERROR', reason: 'flows/denial: needs the user to deny: give --control-url or --driver' }] } }
    const out = renderMarkdown(incomplete)
    expect(out).toMatch(/^## oob-conformance: INCOMPLETE\n/)
    expect(out).toContain('1 of 2 MUST requirements exercised')
    expect(out).toContain('### MUST requirements not exercised (1)\n\n- `OOB-S-DENIAL-ERROR`: flows/denial: needs the user to deny')
  })

  it('stays under the GitHub comment limit, cutting between blocks and pointing at report.html', () => {
    const template = run.checks[1]!
    const checks = Array.from({ length: 300 }, (_, i): CheckResult => ({
      ...template, id: `flows/case-${i}`, requirements: [`OOB-S-GEN-${i}`],
      reproduction: `curl 'https://auth.example.test/oauth2/v1/token' --data-raw '${'x'.repeat(20_000)}'`,
    }))
    const requirements = checks.map((c, i) => ({ id: `OOB-S-GEN-${i}`, level: 'MUST' as const,
      status: 'failed' as const, checks: [c.id], title: `requirement ${i}` }))
    const out = renderMarkdown({ ...run, checks, requirements,
      summary: { passed: 0, failed: 300, warnings: 0, skipped: 0 } })
    expect(out.length).toBeLessThanOrEqual(summaryLimit)
    expect(out).toMatch(/\*\*Summary truncated\*\*: \d+ more items are in `report\.html`\./)
    expect(out.endsWith('`report.html` in the report directory.\n')).toBe(true)
    expect(fences(out).length % 2).toBe(0)
    expect(out.split('<details>').length).toBe(out.split('</details>').length)
    expect(out).toContain('# … cut here; the rest is in report.html')
  })
})
