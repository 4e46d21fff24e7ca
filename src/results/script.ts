/**
 * Reproductions that reproduce: a failed check as a POSIX shell script that replays its exchanges against the
 * server — its own transactions, the run's waits, the user's part through the test-control API, concurrent
 * requests sent concurrently, secrets from the environment — and ends by telling whether the defect showed
 * again (exit 1, "DEFECT REPRODUCED") or not (exit 0).
 *
 * Built from structure, before redaction: the raw exchanges say which values came from earlier answers
 * (an `oob_code`, an OTP read through the control API) and the target says which are configured secrets;
 * both become shell variables, so the script holds no secret and survives the run's redactor unchanged.
 * @module
 */
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TargetConfig } from '../config/target.js'
import { responseObject, type Exchange } from '../http/exchange.js'
import { basicUserPass, decodeFormComponent, encodeFormComponent } from '../protocol/index.js'
import { sensitiveFields } from '../redact/index.js'
import { quote } from './curl.js'
import type { CheckResult } from './model.js'

/** What a script needs to know about the run besides the check: where, who, and how the user was played. */
export interface ScriptTarget extends Pick<TargetConfig, 'baseUrl' | 'controlUrl' | 'accounts' | 'requestTimeoutMs'> {
  /** `--driver` when one played the user instead of the test-control API: the script cannot call it. */
  driver?: string
}

export interface ScriptInput {
  id: string
  title: string
  requirements: readonly string[]
  /** The broken expectations (failed steps); the check's message when there are none (an errored check). */
  failures: readonly { requirement: string; message: string }[]
  message: string
  /** The exchanges to replay, secrets not yet redacted. */
  exchanges: readonly Exchange[]
  /** Extra header comment lines: a generated counterexample's seed and path. */
  notes?: readonly string[]
}

/**
 * The fields the run's redactor blanks whatever their value: the script spells them so that its patterns do
 * not match (`binding_code"=…"`, `'binding_code''=000000'`), or a literal wrong code would read `[REDACTED]`.
 */
const SENSITIVE = sensitiveFields.join('|')
const formFieldPattern = new RegExp(`(?:^|[?&\\s'"])(?:${SENSITIVE})(?==)`, 'g')
const jsonFieldPattern = new RegExp(`"(?:${SENSITIVE})"(?=\\s*:)`, 'g')
const authorizationPattern = /(?:proxy-)?authorization(?=\s*[:=])/gi

/** Failed requirements about one response header, and that header (the schema suite draws the same lines). */
const HEADER_REQUIREMENTS: Record<string, string> = {
  'OOB-S-TOKEN-NO-STORE': 'cache-control',
  'OOB-S-INIT-NO-STORE': 'cache-control',
  'OOB-S-TOKEN-PRAGMA-NO-CACHE': 'pragma',
  'OOB-S-INIT-PRAGMA-NO-CACHE': 'pragma',
  'OOB-S-WWW-AUTHENTICATE': 'www-authenticate',
}

/**
 * Answer members a later request may reuse: the transaction's handle, the code the user sees or types (from
 * the initiation answer or the control API's `otp`), and tokens.
 */
const CAPTURED = ['oob_code', 'binding_code', 'otp', 'access_token', 'refresh_token', 'id_token']

/** Headers curl computes itself; copying a recorded value could contradict the body or the URL. */
const computedHeaders = new Set(['content-length', 'host', 'connection', 'transfer-encoding'])

/** A piece of shell text: literal, a variable, a command substitution, or a break that defeats a redaction pattern. */
type Part = { text: string } | { variable: string } | { command: string } | { gap: true }

/** Double-quoted shell word from parts; literal text escaped, breaks as `""`. */
function dq(parts: readonly Part[]): string {
  return `"${parts.map((p) => 'text' in p ? p.text.replace(/[\\"$`]/g, '\\$&')
    : 'variable' in p ? `\${${p.variable}}` : 'command' in p ? `$(${p.command})` : '""').join('')}"`
}

/** Literal text as parts, with a break wherever the run's redactor would take it for a secret. */
function literal(text: string): Part[] {
  const cuts = new Set<number>()
  for (const pattern of [formFieldPattern, jsonFieldPattern, authorizationPattern]) {
    for (const m of text.matchAll(pattern)) cuts.add(m.index + m[0].length)
  }
  const parts: Part[] = []
  let at = 0
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parts.push({ text: text.slice(at, cut) }, { gap: true })
    at = cut
  }
  parts.push({ text: text.slice(at) })
  return parts
}

