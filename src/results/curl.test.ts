import { execFileSync } from 'node:child_process'
import { describe, it, expect } from 'vitest'
import { toCurl } from './curl.js'

/** The argument vector a POSIX shell hands to curl for `command`. */
function shellWords(command: string): string[] {
  const script = `curl() { for a; do printf '%s\\0' "$a"; done; }\n${command}`
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1)
}

describe('toCurl', () => {
  const request = {
    method: 'POST',
    url: 'https://auth.example.test/oauth2/v1/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'content-length': '99',
      authorization: 'Basic [REDACTED]',
    },
    body: "grant_type=urn%3Aokta%3Aparams%3Aoauth%3Agrant-type%3Aoob&oob_code=it's-$HOME-`id`-\\n\nnext",
  }

  it('prints one option per line, POST implied by --data-raw, no -L and no computed headers', () => {
    expect(toCurl({ ...request, body: 'a=1' })).toBe([
      "curl 'https://auth.example.test/oauth2/v1/token'",
      "  -H 'content-type: application/x-www-form-urlencoded'",
      "  -H 'accept: application/json'",
      "  -H 'authorization: Basic [REDACTED]'",
      "  --data-raw 'a=1'",
    ].join(' \\\n'))
  })

  it('quotes so that the shell passes every byte through, quotes and $ included', () => {
    const words = shellWords(toCurl(request))
    expect(words.at(-2)).toBe('--data-raw')
    expect(words.at(-1)).toBe(request.body)
    expect(words).toContain('https://auth.example.test/oauth2/v1/token')
  })

  it('names the method when curl would not infer it, sends empty headers, and turns off URL globbing', () => {
    const url = 'https://a.test/x?k=[1]'
    const words = shellWords(toCurl({ method: 'GET', url, headers: { 'x-empty': '' }, body: "it's" }))
    expect(words).toEqual(['-X', 'GET', '--globoff', url, '-H', 'x-empty;', '--data-raw', "it's"])
    expect(shellWords(toCurl({ method: 'DELETE', url: 'https://a.test/', headers: {} }))).toEqual(
      ['-X', 'DELETE', 'https://a.test/'])
    expect(shellWords(toCurl({ method: 'GET', url: 'https://a.test/', headers: {} })))
      .toEqual(['https://a.test/'])
  })
})
