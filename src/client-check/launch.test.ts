import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { setTimeout as delay } from 'node:timers/promises'
import { launch, type ScenarioValues } from './launch.js'

const values: ScenarioValues = {
  baseUrl: 'http://127.0.0.1:9', issuer: 'http://127.0.0.1:9', host: '127.0.0.1:9', clientId: 'c1',
  loginHint: 'zoë@example.test', channel: 'sms',
  typedCode: ' 12 34 ', otpFile: '/tmp/otp',
}
const node = (script: string) => ({ command: [process.execPath, '-e', script] })

describe('launch: a command', () => {
  it('gets the scenario’s OOB_* variables (none of the caller’s) and the typed code on stdin', async () => {
    const before = process.env.OOB_CLIENT_SECRET
    process.env.OOB_CLIENT_SECRET = 'the caller’s own secret'
    try {
      const running = launch(node(`
        const oob = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('OOB_')))
        let stdin = ''
        process.stdin.on('data', (d) => { stdin += d })
        process.stdin.on('end', () => console.log(JSON.stringify({ oob, stdin })))`),
      values)
      const outcome = await running.ended
      expect(outcome.exitCode).toBe(0)
      expect(JSON.parse(outcome.output)).toEqual({
        oob: { OOB_BASE_URL: values.baseUrl, OOB_ISSUER: values.issuer, OOB_HOST: '127.0.0.1:9',
          OOB_CLIENT_ID: 'c1', OOB_LOGIN_HINT: 'zoë@example.test', OOB_CHANNEL: 'sms', OOB_OTP_FILE: '/tmp/otp' },
        stdin: ' 12 34 \n',
      })
    } finally {
      if (before === undefined) delete process.env.OOB_CLIENT_SECRET
      else process.env.OOB_CLIENT_SECRET = before
    }
  })

  it('points every usual CA-bundle variable at the run’s CA under --tls, and only then', async () => {
    const names = ['OOB_CA_FILE', 'SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE']
    const print = node(`console.log(JSON.stringify(${JSON.stringify(names)}.map((n) => process.env[n] ?? null)))`)
    const tls = { ...values, baseUrl: 'https://127.0.0.1:9', tls: { caFile: '/tmp/run/ca.pem', ca: 'PEM' } }
    const withTls = await launch(print, tls).ended
    // (Node warns on stderr that it cannot read the made-up NODE_EXTRA_CA_CERTS file: the last line is ours.)
    expect(JSON.parse(withTls.output.trim().split('\n').at(-1)!)).toEqual(names.map(() => '/tmp/run/ca.pem'))
    const before = process.env.SSL_CERT_FILE
    process.env.SSL_CERT_FILE = '/etc/ssl/mine.pem'
    try {
      const plain = await launch(print, values).ended
      // Without --tls the caller's own settings stay as they are.
      expect(JSON.parse(plain.output)).toEqual([null, ...names.slice(1).map((n) => process.env[n] ?? null)])
      expect(JSON.parse(plain.output)[1]).toBe('/etc/ssl/mine.pem')
    } finally {
      if (before === undefined) delete process.env.SSL_CERT_FILE
      else process.env.SSL_CERT_FILE = before
    }
  })

  it('reports the exit code', async () => {
    expect((await launch(node('process.exit(3)'), values).ended).exitCode).toBe(3)
  })

  it('kills the whole process tree when stopped', async () => {
    const running = launch({ command: ['sh', '-c', 'sleep 30 & echo $!; wait'] }, values)
    await delay(300)
    running.stop('timeout')
    const outcome = await running.ended
    expect(outcome.stopped).toBe('timeout')
    // The grandchild is gone, or a zombie waiting for init to reap it: either way no longer running.
    const ps = spawnSync('ps', ['-o', 'stat=', '-p', outcome.output.trim()], { encoding: 'utf8' })
    const state = ps.stdout.trim()
    expect(state === '' || state.startsWith('Z')).toBe(true)
  })

  it('rejects with ERR_CLIENT_COMMAND when the command cannot start', async () => {
    await expect(launch({ command: ['/nonexistent/client'] }, values).ended)
      .rejects.toMatchObject({ code: 'ERR_CLIENT_COMMAND' })
  })
})

describe('launch: an in-process client', () => {
  it('maps resolve to exit code 0 and reject to 1, with what it displayed', async () => {
    const ok = await launch(async (env) => {
      env.display(`code ${await env.readCode()}`)
    }, values).ended
    expect(ok).toEqual({ exitCode: 0, output: 'code  12 34 \n' })
    const seen = await launch(async (env) => {
      env.display(JSON.stringify([env.issuer, env.host, env.caFile, env.ca]))
    }, { ...values, tls: { caFile: '/tmp/run/ca.pem', ca: 'PEM' } }).ended
    expect(JSON.parse(seen.output)).toEqual([values.issuer, '127.0.0.1:9', '/tmp/run/ca.pem', 'PEM'])
    const failed = await launch(async () => {
      throw new Error('denied')
    }, values).ended
    expect(failed).toMatchObject({ exitCode: 1, error: 'denied' })
  })

  it('aborts the client’s signal when stopped', async () => {
    const running = launch((env) => new Promise((_resolve, reject) => {
      env.signal.addEventListener('abort', () => reject(env.signal.reason))
    }), values)
    await delay(0)
    running.stop('after-final')
    expect(await running.ended).toMatchObject({ exitCode: 1, stopped: 'after-final' })
  })
})
