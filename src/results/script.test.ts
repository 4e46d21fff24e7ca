import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, expect } from 'vitest'
import type { Exchange } from '../http/exchange.js'
import { basicAuthorization } from '../protocol/index.js'
import { createRedactor } from '../redact/index.js'
import type { CheckResult } from './model.js'
import { reproductionScript, writeReproductions, type ScriptInput, type ScriptTarget } from './script.js'

const BASE = 'https://as.example'
const SECRET = "s3cret it's $HOME"
const OTP = '482913'
const target: ScriptTarget = {
  baseUrl: BASE,
  controlUrl: `${BASE}/control`,
  requestTimeoutMs: 10_000,
  accounts: {
    clients: {
      public: { clientId: 'public-client' },
      confidential: { clientId: 'confidential-client', clientSecret: SECRET },
      noGrant: { clientId: 'no-grant-client' },
    },
    users: { push: 'push@x', number: 'number@x', sms: 'sms@x', voice: 'voice@x', email: 'email@x', unenrolled: 'u@x' },
    scope: 'openid',
  },
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '99' }
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString()

function exchange(operation: string, startMs: number, durationMs: number, request: Exchange['request'],
  status: number, body: object | string, headers: Record<string, string> = {}): Exchange {
  return { operation, request, startedAt: at(startMs), durationMs,
    response: { status, headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body) } }
}

/** sms: start (confidential client, Basic), read the OTP, 1.46 s idle, redeem with the OTP in the other case. */
const smsCase: ScriptInput = {
  id: 'flows/otp-case',
  title: 'sms: the code is case-sensitive',
  requirements: ['OOB-S-PROMPT-CODE-CASE-SENSITIVE'],
  message: 'redeeming with the code in the other case: expected an error, got 200 with tokens',
  failures: [{ requirement: 'OOB-S-PROMPT-CODE-CASE-SENSITIVE',
    message: 'redeeming with the code in the other case: expected an error, got 200 with tokens' }],
  exchanges: [
    exchange('primaryAuthenticate', 0, 20, { method: 'POST', url: `${BASE}/oauth2/v1/primary-authenticate`,
      headers: { ...FORM, authorization: basicAuthorization('confidential-client', SECRET) },
      body: 'login_hint=sms%40x&channel_hint=sms' }, 200, { oob_code: 'c0de+/=', expires_in: 30, channel: 'sms' }),
    exchange('control', 40, 10, { method: 'GET', url: `${BASE}/control/transactions/c0de%2B%2F%3D/otp`, headers: {} },
      200, { otp: 'aB12cd' }),
    exchange('token', 1510, 30, { method: 'POST', url: `${BASE}/oauth2/v1/token`,
      headers: { ...FORM, authorization: basicAuthorization('confidential-client', SECRET) },
      body: 'grant_type=urn%3Aokta%3Aparams%3Aoauth%3Agrant-type%3Aoob&oob_code=c0de%2B%2F%3D&binding_code=Ab12CD' },
    200, { access_token: 'at', token_type: 'Bearer' }),
  ],
}

