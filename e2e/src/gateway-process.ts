import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from './replay-config';

/**
 * A gateway of the test's own (the built backend), on a port of its own, that the test can kill
 * and start again: the reconnect test's backend, apart from the replay gateway Playwright runs.
 */
export class GatewayProcess {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    readonly port: number,
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the gateway and resolves once its health endpoint answers. */
  async start(timeoutMs = 30_000): Promise<void> {
    const child = spawn(process.execPath, ['dist/backend/backend/src/main.js'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.env, TICKWIRE_PORT: String(this.port), TICKWIRE_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => this.keep(chunk));
    child.stderr.on('data', (chunk: Buffer) => this.keep(chunk));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${this.output}`);
      try {
        const response = await fetch(`${this.baseUrl}/api/health`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`gateway on ${this.port} not healthy within ${timeoutMs} ms:\n${this.output}`);
  }

  /** Kills the process at once (a crash, not a shutdown) and resolves when it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGKILL');
    });
  }

  private keep(chunk: Buffer): void {
    this.output = (this.output + chunk.toString()).slice(-20_000);
  }
}
