import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose'
import {
  check, describeResponse, expect, expectTokens, fail, notJudged, pass, type CheckContext,
} from '../../src/engine/index.js'

interface TokenBody {
  access_token: string
  expires_in?: unknown
  scope?: unknown
  id_token?: unknown
  refresh_token?: unknown
}

/** An sms transaction redeemed with the delivered code, for the target's scope (by default all three). */
async function tokens(c: CheckContext): Promise<{ body: TokenBody; granted: string[] }> {
  const tx = await c.oob.start('sms')
  const res = await c.oob.redeem(tx, { binding_code: await c.user.otp(tx) })
  expectTokens('OOB-S-PROMPT-CORRECT-CODE', res, `redeeming with the delivered code for scope "${c.target.accounts.scope}"`)
  const body = res.json as TokenBody
  // RFC 6749 §5.1: scope may be left out only when it is identical to the request.
  const granted = (typeof body.scope === 'string' ? body.scope : c.target.accounts.scope).split(' ')
  return { body, granted }
}

const present = (value: unknown) => typeof value === 'string' && value !== ''

// One requirement per check: their levels differ (refresh_token is MAY under rfc, expires_in SHOULD).
check('flows/tokens-id-token', 'an id_token is issued when openid is granted',
  ['OOB-S-ID-TOKEN-FOR-OPENID'],
  async (c: CheckContext) => {
    const { body, granted } = await tokens(c)
    if (!granted.includes('openid')) c.skip(`openid was not granted (scope "${String(body.scope)}")`)
    expect('OOB-S-ID-TOKEN-FOR-OPENID', present(body.id_token), 'openid was granted, but the token response has no id_token')
    c.note('id_token present')
  })

check('flows/tokens-refresh-token', 'a refresh_token is issued when offline_access is granted',
  ['OOB-S-REFRESH-FOR-OFFLINE'],
  async (c: CheckContext) => {
    const { body, granted } = await tokens(c)
    if (!granted.includes('offline_access')) {
      c.skip(`offline_access was not granted (scope "${String(body.scope)}")`)
    }
    expect('OOB-S-REFRESH-FOR-OFFLINE', present(body.refresh_token),
      'offline_access was granted, but the token response has no refresh_token')
    c.note('refresh_token present')
  })

check('flows/tokens-expires-in', 'the token response states the access token lifetime',
  ['OOB-S-TOKEN-EXPIRES-IN'],
  async (c: CheckContext) => {
    const { body } = await tokens(c)
    expect('OOB-S-TOKEN-EXPIRES-IN', typeof body.expires_in === 'number' && body.expires_in > 0, `the token response has expires_in ` +
      `${JSON.stringify(body.expires_in)}, expected a positive number of seconds`)
    c.note(`expires_in ${body.expires_in}`)
  })

check('flows/tokens-scope', 'the token response states the scope when it differs from the request',
  ['OOB-S-TOKEN-SCOPE'],
  async (c: CheckContext) => {
    const { body } = await tokens(c)
    expect('OOB-S-TOKEN-SCOPE', typeof body.scope === 'string' || c.target.profile !== 'okta',
      'the token response has no scope (Okta always returns it)')
    if (typeof body.scope === 'string') return c.note(`scope "${body.scope}"`)
    // Without scope the grant claims to be the request; an id_token is the evidence that openid was granted.
    expect('OOB-S-TOKEN-SCOPE', present(body.id_token), 'the token response has no scope and no id_token: openid was ' +
      'evidently not granted, so the granted scope differs from the request and must be stated')
    c.note('no scope: the requested scope, as requested')
  })

/** The discovery document's issuer and its JWKS; skips the check when the server publishes none. */
async function publishedKeys(c: CheckContext) {
  const headers = { accept: 'application/json' }
  const url = c.target.endpoints.discovery
  const discovery = await c.http.send({ method: 'GET', url, headers, operation: 'discovery' })
  const metadata = discovery.json as { issuer?: unknown; jwks_uri?: unknown } | undefined
  if (discovery.status !== 200 || typeof metadata?.jwks_uri !== 'string') {
    c.skip(`no jwks_uri published at ${url} (${describeResponse(discovery)})`)
  }
  if (typeof metadata.issuer !== 'string') notJudged(`the discovery document at ${url} has no issuer`)
  const keys = await c.http.send({ method: 'GET', url: metadata.jwks_uri, headers, operation: 'jwks' })
  const jwks = keys.json as JSONWebKeySet | undefined
  if (keys.status !== 200 || !Array.isArray(jwks?.keys)) {
    notJudged(`the jwks_uri ${String(metadata.jwks_uri)} answered ${describeResponse(keys)}, not a JWK Set`)
  }
  return { issuer: metadata.issuer, jwks: createLocalJWKSet(jwks) }
}

/** Verifies `token` against the JWKS; jose refuses alg none and keys outside the set. */
async function verified(requirement: string, token: string, jwks: ReturnType<typeof createLocalJWKSet>, what: string) {
  let alg: unknown
  try {
    alg = decodeProtectedHeader(token).alg
  } catch {
    fail(requirement, `the ${what} is not a JWS: its header does not decode`)
  }
  const result = await jwtVerify(token, jwks).catch((e: unknown) =>
    fail(requirement, `the ${what} (alg ${String(alg)}) does not verify with the published JWKS: ${(e as Error).message}`))
  pass(requirement, `the ${what} verifies (alg ${String(alg)})`)
  return result
}

check('flows/tokens-jwks', 'the id_token verifies with the published JWKS and names the issuer and client',
  ['OOB-S-ID-TOKEN-SIGNED', 'OOB-S-ID-TOKEN-CLAIMS'],
  async (c: CheckContext) => {
    const { issuer, jwks } = await publishedKeys(c)
    const { body } = await tokens(c)
    if (typeof body.id_token !== 'string') c.skip('the token response has no id_token to verify')
    const { payload, protectedHeader } = await verified('OOB-S-ID-TOKEN-SIGNED', body.id_token, jwks, 'id_token')
    const clientId = c.target.accounts.clients.public.clientId
    const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
    const claim = (name: string) => `the id_token's ${name} is ${JSON.stringify(payload[name])}`
    expect('OOB-S-ID-TOKEN-CLAIMS', payload.iss === issuer, `${claim('iss')}, expected the issuer ${issuer}`)
    expect('OOB-S-ID-TOKEN-CLAIMS', audience.includes(clientId), `${claim('aud')}, expected to contain ${clientId}`)
    expect('OOB-S-ID-TOKEN-CLAIMS', present(payload.sub), `${claim('sub')}, expected a subject`)
    expect('OOB-S-ID-TOKEN-CLAIMS', typeof payload.iat === 'number', `${claim('iat')}, expected a number`)
    expect('OOB-S-ID-TOKEN-CLAIMS', typeof payload.exp === 'number', `${claim('exp')}, expected a number`)
    c.note(`${protectedHeader.alg} id_token for ${clientId} from ${issuer}`)
  })

check('flows/tokens-jwks-access-token', 'a JWT access token verifies with the published JWKS',
  ['OOB-S-JWT-ACCESS-TOKEN-SIGNED'],
  async (c: CheckContext) => {
    const { jwks } = await publishedKeys(c)
    const { body } = await tokens(c)
    if (body.access_token.split('.').length !== 3) c.skip('the access token is opaque (not a JWT)')
    const { protectedHeader } = await verified('OOB-S-JWT-ACCESS-TOKEN-SIGNED', body.access_token, jwks, 'access token')
    c.note(`${protectedHeader.typ ?? 'JWT'} access token signed with ${protectedHeader.alg}`)
  })
