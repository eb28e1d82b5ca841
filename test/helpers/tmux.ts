import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A program in a real terminal: a private tmux server, keys sent as a person types, the screen read back. */
export class TmuxSession {
  private readonly socket: string;

  constructor(
    readonly name: string,
    private readonly dir: string,
  ) {
    this.socket = `mailoauth-${process.pid}-${name}`;
  }

  private tmux(...args: string[]) {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** Runs `argv` with `env` in a 120x40 terminal; the exit code is printed as EXIT=<n> when it ends. */
  start(argv: string[], env: NodeJS.ProcessEnv) {
    const script = join(this.dir, `${this.name}.sh`);
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const exports = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `export ${k}=${q(v!)}`).join('\n');
    writeFileSync(script, `${exports}\n${argv.map(q).join(' ')}\necho "EXIT=$?"\nsleep 600\n`, { mode: 0o700 });
    this.tmux('new-session', '-d', '-s', this.name, '-x', '120', '-y', '40', `sh ${q(script)}`);
  }

  keys(...keys: string[]) {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Typed text, sent literally (no key-name interpretation). */
  type(text: string) {
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', this.name);
  }

  async waitFor(re: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    return (await this.waitForAny([re], timeoutMs)).match;
  }

  /** The first of `res` the screen shows (checked in order on each look), with its index. */
  async waitForAny(res: RegExp[], timeoutMs = 20_000): Promise<{ index: number; match: RegExpExecArray }> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      for (const [index, re] of res.entries()) {
        const match = re.exec(screen);
        if (match) return { index, match };
      }
      if (Date.now() > end) throw new Error(`screen never showed ${res.join(' or ')} within ${timeoutMs} ms; it shows:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  kill() {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}
