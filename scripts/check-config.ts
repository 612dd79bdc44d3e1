import { buildApp, exitOnProblem } from '../main';
import { withScratchDir } from '../lib/staged-output';

// Runs before the CDKTF CLI in `npm run synth/plan/deploy/destroy`: the CLI prints an app's
// error output twice, after its own lines. Building the stacks here (in a scratch directory,
// without synthesizing) reports a configuration or construct problem once, first.
try {
  withScratchDir((dir) => buildApp(dir));
} catch (error) {
  exitOnProblem(error);
}
