/**
 * Running the client under test for one scenario: a command (its own process group, killed as a tree) or an
 * in-process function. Either way it learns where to go from the same values, and its end is one outcome.
 * @module
 */
import { spawn } from 'node:child_process'
import { OobConformanceError } from '../errors.js'
import type { Channel } from '../protocol/index.js'
import { runQueueWaitMs } from './run-queue.js'

/** What a client is told, as `OOB_*` variables (commands) or this object (in-process clients). */
export interface ClientEnvironment {
  /** `OOB_BASE_URL`: an Okta-style org issuer; endpoints under `/oauth2/v1/`. `https://` under `--tls`. */
  baseUrl: string
  /**
   * `OOB_ISSUER`: the issuer the discovery document (`{issuer}/.well-known/openid-configuration`) and the ID
   * tokens name; its `jwks_uri` verifies them.
   */
  issuer: string
  /** `OOB_HOST`: `host:port`, for clients that build `https://HOST/…` themselves. */
  host: string
  /**
   * `OOB_CA_FILE` under `--tls`: the run's CA certificate (PEM file), the one certificate a client must trust.
   * Commands also find it in `SSL_CERT_FILE`, `NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE` and `CURL_CA_BUNDLE`.
   */
  caFile?: string
  /**
   * In-process clients under `--tls`: the CA certificate itself (PEM). They share the runner's process, whose
   * trust store does not have it, so they hand it to their HTTP client.
   */
  ca?: string
  /** `OOB_CLIENT_ID` */
  clientId: string
  /** `OOB_CLIENT_SECRET`, set when the scenario uses the confidential client. */
  clientSecret?: string
  /** `OOB_LOGIN_HINT` */
  loginHint: string
  /** `OOB_CHANNEL` */
  channel: Channel
  /** The code the user types for `prompt` (`OOB_OTP_FILE`, or one line on stdin), exactly as typed. */
  readCode(): Promise<string>
  /** Shows text to the user (commands: print it), e.g. the number of a number challenge. */
  display(text: string): void
  /** Aborted when the runner stops the client: scenario timeout, or still running after the flow ended. */
  signal: AbortSignal
}

/** A client written in TypeScript: resolves when it obtained tokens, rejects when the sign-in failed. */
export type InProcessClient = (env: ClientEnvironment) => Promise<unknown>

/** A client run as a command (argv), e.g. `['node', 'my-client.js']`. */
export interface ClientCommand {
  command: readonly string[]
  cwd?: string
}

export type ClientUnderTest = InProcessClient | ClientCommand

export interface ClientOutcome {
  /** 0 when the client reported success (exit code 0, or the promise resolved); null when it was killed. */
  exitCode: number | null
  /** The signal that ended the process, when one did. */
  signal?: string
  /** Set when the runner ended the client: still running after the flow ended, or at the scenario timeout. */
  stopped?: 'after-final' | 'timeout' | 'aborted'
  /** What the client printed (or displayed), capped. */
  output: string
  /** An in-process client's rejection. */
  error?: string
}

export interface ScenarioValues {
  baseUrl: string
  issuer: string
  host: string
  /** Under `--tls`: the CA certificate's file and PEM. */
  tls?: { caFile: string; ca: string }
  clientId: string
  clientSecret?: string
  loginHint: string
  channel: Channel
  typedCode?: string
  /** The file holding `typedCode`, for commands. */
  otpFile?: string
}

export interface RunningClient {
  ended: Promise<ClientOutcome>
  stop(reason: NonNullable<ClientOutcome['stopped']>): void
  /**
   * How long the client's processes have waited for a CPU so far (ms; see run-queue.ts); 0 for an in-process
   * client, whose starvation the scripted server's own event-loop lag already measures.
   */
  runQueueWaitMs(): number
}

const MAX_OUTPUT = 64 * 1024
/** How long a stopped client gets to end before it is killed (commands) or given up on (in-process). */
const STOP_GRACE_MS = 2000

/**
 * Where common TLS stacks look for trusted CAs, all pointing at the run's CA: OpenSSL (libcurl, Python's ssl,
 * Ruby, Go on Linux) reads `SSL_CERT_FILE`, Node adds `NODE_EXTRA_CA_CERTS` to its store at start, Python
 * requests reads `REQUESTS_CA_BUNDLE`, the curl tool `CURL_CA_BUNDLE`.
 */
function caBundleVariables(caFile: string): NodeJS.ProcessEnv {
  return { OOB_CA_FILE: caFile, SSL_CERT_FILE: caFile, NODE_EXTRA_CA_CERTS: caFile, REQUESTS_CA_BUNDLE: caFile,
    CURL_CA_BUNDLE: caFile }
}

