// Preloaded (`node -r`) into a child process a test starts: at exit, writes every file the
// process loaded, one a line, to LOADED_MODULES_FILE, so the test can say what a command did not load.
const { writeFileSync } = require('node:fs');

process.on('exit', () => writeFileSync(process.env.LOADED_MODULES_FILE, Object.keys(require.cache).join('\n')));
