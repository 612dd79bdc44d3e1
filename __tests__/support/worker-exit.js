// Loaded into each jest worker (jest.config.js puts it in NODE_OPTIONS). When a worker's work is
// done and its event loop empties, Node would free the whole heap — thousands of modules and
// synthesized stacks — before the process ends, which on a busy machine takes longer than the
// 500 ms jest waits: jest then kills it and prints "A worker process has failed to exit
// gracefully". Exiting from the 'exit' event skips that teardown; the exit code is the same.
if (process.env.JEST_WORKER_ID !== undefined) process.on('exit', (code) => process.exit(code));
