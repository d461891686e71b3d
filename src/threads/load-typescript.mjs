// Entry point for worker threads: registers tsx's loader, then loads the TypeScript module named in
// `workerData.module`. Threads do not inherit the TypeScript loader of the process that starts them (vitest, tsx).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const loaded = await import(workerData.module);
export default loaded.default;
