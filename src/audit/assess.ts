// The least-permissive Pod Security Standards level that admits every pod a PodSecurityPolicy
// admits (psp-to-pss.md §2-§3). Pure: a parsed PSP document in, a level and the rules that
// raised it out.
//
// Preparation per §3: purely mutating fields (defaultAllowPrivilegeEscalation,
// runtimeClass.defaultRuntimeClassName, the two defaultProfileName annotations) and the
// no-opinion fields are never read; defaultAddCapabilities counts like allowedCapabilities
// (a default-added capability is one the pod ends up with). Start at `restricted` and raise.
import { maxLevel, type PssLevel, type Reading } from './levels.js';

export interface Reason {
  /** PSP field path (`spec.` omitted) or annotation key. */
  field: string;
  /** The level this rule demands. */
  level: PssLevel;
  detail: string;
}

export interface Assessment {
  level: PssLevel;
  reasons: Reason[];
  warnings: string[];
}

export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
export const RESTRICTED_CAPABILITIES: ReadonlySet<string> = new Set(['NET_BIND_SERVICE']);

export const RESTRICTED_VOLUMES: ReadonlySet<string> = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);

export const SELINUX_TYPES: ReadonlySet<string> = new Set(['container_t', 'container_init_t', 'container_kvm_t']);

export const SECCOMP_ALLOWED = 'seccomp.security.alpha.kubernetes.io/allowedProfileNames';
export const APPARMOR_ALLOWED = 'apparmor.security.beta.kubernetes.io/allowedProfileNames';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/** A list field as strings; anything that is not a list counts as unset (the API server would have rejected it). */
function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x) ?? String(x))) : [];
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function quoteAll(xs: string[]): string {
  return xs.map((x) => JSON.stringify(x)).join(', ');
}

class Collector {
  level: PssLevel = 'restricted';
  readonly reasons: Reason[] = [];
  readonly warnings: string[] = [];
  raise(field: string, level: PssLevel, detail: string): void {
    this.level = maxLevel(this.level, level);
    this.reasons.push({ field, level, detail });
  }
}

function assessCapabilities(c: Collector, spec: Obj): void {
  // allowedCapabilities ∪ defaultAddCapabilities; a rule is attributed to the field that names
  // the capability. "Non-empty and not exactly {NET_BIND_SERVICE}" is the same as "contains
  // something other than NET_BIND_SERVICE", so judging each field alone gives the merged result.
  for (const field of ['allowedCapabilities', 'defaultAddCapabilities'] as const) {
    const caps = strings(spec[field]);
    const beyondBaseline = caps.filter((x) => !BASELINE_CAPABILITIES.has(x));
    if (beyondBaseline.length > 0) {
      c.raise(field, 'privileged', `adds ${quoteAll(beyondBaseline)}, outside the baseline capability set`);
      continue;
    }
    const beyondRestricted = caps.filter((x) => !RESTRICTED_CAPABILITIES.has(x));
    if (beyondRestricted.length > 0) {
      c.raise(field, 'baseline', `adds ${quoteAll(beyondRestricted)}; restricted allows adding only NET_BIND_SERVICE`);
    }
  }
  const drop = strings(spec.requiredDropCapabilities);
  if (!drop.includes('ALL')) {
    c.raise(
      'requiredDropCapabilities',
      'baseline',
      drop.length === 0 ? 'unset: restricted requires dropping ALL' : `drops ${quoteAll(drop)} but not ALL, which restricted requires`,
    );
  }
}

function assessHost(c: Collector, spec: Obj): void {
  if (spec.privileged === true) c.raise('privileged', 'privileged', 'privileged containers allowed');
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[f] === true) c.raise(f, 'privileged', `${f}: true shares the node's namespace`);
  }
  const ports = list(spec.hostPorts);
  if (ports.length > 0) {
    const ranges = ports.map((p) => `${String(obj(p).min)}-${String(obj(p).max)}`).join(', ');
    c.raise('hostPorts', 'privileged', `host ports allowed (${ranges})`);
  }
  const sysctls = strings(spec.allowedUnsafeSysctls);
  if (sysctls.length > 0) c.raise('allowedUnsafeSysctls', 'privileged', `unsafe sysctls allowed: ${quoteAll(sysctls)}`);
  const proc = strings(spec.allowedProcMountTypes).filter((t) => t !== 'Default');
  if (proc.length > 0) c.raise('allowedProcMountTypes', 'privileged', `proc mount types other than Default allowed: ${quoteAll(proc)}`);
}

function assessVolumes(c: Collector, spec: Obj): void {
  // `none` is PSP's "no volumes at all" entry: it allows nothing, so it raises nothing.
  const vols = strings(spec.volumes).filter((v) => v !== 'none');
  const wide = vols.filter((v) => v === '*' || v === 'hostPath');
  if (wide.length > 0) {
    c.raise('volumes', 'privileged', `allows ${quoteAll(wide)}`);
    return;
  }
  const beyond = vols.filter((v) => !RESTRICTED_VOLUMES.has(v));
  if (beyond.length > 0) c.raise('volumes', 'baseline', `allows ${quoteAll(beyond)}, outside the restricted volume types`);
}

