// Time-limited links to uploaded files, in Dify's form: /files/<id>/file-preview?timestamp&nonce&sign. The HMAC key is
// SECRET_KEY (set the same one on every instance; without it each process makes up its own).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const LINK_TTL_SECONDS = 300;

export class FileLinkSigner {
  private readonly key: Buffer;

  constructor(secret: string | undefined) {
    this.key = secret ? Buffer.from(secret) : randomBytes(32);
  }

  private sign(fileId: string, timestamp: string, nonce: string) {
    return createHmac('sha256', this.key).update(`file-preview|${fileId}|${timestamp}|${nonce}`).digest('base64url');
  }

  previewUrl(baseUrl: string, fileId: string, now = Date.now()): string {
    const timestamp = String(Math.floor(now / 1000));
    const nonce = randomBytes(16).toString('hex');
    const params = new URLSearchParams({ timestamp, nonce, sign: this.sign(fileId, timestamp, nonce) });
    return `${baseUrl}/files/${fileId}/file-preview?${params}`;
  }

  verify(fileId: string, params: { timestamp?: string; nonce?: string; sign?: string }, now = Date.now()): boolean {
    const { timestamp, nonce, sign } = params;
    if (!timestamp || !nonce || !sign || !/^\d+$/.test(timestamp)) return false;
    if (Math.floor(now / 1000) - Number(timestamp) > LINK_TTL_SECONDS) return false;
    const expected = Buffer.from(this.sign(fileId, timestamp, nonce));
    const given = Buffer.from(sign);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
