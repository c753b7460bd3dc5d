// YAML output for commands, behind a dynamic import('./yaml-text.js'): the YAML library then
// loads only when a command prints YAML. (A dynamic import('yaml') of the CommonJS package
// would expose only `default` inside the esbuild bundle.)
export { stringify } from 'yaml';
