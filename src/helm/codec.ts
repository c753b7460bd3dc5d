// Helm's release payload codec (helm/helm pkg/storage/driver/util.go, unchanged in Helm 4):
//   JSON.marshal(release) -> gzip (best compression) -> standard base64.
// Decoding accepts what Helm accepts: base64 -> gunzip when the 3-byte gzip magic is
// present, plain JSON otherwise (pre-compression records).
// The release stays the generic JSON object it was parsed into, so fields this code does
// not know (Helm 4's apply_method, modtime, ...) and key order survive a round trip, and
// integers beyond 2^53 keep their exact digits (json-numbers.ts).
import { gunzipSync, gzipSync, constants } from 'node:zlib';
import type { ReleaseJson } from './release.js';
import { parseJsonLossless, restoreRawNumbers } from './json-numbers.js';

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];
/**
 * Bound on the decompressed JSON: a stored record is at most 1 MiB, real releases compress
 * 5-10x, so 64 MiB is far above any genuine body while a gzip bomb (1 MiB -> 1 GiB) is
 * refused before it exhausts memory.
 */
export const MAX_RELEASE_JSON_BYTES = 64 * 1024 * 1024;

export class CodecError extends Error {
  constructor(readonly stage: 'base64' | 'gzip' | 'json' | 'shape', message: string) {
    super(message);
    this.name = 'CodecError';
  }
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The bytes of standard padded base64 text (length a multiple of 4, alphabet A-Z a-z 0-9 + /,
 * at most two trailing '='), or undefined when the text is not that. Node's decoder alone is
 * lenient (it skips stray characters and takes the URL-safe alphabet), so the text is checked:
 * text as Go and Node write it re-encodes to itself, one native pass instead of a regex over
 * the whole body (dry run of 2000 releases: the regex over both layers of every record took
 * ~0.7 s of 13 s CPU; 77 -> 7 us per record). Anything else gets the regex, as before.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') === text) return bytes;
  return text.length % 4 === 0 && BASE64_RE.test(text) ? bytes : undefined;
}

/** Decodes Helm's base64(gzip(json)) text (or base64(json)) into the generic release object. */
export function decodeRelease(helmBase64: string): ReleaseJson {
  // Go's base64 decoder ignores line breaks; so does Helm, so do we.
  const trimmed = helmBase64.trim();
  const text = trimmed.includes('\n') || trimmed.includes('\r') ? trimmed.replace(/[\r\n]/g, '') : trimmed;
  const bytes = decodeBase64Strict(text);
  if (bytes === undefined) {
    throw new CodecError('base64', 'release data is not valid base64');
  }
  let jsonBytes: Buffer = bytes;
  if (bytes.length > 3 && GZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    try {
      jsonBytes = gunzipSync(bytes, { maxOutputLength: MAX_RELEASE_JSON_BYTES });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new CodecError('gzip', `release data decompresses to more than ${MAX_RELEASE_JSON_BYTES / 1024 / 1024} MiB; refusing to read it (gzip bomb?)`);
      }
      throw new CodecError('gzip', `release data is not valid gzip: ${(e as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = parseJsonLossless(jsonBytes.toString('utf8'));
  } catch (e) {
    // V8's message quotes the input around the error ("...assword": s3cr..."): release data
    // holds secrets, so keep only the position.
    const pos = /position (\d+)/.exec((e as Error).message);
    throw new CodecError('json', `release data is not valid JSON${pos ? ` (error at byte ${pos[1]})` : ''}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CodecError('shape', 'release data is not a JSON object');
  }
  return parsed as ReleaseJson;
}

// Go's encoding/json escapes <, >, & and U+2028/U+2029 inside strings (HTML-safe output);
// JSON.stringify does not. These characters can only occur inside JSON strings, so escaping
// them in the whole text makes our bytes equal to Helm's for the same values.
const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029',
};

/** JSON text as Go's json.Marshal writes it for the same (already ordered) values. */
export function goJsonStringify(value: unknown): string {
  return restoreRawNumbers(JSON.stringify(value)).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]);
}

/** Encodes a release exactly the way Helm does: compact JSON, gzip level 9, padded base64. */
export function encodeRelease(release: ReleaseJson): string {
  const json = Buffer.from(goJsonStringify(release), 'utf8');
  return gzipSync(json, { level: constants.Z_BEST_COMPRESSION }).toString('base64');
}
