/** Who the customer is: identities, consent per channel with its history, orders, past conversations, CSAT. */
import { dateTime } from './format.ts';
import { channelName, type Strings, type UiLanguage } from './i18n.ts';
import type { ConsentView, CustomerDetail } from './types.ts';

interface SidebarProps {
  readonly t: Strings;
  readonly lang: UiLanguage;
  readonly detail: CustomerDetail | undefined;
  readonly currentId: string;
  readonly onOpen: (conversationId: string) => void;
}

const consentOf = (value: ConsentView | string | undefined): ConsentView | undefined =>
  value === undefined
    ? undefined
    : typeof value === 'string'
      ? { state: value as ConsentView['state'] }
      : value;

export function Sidebar(props: SidebarProps) {
  const { t, lang, detail } = props;
  if (!detail) {
    return (
      <aside class="sidebar" aria-label={t.customer}>
        <p class="empty">{t.loading}</p>
      </aside>
    );
  }
  const { customer } = detail;
  const consent = Object.entries(customer.consent ?? {}).flatMap(([channel, value]) => {
    const view = consentOf(value);
    return view ? [[channel, view] as const] : [];
  });
  return (
    <aside class="sidebar" aria-label={t.customer}>
      <section>
        <h2 class="customer-name">{customer.name ?? customer.id}</h2>
        <dl class="facts">
          <dt>{t.language}</dt>
          <dd>{customer.language ?? '—'}</dd>
          <dt>{t.timezone}</dt>
          <dd>{customer.timezone ?? '—'}</dd>
        </dl>
      </section>
      <section>
        <h3>{t.identities}</h3>
        <ul class="plain">
          {customer.identities.map((identity) => (
            <li key={`${identity.kind}:${identity.value}`}>
              <span class="tag">{identity.kind}</span> {identity.value}
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3>{t.consent}</h3>
        <ul class="plain consent">
          {consent.map(([channel, view]) => (
            <li key={channel}>
              <span class={view.state === 'opted-out' ? 'state out' : 'state in'}>
                {channelName(lang, channel)}: {view.state === 'opted-out' ? t.optedOutShort : t.optedIn}
              </span>
              {view.source ? <span class="muted"> · {view.source}</span> : null}
              {view.history && view.history.length > 0 ? (
                <details>
                  <summary>
                    {t.consentHistory} ({view.history.length})
                  </summary>
                  <ol class="plain">
                    {view.history.map((record) => (
                      <li key={`${record.at}-${record.eventKey}`}>
                        {dateTime(lang, record.at)}: {record.state} ({record.source}
                        {record.keyword ? `, ${record.keyword}` : ''})
                      </li>
                    ))}
                  </ol>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3>{t.orders}</h3>
        {detail.orders.length === 0 ? <p class="muted">{t.noOrders}</p> : null}
        <ul class="plain orders">
          {detail.orders.map((order) => (
            <li key={order.id} data-order-id={order.id}>
              <strong>#{order.id}</strong> <span class="tag">{order.statusText ?? order.status}</span>
              {order.total !== undefined ? (
                <span class="muted">
                  {' '}
                  {new Intl.NumberFormat(lang, {
                    style: order.currency ? 'currency' : 'decimal',
                    ...(order.currency ? { currency: order.currency } : {}),
                  }).format(order.total)}
                </span>
              ) : null}
              {order.updatedAt ? <div class="muted">{dateTime(lang, order.updatedAt)}</div> : null}
              {order.trackingUrl ? (
                <div>
                  <a href={order.trackingUrl} target="_blank" rel="noopener noreferrer">
                    {t.track}
                  </a>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3>{t.pastConversations}</h3>
        <ul class="plain">
          {detail.conversations.map((conversation) => (
            <li key={conversation.id}>
              <button
                type="button"
                class="link"
                aria-current={conversation.id === props.currentId ? 'true' : undefined}
                onClick={() => props.onOpen(conversation.id)}
              >
                {channelName(lang, conversation.channel)} · {conversation.subject ?? conversation.status}
              </button>{' '}
              <span class="muted">{dateTime(lang, conversation.lastMessageAt)}</span>
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3>{t.csat}</h3>
        {detail.csat.count === 0 ? (
          <p class="muted">{t.noCsat}</p>
        ) : (
          <p>
            <strong>{detail.csat.average?.toFixed(1) ?? '—'}</strong> / 5 · {detail.csat.count} {t.answers}
          </p>
        )}
      </section>
    </aside>
  );
}
