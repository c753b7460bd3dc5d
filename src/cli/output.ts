// Report text goes to stdout in chunks of about 64 KB: a report written release by release
// would otherwise be thousands of small writes (one syscall each), and one that is joined
// first is one string as large as the report.
import type { Writable } from 'node:stream';

const CHUNK = 64 * 1024;

export function bufferedWriter(stream: Writable): { write: (s: string) => void; flush: () => void } {
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    if (parts.length === 0) return;
    stream.write(parts.join(''));
    parts = [];
    size = 0;
  };
  return {
    write: (s: string) => {
      parts.push(s);
      size += s.length;
      if (size >= CHUNK) flush();
    },
    flush,
  };
}