export function launch(client: ClientUnderTest, values: ScenarioValues): RunningClient {
  return typeof client === 'function' ? launchFunction(client, values) : launchCommand(client, values)
}

function launchCommand({ command, cwd }: ClientCommand, values: ScenarioValues): RunningClient {
  const [file, ...args] = command
  if (file === undefined) throw new OobConformanceError('ERR_USAGE', 'client-check: no client command given')
  // The user's own OOB_* settings (say, a real client secret) must not leak into a scenario.
  const env: NodeJS.ProcessEnv =
    Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OOB_')))
  Object.assign(env, {
    OOB_BASE_URL: values.baseUrl, OOB_ISSUER: values.issuer, OOB_HOST: values.host,
    OOB_CLIENT_ID: values.clientId, OOB_LOGIN_HINT: values.loginHint, OOB_CHANNEL: values.channel,
    ...(values.clientSecret !== undefined && { OOB_CLIENT_SECRET: values.clientSecret }),
    ...(values.otpFile !== undefined && { OOB_OTP_FILE: values.otpFile }),
    ...(values.tls !== undefined && caBundleVariables(values.tls.caFile)),
  })
  // detached: the command leads its own process group, so the whole tree (npx, sh -c, …) can be killed.
  const child = spawn(file, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
  let output = ''
  const collect = (chunk: Buffer) => {
    if (output.length < MAX_OUTPUT) output += chunk.toString('utf8').slice(0, MAX_OUTPUT - output.length)
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  child.stdin.on('error', () => {})
  child.stdin.end(values.typedCode === undefined ? '' : `${values.typedCode}\n`)

  let stopped: ClientOutcome['stopped']
  let closed = false
  const killTree = (signal: NodeJS.Signals) => {
    // Once the group is gone its id may be reused: never signal it after that.
    if (closed) return
    try {
      process.kill(-child.pid!, signal)
    } catch {
      // already gone
    }
  }
  const ended = new Promise<ClientOutcome>((resolve, reject) => {
    let orphans: NodeJS.Timeout | undefined
    child.once('error', (cause) => reject(new OobConformanceError('ERR_CLIENT_COMMAND',
      `cannot start the client command "${file}": ${cause.message}`, { cause })))
    // Descendants still holding the command's output after it exited go with it (their group still exists).
    child.once('exit', () => { orphans = setTimeout(() => killTree('SIGKILL'), STOP_GRACE_MS) })
    child.once('close', (code, signal) => {
      closed = true
      clearTimeout(orphans)
      resolve({
        exitCode: code, ...(signal !== null && { signal }), ...(stopped !== undefined && { stopped }), output,
      })
    })
  })
  return {
    ended,
    runQueueWaitMs: () => (closed || child.pid === undefined ? 0 : runQueueWaitMs(child.pid) ?? 0),
    stop(reason) {
      if (child.exitCode !== null || child.signalCode !== null) return
      stopped ??= reason
      killTree('SIGTERM')
      setTimeout(() => killTree('SIGKILL'), STOP_GRACE_MS).unref()
    },
  }
}

function launchFunction(client: InProcessClient, values: ScenarioValues): RunningClient {
  const controller = new AbortController()
  let output = ''
  let stopped: ClientOutcome['stopped']
  const env: ClientEnvironment = {
    baseUrl: values.baseUrl, issuer: values.issuer, host: values.host, clientId: values.clientId,
    loginHint: values.loginHint, channel: values.channel,
    ...(values.clientSecret !== undefined && { clientSecret: values.clientSecret }),
    ...(values.tls !== undefined && { caFile: values.tls.caFile, ca: values.tls.ca }),
    readCode: async () => {
      if (values.typedCode === undefined) throw new Error('this scenario sends the user no code to type')
      return values.typedCode
    },
    display: (text) => {
      output += `${text}\n`
    },
    signal: controller.signal,
  }
  let giveUp!: (outcome: ClientOutcome) => void
  const abandoned = new Promise<ClientOutcome>((resolve) => { giveUp = resolve })
  const settled = Promise.resolve()
    .then(() => client(env))
    .then(
      (): ClientOutcome => ({ exitCode: 0, output }),
      (e: unknown): ClientOutcome =>
        ({ exitCode: 1, output, error: e instanceof Error ? e.message : String(e) }),
    )
    .then((outcome) => (stopped === undefined ? outcome : { ...outcome, stopped }))
  return {
    // A client that ignores its abort signal is abandoned after the grace period, like a killed process.
    ended: Promise.race([settled, abandoned]),
    runQueueWaitMs: () => 0,
    stop(reason) {
      stopped ??= reason
      controller.abort(new Error(`client-check stopped the client (${reason})`))
      setTimeout(() => giveUp({ exitCode: null, output, stopped: reason }), STOP_GRACE_MS).unref()
    },
  }
}