function assessSeLinux(c: Collector, spec: Obj, reading: Reading): void {
  const se = obj(spec.seLinux);
  const rule = typeof se.rule === 'string' ? se.rule : undefined;
  if (rule === 'MustRunAs') {
    // A fixed context is applied to every pod, so a custom user/role/type makes every pod
    // non-compliant: no reading can relax that.
    const o = obj(se.seLinuxOptions);
    const bad: string[] = [];
    if (o.user !== undefined && o.user !== '') bad.push(`user ${JSON.stringify(o.user)}`);
    if (o.role !== undefined && o.role !== '') bad.push(`role ${JSON.stringify(o.role)}`);
    if (o.type !== undefined && o.type !== '' && !SELINUX_TYPES.has(String(o.type))) bad.push(`type ${JSON.stringify(o.type)}`);
    if (bad.length > 0) c.raise('seLinux', 'privileged', `MustRunAs with custom SELinux ${bad.join(', ')}`);
    return;
  }
  // RunAsAny (or no rule): pods may set any SELinux options, which baseline forbids literally.
  const what = rule === undefined ? 'seLinux rule unset' : `seLinux rule ${JSON.stringify(rule)}`;
  if (reading === 'strict') {
    c.raise('seLinux', 'privileged', `${what} lets pods set any SELinux user/role/type`);
  } else {
    c.warnings.push(`${what}: rated as if pods keep the runtime's default SELinux context (practical reading); pods that set a custom SELinux user, role or type will be rejected`);
  }
}

function assessUserAndEscalation(c: Collector, spec: Obj): void {
  const rule = obj(spec.runAsUser).rule;
  if (rule !== 'MustRunAsNonRoot') {
    c.raise('runAsUser', 'baseline', `rule ${rule === undefined ? 'unset' : JSON.stringify(rule)}: restricted requires MustRunAsNonRoot`);
  }
  if (spec.allowPrivilegeEscalation !== false) {
    c.raise(
      'allowPrivilegeEscalation',
      'baseline',
      spec.allowPrivilegeEscalation === undefined ? 'unset (means true): restricted requires false' : 'true: restricted requires false',
    );
  }
}

/** Splits a PSP allowedProfileNames annotation; the trailing-comma empty entry stays as "". */
function profileEntries(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}

function harmlessProfile(p: string): boolean {
  // docker/default is the deprecated alias of runtime/default.
  return p === 'runtime/default' || p === 'docker/default' || (p.startsWith('localhost/') && p.length > 'localhost/'.length);
}

function assessProfiles(c: Collector, annotations: Obj, reading: Reading): void {
  const seccomp = annotations[SECCOMP_ALLOWED];
  if (typeof seccomp !== 'string') {
    // kubernetes strategy.go: no allowed list = a pod may not set a profile but may leave it unset.
    c.raise(SECCOMP_ALLOWED, 'baseline', 'annotation absent: pods may run without a seccomp profile; restricted requires RuntimeDefault or Localhost');
  } else {
    judgeProfileList(c, SECCOMP_ALLOWED, 'seccomp', profileEntries(seccomp));
  }
  const apparmor = annotations[APPARMOR_ALLOWED];
  if (typeof apparmor !== 'string') {
    // kubernetes apparmor strategy: no allowed list = every profile, `unconfined` included.
    if (reading === 'strict') {
      c.raise(APPARMOR_ALLOWED, 'privileged', 'annotation absent: every AppArmor profile is allowed, unconfined included');
    } else {
      c.warnings.push(`${APPARMOR_ALLOWED} absent: rated as if pods keep the runtime's default AppArmor profile (practical reading); pods that ask for unconfined or a custom profile will be rejected`);
    }
  } else {
    judgeProfileList(c, APPARMOR_ALLOWED, 'AppArmor', profileEntries(apparmor));
  }
}

function judgeProfileList(c: Collector, field: string, what: string, entries: string[]): void {
  const bad = entries.filter((p) => p !== '' && !harmlessProfile(p));
  if (bad.length > 0) {
    c.raise(field, 'privileged', `allows ${what} profile ${quoteAll(bad)}`);
  } else if (entries.includes('')) {
    c.raise(field, 'baseline', `empty entry (trailing comma) lets pods run without a ${what} profile; restricted requires one`);
  }
}

/** Rates one parsed PodSecurityPolicy document under the given reading. */
export function assessPsp(psp: object, reading: Reading): Assessment {
  const doc = obj(psp);
  const spec = obj(doc.spec);
  const annotations = obj(obj(doc.metadata).annotations);
  const c = new Collector();
  assessHost(c, spec);
  assessCapabilities(c, spec);
  assessVolumes(c, spec);
  assessSeLinux(c, spec, reading);
  assessUserAndEscalation(c, spec);
  assessProfiles(c, annotations, reading);
  return { level: c.level, reasons: c.reasons, warnings: c.warnings };
}
