// The handlers run on nodejs22.x; the tests load the SDK on the development machine's Node,
// where SDK releases from 2027 on warn about Node < 22 once per test file.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// The handlers' one log line per call, unless a test listens for it (`callLogger().setLogLevel`).
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

// Stack traces as V8 writes them, not source-mapped: sucrase keeps each line where it was, so
// they name the right lines without a map, and cdktf captures a whole stack trace for every
// token it creates — thousands a synth — which jest's source-map-support would map frame by
// frame. (Left undefined, Node would fall back to the worker's own source-mapping formatter.)
Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) =>
  [error instanceof Object ? Error.prototype.toString.call(error) : String(error), ...frames.map((frame) => `    at ${frame}`)].join('\n');
