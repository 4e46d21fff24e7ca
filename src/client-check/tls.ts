/**
 * `client-check --tls`: a certificate authority made for one run and the certificate its scripted servers
 * present, valid for `localhost` and `127.0.0.1`, so a client that builds `https://HOST/…` itself and checks
 * certificates can be run as it is, trusting the run's CA (`OOB_CA_FILE` and the usual CA-bundle variables).
 * Keys come from node:crypto; node:crypto cannot issue X.509 certificates, node-forge does.
 * @module
 */
import { generateKeyPair, randomBytes } from 'node:crypto'
import { Agent, request } from 'node:https'
import { promisify } from 'node:util'
import forge from 'node-forge'

/** What an HTTPS server needs, and what its clients trust. */
export interface RunCertificates {
  /** The run's CA certificate (PEM): the only thing a client must trust. */
  ca: string
  /** The server certificate (PEM), signed by `ca`. */
  cert: string
  /** The server certificate's private key (PEM, PKCS#8). */
  key: string
}

const rsaKeyPair = promisify(generateKeyPair)
/** Long enough for any run, short enough that a CA file left behind by a crash is useless soon. */
const VALIDITY_MS = 24 * 3600 * 1000
/** Allows for a client whose clock runs a little behind. */
const BACKDATE_MS = 3600 * 1000

async function keyPair(): Promise<{ privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey;
  pem: string }> {
  const { privateKey, publicKey } = await rsaKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  return { privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey, pem: privateKey }
}

function certificate(publicKey: forge.pki.PublicKey, commonName: string, now: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  // RFC 5280 §4.1.2.2: a positive integer, unique per CA; the leading 01 keeps it positive.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`
  cert.validity.notBefore = new Date(now - BACKDATE_MS)
  cert.validity.notAfter = new Date(now + VALIDITY_MS)
  cert.setSubject([{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'oob-conformance' }])
  return cert
}

/** A fresh CA and a server certificate for `localhost` / `127.0.0.1` signed by it. */
export async function createRunCertificates(now = Date.now()): Promise<RunCertificates> {
  const [caKeys, serverKeys] = await Promise.all([keyPair(), keyPair()])
  const caCert = certificate(caKeys.publicKey, `oob-conformance client-check CA ${new Date(now).toISOString()}`,
    now)
  caCert.setIssuer(caCert.subject.attributes)
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  caCert.sign(caKeys.privateKey, forge.md.sha256.create())

  const serverCert = certificate(serverKeys.publicKey, 'localhost', now)
  serverCert.setIssuer(caCert.subject.attributes)
  serverCert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // RFC 6125 §6.4.4: clients match the host against subjectAltName, not the common name. type 2: dNSName,
    // type 7: iPAddress (RFC 5280 §4.2.1.6).
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ])
  serverCert.sign(caKeys.privateKey, forge.md.sha256.create())

  return { ca: forge.pki.certificateToPem(caCert), cert: forge.pki.certificateToPem(serverCert),
    key: serverKeys.pem }
}

/**
 * A `fetch` for HTTPS that trusts exactly `ca` (not the system store), as a client pinned to its server's CA
 * does; plain `http:` URLs go to the global fetch. Node's global fetch cannot be given a CA before Node 22,
 * so this one is built on node:https. In-process clients under `--tls` pass it to their HTTP client:
 *
 *     new OobFlowClient({ issuer: env.baseUrl, clientId: env.clientId, fetch: fetchTrusting(env.ca!) })
 */
export function fetchTrusting(ca: string): typeof globalThis.fetch {
  const agent = new Agent({ ca })
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.protocol !== 'https:') return globalThis.fetch(input, init)
    if (input instanceof Request || !(init.body == null || typeof init.body === 'string' ||
      init.body instanceof URLSearchParams)) {
      throw new TypeError('fetchTrusting: give a URL and a string or URLSearchParams body')
    }
    const headers = new Headers(init.headers)
    if (init.body instanceof URLSearchParams && !headers.has('content-type')) {
      headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8')
    }
    const body = init.body == null ? undefined : String(init.body)
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: Object.fromEntries(headers), agent,
        ...(init.signal != null && { signal: init.signal }) }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const status = res.statusCode ?? 0
          const answer = new Headers()
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : [value ?? '']) answer.append(name, v)
          }
          // Fetch allows no body with 204, 205 and 304.
          const nullBody = [204, 205, 304].includes(status)
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: answer }))
        })
      })
      // As the global fetch does: a network failure is a TypeError whose cause is the socket's error.
      req.on('error', (cause) => reject(init.signal?.aborted ? cause : new TypeError('fetch failed', { cause })))
      req.end(body)
    })
  }
}
