// The object validation a real apiserver does that Helm and psa-clean can run into:
// DNS names, label syntax, and the 1 MiB limit on Secret/ConfigMap data (a growing Helm
// release record hits it). Everything else is accepted as sent (no schemas).
import type { ResourceDef } from './catalog.js';
import { invalid } from './status.js';
import type { KubeObject } from './types.js';

const MAX_DATA_BYTES = 1024 * 1024;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_DNS = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_DNS_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

type Cause = { field: string; message: string };

function checkName(def: ResourceDef, name: string, causes: Cause[]): void {
  const isNamespace = def.kind === 'Namespace';
  const ok = isNamespace ? LABEL_DNS.test(name) && name.length <= 63 : SUBDOMAIN.test(name) && name.length <= 253;
  if (!ok) causes.push({ field: 'metadata.name', message: `Invalid value: "${name}": ${isNamespace ? LABEL_DNS_MSG : SUBDOMAIN_MSG}` });
}

function checkLabels(labels: Record<string, unknown> | undefined, causes: Cause[]): void {
  for (const [k, v] of Object.entries(labels ?? {})) {
    const slash = k.lastIndexOf('/');
    const [prefix, name] = slash < 0 ? ['', k] : [k.slice(0, slash), k.slice(slash + 1)];
    if (!QUALIFIED_NAME.test(name) || name.length > 63 || (prefix && !(SUBDOMAIN.test(prefix) && prefix.length <= 253))) {
      causes.push({ field: 'metadata.labels', message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character` });
    }
    const value = String(v ?? '');
    if (value.length > 63) causes.push({ field: 'metadata.labels', message: `Invalid value: "${value}": must be no more than 63 characters` });
    else if (!LABEL_VALUE.test(value)) {
      causes.push({ field: 'metadata.labels', message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character` });
    }
  }
}

function dataBytes(obj: KubeObject): number {
  let total = 0;
  const binary = obj.kind === 'Secret';
  for (const [k, v] of Object.entries<string>(obj.data ?? {})) total += k.length + (binary ? Buffer.from(v, 'base64').length : Buffer.byteLength(v));
  for (const [k, v] of Object.entries<string>(obj.binaryData ?? {})) total += k.length + Buffer.from(v, 'base64').length;
  return total;
}

/** Throws a 422 Invalid Status (apiserver wording) when the object would be rejected. */
export function validate(def: ResourceDef, obj: KubeObject): void {
  const causes: Cause[] = [];
  const name = String(obj.metadata?.name ?? '');
  checkName(def, name, causes);
  checkLabels(obj.metadata?.labels, causes);
  if ((def.kind === 'Secret' || def.kind === 'ConfigMap') && dataBytes(obj) > MAX_DATA_BYTES) {
    causes.push({ field: def.kind === 'Secret' ? 'data' : '[]', message: `Too long: must have at most ${MAX_DATA_BYTES} bytes` });
  }
  if (causes.length) throw invalid(def, name, causes);
}
