import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
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

async function verifyPact(path: string, profile?: string): Promise<{ code: number; results: RunResults }> {
  const reportDir = await mkdtemp(join(reportRoot, 'run-'))
  const code = await runVerifyPact(path, { reportDir, ...(profile && { profile }) })
  return { code, results: JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as RunResults }
}

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
})
