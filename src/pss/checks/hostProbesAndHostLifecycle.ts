// Baseline (from 1.34): probes and lifecycle handlers must not name a host, which would let a
// pod make the kubelet reach other machines on its behalf.
import type { HandlerView } from '../model.js';
import type { Check, CheckFn } from '../check.js';
import { visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { joinQuote, pluralize, sortedSet } from '../wording.js';

function hosts(handler: HandlerView | undefined): string[] {
  const found: string[] = [];
  if (handler?.httpGet && handler.httpGet.host !== '') found.push(handler.httpGet.host);
  if (handler?.tcpSocket && handler.tcpSocket.host !== '') found.push(handler.tcpSocket.host);
  return found;
}

const v1_34: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  const forbidden: string[] = [];
  visitContainers(spec, (c) => {
    const used = [c.livenessProbe, c.readinessProbe, c.startupProbe, c.lifecycle?.postStart, c.lifecycle?.preStop].flatMap(hosts);
    if (used.length > 0) {
      bad.push(c.name);
      forbidden.push(...used);
    }
  });
  if (bad.length === 0) return null;
  // Upstream collects both in sets: names and hosts are each distinct and sorted.
  const containers = sortedSet(bad);
  const hostList = sortedSet(forbidden);
  return {
    reason: 'probe or lifecycle host',
    detail: `${pluralize('container', 'containers', containers.length)} ${joinQuote(containers)} ${pluralize('uses', 'use', containers.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hostList.length)} ${joinQuote(hostList)}`,
  };
};

export const hostProbesAndHostLifecycle: Check = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [{ since: v(1, 34), check: v1_34 }],
};
