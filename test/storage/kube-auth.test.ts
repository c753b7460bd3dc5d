// Connecting like Helm does: kubeconfig lists, contexts, HELM_KUBE* overrides, TLS, tokens,
// exec credential plugins, impersonation; and the errors for 401, 403 and unreachable.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchServerVersion, openDriver, StorageError } from '../../src/storage/index.js';
import type { StorageConfig } from '../../src/storage/index.js';
import { startKubeSim } from '../kube-sim/index.js';
import type { KubeSim } from '../kube-sim/index.js';
import { thrown } from './driver-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'psa-kube-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function listOnce(cfg: StorageConfig, namespace = 'default'): Promise<number> {
  const d = await openDriver(cfg);
  try {
    let n = 0;
    for await (const h of d.listHeads({ namespace })) {
      if (h instanceof StorageError) throw h;
      n++;
    }
    return n;
  } finally {
    await d.close();
  }
}

describe('token auth, 401 and 403', () => {
  let sim: KubeSim;
  const log: string[] = [];
  beforeAll(async () => {
    sim = await startKubeSim({ kubeVersion: 'v1.25.16', token: 'right-token-123', forbid: ['list:secrets:ns=locked'] });
  });
  afterAll(() => sim?.stop());

  it('uses the kubeconfig token; /version through the same auth', async () => {
    expect(await listOnce({ driver: 'secret', kubeconfig: sim.kubeconfigPath, log: (l) => log.push(l) })).toBe(0);
    expect(await fetchServerVersion({ driver: 'secret', kubeconfig: sim.kubeconfigPath })).toBe('v1.25.16');
  });

  it('a rejected HELM_KUBETOKEN is "unauthorized", naming the server but not the token', async () => {
    const e = await thrown(listOnce({ driver: 'secret', kubeconfig: sim.kubeconfigPath, kubeToken: 'wrong-token-456', log: (l) => log.push(l) }));
    expect(e.code).toBe('unauthorized');
    expect(e.message).toContain('401');
    expect(e.message).toContain(sim.url);
    expect(e.message).not.toContain('wrong-token-456');
    expect(log.join('\n')).not.toMatch(/right-token-123|wrong-token-456/);
  });

  it('403 names verb, resource and namespace', async () => {
    const e = await thrown(listOnce({ driver: 'secret', kubeconfig: sim.kubeconfigPath }, 'locked'));
    expect(e.code).toBe('forbidden');
    expect(e.message).toContain('list secrets in namespace "locked"');
    expect(e.message).toContain('forbidden');
  });
});

describe('unreachable and configuration errors', () => {
  it('an address nobody listens on fails fast with "unreachable" naming it', async () => {
    const sim = await startKubeSim({});
    await sim.stop();
    const e = await thrown(listOnce({ driver: 'configmap', kubeconfig: sim.kubeconfigPath, kubeApiServer: 'http://127.0.0.1:1' }));
    expect(e.code).toBe('unreachable');
    expect(e.message).toContain('http://127.0.0.1:1');
  });

  it('a missing context or an empty kubeconfig is a config error', async () => {
    const sim = await startKubeSim({});
    try {
      const e = await thrown(listOnce({ driver: 'secret', kubeconfig: sim.kubeconfigPath, kubeContext: 'nope' }));
      expect(e.code).toBe('config');
      expect(e.message).toContain('context "nope"');
      const empty = join(dir, 'empty.yaml');
      writeFileSync(empty, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
      expect((await thrown(listOnce({ driver: 'secret', kubeconfig: empty }))).code).toBe('config');
      // ...unless HELM_KUBEAPISERVER names the server
      expect(await listOnce({ driver: 'secret', kubeconfig: empty, kubeApiServer: sim.url })).toBe(0);
    } finally {
      await sim.stop();
    }
  });

  it('KUBECONFIG lists: missing files are skipped, the first definition wins, --kube-context picks', async () => {
    const sim = await startKubeSim({});
    try {
      const other = join(dir, 'other.yaml');
      writeFileSync(other, stringify({
        apiVersion: 'v1', kind: 'Config', 'current-context': 'dead',
        clusters: [{ name: 'dead', cluster: { server: 'http://127.0.0.1:1' } }, { name: 'kube-sim', cluster: { server: 'http://127.0.0.1:2' } }],
        users: [{ name: 'u', user: {} }],
        contexts: [{ name: 'dead', context: { cluster: 'dead', user: 'u' } }],
      }));
      const list = [join(dir, 'missing.yaml'), sim.kubeconfigPath, other].join(':');
      // current-context from the first file that sets one (the sim's), its cluster from the sim's file
      expect(await listOnce({ driver: 'secret', kubeconfig: list })).toBe(0);
      const e = await thrown(listOnce({ driver: 'secret', kubeconfig: list, kubeContext: 'dead' }));
      expect(e.code).toBe('unreachable');
    } finally {
      await sim.stop();
    }
  });
});

describe('TLS', () => {
  let sim: KubeSim;
  let other: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim({ tls: true });
    other = await startKubeSim({ tls: true });
  });
  afterAll(async () => {
    await sim?.stop();
    await other?.stop();
  });

  it('verifies the server with the kubeconfig CA and authenticates with the client certificate', async () => {
    expect(await listOnce({ driver: 'secret', kubeconfig: sim.kubeconfigPath })).toBe(0);
  });

  it('HELM_KUBECAFILE with the wrong CA fails as a TLS problem; insecure-skip-tls-verify gets through', async () => {
    const wrongCa = join(dir, 'wrong-ca.pem');
    writeFileSync(wrongCa, other.caPem!);
    const e = await thrown(listOnce({ driver: 'secret', kubeconfig: sim.kubeconfigPath, kubeCaFile: wrongCa }));
    expect(e.code).toBe('unreachable');
    expect(e.message).toMatch(/TLS/);
    expect(await listOnce({ driver: 'secret', kubeconfig: sim.kubeconfigPath, kubeInsecureSkipTlsVerify: true })).toBe(0);
  });

  it('HELM_KUBETLS_SERVER_NAME is the name checked against the certificate', async () => {
    expect(await listOnce({ driver: 'secret', kubeconfig: sim.kubeconfigPath, kubeTlsServerName: 'localhost' })).toBe(0);
    const e = await thrown(listOnce({ driver: 'secret', kubeconfig: sim.kubeconfigPath, kubeTlsServerName: 'wrong.example' }));
    expect(e.code).toBe('unreachable');
  });
});

