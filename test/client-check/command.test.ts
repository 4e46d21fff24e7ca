/**
 * client-check's command mode end to end: the sample clients compiled to JavaScript run as child processes,
 * judged through the CLI's action, with the reports and exit codes `check` also has.
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { runClientCheck, type ClientCheckCommandOptions } from '../../src/cli/client-check.js'
import { runClientScenarios } from '../../src/client-check/index.js'
import type { CheckResult, RunResults } from '../../src/results/model.js'
import { compileSampleClients } from './compile-clients.js'

let clients: string
let reports: string
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() })
const options = (dir: string, scenarios: string, more: Partial<ClientCheckCommandOptions> = {}) =>
  ({ scenarios, reportDir: join(reports, dir), profile: 'okta' as const, timeout: '30', ...more })

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

  it('serves HTTPS under --tls to a command trusting the run’s CA through NODE_EXTRA_CA_CERTS', async () => {
    const code = await runClientCheck(['node', join(clients, 'correct.js')],
      options('tls', 'confidential-client,prompt', { tls: true }), quiet)
    const run = await results('tls')
    expect(run.checks.filter(notPassed).map((c) => `${c.id} ${c.status}: ${c.message}`)).toEqual([])
    expect(code).toBe(0)
    expect(run.checks[0]!.transcript![0]!.request.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//)
    // The issued tokens, JWTs all (header `{"…` is `eyJ…`), are redacted, the ID token included.
    const text = JSON.stringify(run)
    expect(text).toContain('id_token\\":\\"[REDACTED]')
    expect(text).not.toContain('eyJ')
  }, 30_000)

  it('gives every scenario the --login-hint', async () => {
    const { scenarios } = await runClientScenarios({ command: ['node', join(clients, 'correct.js')] },
      { scenarios: ['denied'], loginHint: 'zoe+push' })
    const start = scenarios[0]!.requests[0]!
    expect(start.params).toContainEqual(['login_hint', 'zoe+push'])
    expect(start.body).toContain('login_hint=zoe%2Bpush')
  }, 30_000)

  it('exits 2 when the client sends no request in any scenario: `-- true` and `-- false` earn nothing', async () => {
    for (const command of [['true'], ['false']]) {
      await expect(runClientCheck(command, options('silent', 'push-approved,denied'), quiet)).rejects
        .toMatchObject({ code: 'ERR_CLIENT_SILENT', message: expect.stringMatching(new RegExp(
          '^client-check: the client sent no request in any of the 2 scenario\\(s\\): is it reading ' +
          'OOB_BASE_URL \\(here http://127\\.0\\.0\\.1:\\d+/…\\)\\? It exited with code [01]$')) })
    }
  }, 30_000)

  it('fails a scenario without a single request, and judges nothing else in it', async () => {
    // A client that only knows SMS: it does nothing at all when asked for push.
    const command = ['sh', '-c', `[ "$OOB_CHANNEL" = sms ] && exec node ${join(clients, 'correct.js')}; exit 1`]
    const { results: run } = await runClientScenarios({ command }, { scenarios: ['prompt', 'denied'] })
    const denied = run.checks.filter((c) => c.id.startsWith('denied/'))
    expect(denied[0]).toMatchObject({ id: 'denied/no-request', status: 'failed', requirements: [],
      message: expect.stringContaining('the client sent no request: is it reading OOB_BASE_URL') })
    expect(denied.slice(1).map((c) => c.status)).toEqual(denied.slice(1).map(() => 'skipped'))
    expect(run.checks.filter((c) => c.id.startsWith('prompt/')).every((c) => c.status === 'passed')).toBe(true)
    expect(run.requirements.find((r) => r.id === 'OOB-C-REPORT-FAILURE')).toMatchObject({ status: 'skipped' })
  }, 30_000)

  it.each([
    [{ channels: 'push,fax' }, '--channels "push,fax": "fax" is not one of push, sms, voice, email'],
    [{ client: 'robot' }, '--client "robot": "robot" is not one of public, confidential'],
    [{ loginHint: '' }, '--login-hint must be one non-empty line'],
    [{ channels: 'voice' }, 'no scenario is left to run: the client does not declare push (--channels voice)'],
  ])('refuses %j before running anything', async (more, message) => {
    await expect(runClientCheck(['node', 'x.js'], { ...options('bad', 'denied'), ...more }, quiet))
      .rejects.toMatchObject({ code: 'ERR_USAGE', message: expect.stringContaining(message) })
  })

  it('refuses unknown scenario names before running anything', async () => {
    await expect(runClientCheck(['node', 'x.js'], options('bad', 'denied,nope'), quiet))
      .rejects.toMatchObject({ code: 'ERR_USAGE', message: expect.stringContaining('nope') })
  })
})
