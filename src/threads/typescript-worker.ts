import { fileURLToPath } from 'node:url';

/** The file a Worker (or a pool) runs to load `module`, a TypeScript file, in a new thread; pass `module` in workerData. */
export const TYPESCRIPT_WORKER = fileURLToPath(new URL('./load-typescript.mjs', import.meta.url));

export const moduleUrl = (relative: string, base: string) => new URL(relative, base).href;
