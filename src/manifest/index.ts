// Public surface of the manifest rewriter.
export type { Finding, RewriteResult } from './types.js';
export { ManifestParseError } from './types.js';
export { rewriteManifest, type RewriteContext } from './rewrite.js';
export { splitRegions, type DocRegion } from './split.js';
export { splitDocuments, type ManifestDocument } from './documents.js';
