// Jest's transform for the TypeScript of the tests and the code they load: sucrase strips the
// types (as `npm run synth` does for main.ts), with no type-checking — `tsc --noEmit` in
// `npm test` does that once, for every file. A few milliseconds a file, against ts-jest's tens:
// it counts on a first run, where every file of the project (and of the copies the README
// recipes test makes) is transformed with an empty cache.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { transform, getVersion } = require('sucrase');

// The transform's own code and sucrase's version: a change to either invalidates jest's cache.
const SELF = createHash('sha256').update(readFileSync(__filename)).update(getVersion()).digest('hex');

module.exports = {
  process(source, filePath) {
    const { code, sourceMap } = transform(source, {
      transforms: ['typescript', 'imports', 'jest'],
      filePath,
      // Node 20 runs ES2022 as it is: only the types and the module syntax are transformed.
      disableESTransforms: true,
      sourceMapOptions: { compiledFilename: filePath },
    });
    const inline = Buffer.from(JSON.stringify(sourceMap)).toString('base64');
    return { code: `${code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${inline}`, map: sourceMap };
  },
  getCacheKey(source, filePath) {
    return createHash('sha256').update(SELF).update(filePath).update('\0').update(source).digest('hex');
  },
};
