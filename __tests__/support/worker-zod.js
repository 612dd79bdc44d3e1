// `zod` as the tests' code sees it (jest maps `zod` here): loaded by Node's own loader, once per
// jest worker, instead of again into the module registry of every test file that reads the
// configuration (about 95 modules, some 150 ms a file through jest). Zod keeps no state but its
// metadata registry, keyed by each schema object, so test files sharing one copy cannot see
// each other's. Resolved and loaded by Node itself: jest's own `require` and `createRequire`
// would map `zod` back to this file.
const Module = require('node:module');

const parent = { id: __filename, filename: __filename, paths: Module._nodeModulePaths(__dirname) };
module.exports = Module._load(Module._resolveFilename('zod', parent), null, false);
