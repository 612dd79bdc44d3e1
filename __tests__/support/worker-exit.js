// Loaded into each jest worker (jest.config.js puts it in NODE_OPTIONS). When a worker is done and
// its event loop empties, Node would still free a heap of thousands of modules and synthesized
// stacks before the process ends; on a busy machine that outlasts the 500 ms jest waits, and jest
// kills the worker with "A worker process has failed to exit gracefully". Exiting from the 'exit'
// event skips that teardown, with the same exit code. Only jest's own worker process does this
// (not the processes tests start, which inherit the variable).
if (process.env.JEST_WORKER_ID !== undefined && /[\\/]jest-worker[\\/]build[\\/]workers[\\/]processChild\.js$/.test(process.argv[1] ?? '')) {
  process.on('exit', (code) => process.exit(code));
}