/** A word: single-quoted when it is all literal (breaks as `''`), double-quoted otherwise. */
function word(parts: readonly Part[]): string {
  if (parts.every((p) => 'text' in p || 'gap' in p)) {
    // Adjacent texts in one pair of quotes; a break closes and reopens them.
    const runs = parts.reduce<string[]>((acc, p) => 'text' in p ? [...acc.slice(0, -1), (acc.at(-1) ?? '') + p.text] : [...acc, ''], [])
    return runs.map(quote).join('') || "''"
  }
  return dq(parts)
}

function comment(text: string): string {
  return `# ${text.replace(/\s*[\r\n]+\s*/g, ' ')}`
}

const swapCase = (s: string) => [...s].map((c) => c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()).join('')

interface Candidate {
  /** 1-based index of the exchange whose answer holds it. */
  from: number
  member: string
  value: string
  variable: string
  /** Whether a later request uses it (then the script captures it). */
  used?: boolean
}

interface Env {
  name: string
  value: string
  what: string
  required?: boolean
}

interface Rendered {
  lines: string[]
  /** Exchanges whose answers this request uses. */
  uses: Set<number>
}

const isControl = (e: Exchange) => e.operation === 'control'
const endOf = (e: Exchange) => Date.parse(e.startedAt) + e.durationMs

/** The failed check as a runnable `#!/bin/sh` script; see the module comment. */
export function reproductionScript(input: ScriptInput, target: ScriptTarget): string {
  return new ScriptBuilder(input, target).build()
}

class ScriptBuilder {
  private readonly exchanges: Exchange[]
  private readonly candidates: Candidate[] = []
  private readonly env: Env[] = []
  private readonly used = new Set<string>()
  private readonly baseUrl: string
  private readonly controlUrl?: string

