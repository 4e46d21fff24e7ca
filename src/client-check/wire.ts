/**
 * Wire verdicts: rules every request of every scenario must follow (method, encoding, headers, client
 * authentication, parameters, no overlap), judged once over the whole run.
 * @module
 */
import {
  basicUserPass, FORM_MEDIA_TYPE, OOB_CHALLENGE_HINT, OOB_GRANT_TYPE, parseBasicAuthorization,
} from '../protocol/index.js'
import type { RecordedRequest } from './mock-server.js'
import { TOLERANCE, type ScenarioRun, type Verdict } from './verdicts.js'

export interface WireFinding {
  run: ScenarioRun
  request: RecordedRequest
  problem: string
}

export interface WireVerdict extends Verdict {
  findings: WireFinding[]
}

interface Rule {
  id: string
  title: string
  requirement: string
  applies(r: RecordedRequest): boolean
  /** What is wrong with the request, or undefined. */
  check(r: RecordedRequest, run: ScenarioRun): string | undefined
}

const values = (r: RecordedRequest, name: string) =>
  (r.params ?? []).filter(([n]) => n === name).map(([, v]) => v)
const value = (r: RecordedRequest, name: string) => values(r, name)[0]
const isStart = (r: RecordedRequest) =>
  r.endpoint === 'primary-authenticate' || r.endpoint === 'oob-authenticate'
const isToken = (r: RecordedRequest) => r.endpoint === 'token'
/** The flow's own requests; a request that uses the access token (userinfo) follows other rules. */
const known = (r: RecordedRequest) => isStart(r) || isToken(r)
const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase()
const quoted = (text: string | undefined) => JSON.stringify(text ?? null)

/**
 * A name or value as application/x-www-form-urlencoded writes it (WHATWG URL §5.2, RFC 6749 Appendix B):
 * every byte outside the unreserved set percent-encoded, `+` for a space. `*` stays as the WHATWG serializer
 * leaves it, `~` as RFC 3986 §2.3 does.
 */
const ENCODED = /^(?:[A-Za-z0-9*._~+-]|%[0-9A-Fa-f]{2})*$/
const UNENCODED = /[^A-Za-z0-9*._~+%-]/
/** Parameters whose values are secrets of the run: a finding names them, never a character of them. */
const SECRET_PARAMS: readonly string[] = ['client_secret', 'client_assertion', 'oob_code', 'binding_code']

/** What is wrong with the encoding of a raw form body, or undefined. */
function encodingProblem(body: string): string | undefined {
  for (const pair of body.split('&')) {
    const cut = pair.indexOf('=')
    const [name, value] = cut < 0 ? [pair, ''] : [pair.slice(0, cut), pair.slice(cut + 1)]
    if (ENCODED.test(name) && ENCODED.test(value)) continue
    const decodedName = decodeURIComponent(name.replace(/\+/g, ' '))
    const char = UNENCODED.exec(ENCODED.test(name) ? value : name)?.[0]
    const what = SECRET_PARAMS.includes(decodedName) || char === undefined ? 'a character' : quoted(char)
    return `${ENCODED.test(name) ? `the value of ${decodedName}` : 'a parameter name'} carries ${what} ` +
      'that form encoding percent-encodes'
  }
  return undefined
}

/** The client-authentication methods a request carries (RFC 6749 §2.3). */
function authMethods(r: RecordedRequest): string[] {
  const methods: string[] = []
  const authorization = r.headers.authorization
  if (authorization !== undefined) methods.push(`an Authorization ${authorization.split(' ')[0]} header`)
  if (values(r, 'client_secret').length > 0) methods.push('client_secret in the body')
  if (values(r, 'client_assertion').length > 0 || values(r, 'client_assertion_type').length > 0) {
    methods.push('a client_assertion')
  }
  return methods
}

/**
 * `id:secret` of a Basic header, read both form-decoded (RFC 6749 §2.3.1) and raw. Deliberately more tolerant
 * than a server: many clients send the id and secret without form-encoding them (RFC 7617 alone asks for
 * none), and this rule judges whether the client authenticated, not how it encoded; OOB-C-FORM-ENCODING
 * is about the body.
 */
function basicCredentials(authorization: string): string[] {
  const raw = basicUserPass(authorization)
  if (raw === undefined) return []
  const decoded = parseBasicAuthorization(authorization)
  return [`${raw.userId}:${raw.password}`,
    ...(decoded === undefined ? [] : [`${decoded.clientId}:${decoded.clientSecret}`])]
}