describe('exec credential plugins', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim({ token: 'exec-issued-token' });
  });
  afterAll(() => sim?.stop());

  it.each(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1', 'client.authentication.k8s.io/v1alpha1'])(
    '%s: the plugin gets KUBERNETES_EXEC_INFO for its apiVersion and its token is used',
    async (apiVersion) => {
      const script = join(dir, `cred-${apiVersion.split('/')[1]}.sh`);
      // Answers only when client-go's KUBERNETES_EXEC_INFO names the version it speaks.
      writeFileSync(script, `#!/bin/sh
case "$KUBERNETES_EXEC_INFO" in
  *'"apiVersion":"${apiVersion}"'*) ;;
  *) echo "missing KUBERNETES_EXEC_INFO" >&2; exit 1 ;;
esac
printf '%s' '{"apiVersion":"${apiVersion}","kind":"ExecCredential","status":{"token":"exec-issued-token"}}'
`);
      chmodSync(script, 0o755);
      const kc = join(dir, `kc-${apiVersion.split('/')[1]}.yaml`);
      writeFileSync(kc, stringify({
        apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
        clusters: [{ name: 'c', cluster: { server: sim.url } }],
        users: [{ name: 'u', user: { exec: { apiVersion, command: script, args: [], interactiveMode: 'Never' } } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      }));
      expect(await listOnce({ driver: 'configmap', kubeconfig: kc })).toBe(0);
    },
  );
});

describe('credential refresh after 401', () => {
  it('runs the exec plugin again when its cached (unexpired) token is rejected', async () => {
    const sim = await startKubeSim({ token: 'second-token' });
    try {
      const counter = join(dir, 'exec-count');
      const script = join(dir, 'rotating.sh');
      // First run hands out a stale token valid "until 2099"; later runs the right one.
      writeFileSync(script, `#!/bin/sh
if [ -f "${counter}" ]; then t=second-token; else t=first-token; : > "${counter}"; fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}' "$t"
`);
      chmodSync(script, 0o755);
      const kc = join(dir, 'kc-rotating.yaml');
      writeFileSync(kc, stringify({
        apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
        clusters: [{ name: 'c', cluster: { server: sim.url } }],
        users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: script, interactiveMode: 'Never' } } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      }));
      sim.clearLog();
      expect(await listOnce({ driver: 'secret', kubeconfig: kc })).toBe(0);
      expect(sim.requests().map((r) => r.status)).toEqual([401, 200]);
    } finally {
      await sim.stop();
    }
  });
});

describe('impersonation and auth headers on the wire', () => {
  it('sends Impersonate-User / Impersonate-Group and the bearer token', async () => {
    let seen: IncomingHttpHeaders | undefined;
    const server = createServer((req, res) => {
      seen = req.headers;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ major: '1', minor: '29', gitVersion: 'v1.29.1' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const empty = join(dir, 'none.yaml');
      writeFileSync(empty, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
      const v = await fetchServerVersion({
        driver: 'secret', kubeconfig: empty, kubeApiServer: url, kubeToken: 'tok-789', kubeAsUser: 'alice', kubeAsGroups: ['dev', 'ops'],
      });
      expect(v).toBe('v1.29.1');
      expect(seen?.['impersonate-user']).toBe('alice');
      expect(seen?.['impersonate-group']).toBe('dev, ops');
      expect(seen?.authorization).toBe('Bearer tok-789');
    } finally {
      server.close();
    }
  });
});

describe('per-request timeout', () => {
  it('a request that gets no answer in time is retried, and reported as "timeout" when it never answers', async () => {
    const sim = await startKubeSim({});
    const log: string[] = [];
    try {
      sim.setFaults([{ method: 'GET', pathRegex: '/secrets$', latencyMs: 3000, count: 1 }]);
      expect(await listOnce({ driver: 'secret', kubeconfig: sim.kubeconfigPath, requestTimeoutMs: 400, log: (l) => log.push(l) })).toBe(0);
      expect(log.some((l) => l.includes('PSA_TIMEOUT'))).toBe(true);
      sim.setFaults([{ method: 'GET', pathRegex: '/secrets$', latencyMs: 3000 }]);
      const e = await thrown(listOnce({ driver: 'secret', kubeconfig: sim.kubeconfigPath, requestTimeoutMs: 300, retries: 1 }));
      expect(e.code).toBe('timeout');
      expect(e.message).toContain('list secrets in namespace "default"');
      expect(e.message).toContain('no answer within 300 ms');
    } finally {
      sim.setFaults([]);
      await sim.stop();
    }
  });
});
