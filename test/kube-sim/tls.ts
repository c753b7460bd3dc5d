// A throwaway PKI for TLS mode: a CA, a server certificate for 127.0.0.1/localhost and a
// client certificate (CN=sim-admin, O=system:masters) for kubeconfig client-cert auth.
// Keys come from node:crypto (fast); node-forge only builds and signs the certificates.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface Pki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

function keyPair(): { pem: string; forgeKey: forge.pki.rsa.PrivateKey; pub: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { pem, forgeKey, pub: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function cert(
  subject: forge.pki.CertificateField[],
  pub: forge.pki.PublicKey,
  issuer: forge.pki.CertificateField[],
  signer: forge.pki.PrivateKey,
  extensions: object[],
): forge.pki.Certificate {
  const c = forge.pki.createCertificate();
  c.publicKey = pub;
  c.serialNumber = `01${randomBytes(8).toString('hex')}`; // positive
  c.validity.notBefore = new Date(Date.now() - 60_000);
  c.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  c.setSubject(subject);
  c.setIssuer(issuer);
  c.setExtensions(extensions);
  c.sign(signer as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return c;
}

export function generatePki(): Pki {
  const ca = keyPair();
  const caName = [{ name: 'commonName', value: 'kube-sim-ca' }];
  const caCert = cert(caName, ca.pub, caName, ca.forgeKey, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  ]);
  const server = keyPair();
  const serverCert = cert([{ name: 'commonName', value: 'kube-apiserver' }], server.pub, caName, ca.forgeKey, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
  ]);
  const client = keyPair();
  const clientCert = cert(
    [{ name: 'commonName', value: 'sim-admin' }, { name: 'organizationName', value: 'system:masters' }],
    client.pub, caName, ca.forgeKey,
    [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  );
  const pem = forge.pki.certificateToPem;
  return { caCert: pem(caCert), serverCert: pem(serverCert), serverKey: server.pem, clientCert: pem(clientCert), clientKey: client.pem };
}
