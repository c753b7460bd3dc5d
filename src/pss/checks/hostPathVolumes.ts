// Baseline: no hostPath volumes. (Restricted replaces it with restrictedVolumes.)
import type { Check, CheckFn } from '../check.js';
import { v } from '../version.js';
import { joinQuote, pluralize } from '../wording.js';

export const HOST_PATH_VOLUMES_ID = 'hostPathVolumes';

const v1_0: CheckFn = ({ spec }) => {
  const bad = spec.volumes.filter((vol) => vol.sources.has('hostPath')).map((vol) => vol.name);
  if (bad.length === 0) return null;
  return { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}` };
};

export const hostPathVolumes: Check = {
  id: HOST_PATH_VOLUMES_ID,
  level: 'baseline',
  versions: [{ since: v(1, 0), check: v1_0 }],
};
