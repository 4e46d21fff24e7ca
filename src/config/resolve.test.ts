import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  endpointsFromIssuer, parseRateLimit, readConfigFile, resolveCheckConfig, targetGiven, withConfigFile,
  type CheckOptions,
} from './resolve.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oob-config-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
/** Writes `text` as a config file and returns its path. */
function configFile(text: string, ext = 'yaml'): string {
  const path = join(dir, `config-${++files}.${ext}`)
  writeFileSync(path, text)
  return path
}

/** The error `resolveCheckConfig` throws for these options, as `{code, message}`. */
function invalid(options: CheckOptions, env: NodeJS.ProcessEnv = {}) {
  try {
    resolveCheckConfig(options, env)
  } catch (e) {
    const { code, message } = e as { code: string; message: string }
    return { code, message }
  }
  throw new Error('expected an error')
}

const base = 'https://auth.example.com'

describe('resolveCheckConfig: defaults', () => {
  it('a bare --base-url: Okta org paths, the okta profile, the standard accounts, the default bounds', () => {
    const { target, driver } = resolveCheckConfig({ baseUrl: `${base}/` }, {})
    expect(driver).toBeUndefined()
    expect(target).toMatchObject({
      baseUrl: base,
      profile: 'okta',
      endpoints: {
        oobAuthenticate: `${base}/oauth2/v1/oob-authenticate`,
        primaryAuthenticate: `${base}/oauth2/v1/primary-authenticate`,
        token: `${base}/oauth2/v1/token`,
        discovery: `${base}/.well-known/openid-configuration`,
      },
      initiation: 'primaryAuthenticate',
      maxWaitSeconds: 60,
      requestTimeoutMs: 10_000,
      maxResponseBytes: 1024 * 1024,
      numRuns: 100,
    })
    expect(target.controlUrl).toBeUndefined()
    expect(target.rateLimit).toBeUndefined()
    expect(Number.isSafeInteger(target.seed)).toBe(true)
    expect(target.accounts.clients.confidential).toEqual({
      clientId: 'oob-confidential-client', clientSecret: 'oob-confidential-secret',
    })
    expect(target.accounts.users.push).toBe('push@example.test')
    expect(target.accounts.scope).toBe('openid profile offline_access')
  })

  it('takes the embedded server URL only when nothing names a target', () => {
    expect(resolveCheckConfig({}, {}, 'http://127.0.0.1:5000').target.baseUrl).toBe('http://127.0.0.1:5000')
    expect(resolveCheckConfig({ baseUrl: base }, {}, 'http://127.0.0.1:5000').target.baseUrl).toBe(base)
    expect(invalid({})).toEqual({
      code: 'ERR_CONFIG_INVALID', message: 'no target: give --base-url URL or --issuer URL',
    })
  })

  it('--seed, --num-runs, --max-wait, --request-timeout and --rate-limit as typed', () => {
    const { target } = resolveCheckConfig({
      baseUrl: base, seed: '42', numRuns: '7', maxWait: '2.5', requestTimeout: '3', rateLimit: '0.5/s',
    }, {})
    expect(target).toMatchObject({
      seed: 42, numRuns: 7, maxWaitSeconds: 2.5, requestTimeoutMs: 3000, rateLimit: 0.5,
    })
  })

  it('--initiation oob-authenticate makes the flows use the deprecated alias', () => {
    expect(resolveCheckConfig({ baseUrl: base, initiation: 'oob-authenticate' }, {}).target.initiation)
      .toBe('oobAuthenticate')
  })
})

