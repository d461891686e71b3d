// qa_model documents: each chunk goes to an LLM (OpenAI-compatible chat completions) which writes question/answer
// pairs; each pair becomes a segment (spec §6.4). Without a configured LLM such documents are refused up front.

export interface ChatConfig {
  baseUrl: string;
  apiKey?: string;
  model: string;
}

export interface QaPair {
  question: string;
  answer: string;
}

const PAIR = /Q\d+:\s*(.*?)\s*A\d+:\s*([\s\S]*?)(?=Q\d+:|$)/g;

/** Dify's parser for the model's answer: `Q1: … A1: …` pairs. */
export function parseQaPairs(text: string): QaPair[] {
  const pairs: QaPair[] = [];
  for (const match of text.matchAll(PAIR)) {
    const question = (match[1] ?? '').trim();
    const answer = (match[2] ?? '').trim();
    if (question && answer) pairs.push({ question, answer });
  }
  return pairs;
}

const prompt = (language: string) =>
  `The user will send a long text. Generate a question and answer pairs from it, in ${language}, covering the text's ` +
  'key information. Answer in the format:\nQ1:\nA1:\nQ2:\nA2:\n...';

export async function generateQaPairs(chat: ChatConfig, chunk: string, language: string, signal?: AbortSignal) {
  const response = await fetch(`${chat.baseUrl.replace(/\/$/, '')}/chat/completions`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(chat.apiKey ? { Authorization: `Bearer ${chat.apiKey}` } : {}),
    },
    body: JSON.stringify({
      model: chat.model,
      messages: [
        { role: 'system', content: prompt(language) },
        { role: 'user', content: chunk },
      ],
      temperature: 0.01,
    }),
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(120_000)]) : AbortSignal.timeout(120_000),
  });
  const body = (await response.json().catch(() => null)) as {
    choices?: Array<{ message?: { content?: string } }>;
    error?: { message?: string };
  } | null;
  if (!response.ok) {
    throw new Error(`The LLM at ${chat.baseUrl} answered ${response.status}: ${body?.error?.message ?? 'no message'}`);
  }
  return parseQaPairs(body?.choices?.[0]?.message?.content ?? '');
}
