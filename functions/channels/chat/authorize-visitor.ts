import * as z from 'zod';
import type { ChatVisitor } from './frames.ts';
import { visitorIdSchema } from './frames.ts';
import { type ChatIdentityCheck, verifyChatIdentityToken } from './identity-token.ts';

/** What the widget puts on the socket URL: `/chat/ws?visitorId=v-…&token=…` (token only once identified). */
export const connectQuerySchema = z.object({
  visitorId: visitorIdSchema,
  token: z.string().min(1).max(4_096).optional(),
});

export type VisitorAuthorization =
  | {
      readonly allowed: true;
      readonly visitor: ChatVisitor;
      /** Why a token that came along was not taken (the visitor is then anonymous). */
      readonly identityProblem?: Exclude<ChatIdentityCheck, { valid: true }>['problem'];
    }
  | { readonly allowed: false; readonly reason: string };

/**
 * The $connect authorizer's decision. No visitor id: refused. A token that does not verify
 * (forged, expired) never names a customer: the visitor is let in anonymous, so nobody reaches
 * someone else's history by inventing a token, and a stale token does not lock a customer out.
 */
export function authorizeVisitor(
  query: Record<string, string | undefined> | null | undefined,
  secret: string,
  now: Date,
): VisitorAuthorization {
  const parsed = connectQuerySchema.safeParse(query ?? {});
  if (!parsed.success)
    return { allowed: false, reason: `bad connect query: ${z.prettifyError(parsed.error)}` };
  const { visitorId, token } = parsed.data;
  if (token === undefined) return { allowed: true, visitor: { visitorId } };
  const check = verifyChatIdentityToken(token, secret, now);
  if (!check.valid) return { allowed: true, visitor: { visitorId }, identityProblem: check.problem };
  return { allowed: true, visitor: { visitorId, identity: check.claims } };
}

/**
 * The authorizer's context, flat strings as API Gateway passes it to every route of the
 * connection, and back.
 */
export const visitorContextSchema = z.object({
  visitorId: visitorIdSchema,
  email: z.string().optional(),
  phone: z.string().optional(),
  name: z.string().optional(),
  customerRef: z.string().optional(),
  exp: z.coerce.number().optional(),
  identityProblem: z.string().optional(),
});

export function visitorContext(
  authorization: Extract<VisitorAuthorization, { allowed: true }>,
): Record<string, string> {
  const { visitor } = authorization;
  const identity = visitor.identity;
  return Object.fromEntries(
    Object.entries({
      visitorId: visitor.visitorId,
      email: identity?.email,
      phone: identity?.phone,
      name: identity?.name,
      customerRef: identity?.customerRef,
      exp: identity ? String(identity.exp) : undefined,
      identityProblem: authorization.identityProblem,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** The visitor of a route event, from its authorizer context; undefined when there is none. */
export function visitorFromContext(context: unknown): ChatVisitor | undefined {
  const parsed = visitorContextSchema.safeParse(context ?? {});
  if (!parsed.success) return undefined;
  const c = parsed.data;
  if ((c.email === undefined && c.phone === undefined) || c.exp === undefined)
    return { visitorId: c.visitorId };
  return {
    visitorId: c.visitorId,
    identity: {
      ...(c.email ? { email: c.email } : {}),
      ...(c.phone ? { phone: c.phone } : {}),
      ...(c.name ? { name: c.name } : {}),
      ...(c.customerRef ? { customerRef: c.customerRef } : {}),
      exp: c.exp,
    },
  };
}
