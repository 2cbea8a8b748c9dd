/**
 * The handlers log one JSON object per line, as CloudWatch wants. In a terminal that is a wall
 * of braces, so `npm start` shows each as one short line instead: time, level, message, then the
 * remaining fields as `key=value` (`LOG_FORMAT=json` keeps the JSON). Lines that are not the
 * logger's pass unchanged.
 */

/** Fields every line carries that say nothing in a sandbox. */
const NOISE = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'sampling_rate',
  'xray_trace_id',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
]);

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** One logger line as `10:00:01.234 WARN  message key=value …`; anything else unchanged. */
export function compactLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry.level !== 'string' || typeof entry.message !== 'string') return line;
  const at = typeof entry.timestamp === 'string' ? entry.timestamp.slice(11, 23) : '';
  const fields = Object.entries(entry)
    .filter(([key]) => !NOISE.has(key))
    .map(([key, value]) => `${key}=${fieldValue(value)}`);
  return [at, entry.level.padEnd(5), entry.message, ...fields].filter(Boolean).join(' ');
}

/** Rewrites whole lines of `chunk`; a line split across writes is held until its end arrives. */
export function compactLogStream(write: (text: string) => void): (chunk: string | Uint8Array) => void {
  let pending = '';
  return (chunk) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    if (lines.length > 0) write(`${lines.map(compactLogLine).join('\n')}\n`);
  };
}
