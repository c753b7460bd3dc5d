// Request body decoding by Content-Type: JSON, YAML (apply patches), and the Kubernetes
// protobuf envelope the typed clientset uses for Secrets, ConfigMaps and DeleteOptions.
import { parse as parseYaml } from 'yaml';
import { decodeProtobufBody, ProtobufError } from './protobuf.js';
import { badRequest, unsupportedMediaType } from './status.js';

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function decodeBody(body: Buffer, contentType: string | undefined): any {
  const mt = mediaType(contentType);
  if (body.length === 0) return undefined;
  if (mt === 'application/vnd.kubernetes.protobuf') {
    try {
      return decodeProtobufBody(body);
    } catch (e) {
      if (e instanceof ProtobufError) throw unsupportedMediaType(`${mt} (${e.message})`);
      throw e;
    }
  }
  const text = body.toString('utf8');
  if (mt === '' || mt.endsWith('json') || mt === '*/*') {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw badRequest(`the request body could not be decoded as JSON: ${(e as Error).message}`);
    }
  }
  if (mt.endsWith('yaml')) {
    try {
      return parseYaml(text);
    } catch (e) {
      throw badRequest(`the request body could not be decoded as YAML: ${(e as Error).message}`);
    }
  }
  throw unsupportedMediaType(mt);
}
