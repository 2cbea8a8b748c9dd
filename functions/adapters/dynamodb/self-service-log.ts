import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ArticleFeedback,
  SelfServiceDay,
  SelfServiceStore,
} from '../../core/knowledge-base/self-service.ts';
import type { Channel, Language } from '../../core/model.ts';
import { isConditionFailure, keys, SELF_SERVICE_PREFIX } from './keys.ts';
import { queryItems } from './query-items.ts';

/** Counters and feedback outlive the longest report range (93 days) with room to compare. */
const TTL_SECONDS = 400 * 24 * 3_600;
/** A throttle window's counter is gone soon after its minute. */
const THROTTLE_TTL_SECONDS = 300;
const READ_CONCURRENCY = 6;

/**
 * Self-service counters on the conversation table: one partition per UTC day
 * (`SELFSERVICE#<yyyy-mm-dd>`) holding a counter item per article (`ARTICLE#<lang>#<slug>`) and
 * per unanswered question (`UNANSWERED#<lang>#<normalized text>`), and the feedback texts
 * (`FEEDBACK#<time>#<id>`). Every count is one UpdateItem with ADD: no read, no lost update; the
 * report reads one Query per day. Under the conversation, `SELFSERVICE` remembers which article
 * answered it, so the first human reply counts once against that article's deflection.
 */
export class DynamoSelfServiceLog implements SelfServiceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordAnswer(input: {
    slug: string;
    language: Language;
    channel: Channel;
    conversationId: string;
    at: Date;
  }): Promise<void> {
    const day = dayOf(input.at);
    await this.count(
      keys.selfServiceArticle(day, input.language, input.slug),
      { answered: 1 },
      {
        slug: input.slug,
        language: input.language,
      },
    );
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.selfServiceAnswer(input.conversationId),
          entity: 'self-service-answer',
          slug: input.slug,
          language: input.language,
          channel: input.channel,
          day,
          expiresAt: expiry(input.at, TTL_SECONDS),
        },
      }),
    );
  }

  async recordUnanswered(input: { question: string; language: Language; at: Date }): Promise<void> {
    await this.count(
      keys.selfServiceUnanswered(dayOf(input.at), input.language, input.question),
      { count: 1 },
      {
        question: input.question,
        language: input.language,
      },
    );
  }

  async recordFeedback(feedback: ArticleFeedback): Promise<void> {
    const at = new Date(feedback.at);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.selfServiceFeedback(dayOf(at), feedback.at, feedback.id),
            entity: 'article-feedback',
            slug: feedback.slug,
            language: feedback.language,
            helpful: feedback.helpful,
            ...(feedback.comment ? { comment: feedback.comment } : {}),
            expiresAt: expiry(at, TTL_SECONDS),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // The same feedback again (a retried POST): stored and counted already.
      if (isConditionFailure(error)) return;
      throw error;
    }
    await this.count(
      keys.selfServiceArticle(dayOf(at), feedback.language, feedback.slug),
      feedback.helpful ? { helpful: 1 } : { notHelpful: 1 },
      { slug: feedback.slug, language: feedback.language },
    );
  }

  async takeFeedbackToken(client: string, windowStart: Date, limit: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.feedbackThrottle(client, windowStart.toISOString()),
          UpdateExpression: 'SET expiresAt = if_not_exists(expiresAt, :expiresAt) ADD taken :one',
          ConditionExpression: 'attribute_not_exists(taken) OR taken < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':expiresAt': expiry(windowStart, THROTTLE_TTL_SECONDS),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async recordHumanReply(conversationId: string, at: Date): Promise<void> {
    const found = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.selfServiceAnswer(conversationId) }),
    );
    const answer = found.Item;
    if (!answer || answer.humanReplyAt !== undefined) return;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.selfServiceAnswer(conversationId),
          UpdateExpression: 'SET humanReplyAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(humanReplyAt)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
    } catch (error) {
      // Another reply got there first and counted it.
      if (isConditionFailure(error)) return;
      throw error;
    }
    await this.count(
      keys.selfServiceArticle(String(answer.day), String(answer.language), String(answer.slug)),
      { humanFollowUps: 1 },
      { slug: answer.slug, language: answer.language },
    );
  }

  async readDays(days: readonly string[]): Promise<SelfServiceDay[]> {
    const out: SelfServiceDay[] = [];
    for (let i = 0; i < days.length; i += READ_CONCURRENCY) {
      out.push(...(await Promise.all(days.slice(i, i + READ_CONCURRENCY).map((day) => this.readDay(day)))));
    }
    return out;
  }

  private async readDay(day: string): Promise<SelfServiceDay> {
    const articles: SelfServiceDay['articles'][number][] = [];
    const unanswered: SelfServiceDay['unanswered'][number][] = [];
    for await (const item of queryItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `${SELF_SERVICE_PREFIX}${day}` },
    })) {
      const sk = String(item.sk);
      if (sk.startsWith('ARTICLE#')) {
        articles.push({
          slug: String(item.slug),
          language: String(item.language),
          answered: number(item.answered),
          humanFollowUps: number(item.humanFollowUps),
          helpful: number(item.helpful),
          notHelpful: number(item.notHelpful),
        });
      } else if (sk.startsWith('UNANSWERED#')) {
        unanswered.push({
          question: String(item.question),
          language: String(item.language),
          count: number(item.count),
        });
      }
    }
    return { articles, unanswered };
  }

  private async count(
    key: { pk: string; sk: string },
    counters: Record<string, number>,
    fields: Record<string, unknown>,
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(fields).map(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    const adds = Object.entries(counters).map(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      return `#c${i} :c${i}`;
    });
    values[':expiresAt'] = Math.floor(Date.now() / 1000) + TTL_SECONDS;
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET ${[...sets, 'expiresAt = :expiresAt'].join(', ')} ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }
}

function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function expiry(at: Date, seconds: number): number {
  return Math.floor(at.getTime() / 1000) + seconds;
}

function number(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
