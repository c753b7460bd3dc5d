// A small deterministic .tar.gz writer (POSIX ustar), so packaging needs neither GNU tar's
// reproducibility flags (BSD tar on macOS has none) nor an extra npm dependency. Same input
// -> byte-identical archive: entries sorted by path, fixed mtime, uid/gid 0, no user names,
// gzip header without a name or timestamp (node:zlib writes mtime 0).
import { createReadStream, createWriteStream, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

const BLOCK = 512;
const RECORD = 20 * BLOCK; // GNU tar pads archives to 10 KiB records; some readers expect it.

/**
 * @typedef {{ path: string, type: 'dir' } |
 *   { path: string, type: 'file', mode: number, data: Buffer } |
 *   { path: string, type: 'file', mode: number, source: string, size: number }} TarEntry
 */

/** Adds `dir` (recursively) under `prefix`; file modes become 0755 when any x bit is set, else 0644. */
export function entriesFromDir(dir, prefix) {
  /** @type {TarEntry[]} */
  const out = [{ path: prefix, type: 'dir' }];
  for (const name of readdirSync(dir).sort()) {
    const src = join(dir, name);
    const st = lstatSync(src);
    if (st.isDirectory()) out.push(...entriesFromDir(src, `${prefix}/${name}`));
    else if (st.isFile()) out.push(fileEntry(`${prefix}/${name}`, src));
    else throw new Error(`cannot package ${src}: only regular files and folders are allowed`);
  }
  return out;
}

/** One regular file copied from disk. */
export function fileEntry(path, source, mode) {
  const st = lstatSync(source);
  if (!st.isFile()) throw new Error(`cannot package ${source}: not a regular file`);
  return { path, type: 'file', mode: mode ?? (st.mode & 0o111 ? 0o755 : 0o644), source, size: st.size };
}

/** Writes `entries` as a gzip-compressed tar to `outFile`. Parent directories must be listed. */
export async function writeTarGz(outFile, entries, { mtime = 0 } = {}) {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set();
  for (const e of sorted) {
    if (seen.has(e.path)) throw new Error(`duplicate archive entry ${e.path}`);
    seen.add(e.path);
  }
  await pipeline(Readable.from(blocks(sorted, mtime)), createGzip({ level: 9 }), createWriteStream(outFile));
}

async function* blocks(entries, mtime) {
  let written = 0;
  for (const e of entries) {
    const size = e.type === 'dir' ? 0 : e.data ? e.data.length : e.size;
    const header = ustarHeader(e.type === 'dir' ? `${e.path}/` : e.path, e.type === 'dir' ? 0o755 : e.mode, size, mtime, e.type === 'dir' ? '5' : '0');
    yield header;
    written += BLOCK;
    if (e.type === 'dir') continue;
    let n = 0;
    if (e.data) {
      yield e.data;
      n = e.data.length;
    } else {
      for await (const chunk of createReadStream(e.source)) {
        n += chunk.length;
        yield chunk;
      }
    }
    // The file changed between listing and reading: the header would lie about its size.
    if (n !== size) throw new Error(`${e.path}: size changed while packaging (${size} -> ${n})`);
    const pad = (BLOCK - (n % BLOCK)) % BLOCK;
    if (pad) yield Buffer.alloc(pad);
    written += n + pad;
  }
  const end = 2 * BLOCK;
  written += end;
  yield Buffer.alloc(end + ((RECORD - (written % RECORD)) % RECORD));
}

function ustarHeader(name, mode, size, mtime, typeflag) {
  const h = Buffer.alloc(BLOCK);
  const [prefix, base] = splitName(name);
  h.write(base, 0, 100, 'utf8');
  octal(h, 100, 8, mode);
  octal(h, 108, 8, 0); // uid
  octal(h, 116, 8, 0); // gid
  octal(h, 124, 12, size);
  octal(h, 136, 12, mtime);
  h.write('        ', 148, 8, 'latin1'); // checksum is computed with this field as spaces
  h.write(typeflag, 156, 1, 'latin1');
  h.write('ustar\u000000', 257, 8, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return h;
}

function octal(buf, offset, width, value) {
  const s = value.toString(8).padStart(width - 1, '0');
  if (s.length > width - 1) throw new Error(`value ${value} does not fit a ${width}-byte tar field`);
  buf.write(`${s}\u0000`, offset, width, 'latin1');
}

/** ustar keeps names up to 100 bytes, plus a 155-byte prefix split at a slash. */
function splitName(name) {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100 && base !== '') return [prefix, base];
  }
  throw new Error(`path too long for a tar archive: ${name}`);
}