describe('resolveCheckConfig: --issuer', () => {
  it('an org issuer serves /oauth2/v1/…', () => {
    const { target } = resolveCheckConfig({ issuer: 'https://org.example.com' }, {})
    expect(target.baseUrl).toBe('https://org.example.com')
    expect(target.endpoints).toEqual(endpointsFromIssuer(new URL('https://org.example.com')))
    expect(target.endpoints.token).toBe('https://org.example.com/oauth2/v1/token')
    expect(target.endpoints.discovery).toBe('https://org.example.com/.well-known/openid-configuration')
  })

  it('a custom authorization server issuer serves {issuer}/v1/…, discovery under the issuer', () => {
    const { target } = resolveCheckConfig({ issuer: 'https://org.example.com/oauth2/default/' }, {})
    expect(target.endpoints).toEqual({
      oobAuthenticate: 'https://org.example.com/oauth2/default/v1/oob-authenticate',
      primaryAuthenticate: 'https://org.example.com/oauth2/default/v1/primary-authenticate',
      token: 'https://org.example.com/oauth2/default/v1/token',
      discovery: 'https://org.example.com/oauth2/default/.well-known/openid-configuration',
    })
  })

  it('with --base-url too: a usage error, as the two would name different endpoints', () => {
    expect(invalid({ baseUrl: base, issuer: 'https://org.example.com/oauth2/aus1' })).toEqual({
      code: 'ERR_CONFIG_INVALID',
      message: 'give either --base-url or --issuer, not both: the issuer alone sets the endpoints ' +
        '(https://org/oauth2/default → https://org/oauth2/default/v1/token); other paths go under paths: in --config',
    })
  })
})

describe('resolveCheckConfig: config file', () => {
  it('reads every option from YAML, with explicit paths resolved against the base URL', () => {
    const config = configFile([
      `base-url: ${base}/tenant`,
      'profile: rfc',
      'initiation: oob-authenticate',
      'max-wait: 5',
      'request-timeout: 2',
      'rate-limit: 3/s',
      'paths:',
      '  token: /custom/token',
      '  oob-authenticate: https://other.example.com/oob',
      'clients:',
      '  public: { client_id: my-public }',
      '  confidential: { client_id: my-confidential }',
      'users: { sms: someone@example.com }',
      'scope: openid',
    ].join('\n'))
    const { target } = resolveCheckConfig({ config }, { OOB_CLIENT_SECRET: 'from-env' })
    expect(target).toMatchObject({
      baseUrl: `${base}/tenant`,
      profile: 'rfc',
      initiation: 'oobAuthenticate',
      maxWaitSeconds: 5,
      requestTimeoutMs: 2000,
      rateLimit: 3,
      endpoints: {
        token: `${base}/custom/token`,
        oobAuthenticate: 'https://other.example.com/oob',
        primaryAuthenticate: `${base}/tenant/oauth2/v1/primary-authenticate`,
      },
    })
    expect(target.accounts.clients.public).toEqual({ clientId: 'my-public' })
    // A confidential client named in the file takes its secret from the environment.
    expect(target.accounts.clients.confidential).toEqual({ clientId: 'my-confidential', clientSecret: 'from-env' })
    expect(target.accounts.users).toMatchObject({ sms: 'someone@example.com', push: 'push@example.test' })
    expect(target.accounts.scope).toBe('openid')
  })

  it('accepts JSON', () => {
    const config = configFile(JSON.stringify({ issuer: 'https://org.example.com', profile: 'rfc' }), 'json')
    expect(resolveCheckConfig({ config }, {}).target).toMatchObject({
      profile: 'rfc', baseUrl: 'https://org.example.com',
    })
  })

  it('a flag beats the file: --profile, --max-wait, --rate-limit', () => {
    const config = configFile(`base-url: ${base}\nprofile: okta\nmax-wait: 5\nrate-limit: 3/s`)
    const { target } = resolveCheckConfig({ config, profile: 'rfc', maxWait: '9', rateLimit: '1' }, {})
    expect(target).toMatchObject({ profile: 'rfc', maxWaitSeconds: 9, rateLimit: 1 })
  })

  it('--base-url replaces the file\'s target, issuer included', () => {
    const config = configFile('issuer: https://org.example.com/oauth2/default')
    const { target } = resolveCheckConfig({ config, baseUrl: 'http://127.0.0.1:4010' }, {})
    expect(target.baseUrl).toBe('http://127.0.0.1:4010')
    expect(target.endpoints.token).toBe('http://127.0.0.1:4010/oauth2/v1/token')
  })

  it('--driver replaces the file\'s control-url, and --control-url the file\'s driver', () => {
    const config = configFile(`base-url: ${base}\ncontrol-url: ${base}/control`)
    const viaDriver = resolveCheckConfig({ config, driver: 'interactive' }, {})
    expect(viaDriver.driver).toBe('interactive')
    expect(viaDriver.target.controlUrl).toBeUndefined()
    const withDriver = configFile(`base-url: ${base}\ndriver: ./driver.js`)
    const viaControl = resolveCheckConfig({ config: withDriver, controlUrl: `${base}/c/` }, {})
    expect(viaControl.driver).toBeUndefined()
    expect(viaControl.target.controlUrl).toBe(`${base}/c`)
  })

  it('OOB_CLIENT_SECRET supplies the secret unless the file has one', () => {
    const confidential = (options: CheckOptions) =>
      resolveCheckConfig(options, { OOB_CLIENT_SECRET: 'from-env' }).target.accounts.clients.confidential
    expect(confidential({ baseUrl: base }))
      .toEqual({ clientId: 'oob-confidential-client', clientSecret: 'from-env' })
    const named = configFile(`base-url: ${base}\nclients: { confidential: { client_id: mine } }`)
    expect(confidential({ config: named })).toEqual({ clientId: 'mine', clientSecret: 'from-env' })
    const withSecret = configFile(
      `base-url: ${base}\nclients: { confidential: { client_id: mine, client_secret: s3 } }`)
    expect(confidential({ config: withSecret })).toEqual({ clientId: 'mine', clientSecret: 's3' })
  })
})