  constructor(private readonly input: ScriptInput, private readonly target: ScriptTarget) {
    this.exchanges = [...input.exchanges].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))
    this.baseUrl = target.baseUrl.replace(/\/+$/, '')
    this.controlUrl = target.controlUrl?.replace(/\/+$/, '')
    const { clients } = target.accounts
    this.env.push(
      { name: 'OOB_CLIENT_ID', value: clients.public.clientId, what: 'the public client' },
      { name: 'OOB_CONFIDENTIAL_CLIENT_ID', value: clients.confidential.clientId, what: 'the confidential client' },
      { name: 'OOB_NO_GRANT_CLIENT_ID', value: clients.noGrant.clientId, what: 'the client without the OOB grant' },
    )
    const secret = clients.confidential.clientSecret
    if (secret) this.env.push({ name: 'OOB_CLIENT_SECRET', value: secret, what: "the confidential client's secret", required: true })
    this.exchanges.forEach((e, i) => {
      for (const [member, value] of Object.entries(responseObject(e))) {
        if (CAPTURED.includes(member) && typeof value === 'string' && value !== '') {
          // Named in the order of the answers: oob_code_2 is the second answer's oob_code.
          const k = this.candidates.filter((c) => c.member === member).length + 1
          this.candidates.push({ from: i + 1, member, value, variable: `${member}_${k}` })
        }
      }
    })
  }

  build(): string {
    const body: string[] = []
    const captures = new Map<number, string[]>()
    let lastEnd: number | undefined
    const rendered = this.exchanges.map((e, i) => this.request(e, i + 1))
    const groups = this.concurrentGroups(rendered)
    for (const c of this.candidates.filter((c) => c.used)) {
      captures.set(c.from, [...captures.get(c.from) ?? [], `capture ${c.variable} ${c.member} ${c.from}`])
    }
    for (const members of groups) {
      const first = this.exchanges[members[0]! - 1]!
      if (lastEnd !== undefined) {
        const idle = Math.round((Date.parse(first.startedAt) - lastEnd) / 100) / 10
        if (idle >= 0.1) body.push(`sleep ${idle}`)
      }
      lastEnd = Math.max(...members.map((n) => endOf(this.exchanges[n - 1]!)))
      if (members.length === 1) {
        const n = members[0]!
        body.push(comment(`${n}. ${this.describe(n)}`), ...this.curl(rendered[n - 1]!, n, ''), `show ${n}`)
      } else {
        body.push(comment(`${members[0]}–${members.at(-1)}: ${members.length} requests at once, as the run sent them`))
        const runs = sameRequestRuns(members, (n) => rendered[n - 1]!.lines.join('\n'))
        for (const run of runs) {
          const [from, to] = [run[0]!, run.at(-1)!]
          if (run.length < 3) {
            for (const n of run) body.push(comment(`${n}. ${this.describe(n)}`), ...this.curl(rendered[n - 1]!, n, ' &'))
            continue
          }
          const answers = tally(run.map((n) => answerOf(this.exchanges[n - 1]!)))
          body.push(comment(`${from}–${to}. ${run.length} × ${this.exchanges[from - 1]!.operation ?? 'request'} — the run got ${answers}`),
            `n=${from}`, `while [ "$n" -le ${to} ]; do`,
            ...this.curl(rendered[from - 1]!, '$n', ' &').map((line) => `  ${line}`), '  n=$((n + 1))', 'done')
        }
        body.push('wait', ...runs.map((run) => run.length < 3 ? run.map((n) => `show ${n}`).join('\n')
          : `n=${run[0]}; while [ "$n" -le ${run.at(-1)} ]; do show "$n"; n=$((n + 1)); done`))
      }
      body.push(...members.flatMap((n) => captures.get(n) ?? []), '')
    }
    const verdict = this.verdict(groups)
    return [...this.header(), ...this.helpers(), '', ...body, ...verdict].join('\n') + '\n'
  }

  /** Exchanges one started before another ended go out together, unless one needs the other's answer. */
  private concurrentGroups(rendered: readonly Rendered[]): number[][] {
    const groups: number[][] = []
    let groupEnd = 0
    this.exchanges.forEach((e, i) => {
      const group = groups.at(-1)
      if (group !== undefined && Date.parse(e.startedAt) < groupEnd && !group.some((g) => rendered[i]!.uses.has(g))) {
        group.push(i + 1)
        groupEnd = Math.max(groupEnd, endOf(e))
      } else {
        groups.push([i + 1])
        groupEnd = endOf(e)
      }
    })
    return groups
  }

  private describe(n: number): string {
    const e = this.exchanges[n - 1]!
    const what = isControl(e) ? "the user's part, through the test-control API" : e.operation ?? 'request'
    return `${what} — the run got ${answerOf(e)}`
  }

  private curl(rendered: Rendered, n: number | '$n', background: string): string[] {
    const [first, ...rest] = rendered.lines
    const args = [`curl -sS -i --max-time ${Math.ceil(this.target.requestTimeoutMs / 1000)} ${first}`, ...rest]
    return [...args.slice(0, -1).map((a) => `${a} \\`), `${args.at(-1)} > "$tmp/${n}" 2>&1${background || ' || true'}`]
      .map((line, i) => i === 0 ? line : `  ${line}`)
  }

  /** The value's variable when an earlier answer (exchange < n) or the configuration holds it. */
  private lookup(value: string, n: number, uses: Set<number>): Part | undefined {
    if (value === '') return undefined
    const earlier = this.candidates.filter((c) => c.from < n).reverse()
    const exact = earlier.find((c) => c.value === value)
    if (exact) return { variable: this.variableOf(exact, uses) }
    const env = this.env.find((e) => e.value === value)
    if (env) {
      this.used.add(env.name)
      return { variable: env.name }
    }
    // The code in the other letter case (a case-sensitivity check): derived from the answer, not written out.
    const swapped = earlier.find((c) => /[a-z]/i.test(c.value) && swapCase(c.value) === value)
    if (swapped) return { command: `printf %s "\${${this.variableOf(swapped, uses)}}" | tr 'a-zA-Z' 'A-Za-z'` }
    return undefined
  }

  private variableOf(candidate: Candidate, uses: Set<number>): string {
    uses.add(candidate.from)
    candidate.used = true
    return candidate.variable
  }

  /** The request's curl arguments after `curl -sS -i`, one per line. */
  private request(e: Exchange, n: number): Rendered {
    const uses = new Set<number>()
    const { method, headers, body } = e.request
    const url = this.url(e.request.url, n, uses)
    const first = [
      ...(method.toUpperCase() !== (body === undefined ? 'GET' : 'POST') ? [`-X ${quote(method)}`] : []),
      // curl reads [] and {} in a URL as globs; generated cases may well put them there.
      ...(/[[\]{}]/.test(e.request.url) ? ['--globoff'] : []),
      url,
    ].join(' ')
    const lines = [first]
    let formBody = false
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase()
      if (computedHeaders.has(lower)) continue
      if (lower === 'content-type' && /^application\/x-www-form-urlencoded\b/i.test(value)) formBody = true
      if (lower === 'authorization') {
        const basic = this.basic(value, n, uses)
        if (basic !== undefined) {
          lines.push(basic)
          continue
        }
      }
      // `-H 'Name:'` would remove the header; curl's syntax for sending it empty is `-H 'Name;'`.
      const parts = value === '' ? literal(`${name};`) : [...literal(`${name}:`), ...this.valueParts(` ${value}`, n, uses)]
      lines.push(`-H ${word(parts)}`)
    }
    if (body !== undefined) {
      lines.push(...(formBody ? this.form(body, n, uses) : [`--data-raw ${word(this.json(body, n, uses))}`]))
    }
    return { lines, uses }
  }

  /** Header value text: a Bearer token from an earlier answer becomes its variable. */
  private valueParts(text: string, n: number, uses: Set<number>): Part[] {
    const bearer = /^( (?:Bearer|DPoP) )(.+)$/i.exec(text)
    const found = bearer && this.lookup(bearer[2]!, n, uses)
    return found ? [{ text: bearer![1]! }, found] : literal(text)
  }

  /** Basic credentials as `-u`, the id and secret form-encoded first when the run did (RFC 6749 §2.3.1). */
  private basic(value: string, n: number, uses: Set<number>): string | undefined {
    const userPass = basicUserPass(value)
    if (userPass === undefined) return undefined
    const side = (raw: string): Part[] => {
      let decoded: string
      try {
        decoded = decodeFormComponent(raw)
      } catch {
        return literal(raw)
      }
      // As the run sent it: form-encoded (then encoded again at run time), or raw.
      const encoded = encodeFormComponent(decoded) === raw
      const found = this.lookup(encoded ? decoded : raw, n, uses)
      if (found === undefined) return literal(raw)
      return [!encoded || !('variable' in found) ? found : this.formEncoded(found.variable)]
    }
    return `-u ${word([...side(userPass.userId), { text: ':' }, ...side(userPass.password)])}`
  }

  /** The variable's value percent-encoded at run time, as the run encoded the value it had. */
  private formEncoded(variable: string): Part {
    this.used.add('form_encode')
    return { command: `form_encode "\${${variable}}"` }
  }

  private url(url: string, n: number, uses: Set<number>): string {
    const prefix = this.controlUrl !== undefined && url.startsWith(`${this.controlUrl}/`) ? ['OOB_CONTROL_URL', this.controlUrl]
      : url.startsWith(`${this.baseUrl}/`) || url === this.baseUrl ? ['OOB_BASE_URL', this.baseUrl] : undefined
    if (prefix === undefined) return word(literal(url))
    this.used.add(prefix[0]!)
    const [path, query] = splitOnce(url.slice(prefix[1]!.length), '?')
    const parts: Part[] = [{ variable: prefix[0]! }]
    path.split('/').forEach((segment, i) => {
      if (i > 0) parts.push({ text: '/' })
      let decoded = segment
      try {
        decoded = decodeURIComponent(segment)
      } catch { /* kept as written */ }
      const found = segment === encodeURIComponent(decoded) ? this.lookup(decoded, n, uses) : undefined
      if (found === undefined) parts.push(...literal(segment))
      else parts.push(segment === decoded || !('variable' in found) ? found : this.formEncoded(found.variable))
    })
    if (query !== undefined) {
      parts.push({ text: '?' })
      query.split('&').forEach((pair, i) => {
        if (i > 0) parts.push({ text: '&' })
        const [name, value] = splitOnce(pair, '=')
        const found = value === undefined ? undefined : this.formValue(value, n, uses)
        if (found === undefined) parts.push(...literal(pair))
        // Encoded at run time when the run's value needed encoding.
        else parts.push(...literal(`${name}=`), /[%+]/.test(value!) && 'variable' in found ? this.formEncoded(found.variable) : found)
      })
    }
    return dq(parts)
  }

  private formValue(raw: string, n: number, uses: Set<number>): Part | undefined {
    try {
      const decoded = decodeFormComponent(raw)
      return encodeFormComponent(decoded) === raw || encodeURIComponent(decoded) === raw ? this.lookup(decoded, n, uses) : undefined
    } catch {
      return undefined
    }
  }

  /** A form body as curl pieces, which curl joins with `&`: literal as sent, variables URL-encoded by curl. */
  private form(body: string, n: number, uses: Set<number>): string[] {
    return body.split('&').map((pair) => {
      const [name, value] = splitOnce(pair, '=')
      const found = value === undefined ? undefined : this.formValue(value, n, uses)
      // curl reads `name@file` in --data-urlencode as a file to send.
      if (found === undefined || name.includes('@')) return `--data-raw ${word(literal(pair))}`
      return `--data-urlencode ${/^[\w.-]+$/.test(name) ? name : word(literal(name))}${dq([{ text: '=' }, found])}`
    })
  }

  /** Any other body, its JSON strings that came from earlier answers as their variables. */
  private json(body: string, n: number, uses: Set<number>): Part[] {
    const parts: Part[] = []
    let at = 0
    for (const m of body.matchAll(/"(?:[^"\\]|\\.)*"/g)) {
      let value: unknown
      try {
        value = JSON.parse(m[0])
      } catch {
        continue
      }
      const found = typeof value === 'string' && /^[\w.~+/=-]*$/.test(value) ? this.lookup(value, n, uses) : undefined
      if (found === undefined) continue
      parts.push(...literal(body.slice(at, m.index + 1)), found)
      at = m.index + m[0].length - 1
    }
    parts.push(...literal(body.slice(at)))
    return parts
  }

  private header(): string[] {
    const { input } = this
    const lines = [
      '#!/bin/sh',
      comment(`Reproduces ${input.id}: ${input.title}`),
      comment(`Requirements: ${input.requirements.join(', ')}`),
      ...(input.failures.length > 0
        ? input.failures.map((f) => comment(`Failed ${f.requirement}: ${f.message}`))
        : [comment(`Failed: ${input.message}`)]),
      ...(input.notes ?? []).map((line) => line.startsWith('#') ? line.replace(/[\r\n]+/g, ' ') : comment(line)),
      '#',
      comment('Run: sh <this file>. Exit 1 and "DEFECT REPRODUCED" when the answer that broke the expectation shows the'),
      comment('defect again, exit 0 when it does not. It starts its own transactions, waits as the run did, plays the user'),
      comment('as the run did and prints every answer (curl -sS -i). Environment:'),
    ]
    const vars = [
      ['OOB_BASE_URL', 'the server', this.baseUrl] as const,
      ...(this.controlUrl !== undefined ? [['OOB_CONTROL_URL', 'its test-control API, which plays the user', this.controlUrl] as const] : []),
      ...this.env.filter((e) => !e.required).map((e) => [e.name, e.what, e.value] as const),
    ].filter(([name]) => this.used.has(name))
    for (const [name, what, value] of vars) lines.push(comment(`  ${name}: ${what} (default: ${value})`))
    const secret = this.env.find((e) => e.required && this.used.has(e.name))
    if (secret) lines.push(comment(`  ${secret.name}: ${secret.what} (required; never written here)`))
    if (this.target.driver !== undefined) {
      lines.push(comment(`The run's user was played by --driver ${this.target.driver}, which a script cannot call:`),
        comment('approve, deny or read the OTP yourself where the run did (its exchanges are not recorded).'))
    }
    lines.push('set -eu')
    for (const [name, , value] of vars) lines.push(`: "\${${name}:=${value.replace(/[\\"$`]/g, '\\$&')}}"`)
    if (secret) lines.push(`: "\${${secret.name}:?set ${secret.name} to ${secret.what}}"`)
    return lines
  }

  private helpers(): string[] {
    return [
      'tmp=$(mktemp -d)',
      "trap 'rm -rf \"$tmp\"' EXIT",
      '# show N: answer N as curl printed it; status_of N, header_of N NAME, member_of N NAME: parts of it.',
      'show() { echo "--- answer $1"; cat "$tmp/$1"; printf \'\\n\\n\'; }',
      'status_of() { sed -n \'s/^HTTP\\/[0-9.]* \\([0-9][0-9]*\\).*/\\1/p\' "$tmp/$1" | tail -n 1; }',
      'header_of() { grep -i "^$2:" "$tmp/$1" | tail -n 1 | sed \'s/^[^:]*:[[:space:]]*//\' | tr -d \'\\r\'; }',
      'member_of() { sed -n "s/.*\\"$2\\"[[:space:]]*:[[:space:]]*\\"\\([^\\"]*\\)\\".*/\\1/p" "$tmp/$1" | head -n 1; echo; }',
      '# capture VAR NAME N: the JSON member NAME of answer N, which later requests use.',
      'capture() {',
      '  value=$(member_of "$3" "$2")',
      '  [ -n "$value" ] || { echo "not reproduced: answer $3 has no \\"$2\\", which the run\'s had"; exit 0; }',
      '  eval "$1=\\$value"',
      '}',
      ...(this.used.has('form_encode') ? [
        '# form_encode TEXT: percent-encoded as the run encoded it (Basic credentials: RFC 6749 §2.3.1).',
        'form_encode() {',
        '  printf %s "$1" | od -An -v -tu1 | awk \'{ for (i = 1; i <= NF; i++) { b = $i',
        '    if ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 42 || b == 45 || b == 46 || b == 95) printf "%c", b',
        '    else if (b == 32) printf "+"; else printf "%%%02X", b } }\'',
        '}',
      ] : []),
    ]
  }

  /** The closing lines: what the run expected, and the mechanical comparison of the answer that broke it. */
  private verdict(groups: number[][]): string[] {
    const { input } = this
    const expected = input.failures.length > 0 ? input.failures.map((f) => `${f.requirement}: ${f.message}`) : [input.message]
    const lines = ['echo "The run failed:"', ...expected.map((m) => `echo ${quote(`  ${m}`)}`)]
    const test = this.defectTest(groups, expected.join('\n'))
    if (test === undefined) {
      return [...lines, `echo ${quote('not reproduced: this defect is not mechanically checkable; compare the answers above with the run\'s')}`, 'exit 0']
    }
    return [...lines,
      `if ${test.condition}; then`,
      `  echo ${quote(`DEFECT REPRODUCED: ${test.shows}`)}`,
      '  exit 1',
      'fi',
      `echo ${quote(`not reproduced: ${test.differs}`)}`,
      'exit 0']
  }

  /**
   * How the script tells the defect: the answer the failure is about — a missing header for a header
   * requirement, several answers with tokens for one oob_code among requests sent at once, or else the status
   * and `error` (or tokens) of the answer the failure message quotes — compared with the run's. Undefined when
   * there is no such answer.
   */
  private defectTest(groups: number[][], failure: string): { condition: string; shows: string; differs: string } | undefined {
    // The latest answers first: a check ends at the broken expectation, though requests in flight may still land.
    const answered = this.exchanges.map((e, i) => ({ e, n: i + 1 }))
      .filter(({ e }) => !isControl(e) && e.response !== undefined)
      .sort((a, b) => endOf(b.e) - endOf(a.e))
    if (answered.length === 0) return undefined
    const header = this.input.failures.map((f) => HEADER_REQUIREMENTS[f.requirement]).find((h) => h !== undefined)
    if (header !== undefined) {
      const headerOf = (e: Exchange) => Object.entries(e.response!.headers).find(([k]) => k.toLowerCase() === header)?.[1]
      const { e, n } = answered.find(({ e }) => headerOf(e) === undefined) ?? answered[0]!
      const recorded = headerOf(e)
      return recorded === undefined
        ? { condition: `[ -z "$(header_of ${n} ${header})" ]`, shows: `answer ${n} has no ${header} header`,
          differs: `answer ${n} has a ${header} header` }
        : { condition: `[ "$(header_of ${n} ${header})" = ${quote(recorded)} ]`,
          shows: `answer ${n} has ${header}: ${recorded} again`, differs: `answer ${n}'s ${header} is not ${recorded}` }
    }
    const twice = this.redeemedTwice(groups)
    if (twice !== undefined) {
      const count = `$(for n in ${twice.join(' ')}; do member_of $n access_token; done | grep -c .)`
      const which = `answers ${twice[0]}–${twice.at(-1)}`
      return { condition: `[ "${count}" -gt 1 ]`, shows: `more than one of ${which} (one oob_code, sent at once) has tokens`,
        differs: `at most one of ${which} has tokens` }
    }
    // Only an answer the failure quotes ("…, got 400 slow_down", "…failed: 401 invalid_client"): a defect of
    // many answers (entropy, a rate) has no one answer to compare.
    const quoted = answered.find(({ e }) => new RegExp(`(?:\\bgot |: )${escapeRegExp(answerOf(e))}(?!\\w)`).test(failure))
    if (quoted === undefined) return undefined
    const { e, n } = quoted
    const response = e.response!
    const error = responseObject(e).error
    const status = `[ "$(status_of ${n})" = ${response.status} ]`
    if (hasTokens(e)) {
      return { condition: `${status} && [ -n "$(member_of ${n} access_token)" ]`, shows: `answer ${n} is again ${response.status} with tokens`,
        differs: `answer ${n} is not ${response.status} with tokens` }
    }
    if (typeof error === 'string') {
      return { condition: `${status} && [ "$(member_of ${n} error)" = ${quote(error)} ]`,
        shows: `answer ${n} is again ${response.status} ${error}`, differs: `answer ${n} is not ${response.status} ${error}` }
    }
    return { condition: status, shows: `answer ${n} is again ${response.status}`, differs: `answer ${n} is not ${response.status}` }
  }

  /** The token requests for one oob_code, sent at once, of which the run saw more than one get tokens. */
  private redeemedTwice(groups: number[][]): number[] | undefined {
    const codeOf = (n: number) => new URLSearchParams(this.exchanges[n - 1]!.request.body ?? '').get('oob_code')
    for (const group of [...groups].reverse()) {
      const codes = new Set(group.map(codeOf).filter((c): c is string => c !== null))
      for (const code of codes) {
        const same = group.filter((n) => codeOf(n) === code)
        if (same.filter((n) => hasTokens(this.exchanges[n - 1]!)).length > 1) return same
      }
    }
    return undefined
  }
}

