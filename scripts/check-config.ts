import { ConfigError, loadStacks, readContext } from '../lib/config';

// Runs before the CDKTF CLI in `npm run synth/plan/deploy/destroy`: the CLI prints an app's
// error output twice, after its own lines; this prints a configuration problem once, first.
try {
  loadStacks(process.env, readContext(process.env));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
