import { spawn } from 'node:child_process';

/**
 * The commands to try for opening a URL: each `$BROWSER` entry (colon-separated, `%s` replaced by the
 * URL, else the URL appended), then the OS opener. Pure, so the choice is testable.
 */
export function browserCommands(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const fromEnv = (env.BROWSER ?? '').split(':').map((s) => s.trim()).filter(Boolean);
  const os = platform === 'darwin' ? ['open'] : platform === 'win32' ? ['rundll32 url.dll,FileProtocolHandler'] : ['xdg-open'];
  return [...fromEnv, ...os];
}

/** Variable names that usually hold a secret: a browser (and anything it starts) has no use for them. */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|API_?KEY/i;

/**
 * The environment the browser gets: ours without secrets — the variable --client-secret-env named
 * (found by its value), and anything named like a secret. The browser is another program, with
 * extensions and crash reporters of its own.
 */
export function browserEnv(env: NodeJS.ProcessEnv, secrets: readonly string[] = []): NodeJS.ProcessEnv {
  const drop = new Set(secrets.filter(Boolean));
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => !SECRET_NAME.test(k) && !(v !== undefined && drop.has(v))));
}

/**
 * Start a browser on `url`. The URL reaches the shell only as "$1", never spliced into the command
 * text. Resolves true when a command started and did not fail within `settleMs`.
 */
export async function openBrowser(url: string, ourEnv: NodeJS.ProcessEnv, secrets: readonly string[] = [], settleMs = 1500): Promise<boolean> {
  const env = browserEnv(ourEnv, secrets);
  for (const cmd of browserCommands(env, process.platform)) {
    const script = cmd.includes('%s') ? cmd.replaceAll('%s', '"$1"') : `${cmd} "$1"`;
    const ok = await new Promise<boolean>((resolve) => {
      const child = spawn('sh', ['-c', script, 'mailoauth-open', url], { stdio: 'ignore', detached: true, env });
      const timer = setTimeout(() => {
        child.unref();
        resolve(true);
      }, settleMs);
      child.on('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code === 0);
      });
    });
    if (ok) return true;
  }
  return false;
}
