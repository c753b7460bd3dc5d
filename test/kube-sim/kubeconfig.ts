// The kubeconfig a test hands to Helm/kubectl: one cluster, one user, one context named
// "kube-sim". Credentials follow the sim's auth mode (none, client certificate, token).
import { stringify } from 'yaml';

export interface KubeconfigInput {
  url: string;
  caPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  namespace?: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function renderKubeconfig(i: KubeconfigInput): string {
  const user: Record<string, string> = {};
  if (i.clientCertPem && i.clientKeyPem) {
    user['client-certificate-data'] = b64(i.clientCertPem);
    user['client-key-data'] = b64(i.clientKeyPem);
  }
  if (i.token) user.token = i.token;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kube-sim', cluster: { server: i.url, ...(i.caPem ? { 'certificate-authority-data': b64(i.caPem) } : {}) } }],
    users: [{ name: 'kube-sim', user }],
    contexts: [{ name: 'kube-sim', context: { cluster: 'kube-sim', user: 'kube-sim', ...(i.namespace ? { namespace: i.namespace } : {}) } }],
    'current-context': 'kube-sim',
    preferences: {},
  });
}
