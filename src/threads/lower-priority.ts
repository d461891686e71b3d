import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The niceness of background threads: under contention the kernel gives them about a tenth of a request thread's CPU. */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the scheduling priority of the calling thread only. On Linux every thread is a task with its own nice value,
 * and setpriority() given a thread id changes just that thread; elsewhere this does nothing. Indexing threads call it
 * so that, on a machine with few cores, the threads that answer requests (and the embedded database's) run first.
 */
export function lowerThreadPriority(nice = BACKGROUND_NICE): boolean {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    setPriority(threadId, nice);
    return true;
  } catch {
    return false;
  }
}
