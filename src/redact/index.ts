/**
 * Redaction: secrets never reach a report, a log or a reproduction. Two layers: the known secret values of
 * the run (client secret, OTPs, …) in every encoding a transcript can show them, and structural redaction of
 * fields that are secret by definition, whatever their value.
 * @module
 */
import type { CheckResult, Exchange, RunResults } from '../results/model.js'

export const REDACTED = '[REDACTED]'

export type Redactor = (text: string) => string

/**
 * Request and response fields that always hold a credential, in JSON and form bodies and in URL queries.
 * `binding_code` is an OTP when the client sends it (for `transfer` the server's number is no secret, but one
 * rule is simpler and errs the safe way). `password` appears in Okta's MFA-OOB flows, which start with the
 * password grant.
 * `oob_code` is deliberately absent: it is a short-lived transaction handle, useless without the user's
 * approval or the OTP, and every reproduction needs it to show which request belonged to which transaction.
 */
export const sensitiveFields = [
  'client_secret', 'access_token', 'refresh_token', 'id_token', 'binding_code', 'otp', 'client_assertion',
  'device_secret', 'password',
]

/** Secrets shorter than this are not replaced in free text: they would shred it. Fields still catch them. */
const minSecretLength = 4

const fieldAlternation = sensitiveFields.join('|')
/** `"access_token": "…"` or `"otp": 123456`; the value may be a JSON string or a bare literal. */
const jsonField =
  new RegExp(`("(?:${fieldAlternation})"\\s*:\\s*)(?:"(?:[^"\\\\]|\\\\.)*"|[^\\s,}\\]]+)`, 'g')
/** `client_secret=…` in a form body, a query string, or a curl command line. */
const formField = new RegExp(`((?:^|[?&\\s'"])(?:${fieldAlternation})=)[^&\\s'"]*`, 'gm')
/** Credentials after an authentication scheme in header-like text: `Authorization: Basic …`. */
const authorizationValue = /\b((?:proxy-)?authorization\s*[:=]\s*["']?(?:Basic|Bearer|DPoP)\s+)[^\s"',]+/gi
/** Any base64 token after `Basic`, checked below against the known secrets (RFC 7617). */
const basicToken = /\bBasic\s+([A-Za-z0-9+/]{4,}={0,2})/g

/**
 * A redactor for the given secret values. Each is replaced raw, percent-encoded (`encodeURIComponent` and
 * form encoding differ on space and `!'()*`: both), and JSON-escaped; a Basic credential whose decoded form
 * contains any of these becomes `Basic [REDACTED]` (RFC 6749 §2.3.1 form-encodes id and secret before base64,
 * yet clients differ on which encoding they apply, if any).
 * Sensitive fields are redacted whatever their value. Idempotent.
 */
export function createRedactor(secrets: string[]): Redactor {
  const distinct = [...new Set(secrets.filter((s) => s.length >= minSecretLength))]
  const forms = [...new Set(distinct.flatMap((s) => [
    s,
    encodeURIComponent(s),
    new URLSearchParams({ s }).toString().slice(2),
    JSON.stringify(s).slice(1, -1),
  ]))]
    // Longest first, so a secret containing another is replaced whole.
    .sort((a, b) => b.length - a.length)

  return (text) => {
    let out = text.replace(basicToken, (match, token: string) => {
      const decoded = Buffer.from(token, 'base64').toString('utf8')
      return forms.some((s) => decoded.includes(s)) ? `Basic ${REDACTED}` : match
    })
    for (const form of forms) out = out.split(form).join(REDACTED)
    return out
      .replace(authorizationValue, `$1${REDACTED}`)
      .replace(jsonField, `$1"${REDACTED}"`)
      .replace(formField, `$1${REDACTED}`)
  }
}

/** Headers whose whole value is a credential, or carries one after the scheme. */
const credentialHeaders = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie'])

/** A redacted copy of an exchange: URL, header values, bodies and error text all pass through `redact`. */
export function redactExchange(exchange: Exchange, redact: Redactor): Exchange {
  const copy: Exchange = { ...exchange, request: {
    ...exchange.request,
    url: redact(exchange.request.url),
    headers: redactHeaders(exchange.request.headers, redact),
  } }
  if (exchange.request.body !== undefined) copy.request.body = redact(exchange.request.body)
  if (exchange.response) {
    copy.response = { ...exchange.response, headers: redactHeaders(exchange.response.headers, redact) }
    if (exchange.response.body !== undefined) copy.response.body = redact(exchange.response.body)
  }
  if (exchange.error !== undefined) copy.error = redact(exchange.error)
  return copy
}

function redactHeaders(headers: Record<string, string>, redact: Redactor): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => {
    if (!credentialHeaders.has(name.toLowerCase())) return [name, redact(value)]
    // Keep the scheme (`Basic`, `Bearer`, `DPoP`): which method the client used is what checks are about.
    const scheme = /^(Basic|Bearer|DPoP)\s/i.exec(value)?.[1]
    return [name, scheme === undefined ? REDACTED : `${scheme} ${REDACTED}`]
  }))
}

/** A redacted copy of a whole run, the last line of defence before anything is written. */
export function redactResults(results: RunResults, redact: Redactor): RunResults {
  const checks = results.checks.map((c) => redactCheck(c, redact))
  return { ...results, target: redact(results.target), checks }
}

function redactCheck(check: CheckResult, redact: Redactor): CheckResult {
  const copy: CheckResult = { ...check, message: redact(check.message),
    reproduction: check.reproduction === null ? null : redact(check.reproduction) }
  if (check.transcript) copy.transcript = check.transcript.map((e) => redactExchange(e, redact))
  if (check.expectedFailure) {
    copy.expectedFailure = { ...check.expectedFailure, reason: redact(check.expectedFailure.reason) }
  }
  return copy
}
