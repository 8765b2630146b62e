// Starts the fake AWS with a generated account and prints its URL, for trying `trailscope pull` by hand:
//   node --import tsx test-support/fake-aws/serve-fake.ts [eventsPerRegion]
//   AWS_ENDPOINT_URL=<url> AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y trailscope pull --case c.trailscope --regions us-east-1,eu-west-1 --since 2d
// Test support only. Stops on Ctrl-C.
import { buildFakeAccount } from './account.ts';
import { startFakeAws } from './server.ts';

const perRegion = Number(process.argv[2] ?? 500);
const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
const account = buildFakeAccount({ start: new Date(end.getTime() - 86_400_000), end, eventsPerRegion: perRegion, flowsPerRegion: 200 });
const aws = await startFakeAws(account);
process.stdout.write(`${aws.url}\n`);
process.on('SIGINT', () => void aws.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void aws.close().then(() => process.exit(0)));
