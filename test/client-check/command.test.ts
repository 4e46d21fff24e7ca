/**
 * client-check's command mode end to end: the sample clients compiled to JavaScript run as child processes,
 * judged through the CLI's action, with the reports and exit codes `check` also has.
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { runClientCheck } from '../../src/cli/client-check.js'
import { runClientScenarios } from '../../src/client-check/index.js'
import type { CheckResult, RunResults } from '../../src/results/model.js'
import { compileSampleClients } from './compile-clients.js'

let clients: string
let reports: string
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() })
const options = (dir: string, scenarios: string) =>
  ({ scenarios, reportDir: join(reports, dir), profile: 'okta' as const, timeout: '30' })

beforeAll(async () => {
  clients = await compileSampleClients()
  reports = await mkdtemp(join(tmpdir(), 'oob-client-check-reports-'))
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
}, 60_000)

afterAll(async () => {
  vi.restoreAllMocks()
  await rm(join(clients, '..', '..'), { recursive: true, force: true })
  await rm(reports, { recursive: true, force: true })
})

/** Not passed, and not a timing verdict a busy machine left unjudged either. */
const notPassed = (c: CheckResult) => c.status !== 'passed' && !c.message.startsWith('not judged')

const results = async (dir: string): Promise<RunResults> =>
  JSON.parse(await readFile(join(reports, dir, 'results.json'), 'utf8'))

describe('client-check -- COMMAND', () => {
  const fast = ['confidential-client', 'denied', 'prompt', 'number-challenge',
    'number-challenge-without-code', 'unknown-token-type'].join(',')

  it('passes the correct client run as a command, and writes the four reports', async () => {
    const code = await runClientCheck(['node', join(clients, 'correct.js')], options('correct', fast), quiet)
    const run = await results('correct')
    expect(run.checks.filter(notPassed).map((c) => `${c.id} ${c.status}: ${c.message}`)).toEqual([])
    expect(code).toBe(0)
    expect(run.target).toBe(`node ${join(clients, 'correct.js')}`)
    for (const file of ['junit.xml', 'summary.md', 'report.html']) {
      await expect(readFile(join(reports, 'correct', file), 'utf8')).resolves.not.toBe('')
    }
  }, 30_000)

  it('fails a faulty command with exit code 1, naming the requirement, secrets redacted', async () => {
    const code = await runClientCheck(['node', join(clients, 'faulty.js'), 'two-auth-methods'],
      options('two', 'confidential-client'), quiet)
    expect(code).toBe(1)
    const run = await results('two')
    const failed = run.requirements.filter((r) => r.status === 'failed').map((r) => r.id)
    expect(failed).toEqual(['OOB-C-ONE-AUTH-METHOD'])
    expect(JSON.stringify(run)).not.toContain('oob-confidential-secret')
  }, 30_000)

  it('gives the typed code on stdin to a client that does not read OOB_OTP_FILE', async () => {
    const command = ['env', '-u', 'OOB_OTP_FILE', 'node', join(clients, 'correct.js')]
    const { results: run } = await runClientScenarios({ command }, { scenarios: ['prompt'] })
    expect(run.checks.filter(notPassed).map((c) => `${c.id} ${c.status}: ${c.message}`)).toEqual([])
  }, 30_000)

  it('reports a command that cannot start as a usage error (exit code 2 in the CLI)', async () => {
    await expect(runClientCheck([join(clients, 'no-such-client')], options('none', 'denied'), quiet))
      .rejects.toMatchObject({ code: 'ERR_CLIENT_COMMAND' })
  })

  it('refuses unknown scenario names before running anything', async () => {
    await expect(runClientCheck(['node', 'x.js'], options('bad', 'denied,nope'), quiet))
      .rejects.toMatchObject({ code: 'ERR_USAGE', message: expect.stringContaining('nope') })
  })
})
