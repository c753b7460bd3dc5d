/** Project root (the folder holding package.json). */
export const ROOT: string;
export const PLUGIN_NAME: 'psa-clean';
/** plugin.yaml's version after checking it equals package.json's and is strict semver; throws otherwise. */
export function checkedVersion(root?: string): string;
/** Helm's os/arch names for a Node platform/arch (linux|darwin, amd64|arm64); throws for others. */
export function helmPlatform(platform?: string, arch?: string): { os: string; arch: string };
/** plugin.yaml of the standalone plugin (command runs bin/psa-clean, no hooks). */
export function standalonePluginYaml(root?: string): Buffer;
