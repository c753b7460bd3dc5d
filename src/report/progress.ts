// A one-line progress indicator for long batches, on stderr, only when stderr is a TTY.
import type { Writable } from 'node:stream';

export interface ProgressState {
  done: number;
  total: number;
  changed: number;
  errors: number;
}

export function progressText(p: ProgressState, dryRun: boolean): string {
  return `psa-clean: ${p.done}/${p.total} releases, ${p.changed} ${dryRun ? 'to update' : 'updated'}, ${p.errors} errors`;
}

export function progressReporter(stream: Writable & { isTTY?: boolean }, dryRun: boolean): { update(p: ProgressState): void; end(): void } {
  if (!stream.isTTY) return { update: () => {}, end: () => {} };
  let shown = false;
  return {
    update(p) {
      stream.write(`\r\x1b[2K${progressText(p, dryRun)}`);
      shown = true;
    },
    end() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
