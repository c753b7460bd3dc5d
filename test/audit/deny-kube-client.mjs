// Test helper: makes any import of @kubernetes/client-node fail, to prove a code path never loads it.
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === '@kubernetes/client-node' || specifier.startsWith('@kubernetes/client-node/')) {
    throw new Error('DENIED: @kubernetes/client-node was loaded');
  }
  return next(specifier, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hook));
