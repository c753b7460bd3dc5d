// Provenance files for plugin tarballs, in the format Helm 4 verifies on `helm plugin install`
// and `helm plugin verify` (helm/helm v4.1.4 pkg/provenance/sign.go, internal/plugin/sign.go):
// an OpenPGP clear-signed message (SHA512) whose text is the plugin's metadata as YAML, a line
// `...`, and `files: {<tarball file name>: sha256:<hex>}`. Helm checks the signature against
// its keyring and the sha256 against the tarball's bytes; it does not read the metadata part.
//
// `helm plugin package --sign` writes the same file but only for a tarball it builds itself
// from a folder; ours are built by scripts/tar.mjs (byte-reproducible), so we sign those with
// GnuPG. Helm names the file <tarball>.prov and looks for it next to the tarball / URL.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** plugin.yaml as stored in a .tgz (the first entry named plugin.yaml, as Helm reads it). */
export function pluginYamlFromTarball(tgz) {
  const tar = gunzipSync(tgz);
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, len) => header.subarray(start, start + len).toString('utf8').replace(/\0.*$/s, '');
    const name = [field(345, 155), field(0, 100)].filter(Boolean).join('/');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (name.split('/').pop() === 'plugin.yaml' && (field(156, 1) === '0' || field(156, 1) === '')) {
      return tar.subarray(off + 512, off + 512 + size).toString('utf8');
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('plugin.yaml not found in the tarball');
}

/** The text Helm's provenance signs: metadata YAML, `...`, the tarball's sha256. */
export function provenanceMessage(tgz, fileName) {
  if (!/^[A-Za-z0-9._-]+$/.test(fileName)) throw new Error(`${fileName}: unexpected characters for a release file name`);
  const metadata = pluginYamlFromTarball(tgz);
  // Helm splits the message at "\n...\n": the metadata must not contain that line.
  if (/(^|\n)\.\.\.(\n|$)/.test(metadata)) throw new Error(`${fileName}: plugin.yaml contains a "..." line, which would end the provenance metadata early`);
  const sha = createHash('sha256').update(tgz).digest('hex');
  return `${metadata.endsWith('\n') ? metadata : `${metadata}\n`}\n...\nfiles:\n  ${fileName}: sha256:${sha}\n`;
}

function gpg(args, { home, input } = {}) {
  const r = spawnSync('gpg', [...(home ? ['--homedir', home] : []), ...args], { input, maxBuffer: 64 << 20 });
  if (r.error?.code === 'ENOENT') throw new Error('gpg not found: install GnuPG (Debian: apt-get install gnupg)');
  if (r.status !== 0) throw new Error(`gpg ${args.filter((a) => !a.startsWith('--')).join(' ')} failed: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

/**
 * A signer for one secret key. `key` names it like Helm's --key (a user ID or part of one,
 * or a fingerprint) and must match exactly one secret key. With `keyring` (a file of exported
 * secret keys, like Helm's --keyring secring.gpg) it is imported into a throwaway GnuPG home;
 * without it the user's own GnuPG keys (and agent) are used.
 */
export function openSigner({ key, keyring, passphraseFile }) {
  if (!key) throw new Error('signing needs --key NAME (a user ID, part of one, or a fingerprint of your secret key)');
  let home;
  if (keyring) {
    home = mkdtempSync(join(tmpdir(), 'psa-sign-'));
    gpg(['--batch', '--import', keyring], { home });
  }
  const close = () => {
    if (!home) return;
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    // gpg exits non-zero when nothing matches: that is "0 keys", reported below.
    const listing = spawnSync('gpg', [...(home ? ['--homedir', home] : []), '--batch', '--with-colons', '--list-secret-keys', key], { encoding: 'utf8' });
    if (listing.error?.code === 'ENOENT') throw new Error('gpg not found: install GnuPG (Debian: apt-get install gnupg)');
    const fingerprints = [];
    let inSec = false;
    for (const line of (listing.stdout ?? '').split('\n')) {
      const f = line.split(':');
      if (f[0] === 'sec') inSec = true;
      else if (f[0] === 'ssb') inSec = false;
      else if (f[0] === 'fpr' && inSec) {
        fingerprints.push(f[9]);
        inSec = false;
      }
    }
    if (fingerprints.length !== 1) {
      throw new Error(
        `--key ${JSON.stringify(key)} matches ${fingerprints.length} secret keys${fingerprints.length ? ` (${fingerprints.join(', ')})` : ''}` +
          `${keyring ? ` in ${keyring}` : ' in your GnuPG keys'}; name exactly one`,
      );
    }
    const fingerprint = fingerprints[0];
    const pass = passphraseFile ? ['--pinentry-mode', 'loopback', '--passphrase-file', passphraseFile] : [];
    return {
      fingerprint,
      /** Writes <tgz>.prov; returns its path. */
      sign(tgzPath) {
        const message = provenanceMessage(readFileSync(tgzPath), basename(tgzPath));
        const signed = gpg([...(home ? ['--batch'] : []), ...pass, '--yes', '--local-user', fingerprint, '--digest-algo', 'SHA512', '--clearsign', '--output', '-'], {
          home,
          input: message,
        });
        const prov = `${tgzPath}.prov`;
        writeFileSync(prov, signed);
        return prov;
      },
      /** The public key, binary (Helm reads keyrings with binary OpenPGP packets only). */
      publicKey: () => gpg(['--batch', '--export', fingerprint], { home }),
      close,
    };
  } catch (e) {
    close();
    throw e;
  }
}