function registeredAuth(r: RecordedRequest, run: ScenarioRun): string | undefined {
  const methods = authMethods(r)
  const clientId = value(r, 'client_id')
  if (run.clientSecret === undefined) {
    if (methods.length > 0) return `the public client sent ${methods.join(' and ')}`
    if (clientId !== run.clientId) return `client_id is ${clientId === undefined ? 'missing' : 'wrong'}`
    return undefined
  }
  const basic = r.headers.authorization === undefined ? [] : basicCredentials(r.headers.authorization)
  const viaBasic = basic.includes(`${run.clientId}:${run.clientSecret}`)
  const viaPost = value(r, 'client_secret') === run.clientSecret && clientId === run.clientId
  if (!viaBasic && !viaPost) {
    return 'the confidential client did not authenticate (no valid Basic header or client_secret)'
  }
  if (clientId !== undefined && clientId !== run.clientId) return 'client_id differs from the client’s'
  return undefined
}

const RULES: Rule[] = [
  {
    id: 'form-post',
    title: 'Requests are form-encoded POSTs',
    requirement: 'OOB-C-FORM-POST',
    applies: known,
    check(r) {
      if (r.method !== 'POST') return `method ${r.method}`
      const contentType = r.headers['content-type']
      if (mediaType(contentType) !== FORM_MEDIA_TYPE) {
        return `Content-Type ${contentType ?? '(none)'}`
      }
      const charset = /;\s*charset=("?)([^";]+)\1/i.exec(contentType!)?.[2]
      return charset === undefined || charset.toLowerCase() === 'utf-8' ? undefined : `charset ${charset}`
    },
  },
  {
    id: 'form-encoding',
    title: 'Parameter values are UTF-8 and percent-encoded',
    requirement: 'OOB-C-FORM-ENCODING',
    applies: known,
    // The encoding of whatever values were sent; the value itself only where the run fixed it: login_hint.
    check(r, run) {
      if (!r.validUtf8) return 'the body is not UTF-8'
      if (r.params === undefined) return 'the body is not well-formed form data (a broken %-escape)'
      const problem = encodingProblem(r.body)
      if (problem !== undefined) return problem
      // The scenario's login_hint is the one the client was given (OOB_LOGIN_HINT).
      const given = run.scenario.loginHint
      const loginHint = value(r, 'login_hint')
      if (!isStart(r) || loginHint === undefined || loginHint === given) return undefined
      return `login_hint decodes to ${quoted(loginHint)}, not the ${quoted(given)} the client was ` +
        'given (a + sent unencoded decodes to a space)'
    },
  },
  {
    id: 'accept-json',
    title: 'Requests send Accept: application/json',
    requirement: 'OOB-C-ACCEPT-JSON',
    applies: known,
    check: (r) => (r.headers.accept ?? '').split(',').some((range) => mediaType(range) === 'application/json')
      ? undefined
      : `Accept ${r.headers.accept ?? '(none)'}`,
  },
  {
    id: 'one-auth-method',
    title: 'Requests carry at most one client-authentication method',
    requirement: 'OOB-C-ONE-AUTH-METHOD',
    applies: known,
    check: (r) => authMethods(r).length > 1 ? `it carries ${authMethods(r).join(' and ')}` : undefined,
  },
  {
    id: 'registered-auth-method',
    title: 'The client authenticates as registered on every request',
    requirement: 'OOB-C-REGISTERED-AUTH-METHOD',
    applies: known,
    check: registeredAuth,
  },
  {
    id: 'no-secret-in-uri',
    title: 'No credential in the request URI',
    requirement: 'OOB-C-NO-SECRET-IN-URI',
    applies: known,
    check(r) {
      const query = new URLSearchParams(r.url.split('?')[1] ?? '')
      const found = ['client_secret', 'oob_code', 'binding_code'].filter((name) => query.has(name))
      return found.length > 0 ? `the query string carries ${found.join(', ')}` : undefined
    },
  },
  {
    id: 'init-hints',
    title: 'Initiation sends login_hint and channel_hint',
    requirement: 'OOB-C-INIT-HINTS',
    applies: isStart,
    check(r, run) {
      if (value(r, 'login_hint') === undefined) return 'no login_hint'
      const channel = value(r, 'channel_hint')
      if (channel === undefined) return 'no channel_hint'
      if (channel !== run.scenario.channel) return `channel_hint ${channel}, not ${run.scenario.channel}`
      return undefined
    },
  },
  {
    id: 'challenge-hint',
    title: '/primary-authenticate gets the OOB challenge_hint',
    requirement: 'OOB-C-CHALLENGE-HINT',
    applies: (r) => r.endpoint === 'primary-authenticate',
    check: (r) => value(r, 'challenge_hint') === OOB_CHALLENGE_HINT
      ? undefined
      : `challenge_hint ${quoted(value(r, 'challenge_hint'))}`,
  },
  {
    id: 'no-scope-at-init',
    title: 'Initiation sends no scope',
    requirement: 'OOB-C-NO-SCOPE-AT-INIT',
    applies: isStart,
    check: (r) => (value(r, 'scope') === undefined ? undefined : 'scope sent at initiation'),
  },
  {
    id: 'token-params',
    title: 'Token requests carry grant_type, oob_code and scope',
    requirement: 'OOB-C-TOKEN-PARAMS',
    applies: isToken,
    check(r, run) {
      if (value(r, 'grant_type') !== OOB_GRANT_TYPE) return `grant_type ${quoted(value(r, 'grant_type'))}`
      if (value(r, 'oob_code') === undefined) return 'no oob_code'
      // Okta wants scope with at least openid; servers following RFC 8628 use a default scope.
      const scopes = (value(r, 'scope') ?? '').split(' ')
      return run.profile === 'okta' && !scopes.includes('openid') ? 'no scope with openid' : undefined
    },
  },
  {
    id: 'oob-code-opaque',
    title: 'oob_code goes back exactly as received',
    requirement: 'OOB-C-OOB-CODE-OPAQUE',
    applies: (r) => isToken(r) && value(r, 'oob_code') !== undefined,
    check: (r, run) => run.transactions.some((t) => t.oobCode === value(r, 'oob_code'))
      ? undefined
      : 'the oob_code is not one the server issued (changed, trimmed or re-encoded)',
  },
]

