import packageJson from '../package.json' with {type: 'json'};
import {main} from './cli/main.js';

const code = await main({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  version: packageJson.version,
});
process.exitCode = code;
// Lingering keep-alive sockets or timers must not hold the process open.
setTimeout(() => process.exit(code), 200).unref();
