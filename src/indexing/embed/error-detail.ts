// What a failed HTTP answer says, for error messages: the message of the usual JSON error shapes (OpenAI's
// {error: {message}}, {error: "..."}, {message}, FastAPI's {detail}), else an excerpt of the body.

const EXCERPT = 300;

const excerpt = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return 'empty body';
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat;
};

function messageOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const { error, message, detail } = body as { error?: unknown; message?: unknown; detail?: unknown };
  if (typeof error === 'string') return error;
  const nested = messageOf(error);
  if (nested) return nested;
  if (typeof message === 'string') return message;
  if (typeof detail === 'string') return detail;
  if (detail !== undefined) return JSON.stringify(detail);
  return null;
}

export function errorDetail(body: string): string {
  try {
    const message = messageOf(JSON.parse(body));
    if (message) return excerpt(message);
  } catch {
    // Not JSON: the body itself is the best description.
  }
  return excerpt(body);
}
