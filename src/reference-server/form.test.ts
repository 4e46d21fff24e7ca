import { describe, it, expect } from 'vitest'
import { FORM_MEDIA_TYPE as FORM, OOB_CHALLENGE_HINT } from '../protocol/index.js'
import { printable } from './form.js'
import { harness, PRIMARY, PUBLIC_CLIENT, TOKEN } from './harness.js'

const INITIATION = `client_id=${PUBLIC_CLIENT}&login_hint=push%40example.test&channel_hint=push` +
  `&challenge_hint=${encodeURIComponent(OOB_CHALLENGE_HINT)}`

describe('printable', () => {
  it('keeps only the characters RFC 6749 §5.2 allows in error_description', () => {
    expect(printable('a"b\\c\né')).toBe('a?b?c??')
    expect(printable('x'.repeat(100))).toHaveLength(64)
  })
})

describe('request transport rules', () => {
  it('accepts the form media type with or without charset=utf-8', async () => {
    const h = await harness()
    for (const type of [FORM, 'Application/X-WWW-Form-Urlencoded; charset="UTF-8"']) {
      expect((await h.post(PRIMARY, INITIATION, { 'Content-Type': type })).status).toBe(200)
    }
  })

  it.each([
    ['JSON', 'application/json', JSON.stringify({ client_id: PUBLIC_CLIENT })],
    ['text/plain', 'text/plain', INITIATION],
    ['multipart', 'multipart/form-data; boundary=x', INITIATION],
    ['another charset', 'application/x-www-form-urlencoded; charset=iso-8859-1', INITIATION],
  ])('refuses a %s body with 400 invalid_request', async (_, type, body) => {
    const h = await harness()
    const res = await h.post(PRIMARY, body, { 'Content-Type': type })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
    expect(res.headers['content-type']).toBe('application/json')
  })

  it('refuses a request without Content-Type', async () => {
    const h = await harness()
    const res = await h.server.fetch(new Request(`http://localhost${PRIMARY}`, {
      method: 'POST', body: new TextEncoder().encode(INITIATION),
    }))
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request')
  })

  it('refuses a repeated parameter (RFC 6749 §3.2), even an unknown one', async () => {
    const h = await harness()
    for (const extra of ['&login_hint=sms%40example.test', '&channel_hint=push', '&foo=1&foo=2']) {
      const res = await h.post(PRIMARY, INITIATION + extra)
      expect(res.status).toBe(400)
      expect(res.body.error).toBe('invalid_request')
    }
  })

  it('treats an empty value as omitted, so an empty twin is no repeat', async () => {
    const h = await harness()
    expect((await h.post(PRIMARY, INITIATION + '&channel_hint=')).status).toBe(200)
    const res = await h.post(PRIMARY, INITIATION.replace('channel_hint=push', 'channel_hint='))
    expect(res.body.error).toBe('invalid_request')
  })

  it('ignores unknown parameters', async () => {
    const h = await harness()
    expect((await h.post(PRIMARY, INITIATION + '&foo=bar&acr_values=x&binding_code=1')).status).toBe(200)
  })

  it.each([
    ['a malformed escape', INITIATION + '&x=%E0%A4%A'],
    ['an invalid UTF-8 escape', INITIATION + '&x=%FF'],
  ])('answers %s with 400 invalid_request', async (_, body) => {
    const h = await harness()
    const res = await h.post(TOKEN, body)
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
  })

  it('answers raw bytes that are not UTF-8 with 400 invalid_request', async () => {
    const h = await harness()
    const res = await h.post(TOKEN, new Uint8Array([0x61, 0x3d, 0xff, 0xfe, 0x00]))
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
  })

  it('refuses a body over 16 KiB with a Content-Length', async () => {
    const h = await harness()
    const ok = await h.post(PRIMARY, INITIATION + '&pad=' + 'x'.repeat(16 * 1024 - INITIATION.length - 5))
    expect(ok.status).toBe(200)
    const res = await h.post(PRIMARY, INITIATION + '&pad=' + 'x'.repeat(16 * 1024))
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('refuses a streamed body over 16 KiB', async () => {
    const h = await harness()
    const chunk = new TextEncoder().encode('x'.repeat(1024))
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const init = {
      method: 'POST', body, duplex: 'half', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }
    const res = await h.server.fetch(new Request(`http://localhost${PRIMARY}`, init as RequestInit))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request')
  })

  it.each(['get', 'put', 'delete', 'options'] as const)('answers %s with 405 and Allow', async (method) => {
    const h = await harness()
    const res = await h.agent()[method](TOKEN)
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('POST')
    expect(res.headers['content-type']).toBe('application/json')
  })
})
