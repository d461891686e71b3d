// Named prepared statements and portals live in the session, and every client of the embedded database shares one
// session: two clients that prepare "upsert" would collide ("prepared statement already exists") and could run each
// other's SQL. So each client's names get a prefix of its own on the way in (Parse, Bind, Describe, Close, Execute);
// the backend never answers with a name, so nothing needs translating back.

/** Reads the NUL-terminated string at `offset`: its text and the offset after its terminator. */
function cString(message: Buffer, offset: number): [string, number] {
  const end = message.indexOf(0, offset);
  return [message.toString('utf8', offset, end), end + 1];
}

function build(type: number, parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header[0] = type;
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

const name = (prefix: string, value: string) => Buffer.from(`${value === '' ? '' : prefix + value}\0`);

/** The message with its statement and portal names in the client's own namespace (unnamed ones stay unnamed). */
export function withClientNames(message: Buffer, prefix: string): Buffer {
  const type = String.fromCharCode(message[0] ?? 0);
  switch (type) {
    case 'P': {
      const [statement, rest] = cString(message, 5);
      if (statement === '') return message;
      return build(message[0] as number, [name(prefix, statement), message.subarray(rest)]);
    }
    case 'B': {
      const [portal, afterPortal] = cString(message, 5);
      const [statement, rest] = cString(message, afterPortal);
      if (portal === '' && statement === '') return message;
      return build(message[0] as number, [name(prefix, portal), name(prefix, statement), message.subarray(rest)]);
    }
    case 'D':
    case 'C': {
      const [target, rest] = cString(message, 6);
      if (target === '') return message;
      return build(message[0] as number, [message.subarray(5, 6), name(prefix, target), message.subarray(rest)]);
    }
    case 'E': {
      const [portal, rest] = cString(message, 5);
      if (portal === '') return message;
      return build(message[0] as number, [name(prefix, portal), message.subarray(rest)]);
    }
    default:
      return message;
  }
}

/** The statement a Parse message names in the client's namespace, if any (to deallocate when the client leaves). */
export function preparedName(message: Buffer, prefix: string): string | null {
  if (message[0] !== 0x50) return null;
  const [statement] = cString(message, 5);
  return statement.startsWith(prefix) ? statement : null;
}
