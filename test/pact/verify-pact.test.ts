import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, it, expect, vi } from 'vitest'
import { runVerifyPact } from '../../src/cli/verify-pact.js'
import { packageRoot } from '../../src/package-root.js'
import { PROFILES } from '../../src/profile.js'
import type { RunResults } from '../../src/results/model.js'
import { committedPact } from '../../suites/pact/consumer/cases.js'

const wrongPacts = join(packageRoot, 'fixtures', 'wrong-pacts')
let reportRoot: string

beforeAll(async () => {
  reportRoot = await mkdtemp(join(tmpdir(), 'oob-verify-pact-'))
  // runVerifyPact prints progress and a summary; the reports are what these tests read.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
})
afterAll(async () => {
  vi.restoreAllMocks()
  await rm(reportRoot, { recursive: true, force: true })
})

async function verifyPact(path: string, profile?: string, config?: string):
  Promise<{ code: number; results: RunResults; summary: string }> {
  const reportDir = await mkdtemp(join(reportRoot, 'run-'))
  const code = await runVerifyPact(path, { reportDir, ...(profile && { profile }), ...(config && { config }) })
  return { code, results: JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as RunResults,
    summary: await readFile(join(reportDir, 'summary.md'), 'utf8') }
}

/** Each check that did not pass, as `status: message`. */
const notPassed = (results: RunResults) => Object.fromEntries(results.checks.filter((c) => c.status !== 'passed')
  .map((c) => [c.id, `${c.status}: ${c.message}`]))

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** A failed check whose message holds `parts`, in order. */
const failedWith = (...parts: string[]) =>
  expect.stringMatching(new RegExp(`^failed: .*${parts.map(escape).join('.*')}`))
const reference = 'the reference server (a conforming implementation) does not answer as the pact expects'
const spec = 'spec/openapi.yaml paths./oauth2/v1/primary-authenticate.post'
const noServer = 'no conforming server can meet it'
const noTokens = 'status: expected 200 but was 400'