function describe(f: WireFinding): string {
  const where = f.request.endpoint ?? f.request.url
  return `${f.run.scenario.name} request #${f.run.requests.indexOf(f.request) + 1} (${where}): ${f.problem}`
}

function judge(runs: ScenarioRun[], rule: Omit<Rule, 'applies' | 'check'>, checked: number,
  findings: WireFinding[], passed: string): WireVerdict {
  const base = { id: rule.id, title: rule.title, requirements: [rule.requirement],
    evidence: findings.map((f) => f.request), findings }
  if (checked === 0) return { ...base, status: 'skipped', message: 'no request this rule applies to' }
  if (findings.length === 0) return { ...base, status: 'passed', message: passed }
  const scenarios = new Set(findings.map((f) => f.run.scenario.name)).size
  const where = `${findings.length} of ${checked} request(s) in ${scenarios} of ${runs.length} scenario(s)`
  return { ...base, status: 'failed', message: `${where}: ${findings.slice(0, 3).map(describe).join('; ')}` }
}

export function wireVerdicts(runs: ScenarioRun[]): WireVerdict[] {
  const verdicts = RULES.map((rule) => {
    let checked = 0
    const findings: WireFinding[] = []
    for (const run of runs) {
      for (const request of run.requests.filter((r) => rule.applies(r))) {
        checked++
        const problem = rule.check(request, run)
        if (problem !== undefined) findings.push({ run, request, problem })
      }
    }
    return judge(runs, rule, checked, findings, `${checked} request(s) conform`)
  })
  verdicts.push(noOverlap(runs))
  return verdicts
}

/** CIBA §10.1: "A Client MUST NOT send two overlapping requests with the same auth_req_id." */
function noOverlap(runs: ScenarioRun[]): WireVerdict {
  let checked = 0
  const findings: WireFinding[] = []
  for (const run of runs) {
    const byCode = new Map<string, RecordedRequest[]>()
    for (const r of run.requests.filter(isToken)) {
      if (r.oobCode !== undefined) byCode.set(r.oobCode, [...byCode.get(r.oobCode) ?? [], r])
    }
    for (const requests of byCode.values()) {
      requests.forEach((request, i) => {
        checked++
        // A request the client gave up on was closed on its side before the server saw it close: a new one
        // arriving within the tolerance of that is not an overlap.
        const open = requests.slice(0, i).find((earlier) => earlier.answeredAt > request.arrivedAt +
          (earlier.answer.abandonedAt === undefined ? 0 : TOLERANCE.earlyMs))
        if (open === undefined) return
        const earlier = run.requests.indexOf(open) + 1
        const problem = `sent while request #${earlier} for the same code was unanswered`
        findings.push({ run, request, problem })
      })
    }
  }
  const rule = {
    id: 'no-overlapping-polls',
    title: 'No request for a code while another one for it is unanswered',
    requirement: 'OOB-C-NO-OVERLAPPING-POLLS',
  }
  return judge(runs, rule, checked, findings, `${checked} token request(s), none overlapping`)
}
