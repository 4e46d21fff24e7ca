/**
 * `client-check --tls`: a certificate authority made for one run and the certificate its scripted servers
 * present, valid for `localhost` and `127.0.0.1`, so a client that builds `https://HOST/…` itself and checks
 * certificates can be run as it is, trusting the run's CA (`OOB_CA_FILE` and the usual CA-bundle variables).
 * Keys come from node:crypto; node:crypto cannot issue X.509 certificates, node-forge does.
 * @module
 */
import { generateKeyPair, randomBytes } from 'node:crypto'
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
