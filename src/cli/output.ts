// Report text goes to stdout in chunks of about 64 KB: a report written release by release
// would otherwise be thousands of small writes (one syscall each), and one that is joined
// first is one string as large as the report.
//
// Writes to a pipe are asynchronous in Node: a report written in one synchronous loop to
// `| jq` or `| less` was queued whole in memory (audit -A -o json at 10,000 releases: 630 MB
// of queued output, 579 MB peak RSS, against 190 MB written to a file). A writer that is
// told to wait (`write` and `flush` return a promise) waits until the reader has taken the
// queued chunk, or the stream is gone (`| head` closed it: the rest is dropped quietly).
import type { Writable } from 'node:stream';

const CHUNK = 64 * 1024;

export interface BufferedWriter {
  /** A promise when the stream's buffer is full: await it before writing more. */
  write: (s: string) => Promise<void> | undefined;
  flush: () => Promise<void> | undefined;
}

/** Resolves when the stream wants more, or when it can take nothing more (error, closed). */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

export function bufferedWriter(stream: Writable): BufferedWriter {
  let parts: string[] = [];
  let size = 0;
  const flush = (): Promise<void> | undefined => {
    if (parts.length === 0) return undefined;
    const text = parts.join('');
    parts = [];
    size = 0;
    if (stream.destroyed || stream.writableEnded) return undefined;
    return stream.write(text) ? undefined : drained(stream);
  };
  return {
    write: (s: string) => {
      parts.push(s);
      size += s.length;
      return size >= CHUNK ? flush() : undefined;
    },
    flush,
  };
}

/** Writes a report's chunks through a bufferedWriter, waiting whenever the reader is behind. */
export async function writeChunks(stream: Writable, chunks: Iterable<string>): Promise<void> {
  const out = bufferedWriter(stream);
  for (const chunk of chunks) {
    const full = out.write(chunk);
    if (full) await full;
  }
  await out.flush();
}
