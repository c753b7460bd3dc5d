// The part of a Pod the checks read, after shape.ts has validated it: every optional object is
// undefined when absent or null (as a nil pointer in Go), every list is a list, every boolean
// that Go keeps as a plain bool defaults to false.

export interface PodView {
  /** metadata.annotations; a Map so that keys such as "__proto__" stay plain data. */
  readonly annotations: ReadonlyMap<string, string>;
  readonly spec: PodSpecView;
}

export interface PodSpecView {
  readonly hostNetwork: boolean;
  readonly hostPID: boolean;
  readonly hostIPC: boolean;
  readonly hostUsers?: boolean;
  readonly os?: { readonly name: string };
  readonly securityContext?: PodSecurityContextView;
  readonly volumes: readonly VolumeView[];
  readonly initContainers: readonly ContainerView[];
  readonly containers: readonly ContainerView[];
  readonly ephemeralContainers: readonly ContainerView[];
}

export interface TypedProfile {
  readonly type: string;
}

export interface SELinuxOptionsView {
  readonly type: string;
  readonly user: string;
  readonly role: string;
}

export interface WindowsOptionsView {
  readonly hostProcess?: boolean;
}

export interface PodSecurityContextView {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly seLinuxOptions?: SELinuxOptionsView;
  readonly seccompProfile?: TypedProfile;
  readonly appArmorProfile?: TypedProfile;
  readonly windowsOptions?: WindowsOptionsView;
  readonly sysctls: readonly { readonly name: string }[];
}

export interface VolumeView {
  readonly name: string;
  /** The volume source fields that are set (not absent, not null), e.g. ["hostPath"]. */
  readonly sources: ReadonlySet<string>;
}

export interface ContainerView {
  readonly name: string;
  readonly securityContext?: SecurityContextView;
  readonly ports: readonly { readonly hostPort: number }[];
  readonly livenessProbe?: HandlerView;
  readonly readinessProbe?: HandlerView;
  readonly startupProbe?: HandlerView;
  readonly lifecycle?: { readonly postStart?: HandlerView; readonly preStop?: HandlerView };
}

/** A probe or lifecycle handler: only the host of its network actions matters here. */
export interface HandlerView {
  readonly httpGet?: { readonly host: string };
  readonly tcpSocket?: { readonly host: string };
}

export interface SecurityContextView {
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly capabilities?: { readonly add: readonly string[]; readonly drop: readonly string[] };
  readonly procMount?: string;
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly seLinuxOptions?: SELinuxOptionsView;
  readonly seccompProfile?: TypedProfile;
  readonly appArmorProfile?: TypedProfile;
  readonly windowsOptions?: WindowsOptionsView;
}
