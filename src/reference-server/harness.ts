/**
 * Test harness shared by the reference server's tests: a server on an injected clock behind supertest, and
 * one-line helpers for the protocol steps. Not used by the server itself.
 * @module
 */

import { createAdaptorServer } from '@hono/node-server'
import request, { type Test } from 'supertest'
import { FORM_MEDIA_TYPE, formBody, OOB_CHALLENGE_HINT, OOB_GRANT_TYPE } from '../protocol/index.js'
import { users } from './accounts.js'
import type { ReferenceServerOptions } from './options.js'
import { createReferenceServer } from './server.js'

export const PUBLIC_CLIENT = 'oob-public-client'
export const CONFIDENTIAL_CLIENT = 'oob-confidential-client'
export const CONFIDENTIAL_SECRET = 'oob-confidential-secret'
export const NO_GRANT_CLIENT = 'oob-no-grant-client'
export const STANDARD_SCOPE = 'openid profile offline_access'
export const PRIMARY = '/oauth2/v1/primary-authenticate'
export const DEPRECATED = '/oauth2/v1/oob-authenticate'
export const TOKEN = '/oauth2/v1/token'
/** The injected clock starts here (ms since epoch). */
export const START = Date.UTC(2026, 0, 1)

/** A form; `undefined` leaves a default parameter out. */
export type Form = Record<string, string | undefined>

/**
 * A Basic header with `id` and `secret` as given, not form-encoded as `basicAuthorization` would: tests use it
 * to send pre-encoded, malformed or arbitrary credentials.
 */
export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`
}

/** Sends `bytes` unchanged: superagent would otherwise serialise a Buffer according to the Content-Type. */
export function sendBytes(req: Test, bytes: Uint8Array): Test {
  return req.serialize((b: Buffer) => b as unknown as string).send(Buffer.from(bytes))
}

export async function harness(options: Partial<ReferenceServerOptions> = {}) {
  let time = START
  const clock = { now: () => time, advance: (seconds: number) => { time += seconds * 1000 } }
  const server = await createReferenceServer({ now: clock.now, ...options })
  const http = createAdaptorServer({ fetch: server.fetch })
  const agent = () => request(http)

  const post = (path: string, body: Form | string | Uint8Array, headers: Record<string, string> = {}) => {
    const req = agent().post(path).set({ 'Content-Type': FORM_MEDIA_TYPE, ...headers })
    if (typeof body === 'string') return req.send(body)
    if (body instanceof Uint8Array) return sendBytes(req, body)
    return req.send(formBody(body))
  }

  const initiate = (loginHint: string, channel: string, extra: Form = {}, path = PRIMARY) => post(path, {
    client_id: PUBLIC_CLIENT,
    login_hint: loginHint,
    channel_hint: channel,
    challenge_hint: OOB_CHALLENGE_HINT,
    ...extra,
  })

  /** Initiates for a standard user on its own channel and returns the `oob_code`. */
  async function start(loginHint: string, extra: Form = {}, path = PRIMARY): Promise<string> {
    const res = await initiate(loginHint, users.get(loginHint)?.channel ?? 'push', extra, path)
    if (res.status !== 200) throw new Error(`initiation failed: ${res.status} ${res.text}`)
    return res.body.oob_code as string
  }

  const redeem = (oobCode: string, extra: Form = {}, path = TOKEN) => post(path, {
    client_id: PUBLIC_CLIENT,
    grant_type: OOB_GRANT_TYPE,
    oob_code: oobCode,
    scope: STANDARD_SCOPE,
    ...extra,
  })

  const control = (oobCode: string, action: 'approve' | 'deny' | 'expire', body?: object) => {
    const req = agent().post(`/control/transactions/${oobCode}/${action}`)
    return body === undefined ? req : req.send(body)
  }

  async function otp(oobCode: string): Promise<string> {
    const res = await agent().get(`/control/transactions/${oobCode}/otp`)
    if (res.status !== 200) throw new Error(`otp failed: ${res.status} ${res.text}`)
    return res.body.otp as string
  }

  return { server, clock, http, agent, post, initiate, start, redeem, control, otp }
}

export type Harness = Awaited<ReturnType<typeof harness>>
