// Preloaded (`node -r`) into a child process a test starts: at exit, writes every file the
// process loaded, one a line, to LOADED_MODULES_FILE, then every state machine template it read
// (`asl/**.asl.json`), each as `read <file>`, so the test can say what a command did not touch.
const fs = require('node:fs');

const { readFileSync, writeFileSync } = fs;
const templatesRead = [];
fs.readFileSync = function readFileSyncNoted(file, ...rest) {
  if (String(file).endsWith('.asl.json')) templatesRead.push(String(file));
  return readFileSync.call(this, file, ...rest);
};

process.on('exit', () => writeFileSync(process.env.LOADED_MODULES_FILE, [...Object.keys(require.cache), ...templatesRead.map((file) => `read ${file}`)].join('\n')));
