// CPU time of this process's main thread alone (Linux: nanoseconds on CPU from /proc/self/task/<pid>/schedstat), so
// that the server's own cost per request can be told apart from the load generator's, which then runs in a thread of
// its own (bench/load-thread.ts). Null where the kernel does not report it.
import { readFileSync } from 'node:fs';

export function mainThreadCpuMs(): number | null {
  try {
    const [onCpuNs] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ');
    return Number(onCpuNs) / 1e6;
  } catch {
    return null;
  }
}
