// Replaced at build time by esbuild (define) with package.json's version; the fallback
// keeps tsx/vitest runs working from source.
declare const __PSA_CLEAN_VERSION__: string | undefined;
export const VERSION: string = typeof __PSA_CLEAN_VERSION__ === 'string' ? __PSA_CLEAN_VERSION__ : '0.0.0-dev';
