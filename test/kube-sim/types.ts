// Public types of kube-sim, shared by the server parts and by tests that drive it.

/** A Kubernetes object as JSON. kube-sim keeps objects generic: no per-kind schema. */
export type KubeObject = Record<string, any>;

/** One programmable fault. All matching criteria are optional (absent = match everything). */
export interface FaultRule {
  /** HTTP method to match (case-insensitive), e.g. "PUT". */
  method?: string;
  /** Regular expression tested against the request path (without the query string). */
  pathRegex?: string;
  /** How many matching requests the rule fires for (default: unlimited). */
  count?: number;
  /** Skip the first N matching requests before firing. */
  after?: number;
  /** Answer with this status (a Kubernetes Status body) instead of serving the request. */
  status?: number;
  /** Sent as the Retry-After header (and Status details.retryAfterSeconds) with `status`. */
  retryAfterSeconds?: number;
  /** Delay the request by this many milliseconds (then serve it, or apply `status`/`drop`). */
  latencyMs?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /**
   * Kill the server right after the Nth matching successful write was committed (the
   * client sees the connection die, the write is durable). Counts only writes.
   */
  killAfterWrites?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  bytesIn: number;
  bytesOut: number;
  contentType?: string;
  accept?: string;
  userAgent?: string;
  /** Authenticated (or impersonated) user; absent when the request failed before authentication. */
  user?: string;
  /** When the request's headers arrived (Date.now() ms): request rates, e.g. under HELM_QPS. */
  receivedAt: number;
}

export interface Counters {
  requests: number;
  /** Mutating API requests (POST/PUT/PATCH/DELETE), whatever their outcome. */
  writes: number;
  bytesIn: number;
  bytesOut: number;
  byMethod: Record<string, number>;
}

export interface ObjectFilter {
  group?: string;
  resource?: string;
  namespace?: string;
  labelSelector?: string;
}

export interface KubeSimOptions {
  /** gitVersion reported by /version; decides which APIs are served. Default "v1.24.17". */
  kubeVersion?: string;
  /** Directory holding every object on disk; a new sim on the same dir sees the same objects. */
  stateDir?: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Serve HTTPS with a generated CA; the kubeconfig then authenticates with a client certificate. */
  tls?: boolean;
  /** Require this bearer token (401 otherwise, unless a valid client certificate is shown). */
  token?: string;
  /** Deny rules "verb:resource[:ns=N][:name=X][:user=U]" answered with 403 Status. */
  forbid?: string[];
  faults?: FaultRule[];
  /** Delay every API request by this many milliseconds (benchmarks). */
  latencyMs?: number;
  /** Where to write the kubeconfig (default: a file in a fresh temp dir). */
  kubeconfigPath?: string;
  /** Continue tokens expire once this many writes happened after they were issued. */
  continueTtlWrites?: number;
  /**
   * Force the WatchList feature gate on or off. Default follows the version: off before 1.32
   * and in 1.33 (422, client-go falls back to LIST + WATCH), on in 1.32 and from 1.34.
   */
  watchList?: boolean;
  /** Called instead of closing the server when a killAfterWrites rule fires (CLI: process.exit). */
  onKill?: () => void;
}

export interface KubeSim {
  url: string;
  kubeconfigPath: string;
  kubeconfig: string;
  /** PEM of the generated CA when tls is on. */
  caPem?: string;
  stop(): Promise<void>;
  setKubeVersion(v: string): void;
  kubeVersion(): string;
  requests(): RequestLogEntry[];
  clearLog(): void;
  counters(): Counters;
  setFaults(rules: FaultRule[]): void;
  setForbid(rules: string[]): void;
  /** Makes every continue token issued so far answer 410 Gone. */
  expireContinueTokens(): void;
  getObject(apiPath: string): KubeObject | undefined;
  putObject(obj: KubeObject): KubeObject;
  listObjects(filter?: ObjectFilter): KubeObject[];
}