describe('verify-pact', () => {
  it.each(PROFILES)('passes the committed %s pact on the reference server and the spec', async (profile) => {
    const { code, results } = await verifyPact(committedPact(profile), profile)
    expect(results.checks.filter((c) => c.status !== 'passed')).toEqual([])
    expect(results.checks).toHaveLength(2 * 13)
    expect(code).toBe(0)
  })

  it('rejects each deliberately wrong pact with its reason', async () => {
    const { code, results } = await verifyPact(wrongPacts)
    const verdicts = Object.fromEntries(results.checks.map((c) => [c.id, `${c.status}: ${c.message}`]))
    expect(verdicts).toEqual({
      'expects-200-while-pending/push-poll-while-pending/server':
        failedWith(reference, noTokens, '(the server answered 400 authorization_pending)'),
      'expects-200-while-pending/push-poll-while-pending/spec':
        'passed: fits spec/openapi.yaml (profile okta)',
      'expects-undocumented-field/push-start/server':
        failedWith(reference, 'Actual map is missing the following keys: expires_at'),
      'expects-undocumented-field/push-start/spec':
        failedWith(noServer, 'must NOT have additional properties - expires_at', `${spec}.responses.200`),
      'sends-json/push-start/server':
        failedWith(reference, noTokens, '(the server answered 400 invalid_request)'),
      'sends-json/push-start/spec':
        failedWith(noServer, 'Request Content-Type header is incompatible', `${spec}.requestBody.content`),
    })
    expect(results.checks.find((c) => c.id === 'sends-json/push-start/server')?.reproduction)
      .toContain("-H 'content-type: application/json'")
    expect(code).toBe(1)
  })

  it('judges each pact of a directory under the profile its provider names', async () => {
    const pacts = join(packageRoot, 'spec', 'pacts')
    const { code, results, summary } = await verifyPact(pacts)
    expect(notPassed(results)).toEqual({})
    expect(results.checks).toHaveLength(2 * 2 * 13)
    for (const profile of PROFILES) {
      const pactId = `oob-flow-client-oob-server-${profile}`
      const mine = results.checks.filter((c) => c.id.startsWith(`${pactId}/`))
      expect(mine).toHaveLength(2 * 13)
      expect(mine.filter((c) => c.id.endsWith('/spec')).map((c) => c.message))
        .toEqual(Array(13).fill(`fits spec/openapi.yaml (profile ${profile})`))
      expect(summary).toContain(`- ${committedPact(profile)}: judged under profile ${profile} ` +
        `(its provider is oob-server-${profile})`)
    }
    expect(code).toBe(0)
  })

  // RFC 8628 / CIBA errors where Okta's are expected: what a client written for one profile meets on the other.
  const rfcUnderOkta = (pactId: string) => ({
    [`${pactId}/push-poll-after-denial/server`]:
      failedWith(reference, "body $.error: Expected 'invalid_grant' (String) to be equal to 'access_denied'"),
    [`${pactId}/push-poll-after-expiry/server`]:
      failedWith(reference, 'status: expected 400 but was 403', "'expired_token'"),
    [`${pactId}/push-poll-after-expiry/spec`]:
      failedWith(noServer, 'must be equal to one of the allowed values', 'TokenError400.properties.error.enum'),
  })

  it('judges every pact under --profile when it is given: the rfc pact under okta fails', async () => {
    const { code, results, summary } = await verifyPact(committedPact('rfc'), 'okta')
    expect(notPassed(results)).toEqual(rfcUnderOkta('oob-flow-client-oob-server-rfc'))
    expect(summary).toContain(`${committedPact('rfc')}: judged under profile okta ` +
      '(--profile; its provider oob-server-rfc names rfc)')
    expect(code).toBe(1)
  })

  it("judges every pact under the config file's profile", async () => {
    const config = join(await mkdtemp(join(reportRoot, 'config-')), 'oob.yaml')
    await writeFile(config, 'profile: okta\n')
    const { code, results, summary } = await verifyPact(committedPact('rfc'), undefined, config)
    expect(notPassed(results)).toEqual(rfcUnderOkta('oob-flow-client-oob-server-rfc'))
    expect(summary)
      .toContain(`: judged under profile okta (profile in ${config}; its provider oob-server-rfc names rfc)`)
    expect(code).toBe(1)
  })

  it('judges a pact whose provider names no profile under okta, and says --profile rfc changes it', async () => {
    const dir = await mkdtemp(join(reportRoot, 'pacts-'))
    const pact = JSON.parse(await readFile(committedPact('rfc'), 'utf8')) as { provider: { name: string } }
    const file = join(dir, 'my-client-my-server.json')
    await writeFile(file, JSON.stringify({ ...pact, provider: { name: 'my-server' } }))
    const asOkta = await verifyPact(file)
    expect(notPassed(asOkta.results)).toEqual(rfcUnderOkta('my-client-my-server'))
    const line = `${file}: judged under profile okta (its provider "my-server" names no profile ` +
      '(oob-server-okta or oob-server-rfc would); --profile rfc judges it under rfc)'
    expect(asOkta.summary.split('\n').filter((l) => l.includes('judged under'))).toEqual([`- ${line}`])
    expect(asOkta.code).toBe(1)
    const asRfc = await verifyPact(file, 'rfc')
    expect(notPassed(asRfc.results)).toEqual({})
    expect(asRfc.code).toBe(0)
  })

  it('is a usage error when there is no pact to read', async () => {
    await expect(runVerifyPact(join(wrongPacts, 'missing.json'), { reportDir: reportRoot }))
      .rejects.toMatchObject({ code: 'ERR_USAGE' })
  })

  it('exits 1 from the command line on a wrong pact and 2 on a missing one', () => {
    const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js')
    const options = { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } } as const
    const run = (path: string) => spawnSync(process.execPath, [cli, 'verify-pact', path, '--report-dir', reportRoot],
      options)
    const wrong = run(join(wrongPacts, 'sends-json.json'))
    expect(wrong.stdout).toContain('✗ sends-json/push-start/spec: no conforming server can meet it')
    expect(wrong.status).toBe(1)
    expect(run(join(wrongPacts, 'missing.json')).status).toBe(2)
  })

  it('exits 0 from the command line on the committed pacts, and prints the profile each was judged under', () => {
    const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js')
    const { status, stdout, stderr } = spawnSync(process.execPath,
      [cli, 'verify-pact', join('spec', 'pacts'), '--report-dir', reportRoot],
      { cwd: packageRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect(stderr).toContain('each pact under its own profile (okta, rfc)')
    expect(stdout).toContain('PASS  26 interaction(s) in 2 pact(s): 52 passed, 0 failed')
    for (const profile of PROFILES) {
      expect(stdout).toContain(`  ${join('spec', 'pacts', `oob-flow-client-oob-server-${profile}.json`)}: ` +
        `judged under profile ${profile} (its provider is oob-server-${profile})`)
    }
    expect(status, stdout).toBe(0)
  })
})
