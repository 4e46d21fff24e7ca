import { describe, it, expect } from 'vitest'
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRunCertificates } from './tls.js'
import { fetchTrusting } from './trusting-fetch.js'

describe('createRunCertificates', () => {
  it('makes a CA and a server certificate for localhost and 127.0.0.1 that it issued', async () => {
    const now = Date.parse('2026-12-06T03:00:00Z')
    const { ca, cert, key } = await createRunCertificates(now)
    const authority = new X509Certificate(ca)
    const server = new X509Certificate(cert)
    expect(authority.ca).toBe(true)
    expect(server.ca).toBe(false)
    expect(server.checkIssued(authority)).toBe(true)
    expect(server.verify(authority.publicKey)).toBe(true)
    expect(server.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1')
    expect(server.checkPrivateKey(createPrivateKey(key))).toBe(true)
    expect(Date.parse(server.validFrom)).toBeLessThan(now)
    expect(Date.parse(server.validTo)).toBeGreaterThan(now)
    // A fresh CA per run: nothing one run's CA signed is trusted in the next.
    const next = await createRunCertificates(now)
    expect(new X509Certificate(next.ca).fingerprint256).not.toBe(authority.fingerprint256)
  })
})

describe('fetchTrusting', () => {
  it('leaves plain http to the global fetch, and refuses a body it cannot send', async () => {
    const server = createServer((req, res) => res.end(req.method))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const fetch = fetchTrusting('unused')
      expect(await (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'a=1' })).text()).toBe('POST')
      await expect(fetch('https://127.0.0.1:1/', { method: 'POST', body: new Blob(['x']) }))
        .rejects.toThrow('fetchTrusting: give a URL and a string or URLSearchParams body')
    } finally {
      server.close()
    }
  })
})