describe('resolveCheckConfig: bad values → ERR_CONFIG_INVALID naming the option', () => {
  it.each([
    [{ baseUrl: base, profile: 'x' }, '--profile "x" is not a profile; use okta or rfc'],
    [{ baseUrl: 'auth.example.com' },
      '--base-url "auth.example.com" is not an http(s) URL; give e.g. https://auth.example.com'],
    [{ baseUrl: 'ftp://auth.example.com' },
      '--base-url "ftp://auth.example.com" is not an http(s) URL; give e.g. https://auth.example.com'],
    [{ issuer: 'org' }, '--issuer "org" is not an http(s) URL; give e.g. https://auth.example.com'],
    [{ baseUrl: base, controlUrl: 'nope' },
      '--control-url "nope" is not an http(s) URL; give e.g. https://auth.example.com'],
    [{ baseUrl: base, seed: 'abc' }, '--seed "abc" must be an integer'],
    [{ baseUrl: base, seed: '1.5' }, '--seed "1.5" must be an integer'],
    [{ baseUrl: base, rateLimit: '5/min' }, '--rate-limit "5/min" must look like 5/s (requests per second)'],
    [{ baseUrl: base, rateLimit: '0/s' }, '--rate-limit "0/s" must look like 5/s (requests per second)'],
    [{ baseUrl: base, numRuns: '0' }, '--num-runs "0" must be a positive number'],
    [{ baseUrl: base, numRuns: '2.5' }, '--num-runs "2.5" must be a whole number'],
    [{ baseUrl: base, maxWait: '-1' }, '--max-wait "-1" must be a positive number'],
    [{ baseUrl: base, requestTimeout: 'soon' }, '--request-timeout "soon" must be a positive number'],
    [{ baseUrl: base, initiation: 'token' },
      '--initiation "token" must be primary-authenticate or oob-authenticate'],
    [{ baseUrl: base, driver: 'interactive', controlUrl: `${base}/control` },
      'give either --control-url or --driver, not both'],
  ] as [CheckOptions, string][])('%o', (options, message) => {
    expect(invalid(options)).toEqual({ code: 'ERR_CONFIG_INVALID', message })
  })

  it('a config file with both driver and control-url', () => {
    const config = configFile(`base-url: ${base}\ndriver: interactive\ncontrol-url: ${base}/control`)
    expect(invalid({ config }).message).toBe('give either --control-url or --driver, not both')
  })

  it('a non-http URL in the file names the file\'s key', () => {
    const config = configFile('base-url: ftp://auth.example.com')
    expect(invalid({ config }).message)
      .toBe('base-url "ftp://auth.example.com" is not an http(s) URL; give e.g. https://auth.example.com')
  })

  it('an unknown key, at the top or nested, is named', () => {
    const config = configFile(`base_url: ${base}\nusers: { admin: a@example.com }`)
    expect(invalid({ config })).toEqual({
      code: 'ERR_CONFIG_INVALID',
      message: `--config ${config}: (top level): unknown key "base_url"; valid keys: base-url, issuer, profile, ` +
        'control-url, driver, initiation, max-wait, request-timeout, rate-limit, suites, report-dir, seed, num-runs, ' +
        'expected-failures, strict, require-complete, shard, quiet, verbose, paths, clients, users, scope; ' +
        '/users: unknown key "admin"; valid keys: push, number, sms, voice, email, unenrolled',
    })
  })

  it('a value of the wrong kind is named by its path', () => {
    const config = configFile(`base-url: ${base}\nmax-wait: soon\nclients: { public: {} }`)
    expect(invalid({ config }).message).toBe(`--config ${config}: /max-wait: must be number; ` +
      "/clients/public: must have required property 'client_id'")
  })

  it('an unreadable file names the OS error', () => {
    const missing = join(dir, 'missing.yaml')
    expect(invalid({ config: missing })).toEqual({
      code: 'ERR_CONFIG_INVALID', message: `--config ${missing}: cannot read the file (ENOENT)`,
    })
    expect(invalid({ config: dir }).message).toBe(`--config ${dir}: cannot read the file (EISDIR)`)
  })

  it('invalid YAML is reported on one line with its whole location: file:line:col, the reason, the line', () => {
    const config = configFile('profile: okta\nbase-url: [unclosed')
    expect(invalid({ config })).toEqual({ code: 'ERR_CONFIG_INVALID', message: `--config ${config}:2:20: not valid ` +
      'YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ]: ' +
      '"base-url: [unclosed"' })
  })

  it('an enum names its allowed values', () => {
    const config = configFile(`base-url: ${base}\nprofile: okda\ninitiation: token`)
    expect(invalid({ config }).message).toBe(`--config ${config}: /profile: "okda" is not one of okta, rfc; ` +
      '/initiation: "token" is not one of primary-authenticate, oob-authenticate')
  })

  it('takes every option by its kebab-case or camelCase name, once', () => {
    const config = configFile(`baseUrl: ${base}\nmaxWait: 7\nnumRuns: 3\nreportDir: out\nrequireComplete: true`)
    expect(resolveCheckConfig({ config }, {}).target).toMatchObject({ baseUrl: base, maxWaitSeconds: 7, numRuns: 3 })
    expect(withConfigFile({ config, reportDir: 'flag' })).toMatchObject({ reportDir: 'flag', requireComplete: true })
    const twice = configFile(`base-url: ${base}\nbaseUrl: ${base}`)
    expect(invalid({ config: twice }).message)
      .toBe(`--config ${twice}: "base-url" and "baseUrl" name the same option; keep one`)
  })

  it('a confidential client without a secret anywhere: set OOB_CLIENT_SECRET', () => {
    const config = configFile(`base-url: ${base}\nclients: { confidential: { client_id: mine } }`)
    expect(invalid({ config }).message).toBe(`--config ${config}: clients.confidential (mine) has no secret: ` +
      'set OOB_CLIENT_SECRET in the environment')
  })

  it('an explicit path that is no URL', () => {
    const config = configFile(`base-url: ${base}\npaths: { token: 'http://[::1' }`)
    expect(invalid({ config }).message)
      .toBe(`--config ${config}: paths.token "http://[::1" is neither a path nor a URL`)
  })
})

