// PSS levels of PodSecurityPolicies from documents another reader already parsed (the
// rewrite parses every PSP it removes): clean's report needs no second YAML parse of them.
import { assessPsp, type Reason } from './assess.js';
import type { PssLevel, Reading } from './levels.js';
import { auditedObjects, isPsp } from './parse.js';

/** Each PodSecurityPolicy in one parsed document (a List yields its items), as pspLevelsInManifest reports it. */
export function pspLevelsInValue(value: unknown, reading: Reading): Array<{ name: string; level: PssLevel; reasons: Reason[] }> {
  return auditedObjects(value, 'default')
    .filter(isPsp)
    .map((o) => {
      const a = assessPsp(o.object, reading);
      return { name: o.name, level: a.level, reasons: a.reasons };
    });
}
