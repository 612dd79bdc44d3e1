const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

// On a first run jest knows no durations and starts the largest files first. These are small
// but run Terraform, copy the project or start node processes: by size they would come last and
// run on alone at the end. Slowest first, as measured on two cores; the rest keep jest's order.
const SLOW_FIRST = ['app', 'readme-recipes', 'terraform', 'simulate', 'express-loop', 'your-configuration', 'scale', 'import-circles', 'settings-consumed'].map((name) => `${name}.test.ts`);
const rank = (test) => (SLOW_FIRST.includes(path.basename(test.path)) ? SLOW_FIRST.indexOf(path.basename(test.path)) : SLOW_FIRST.length);

class SlowFilesFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    // Once jest has timed the files, its own order (failed first, then slowest) is the better one.
    if (sorted.some((test) => test.duration != null)) return sorted;
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFilesFirst;
