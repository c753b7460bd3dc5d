// How to reach Helm's release storage. Built by src/cli from HELM_* variables
// (helm-plugins.md §4); nothing below the CLI reads the environment itself.
import type { RequestLimiter } from './kube/rate-limit.js';

export interface StorageConfig {
  driver: 'secret' | 'configmap' | 'sql';
  /** KUBECONFIG value; may be a ':'-separated list (first file wins per entry, like client-go). */
  kubeconfig?: string;
  /** HELM_KUBECONTEXT: context to use instead of current-context. */
  kubeContext?: string;
  /** HELM_KUBEAPISERVER: overrides the cluster's server address. */
  kubeApiServer?: string;
  /** HELM_KUBETOKEN: bearer token replacing the kubeconfig user's credentials. */
  kubeToken?: string;
  /** HELM_KUBECAFILE: CA bundle replacing the cluster's certificate-authority. */
  kubeCaFile?: string;
  kubeInsecureSkipTlsVerify?: boolean;
  kubeTlsServerName?: string;
  /** HELM_KUBEASUSER / HELM_KUBEASGROUPS: impersonation headers. */
  kubeAsUser?: string;
  kubeAsGroups?: string[];
  /** HELM_DRIVER_SQL_CONNECTION_STRING (PostgreSQL, lib/pq syntax or URL). */
  sqlConnectionString?: string;
  /** Per-request timeout (default 30 s). */
  requestTimeoutMs?: number;
  /** Retries for retryable failures (429, 5xx, connection resets); default 4. */
  retries?: number;
  /** List page size (`limit`); default 500. */
  pageSize?: number;
  /** Maximum requests in flight (default 8). */
  concurrency?: number;
  /**
   * Client-side throttling (HELM_QPS > 0): every Kubernetes API request, retries included,
   * takes a token first. One limiter for a whole command, shared by every client built from
   * this config. Unused by the SQL driver (Helm's --qps is for its Kubernetes client).
   */
  limiter?: RequestLimiter;
  /** Debug log; receives request lines and errors, never tokens or release data. */
  log?: (line: string) => void;
}

export const STORAGE_DEFAULTS = {
  requestTimeoutMs: 30_000,
  retries: 4,
  pageSize: 500,
  concurrency: 8,
} as const;