/** Runs `script` with a fake curl (canned answers, arguments logged) and a fake sleep; returns what they saw. */
function runFaked(script: string, answers: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'oob-script-'))
  answers.forEach((a, i) => writeFileSync(join(dir, `answer.${i + 1}`), a))
  writeFileSync(join(dir, 'curl'), '#!/bin/sh\nn=$(ls "$FAKE" | grep -c "^args")\nn=$((n + 1))\n' +
    'for a; do printf "%s\\0" "$a"; done > "$FAKE/args.$n"\ncat "$FAKE/answer.$n"\n')
  writeFileSync(join(dir, 'sleep'), '#!/bin/sh\necho "$1" >> "$FAKE/sleeps"\n')
  chmodSync(join(dir, 'curl'), 0o755)
  chmodSync(join(dir, 'sleep'), 0o755)
  writeFileSync(join(dir, 'script.sh'), script)
  let code = 0
  let output: string
  try {
    output = execFileSync('sh', [join(dir, 'script.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: `${dir}:${process.env.PATH}`, FAKE: dir, ...env } })
  } catch (e) {
    const error = e as { status: number; stdout: string; stderr: string }
    code = error.status
    output = error.stdout + error.stderr
  }
  const calls = readdirSync(dir).filter((f) => f.startsWith('args.')).sort()
    .map((f) => readFileSync(join(dir, f), 'utf8').split('\0').slice(0, -1))
  const sleeps = readdirSync(dir).includes('sleeps') ? readFileSync(join(dir, 'sleeps'), 'utf8').trim().split('\n') : []
  return { code, output, calls, sleeps }
}

const http = (status: string, headers: string[], body: object) =>
  [`HTTP/1.1 ${status}`, ...headers, '', JSON.stringify(body)].join('\r\n')

describe('reproductionScript', () => {
  const script = reproductionScript(smsCase, target)

  it('pins the text of a small example', () => {
    expect(script).toMatchInlineSnapshot(`
      "#!/bin/sh
      # Reproduces flows/otp-case: sms: the code is case-sensitive
      # Requirements: OOB-S-PROMPT-CODE-CASE-SENSITIVE
      # Failed OOB-S-PROMPT-CODE-CASE-SENSITIVE: redeeming with the code in the other case: expected an error, got 200 with tokens
      #
      # Run: sh <this file>. Exit 1 and "DEFECT REPRODUCED" when the answer that broke the expectation shows the
      # defect again, exit 0 when it does not. It starts its own transactions, waits as the run did, plays the user
      # as the run did and prints every answer (curl -sS -i). Environment:
      #   OOB_BASE_URL: the server (default: https://as.example)
      #   OOB_CONTROL_URL: its test-control API, which plays the user (default: https://as.example/control)
      #   OOB_CONFIDENTIAL_CLIENT_ID: the confidential client (default: confidential-client)
      #   OOB_CLIENT_SECRET: the confidential client's secret (required; never written here)
      set -eu
      : "\${OOB_BASE_URL:=https://as.example}"
      : "\${OOB_CONTROL_URL:=https://as.example/control}"
      : "\${OOB_CONFIDENTIAL_CLIENT_ID:=confidential-client}"
      : "\${OOB_CLIENT_SECRET:?set OOB_CLIENT_SECRET to the confidential client's secret}"
      tmp=$(mktemp -d)
      trap 'rm -rf "$tmp"' EXIT
      # show N: answer N as curl printed it; status_of N, header_of N NAME, member_of N NAME: parts of it.
      show() { echo "--- answer $1"; cat "$tmp/$1"; printf '\\n\\n'; }
      status_of() { sed -n 's/^HTTP\\/[0-9.]* \\([0-9][0-9]*\\).*/\\1/p' "$tmp/$1" | tail -n 1; }
      header_of() { grep -i "^$2:" "$tmp/$1" | tail -n 1 | sed 's/^[^:]*:[[:space:]]*//' | tr -d '\\r'; }
      member_of() { sed -n "s/.*\\"$2\\"[[:space:]]*:[[:space:]]*\\"\\([^\\"]*\\)\\".*/\\1/p" "$tmp/$1" | head -n 1; echo; }
      # capture VAR NAME N: the JSON member NAME of answer N, which later requests use.
      capture() {
        value=$(member_of "$3" "$2")
        [ -n "$value" ] || { echo "not reproduced: answer $3 has no \\"$2\\", which the run's had"; exit 0; }
        eval "$1=\\$value"
      }
      # form_encode TEXT: percent-encoded as the run encoded it (Basic credentials: RFC 6749 §2.3.1).
      form_encode() {
        printf %s "$1" | od -An -v -tu1 | awk '{ for (i = 1; i <= NF; i++) { b = $i
          if ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 42 || b == 45 || b == 46 || b == 95) printf "%c", b
          else if (b == 32) printf "+"; else printf "%%%02X", b } }'
      }

      # 1. primaryAuthenticate — the run got 200
      curl -sS -i --max-time 10 "\${OOB_BASE_URL}/oauth2/v1/primary-authenticate" \\
        -H 'content-type: application/x-www-form-urlencoded' \\
        -u "$(form_encode "\${OOB_CONFIDENTIAL_CLIENT_ID}"):$(form_encode "\${OOB_CLIENT_SECRET}")" \\
        --data-raw 'login_hint=sms%40x' \\
        --data-raw 'channel_hint=sms' > "$tmp/1" 2>&1 || true
      show 1
      capture oob_code_1 oob_code 1

      # 2. the user's part, through the test-control API — the run got 200
      curl -sS -i --max-time 10 "\${OOB_CONTROL_URL}/transactions/$(form_encode "\${oob_code_1}")/otp" > "$tmp/2" 2>&1 || true
      show 2
      capture otp_1 otp 2

      sleep 1.5
      # 3. token — the run got 200 with tokens
      curl -sS -i --max-time 10 "\${OOB_BASE_URL}/oauth2/v1/token" \\
        -H 'content-type: application/x-www-form-urlencoded' \\
        -u "$(form_encode "\${OOB_CONFIDENTIAL_CLIENT_ID}"):$(form_encode "\${OOB_CLIENT_SECRET}")" \\
        --data-raw 'grant_type=urn%3Aokta%3Aparams%3Aoauth%3Agrant-type%3Aoob' \\
        --data-urlencode oob_code"=\${oob_code_1}" \\
        --data-urlencode binding_code"=$(printf %s "\${otp_1}" | tr 'a-zA-Z' 'A-Za-z')" > "$tmp/3" 2>&1 || true
      show 3

      echo "The run failed:"
      echo '  OOB-S-PROMPT-CODE-CASE-SENSITIVE: redeeming with the code in the other case: expected an error, got 200 with tokens'
      if [ "$(status_of 3)" = 200 ] && [ -n "$(member_of 3 access_token)" ]; then
        echo 'DEFECT REPRODUCED: answer 3 is again 200 with tokens'
        exit 1
      fi
      echo 'not reproduced: answer 3 is not 200 with tokens'
      exit 0
      "
    `)
  })

  it('writes no secret, and the run\'s redactor leaves it unchanged', () => {
    const redact = createRedactor([SECRET, OTP, 'aB12cd'])
    expect(redact(script)).toBe(script)
    for (const secret of [SECRET, 'aB12cd', 'Ab12CD', basicAuthorization('confidential-client', SECRET).slice(6)]) {
      expect(script).not.toContain(secret)
    }
  })

  it('sends what the run sent, with the new transaction\'s oob_code, the OTP read now, the secret from the environment', () => {
    const answers = [
      http('200 OK', ['Content-Type: application/json'], { oob_code: 'n3w+code', expires_in: 30 }),
      http('200 OK', [], { otp: 'xY9z' }),
      http('200 OK', ['Cache-Control: no-store'], { access_token: 'fresh', token_type: 'Bearer' }),
    ]
    const { code, output, calls, sleeps } = runFaked(script, answers, { OOB_CLIENT_SECRET: 'other secret:%' })
    expect(code, output).toBe(1)
    expect(output.trim().split('\n').at(-1)).toBe('DEFECT REPRODUCED: answer 3 is again 200 with tokens')
    const userPass = `confidential-client:${'other+secret%3A%25'}`
    expect(calls[0]).toEqual(['-sS', '-i', '--max-time', '10', `${BASE}/oauth2/v1/primary-authenticate`,
      '-H', 'content-type: application/x-www-form-urlencoded', '-u', userPass,
      '--data-raw', 'login_hint=sms%40x', '--data-raw', 'channel_hint=sms'])
    expect(calls[1]).toEqual(['-sS', '-i', '--max-time', '10', `${BASE}/control/transactions/n3w%2Bcode/otp`])
    expect(calls[2]).toEqual(['-sS', '-i', '--max-time', '10', `${BASE}/oauth2/v1/token`,
      '-H', 'content-type: application/x-www-form-urlencoded', '-u', userPass,
      '--data-raw', 'grant_type=urn%3Aokta%3Aparams%3Aoauth%3Agrant-type%3Aoob',
      '--data-urlencode', 'oob_code=n3w+code', '--data-urlencode', 'binding_code=Xy9Z'])
    // The idle time between the OTP's answer (at 0.05 s) and the token request (at 1.51 s), to 0.1 s.
    expect(sleeps).toEqual(['1.5'])
  })

  it('refuses to run without the secret, naming the variable', () => {
    const { code, output, calls } = runFaked(script, [])
    expect(code).not.toBe(0)
    expect(output).toMatch(/OOB_CLIENT_SECRET: set OOB_CLIENT_SECRET to the confidential client's secret/)
    expect(calls).toEqual([])
  })

  it('answers "not reproduced" with exit 0 when the answer differs from the run\'s', () => {
    const answers = [
      http('200 OK', [], { oob_code: 'n3w', expires_in: 30 }),
      http('200 OK', [], { otp: 'xY9z' }),
      http('400 Bad Request', [], { error: 'invalid_grant' }),
    ]
    const { code, output } = runFaked(script, answers, { OOB_CLIENT_SECRET: 'x' })
    expect(code, output).toBe(0)
    expect(output.trim().split('\n').at(-1)).toBe('not reproduced: answer 3 is not 200 with tokens')
  })

  it('sends overlapping requests at once, the same request in a loop, and counts the tokens one oob_code got', () => {
    const start = exchange('primaryAuthenticate', 0, 10, { method: 'POST', url: `${BASE}/oauth2/v1/primary-authenticate`,
      headers: FORM, body: 'client_id=public-client' }, 200, { oob_code: 'abc', expires_in: 30 })
    const poll = (ms: number, body = 'client_id=public-client&oob_code=abc') => exchange('token', ms, 50,
      { method: 'POST', url: `${BASE}/oauth2/v1/token`, headers: FORM, body }, 200, { access_token: 't' })
    const input = { ...smsCase, failures: [{ requirement: 'OOB-S-OOB-CODE-SINGLE-USE', message: '2 of 2 got tokens' }] }
    const pair = reproductionScript({ ...input, exchanges: [start, poll(20), poll(21)] }, target)
    expect(pair).toContain('# 2–3: 2 requests at once, as the run sent them')
    expect(pair).toMatch(/> "\$tmp\/2" 2>&1 &\n[^]*> "\$tmp\/3" 2>&1 &\nwait\nshow 2\nshow 3\n/)
    expect(pair).toContain('if [ "$(for n in 2 3; do member_of $n access_token; done | grep -c .)" -gt 1 ]; then')
    const tokens = http('200 OK', [], { access_token: 't' })
    expect(runFaked(pair, [http('200 OK', [], { oob_code: 'x' }), tokens, tokens]).code).toBe(1)

    const many = reproductionScript({ ...input,
      exchanges: [start, poll(20, 'client_id=public-client&oob_code=other'), poll(21), poll(22), poll(23)] }, target)
    expect(many).toContain([
      '# 3–5. 3 × token — the run got 200 with tokens ×3',
      'n=3',
      'while [ "$n" -le 5 ]; do',
      `  curl -sS -i --max-time 10 "\${OOB_BASE_URL}/oauth2/v1/token" \\`,
    ].join('\n'))
    expect(many).toContain('    --data-urlencode oob_code"=${oob_code_1}" > "$tmp/$n" 2>&1 &\n  n=$((n + 1))\ndone\nwait\n' +
      'show 2\nn=3; while [ "$n" -le 5 ]; do show "$n"; n=$((n + 1)); done\n')
    const run = runFaked(many, [http('200 OK', [], { oob_code: 'x' }), tokens, tokens, tokens, tokens])
    expect(run.code, run.output).toBe(1)
    expect(run.output).toContain('DEFECT REPRODUCED: more than one of answers 3–5 (one oob_code, sent at once) has tokens')
  })

  it('puts earlier answers into a query, encoded at run time as the run encoded them', () => {
    const start = exchange('primaryAuthenticate', 0, 10, { method: 'POST', url: `${BASE}/oauth2/v1/primary-authenticate`,
      headers: FORM, body: 'client_id=public-client' }, 200, { oob_code: 'a+b', expires_in: 30 })
    const get = exchange('token', 100, 10, { method: 'GET', headers: {},
      url: `${BASE}/oauth2/v1/token?client_id=public-client&oob_code=a%2Bb` }, 400, { error: 'invalid_request' })
    const text = reproductionScript({ ...smsCase, failures: [{ requirement: 'OOB-S-TOKEN-FORM-POST', message: 'got 400 invalid_request' }],
      exchanges: [start, get] }, target)
    expect(text).toContain('curl -sS -i --max-time 10 "${OOB_BASE_URL}/oauth2/v1/token?client_id=${OOB_CLIENT_ID}&oob_code=$(form_encode "${oob_code_1}")"')
    const { calls } = runFaked(text, [http('200 OK', [], { oob_code: 'x/y z' }), http('400 Bad Request', [], { error: 'x' })])
    expect(calls[1]).toEqual(['-sS', '-i', '--max-time', '10', `${BASE}/oauth2/v1/token?client_id=public-client&oob_code=x%2Fy+z`])
  })

  it('claims nothing when the failure quotes no answer (a defect of many answers)', () => {
    const text = reproductionScript({ ...smsCase, failures: [{ requirement: 'OOB-S-OOB-CODE-ENTROPY',
      message: 'the 200 oob_codes carry about 40 bits of entropy, expected at least 128' }] }, target)
    expect(text).toMatch(/\necho 'not reproduced: this defect is not mechanically checkable; compare the answers above with the run'\\''s'\nexit 0\n$/)
    expect(text).not.toContain("echo 'DEFECT REPRODUCED")
  })

  it('checks the header a header requirement is about, and breaks field names the redactor would blank', () => {
    const token = exchange('token', 0, 10, { method: 'POST', url: `${BASE}/oauth2/v1/token?otp=1`, headers: FORM,
      body: 'client_id=public-client&oob_code=unknown&binding_code=000000' }, 400, { error: 'invalid_grant' })
    const text = reproductionScript({ ...smsCase, failures: [{ requirement: 'OOB-S-TOKEN-NO-STORE', message: 'no Cache-Control' }],
      exchanges: [token] }, target)
    expect(text).toContain(`"\${OOB_BASE_URL}/oauth2/v1/token?otp""=1"`)
    expect(text).toContain(`--data-raw 'binding_code''=000000'`)
    expect(text).toContain('if [ -z "$(header_of 1 cache-control)" ]; then')
    expect(createRedactor([])(text)).toBe(text)
    const { calls, code } = runFaked(text, [http('400 Bad Request', ['Cache-Control: no-store'], { error: 'invalid_grant' })])
    expect(code).toBe(0)
    expect(calls[0]).toContain(`${BASE}/oauth2/v1/token?otp=1`)
    expect(calls[0]).toContain('binding_code=000000')
  })
})

describe('writeReproductions', () => {
  it('writes reproductions/<check>.sh, mode 0755, replacing the previous run\'s; a bare command gets #!/bin/sh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oob-repro-files-'))
    mkdirSync(join(dir, 'reproductions'))
    writeFileSync(join(dir, 'reproductions', 'flows-old.sh'), 'stale')
    const result = (id: string, reproduction: string | null) => ({ id, reproduction }) as CheckResult
    const paths = await writeReproductions(dir, [result('flows/wrong-otp', '#!/bin/sh\necho hi\n'),
      result('client/poll-interval', 'oob-conformance client-check --scenario poll-interval -- ./client'),
      result('flows/passed', null)])
    expect(paths).toEqual([join(dir, 'reproductions', 'flows-wrong-otp.sh'), join(dir, 'reproductions', 'client-poll-interval.sh')])
    expect(readdirSync(join(dir, 'reproductions')).sort()).toEqual(['client-poll-interval.sh', 'flows-wrong-otp.sh'])
    expect(readFileSync(paths[0]!, 'utf8')).toBe('#!/bin/sh\necho hi\n')
    expect(readFileSync(paths[1]!, 'utf8')).toBe('#!/bin/sh\noob-conformance client-check --scenario poll-interval -- ./client\n')
    for (const path of paths) expect(statSync(path).mode & 0o777).toBe(0o755)
  })
})