describe('parseRateLimit', () => {
  it('reads requests per second, with or without /s', () => {
    expect(parseRateLimit(undefined)).toBeUndefined()
    expect(parseRateLimit('5')).toBe(5)
    expect(parseRateLimit(' 2/s ')).toBe(2)
    expect(parseRateLimit('0.5/s')).toBe(0.5)
  })
})

describe('readConfigFile', () => {
  it('returns the file as parsed', () => {
    expect(readConfigFile(configFile('scope: openid\nusers: { push: p@example.com }')))
      .toEqual({ scope: 'openid', users: { push: 'p@example.com' } })
  })
})

describe('targetGiven', () => {
  it('is true for --base-url or --issuer, or a config file naming either', () => {
    expect(targetGiven({})).toBe(false)
    expect(targetGiven({ baseUrl: base })).toBe(true)
    expect(targetGiven({ issuer: base })).toBe(true)
    expect(targetGiven({ config: configFile('profile: rfc') })).toBe(false)
    expect(targetGiven({ config: configFile(`base-url: ${base}`) })).toBe(true)
    expect(targetGiven({ config: configFile(`issuer: ${base}`) })).toBe(true)
  })

  it('reports an unreadable config file', () => {
    expect(() => targetGiven({ config: join(dir, 'nope.yaml') }))
      .toThrow(expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }))
  })
})
