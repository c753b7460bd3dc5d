// PSS levels of PodSecurityPolicies from documents another reader already parsed (the
// rewrite parses every PSP it removes): clean's report needs no second YAML parse of them.
import { assessPsp, type Reason } from './assess.js';
import type { PssLevel, Reading } from './levels.js';
import { auditedObjects, isPsp, type ManifestObject } from './parse.js';

export interface PspLevel {
  name: string;
  /** The level under the requested reading. */
  level: PssLevel;
  reasons: Reason[];
}

/** The level of each PodSecurityPolicy among audited objects, in their order. */
export function pspLevelsOf(objects: ManifestObject[], reading: Reading): PspLevel[] {
  return objects.filter(isPsp).map((o) => {
    const a = assessPsp(o.object, reading);
    return { name: o.name, level: a.level, reasons: a.reasons };
  });
}

/** Each PodSecurityPolicy in one parsed document (a List yields its items), as pspLevelsInManifest reports it. */
export function pspLevelsInValue(value: unknown, reading: Reading): PspLevel[] {
  return pspLevelsOf(auditedObjects(value, 'default'), reading);
}
