import { describe, it, expect } from 'vitest'
import type { Exchange } from '../results/model.js'
import { createRedactor, redactExchange, REDACTED } from './index.js'

const secret = `s3cr3t "value"/+!'()*~ü`
const redact = createRedactor([secret, 'oob-confidential-secret', 'abc'])

describe('createRedactor', () => {
  it('replaces a secret raw, percent-encoded, form-encoded and JSON-escaped', () => {
    const forms = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ x: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
    ]
    expect(new Set(forms).size).toBe(4)
    for (const form of forms) expect(redact(`before ${form} after`)).toBe(`before ${REDACTED} after`)
  })

  it('redacts the secret inside a form-encoded body, keeping the other parameters', () => {
    const body = `client_id=oob-public-client&x_secret=${encodeURIComponent(secret)}&oob_code=ftpuF1hY4K`
    expect(redact(body)).toBe(`client_id=oob-public-client&x_secret=${REDACTED}&oob_code=ftpuF1hY4K`)
  })

  it('redacts a Basic credential that carries a known secret, whatever header it appears in', () => {
    const credential = Buffer.from(`oob-confidential-client:${encodeURIComponent(secret)}`).toString('base64')
    expect(redact(`authorization: Basic ${credential}`)).toBe(`authorization: Basic ${REDACTED}`)
    expect(redact(`-H 'X-Forwarded-Auth: Basic ${credential}'`))
      .toBe(`-H 'X-Forwarded-Auth: Basic ${REDACTED}'`)
    expect(redact('Basic authentication failed')).toBe('Basic authentication failed')
  })

  it('redacts any Authorization credential, keeping the scheme', () => {
    expect(redact("-H 'Authorization: Bearer eyJhbGciOi.J9.sig'"))
      .toBe(`-H 'Authorization: Bearer ${REDACTED}'`)
    const unknown = Buffer.from('other-client:other-secret').toString('base64')
    expect(redact(`Authorization: Basic ${unknown}`)).toBe(`Authorization: Basic ${REDACTED}`)
  })

  it('redacts sensitive JSON fields whatever their value, and leaves oob_code alone', () => {
    const body = JSON.stringify({ access_token: 'eyJ.a.b', token_type: 'Bearer', refresh_token: 'r-1',
      id_token: 'eyJ.c.d', device_secret: 'ds', oob_code: 'ftpuF1hY4K', nested: { otp: 123456 } })
    expect(JSON.parse(redact(body))).toEqual({ access_token: REDACTED, token_type: 'Bearer',
      refresh_token: REDACTED, id_token: REDACTED, device_secret: REDACTED, oob_code: 'ftpuF1hY4K',
      nested: { otp: REDACTED } })
    expect(redact('{\n  "binding_code" : "12\\"34",\n  "x": 1\n}'))
      .toBe(`{\n  "binding_code" : "${REDACTED}",\n  "x": 1\n}`)
    expect(redact('{"access_token":"eyJ.cut-off-by-the-size-c')).toBe(`{"access_token":"${REDACTED}"`)
  })

  it('redacts sensitive form fields in bodies, query strings and curl lines', () => {
    expect(redact('grant_type=x&binding_code=482915&client_secret=abc%20def&client_assertion=eyJ.x.y'))
      .toBe(`grant_type=x&binding_code=${REDACTED}&client_secret=${REDACTED}&client_assertion=${REDACTED}`)
    expect(redact('https://a.test/cb?access_token=xyz&state=1'))
      .toBe(`https://a.test/cb?access_token=${REDACTED}&state=1`)
    expect(redact("--data-raw 'otp=1234'")).toBe(`--data-raw 'otp=${REDACTED}'`)
    expect(redact('totp=1234&login_hint=a%40b.test')).toBe('totp=1234&login_hint=a%40b.test')
  })

  it('ignores secrets too short to be told apart from ordinary text, and is idempotent', () => {
    expect(redact('abc abcdef')).toBe('abc abcdef')
    const text = `client_secret=oob-confidential-secret&access_token=t`
    expect(redact(redact(text))).toBe(redact(text))
  })
})

describe('redactExchange', () => {
  const exchange: Exchange = {
    request: {
      method: 'POST',
      url: 'https://auth.example.test/oauth2/v1/token',
      headers: { Authorization: 'Basic b29iOm9vYi1zZWNyZXQ=', cookie: 'sid=abc123', accept: 'text/plain' },
      body: 'grant_type=urn%3Aokta%3Aparams%3Aoauth%3Agrant-type%3Aoob&oob_code=ftpuF1hY4K&binding_code=4829',
    },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json', 'set-cookie': 'sid=def; HttpOnly' },
      body: '{"access_token":"eyJ.a.b","token_type":"Bearer"}',
    },
    startedAt: '2025-06-02T09:30:00.000Z',
    durationMs: 12,
  }

  it('returns a redacted copy and leaves the original untouched', () => {
    const before = structuredClone(exchange)
    expect(redactExchange(exchange, redact)).toEqual({
      ...exchange,
      request: {
        ...exchange.request,
        headers: { Authorization: `Basic ${REDACTED}`, cookie: REDACTED, accept: 'text/plain' },
        body: exchange.request.body!.replace('=4829', `=${REDACTED}`),
      },
      response: {
        status: 200,
        headers: { 'content-type': 'application/json', 'set-cookie': REDACTED },
        body: `{"access_token":"${REDACTED}","token_type":"Bearer"}`,
      },
    })
    expect(exchange).toEqual(before)
  })

  it('redacts the error text of an exchange without a response', () => {
    const failed = { ...exchange, response: undefined, error: 'reset after sending oob-confidential-secret' }
    expect(redactExchange(failed, redact).error).toBe(`reset after sending ${REDACTED}`)
  })
})
