// CLI: run kube-sim as a process for the demo, benchmarks and manual Helm sessions.
//   npm run -s kube-sim -- --kube-version 1.24.17 --state DIR --kubeconfig FILE [--port N]
//     [--latency-ms N] [--forbid RULE]... [--fault RULE]... [--tls] [--token T]
// Prints the URL on stdout once listening; stops cleanly on SIGTERM/SIGINT. Object writes
// are synchronous, so nothing is pending when the process ends; a killAfterWrites fault
// exits with status 137, as if SIGKILLed, right after committing the write.
import { Command, Option } from 'commander';
import { startKubeSim } from './index.js';
import { parseFaultRule } from './faults.js';

const collect = (v: string, prev: string[]) => [...prev, v];
const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`);
  return n;
};

const program = new Command('kube-sim')
  .description('Kubernetes API emulator for Helm/kubectl tests (loopback only)')
  .option('--kube-version <v>', 'gitVersion to report and serve, e.g. 1.24.17 or v1.25.16-eks-3af4770')
  .option('--state <dir>', 'keep every object on disk in this directory')
  .option('--kubeconfig <file>', 'write a kubeconfig pointing at the sim here')
  .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', int('--port'), 0)
  .option('--latency-ms <n>', 'delay every API request', int('--latency-ms'), 0)
  .option('--forbid <rule>', 'deny rule verb:resource[:ns=N][:name=X] (repeatable)', collect, [])
  .option('--fault <rule>', 'fault rule, e.g. method=PUT,path=/secrets/,status=503,count=2,retryAfter=1 or JSON (repeatable)', collect, [])
  .option('--continue-ttl-writes <n>', 'continue tokens expire after this many writes', int('--continue-ttl-writes'))
  .option('--tls', 'serve HTTPS with a generated CA; kubeconfig uses a client certificate')
  .addOption(new Option('--token <t>', 'require this bearer token').env('KUBE_SIM_TOKEN'));

async function main(): Promise<void> {
  program.parse();
  const o = program.opts();
  const sim = await startKubeSim({
    kubeVersion: o.kubeVersion,
    stateDir: o.state,
    kubeconfigPath: o.kubeconfig,
    port: o.port,
    latencyMs: o.latencyMs,
    forbid: o.forbid,
    faults: (o.fault as string[]).map(parseFaultRule),
    continueTtlWrites: o.continueTtlWrites,
    tls: !!o.tls,
    token: o.token,
    onKill: () => process.exit(137),
  });
  process.stdout.write(`${sim.url}\n`);
  process.stderr.write(`kube-sim ${sim.kubeVersion()} listening on ${sim.url}; kubeconfig ${sim.kubeconfigPath}\n`);
  const shutdown = () => {
    sim.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((e) => {
  process.stderr.write(`kube-sim: ${(e as Error).message}\n`);
  process.exit(2);
});
