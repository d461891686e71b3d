import { connect } from 'node:net';

/** Sends raw bytes to `url`'s host and port; answers what came back (possibly nothing) once the socket closes. */
export function sendRaw(url: string, chunks: Array<string | Buffer>, options: { endAfter?: boolean; destroyAfterMs?: number } = {}) {
  const { hostname, port } = new URL(url);
  return new Promise<string>((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (data) => {
      received += data.toString('latin1');
    });
    socket.on('error', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (options.destroyAfterMs !== undefined) setTimeout(() => socket.destroy(), options.destroyAfterMs);
      else if (options.endAfter !== false) socket.end();
    });
  });
}

/** A multipart/form-data request head for `path` with the given body length. */
export function multipartHead(path: string, key: string, boundary: string, contentLength: number, method = 'POST') {
  return [
    `${method} ${path} HTTP/1.1`,
    'Host: localhost',
    `Authorization: Bearer ${key}`,
    `Content-Type: multipart/form-data; boundary=${boundary}`,
    `Content-Length: ${contentLength}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
}

/** The opening of a file part (no closing boundary). */
export const filePartStart = (boundary: string, filename = 'a.txt', contentType = 'text/plain') =>
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;

/** The status code of a raw HTTP response, or null when none came. */
export const statusOf = (response: string) => {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return match ? Number(match[1]) : null;
};
