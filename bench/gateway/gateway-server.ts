// Benchmark child: the migrate gateway, started from a config file.
import { Gateway } from '../../bridge/index.ts';

const gateway = await Gateway.fromFile(process.argv[2]!, { watch: false });
await gateway.start();
process.stdout.write(`${JSON.stringify({ ready: true, url: gateway.url, admin: gateway.adminUrl })}\n`);
// exit normally on SIGTERM so `--cpu-prof` runs write their profile
process.on('SIGTERM', () => void gateway.stop(1000).then(() => process.exit(0)));
