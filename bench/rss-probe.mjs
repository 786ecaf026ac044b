// Preloaded into a measured process: writes its peak RSS (in MB) to the file named by
// PCC_BENCH_RSS_FILE when it exits.
import {writeFileSync} from 'node:fs';

process.on('exit', () => {
  const file = process.env.PCC_BENCH_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS / 1024));
});