/** `members` cut into runs of consecutive exchanges that send the same request. */
function sameRequestRuns(members: readonly number[], request: (n: number) => string): number[][] {
  const runs: number[][] = []
  for (const n of members) {
    const last = runs.at(-1)
    if (last !== undefined && last.at(-1) === n - 1 && request(last[0]!) === request(n)) last.push(n)
    else runs.push([n])
  }
  return runs
}

/** "200 with tokens ×18, 403 access_denied ×2". */
function tally(answers: readonly string[]): string {
  const counts = new Map<string, number>()
  for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1)
  return [...counts].map(([a, k]) => k === 1 ? a : `${a} ×${k}`).join(', ')
}

function answerOf(e: Exchange): string {
  if (e.response === undefined) return e.error ?? 'no answer'
  if (hasTokens(e)) return `${e.response.status} with tokens`
  const error = responseObject(e).error
  return typeof error === 'string' ? `${e.response.status} ${error}` : String(e.response.status)
}

function hasTokens(e: Exchange): boolean {
  return e.response?.status === 200 && typeof responseObject(e).access_token === 'string'
}


const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator)
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)]
}

/** The file a check's reproduction is written to, inside the report directory. */
export function reproductionFile(checkId: string): string {
  return join('reproductions', `${checkId.replace(/[^\w.-]+/g, '-')}.sh`)
}

/**
 * Writes each reproduction as `reproductions/<check>.sh` (mode 0755) into the report directory, replacing the
 * previous run's; a reproduction that is not yet a script (client-check's, verify-pact's) gets the `#!/bin/sh` line.
 */
export async function writeReproductions(dir: string, checks: readonly CheckResult[]): Promise<string[]> {
  await rm(join(dir, 'reproductions'), { recursive: true, force: true })
  const scripts = checks.filter((c) => c.reproduction !== null)
  if (scripts.length === 0) return []
  await mkdir(join(dir, 'reproductions'), { recursive: true })
  return Promise.all(scripts.map(async (c) => {
    const path = join(dir, reproductionFile(c.id))
    const text = c.reproduction!.startsWith('#!') ? c.reproduction! : `#!/bin/sh\n${c.reproduction}\n`
    await writeFile(path, text, 'utf8')
    await chmod(path, 0o755)
    return path
  }))
}
