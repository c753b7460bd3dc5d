// The cut made before reading workload YAML (src/audit/prune.ts): it must leave every key the
// checks read with the value it had, keep the unread keys themselves, and refuse text it
// cannot follow line by line.
import { describe, expect, it } from 'vitest';
import * as jsYaml from 'js-yaml';
import { withoutUnreadFields } from '../../src/audit/prune.js';

const read = (s: string) => jsYaml.load(s, { json: true }) as Record<string, any>;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      annotations:
        container.apparmor.security.beta.kubernetes.io/web: runtime/default
      labels:
        app: web
    spec:
      hostNetwork: true
      containers:
      - name: web
        image: "nginx:1.25"
        env:
        - name: A
          value: "x"
        # a comment inside the list

        - name: B
          value: 'it''s'
        resources:
          limits:
            cpu: 1
        securityContext:
          privileged: true
        livenessProbe:
          httpGet:
            host: example.com
      volumes:
      - name: data
        hostPath:
          path: /var
`;

describe('withoutUnreadFields', () => {
  it('keeps what the checks read and every key, with unread values emptied', () => {
    const cut = withoutUnreadFields(deployment);
    expect(cut).not.toBeNull();
    const full = read(deployment);
    const got = read(cut!);
    const c = got.spec.template.spec.containers[0];
    expect(got.metadata).toEqual({ name: 'web', labels: null });
    expect(got.spec.template.metadata.annotations).toEqual(full.spec.template.metadata.annotations);
    expect(Object.keys(c)).toEqual(Object.keys(full.spec.template.spec.containers[0]));
    expect(c.env).toBeNull();
    expect(c.resources).toBeNull();
    expect(c.securityContext).toEqual({ privileged: true });
    expect(c.livenessProbe).toEqual({ httpGet: { host: 'example.com' } });
    expect(got.spec.template.spec.volumes).toEqual(full.spec.template.spec.volumes);
    expect(got.spec.template.spec.hostNetwork).toBe(true);
    expect(got.spec.selector).toBeNull();
  });

  it('cuts a block sequence written at the key\'s own column and one written deeper', () => {
    const own = 'a:\n  env:\n  - name: X\n  b: 1\n';
    const deeper = 'a:\n  env:\n    - name: X\n  b: 1\n';
    expect(read(withoutUnreadFields(own)!)).toEqual({ a: { env: null, b: 1 } });
    expect(read(withoutUnreadFields(deeper)!)).toEqual({ a: { env: null, b: 1 } });
  });

  it('leaves nothing to cut as it is (null)', () => {
    expect(withoutUnreadFields('kind: Pod\nspec:\n  containers: []\n')).toBeNull();
  });

  it('refuses a document with a block scalar (its lines could look like keys)', () => {
    const s = 'metadata:\n  annotations:\n    note: |\n      env:\n        - x\nspec:\n  env:\n  - a\n';
    expect(withoutUnreadFields(s)).toBeNull();
  });

  it('refuses a quoted scalar that goes on to the next line, and flow collections', () => {
    expect(withoutUnreadFields('a: "one\n  env: two"\nenv:\n- x\n')).toBeNull();
    expect(withoutUnreadFields('a: [1,\n  2]\nenv:\n- x\n')).toBeNull();
    expect(withoutUnreadFields("a: don't\nenv:\n- x\n")).toBeNull();
  });

  it('takes a quoted key, an empty {} and a quoted value with a comment', () => {
    const s = '"helm.sh/hook": pre-install\nv:\n  emptyDir: {}\nq: "a\\"b" # it\'s\nenv:\n- x\n';
    expect(read(withoutUnreadFields(s)!)).toEqual({ 'helm.sh/hook': 'pre-install', v: { emptyDir: {} }, q: 'a"b', env: null });
  });

  it('does not touch a key that only starts like an unread one', () => {
    expect(read(withoutUnreadFields('environment: 1\nenv:\n- x\nargsX: 2\n')!)).toEqual({ environment: 1, env: null, argsX: 2 });
  });
});
