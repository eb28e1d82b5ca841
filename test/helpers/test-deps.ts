import { PassThrough, Writable } from 'node:stream';
import type { Account } from '../../src/account.js';
import { runCli } from '../../src/cli.js';
import type { Deps } from '../../src/deps.js';
import type { DetectIo } from '../../src/providers/detect-io.js';
import { upsertAccount, readAccounts } from '../../src/store/accounts.js';
import { writeFileAtomic } from '../../src/store/atomic-write.js';
import { FileStore } from '../../src/store/file-store.js';
import { accountsFile, fileStoreDir } from '../../src/store/paths.js';
import { accessKey, msalKey, serializeAccess } from '../../src/store/records.js';
import { tuningFrom } from '../../src/tuning.js';
import { testEnv } from './cli.js';
import { scriptedPrompter } from './scripted-prompter.js';

/** Deps for an in-process run, with what it wrote to stdout and stderr so far. */
export interface TestDeps extends Deps {
  out(): string;
  err(): string;
  prompt: ReturnType<typeof scriptedPrompter>;
}

/** A stream that keeps what is written, synchronously. */
function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

/** No lookups: a test that reaches detection says so by failing. */
const NO_DETECTION: DetectIo = {
  mx: async () => {
    throw new Error('no DNS in this test');
  },
  openid: async () => {
    throw new Error('no OpenID lookups in this test');
  },
};

/**
 * The edges of an in-process run (STYLE "The edges come in as one object"): a private HOME and
 * XDG dirs (testEnv) with no PATH (so a mail-program probe finds nothing and spawns nothing), no
 * session bus, captured stdout and stderr, scripted answers, a fixed clock if asked. `canPrompt`
 * says whether a person is there to answer (the scripted prompter answers for them).
 */
export function testDeps(o: {
  env?: NodeJS.ProcessEnv;
  answers?: Record<string, unknown>;
  canPrompt?: boolean;
  now?: () => number;
  debug?: boolean;
  detectIo?: DetectIo;
  selfPath?: string;
} = {}): TestDeps {
  const env = o.env ?? testEnv({ PATH: '/nonexistent' });
  const out = capture();
  const err = capture();
  const stdin = new PassThrough();
  stdin.end();
  return {
    stdout: out.stream,
    stderr: err.stream,
    stdin: () => stdin,
    canPrompt: o.canPrompt ?? false,
    env,
    tuning: tuningFrom(env),
    now: o.now ?? (() => Date.now()),
    selfPath: o.selfPath ?? '/opt/mailoauth/bin/mailoauth',
    debug: o.debug ?? false,
    prompt: scriptedPrompter(o.answers ?? {}),
    detectIo: o.detectIo ?? NO_DETECTION,
    out: out.text,
    err: err.text,
  };
}

/** `mailoauth ARGS...` in this process: the exit code, and everything written (ANSI-free: no TTY). */
export async function runIn(d: TestDeps, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = await runCli(args, d);
  return { code, stdout: d.out(), stderr: d.err() };
}

/**
 * An account as setup leaves it, with the explicit file store: a valid access token, and an MSAL item
 * without a refresh token. Its mail servers are loopback port 1, where nothing listens (tests never
 * reach out).
 */
export async function fileStoreAccount(d: Pick<Deps, 'env' | 'now'>, name = 'work', o: { expiresInMs?: number; accessToken?: string; account?: Partial<Account> } = {}): Promise<Account> {
  const account: Account = {
    name, email: 'ann@contoso.example', provider: 'microsoft365', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753',
    tenant: 'organizations', authority: 'https://login.microsoftonline.com/organizations',
    scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access'],
    imap: { host: '127.0.0.1', port: 1, tls: 'implicit' }, smtp: { host: '127.0.0.1', port: 1, tls: 'starttls' },
    store: 'file', createdAt: new Date(d.now()).toISOString(), signedInAt: new Date(d.now()).toISOString(),
    ...o.account,
  };
  writeFileAtomic(accountsFile(d.env), JSON.stringify(upsertAccount(readAccounts(d.env), account), null, 2), 0o600);
  const store = new FileStore(fileStoreDir(d.env));
  await store.set(accessKey(name), serializeAccess({ accessToken: o.accessToken ?? `AT-${name}`, expiresAt: d.now() + (o.expiresInMs ?? 3_600_000), scopes: account.scopes }));
  await store.set(msalKey(name), '{}');
  return account;
}
