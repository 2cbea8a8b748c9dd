import { z } from 'zod';

const headersFileSchema = z.record(z.string(), z.string());

/**
 * The headers a replayed request goes out with: the ones the sandbox computed (a valid
 * signature), unless a `<name>.headers.json` sidecar replaces them (a forged or missing one).
 */
export function requestHeaders(
  computed: Record<string, string>,
  headersFile: Uint8Array | undefined,
): Record<string, string> {
  if (!headersFile) return computed;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(headersFile).toString('utf8'));
  } catch {
    throw new Error('the headers file is not JSON');
  }
  const parsed = headersFileSchema.safeParse(json);
  if (!parsed.success) throw new Error('the headers file must be an object of header names to strings');
  return parsed.data;
}
