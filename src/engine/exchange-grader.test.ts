import { describe, it, expect } from 'vitest'
import type { Exchange } from '../http/exchange.js'
import { isHeaderProblem, runExchangeGraders, type ExchangeGrader } from './exchange-grader.js'
import type { CheckOutcome } from './outcome.js'

const grader: ExchangeGrader = {
  id: 'schema/token-cache-control',
  title: 'token responses carry Cache-Control: no-store',
  requirement: 'OOB-S-TOKEN-NO-STORE',
  applies: (operation) => operation === 'token',
  owns: (problem) => isHeaderProblem(problem, 'cache-control'),
}

function exchange(operation: string, url: string, headers: Record<string, string>, body: object): Exchange {
  return { operation, request: { method: 'POST', url, headers: {}, body: 'x=1' }, startedAt: new Date(0).toISOString(),
    durationMs: 1, response: { status: 200, headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body) } }
}

const tokens = { token_type: 'Bearer', expires_in: 3600, access_token: 'at', scope: 'openid' }
const outcome = (id: string, exchanges: Exchange[]): CheckOutcome => ({ id, title: id, suite: 'flows', requirements: [],
  status: 'passed', message: 'passed', steps: [], exchanges, reproduction: [], durationMs: 1 })

describe('runExchangeGraders', () => {
  it('reproduces a failure by the shortest way a check reached an offending response', () => {
    const start = exchange('primaryAuthenticate', 'https://as/start', {}, { oob_code: 'abc', expires_in: 30 })
    const control = exchange('control', 'https://as/control/transactions/abc/otp', {}, { otp: '1' })
    const bare = exchange('token', 'https://as/token', { pragma: 'no-cache' }, tokens)
    const fine = exchange('token', 'https://as/token', { pragma: 'no-cache', 'cache-control': 'no-store' }, tokens)
    const long = outcome('flows/long', [start, control, fine, bare, fine])
    const [failed] = runExchangeGraders([grader], [long], 'okta')
    expect(failed).toMatchObject({ status: 'failed', exchanges: [bare] })
    expect(failed!.reproducedBy).toEqual([start, control, fine, bare])
    const short = outcome('flows/short', [start, bare])
    expect(runExchangeGraders([grader], [long, short], 'okta')[0]!.reproducedBy).toEqual([start, bare])
  })
})
