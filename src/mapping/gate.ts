// Version gating. At target T:
//  - a mapping is NECESSARY when T >= removedIn (the API is no longer served);
//  - it APPLIES when necessary and its replacement is served at T (T >= replacementAvailableIn;
//    a removal has no replacement);
//  - with pre-cleaning (the target came from an explicit --kube-version) it also applies when
//    T >= deprecatedIn and the replacement is served; it is then marked early.
// Chains: after the first step, the walk continues to the next mapping when that one would
// apply at T, or when the current successor is already deprecated at T and its own successor
// is served there (flowcontrol v1beta1 -> v1beta3 at 1.26, -> v1 at 1.29). A removal further
// down a chain only fires when necessary (or pre-cleaning). The result is never itself
// applicable at T, so rewriting twice equals rewriting once.
import { atLeast, formatKubeVersion as fmt } from './version.js';
import type { ApiRef, Applicability, KubeVersion, Mapping, MappingStep } from './types.js';

type Verdict = { fires: false; why: string } | { fires: true; early: boolean; necessary: boolean; why: string };

function judge(s: MappingStep, target: KubeVersion, preClean: boolean, hop: boolean): Verdict {
  const name = `${s.deprecated.apiVersion} ${s.deprecated.kind}`;
  const necessary = s.removedIn ? atLeast(target, s.removedIn) : false;
  const deprecated = s.deprecatedIn ? atLeast(target, s.deprecatedIn) : false;
  const available = !s.next || !s.replacementAvailableIn || atLeast(target, s.replacementAvailableIn);
  const succ = s.next ? `${s.next.apiVersion}` : 'removal';
  if (!available) {
    return { fires: false, why: `${s.next!.apiVersion} ${s.next!.kind} is not served before ${fmt(s.replacementAvailableIn!)}` };
  }
  if (necessary) return { fires: true, early: false, necessary, why: `${name} is removed in ${fmt(s.removedIn!)}` };
  if (preClean && deprecated) {
    return { fires: true, early: true, necessary, why: `pre-cleaning: ${name} is deprecated since ${fmt(s.deprecatedIn!)} and removed in ${s.removedIn ? fmt(s.removedIn) : '(unknown)'}` };
  }
  if (hop && deprecated && s.next) return { fires: true, early: false, necessary, why: `${name} is deprecated since ${fmt(s.deprecatedIn!)}; ${succ} is served` };
  const until = s.removedIn ? `served until ${fmt(s.removedIn)}` : 'no removal version known';
  const pre = !preClean && deprecated ? ' (pre-cleaning needs an explicit --kube-version)' : '';
  return { fires: false, why: `${name} is ${until}${pre}` };
}

export function applicability(m: Mapping, target: KubeVersion, opts: { preClean: boolean }): Applicability {
  if (m.disabled) return { applies: false, early: false, reason: 'disabled by a mapfile', necessary: false, via: [m.id], notes: [] };
  const first: MappingStep = { ...m, next: m.next === undefined ? m.replacement : m.next };
  const v = judge(first, target, opts.preClean, false);
  if (!v.fires) return { applies: false, early: false, reason: v.why, necessary: false, via: [m.id], notes: [] };
  let early = v.early;
  const via = [m.id];
  const notes = [...m.notes];
  const reasons = [v.why];
  let replacement: ApiRef | null = first.next;
  const chain: MappingStep[] = m.next === undefined ? [] : (m.chain ?? []);
  for (const step of chain) {
    if (!replacement || replacement.apiVersion !== step.deprecated.apiVersion || replacement.kind !== step.deprecated.kind) break;
    const h = judge(step, target, opts.preClean, true);
    if (!h.fires) break;
    early ||= h.early;
    via.push(step.id);
    for (const n of step.notes) if (!notes.includes(n)) notes.push(n);
    reasons.push(h.why);
    replacement = step.next;
  }
  const to = replacement ? `${replacement.apiVersion}` : 'remove';
  return { applies: true, early, reason: `${reasons.join('; ')} -> ${to}`, necessary: v.necessary, replacement, via, notes };
}
