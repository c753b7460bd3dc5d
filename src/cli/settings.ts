// Helm's global flags reach a plugin only as HELM_* environment variables (Helm strips
// --namespace, --kube-context, --kubeconfig, --debug, ... from argv; helm-plugins.md §4-5).
// They are read once, here, into a typed object; nothing below src/cli reads process.env.

export interface HelmSettings {
  namespace: string;
  kubeContext?: string;
  kubeconfig?: string; // may be a ':'-separated list
  kubeApiServer?: string;
  kubeToken?: string;
  kubeCaFile?: string;
  kubeAsUser?: string;
  kubeAsGroups: string[];
  kubeTlsServerName?: string;
  kubeInsecureSkipTlsVerify: boolean;
  debug: boolean;
  driver: 'secret' | 'configmap' | 'sql';
  sqlConnectionString?: string;
  maxHistory: number;
  dataHome: string;
  pluginDir?: string;
  helmBin?: string;
  /** Colour allowed by the environment (NO_COLOR unset); TTY checks happen at the output edge. */
  noColor: boolean;
  /** HELM_QPS (Helm's --qps): requests per second to the Kubernetes API; 0 or less = no client-side throttling. */
  qps: number;
  /** HELM_BURST_LIMIT (Helm's --burst-limit): the token bucket's size when qps > 0. */
  burstLimit: number;
}

export class SettingsError extends Error {}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function parseDriver(v: string | undefined): HelmSettings['driver'] {
  switch ((v ?? '').toLowerCase()) {
    case '':
    case 'secret':
    case 'secrets':
      return 'secret';
    case 'configmap':
    case 'configmaps':
      return 'configmap';
    case 'sql':
      return 'sql';
    case 'memory':
      throw new SettingsError('HELM_DRIVER=memory keeps releases inside one Helm process; there is nothing stored to repair');
    default:
      throw new SettingsError(`unknown driver "${v}" in HELM_DRIVER (use secret, configmap or sql)`);
  }
}

// Helm writes HELM_QPS as "%.2f" and HELM_BURST_LIMIT as an integer; a value set by hand
// that Helm would silently replace by its default is an error here, naming the variable.
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function parseQps(v: string | undefined): number {
  const text = (v ?? '').trim();
  if (text === '') return 0;
  const n = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(n)) {
    throw new SettingsError(`HELM_QPS="${v}" is not a number: it is Helm's --qps, the requests per second allowed to the Kubernetes API (0 = no client-side throttling)`);
  }
  return n;
}

function parseBurstLimit(v: string | undefined): number {
  const text = (v ?? '').trim();
  if (text === '') return 100;
  if (!/^\+?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new SettingsError(`HELM_BURST_LIMIT="${v}" is not a whole number of 0 or more: it is Helm's --burst-limit, the requests allowed at once before HELM_QPS paces them`);
  }
  return Number(text);
}

function defaultDataHome(env: NodeJS.ProcessEnv): string {
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  const home = env.HOME ?? '.';
  if (process.platform === 'darwin') return xdg ? `${xdg}/helm` : `${home}/Library/helm`;
  return `${xdg ?? `${home}/.local/share`}/helm`;
}

export function readHelmSettings(env: NodeJS.ProcessEnv): HelmSettings {
  // Helm 3 parses --kube-as-group twice, so the list arrives duplicated (g1,g2,g1,g2).
  const groups = [...new Set((env.HELM_KUBEASGROUPS ?? '').split(',').map((g) => g.trim()).filter(Boolean))];
  const maxHistory = Number.parseInt(env.HELM_MAX_HISTORY ?? '10', 10);
  return {
    namespace: nonEmpty(env.HELM_NAMESPACE) ?? 'default',
    kubeContext: nonEmpty(env.HELM_KUBECONTEXT),
    kubeconfig: nonEmpty(env.KUBECONFIG),
    kubeApiServer: nonEmpty(env.HELM_KUBEAPISERVER),
    kubeToken: nonEmpty(env.HELM_KUBETOKEN),
    kubeCaFile: nonEmpty(env.HELM_KUBECAFILE),
    kubeAsUser: nonEmpty(env.HELM_KUBEASUSER),
    kubeAsGroups: groups,
    kubeTlsServerName: nonEmpty(env.HELM_KUBETLS_SERVER_NAME),
    kubeInsecureSkipTlsVerify: env.HELM_KUBEINSECURE_SKIP_TLS_VERIFY === 'true',
    debug: env.HELM_DEBUG === 'true' || env.HELM_DEBUG === '1',
    driver: parseDriver(env.HELM_DRIVER),
    sqlConnectionString: nonEmpty(env.HELM_DRIVER_SQL_CONNECTION_STRING),
    maxHistory: Number.isFinite(maxHistory) ? maxHistory : 10,
    dataHome: nonEmpty(env.HELM_DATA_HOME) ?? defaultDataHome(env),
    pluginDir: nonEmpty(env.HELM_PLUGIN_DIR),
    helmBin: nonEmpty(env.HELM_BIN),
    noColor: nonEmpty(env.NO_COLOR) !== undefined,
    qps: parseQps(env.HELM_QPS),
    burstLimit: parseBurstLimit(env.HELM_BURST_LIMIT),
  };
}
