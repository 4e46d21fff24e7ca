/**
 * `oob-conformance serve`: the reference authorization server, with the standard accounts and the test-only
 * control API, until interrupted.
 * @module
 */
import pc from 'picocolors'
import { startReferenceServer } from '../reference-server/index.js'
import { standardAccounts } from '../config/accounts.js'
import { integerOption } from './options.js'

export interface ServeOptions {
  port: string
  host: string
  profile: 'okta' | 'rfc'
  interval: string
  expiresIn: string
  control: boolean
}

export async function runServe(options: ServeOptions): Promise<void> {
  const running = await startReferenceServer({
    port: integerOption('--port', options.port, 0),
    host: options.host,
    profile: options.profile,
    interval: integerOption('--interval', options.interval, 1),
    expiresIn: integerOption('--expires-in', options.expiresIn, 1),
    control: options.control,
  })
  const accounts = standardAccounts()
  const { url } = running
  const lines = [
    `${pc.bold('oob-conformance reference server')} (profile ${options.profile}) listening on ${pc.cyan(url)}`,
    '',
    `  initiation  POST ${url}/oauth2/v1/primary-authenticate   (deprecated alias: /oauth2/v1/oob-authenticate)`,
    `  token       POST ${url}/oauth2/v1/token   grant_type=urn:okta:params:oauth:grant-type:oob`,
    `  discovery   GET  ${url}/.well-known/openid-configuration`,
    options.control
      ? `  control     ${url}/control/transactions/{oob_code}/approve|deny|otp|expire   ${pc.yellow('(TEST ONLY: anyone can approve)')}`
      : '  control     off (--no-control)',
    '',
    '  clients',
    `    ${accounts.clients.public.clientId}          public (auth method none)`,
    `    ${accounts.clients.confidential.clientId}    secret ${accounts.clients.confidential.clientSecret} (client_secret_basic or client_secret_post)`,
    `    ${accounts.clients.noGrant.clientId}         public, OOB grant not enabled`,
    '  users (login_hint)',
    `    ${accounts.users.push} (push)  ${accounts.users.number} (push + number challenge)`,
    `    ${accounts.users.sms}  ${accounts.users.voice}  ${accounts.users.email} (one-time code)`,
    `    ${accounts.users.unenrolled} (no authenticator)`,
    `  interval ${options.interval} s, expires_in ${options.expiresIn} s`,
    '',
    '  point a client at it:',
    `    OOB_BASE_URL=${url} OOB_CLIENT_ID=${accounts.clients.public.clientId} OOB_LOGIN_HINT=${accounts.users.push} OOB_CHANNEL=push`,
    '  check it:',
    `    oob-conformance check --base-url ${url} --control-url ${url}/control`,
    '',
    'Ctrl-C stops it.',
  ]
  process.stdout.write(lines.join('\n') + '\n')
  await new Promise<void>((resolve) => {
    const stop = () => void running.close().then(resolve)
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
