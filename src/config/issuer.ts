import type { Endpoints } from './target.js'

/**
 * Endpoints from an issuer (Okta's rules): an org issuer `https://org` serves `/oauth2/v1/...`; a custom
 * authorization server's issuer `https://org/oauth2/{id}` serves `{issuer}/v1/...`. Dependency-free, so the
 * typed client can use it without the config loader's weight.
 */
export function endpointsFromIssuer(issuer: URL): Endpoints {
  const base = issuer.href.replace(/\/+$/, '')
  const custom = /\/oauth2\/[^/]+$/.test(issuer.pathname.replace(/\/+$/, ''))
  const v1 = custom ? `${base}/v1` : `${base}/oauth2/v1`
  return {
    oobAuthenticate: `${v1}/oob-authenticate`,
    primaryAuthenticate: `${v1}/primary-authenticate`,
    token: `${v1}/token`,
    discovery: `${base}/.well-known/openid-configuration`,
  }
}
