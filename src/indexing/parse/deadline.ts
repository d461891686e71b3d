export class DeadlineExceededError extends Error {
  override name = 'DeadlineExceededError';
}

/**
 * Runs `work`, giving up after `ms`: the signal is aborted and the returned promise rejects. Synchronous work
 * (SheetJS, csv-parse, html-to-text) cannot be interrupted and runs to its end; pdf.js and mammoth await often.
 */
export async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineExceededError(`gave up after ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
