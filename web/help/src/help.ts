import MiniSearch from 'minisearch';
import { type IndexedArticle, indexOptions } from '../../../functions/core/knowledge-base/retrieval.ts';

/**
 * The help center's only script: the search box (the locale's prebuilt index, fetched on first
 * use) and the "was this helpful?" form sent without leaving the page. Pages read fine without it.
 */

interface SearchAsset {
  readonly index: unknown;
  /** id → [title, summary, page path relative to the site root] */
  readonly docs: Record<string, [string, string, string]>;
}

const root = document.documentElement;
const language = root.lang || 'en';
const siteRoot = root.dataset.root ?? './';

let loading: Promise<{ search: MiniSearch<IndexedArticle>; docs: SearchAsset['docs'] }> | undefined;

function loadIndex() {
  loading ??= fetch(`${siteRoot}assets/search-${language}.json`)
    .then((response) => {
      if (!response.ok) throw new Error(`search index: HTTP ${response.status}`);
      return response.json() as Promise<SearchAsset>;
    })
    .then((asset) => ({
      search: MiniSearch.loadJS<IndexedArticle>(asset.index as never, indexOptions(language)),
      docs: asset.docs,
    }));
  return loading;
}

function setUpSearch(form: HTMLFormElement): void {
  const input = form.querySelector<HTMLInputElement>('input[type="search"]');
  const list = document.getElementById('search-results');
  if (!input || !list) return;
  const empty = form.dataset.empty ?? '';
  const show = async () => {
    const query = input.value.trim();
    list.replaceChildren();
    if (query.length < 2) return;
    const { search, docs } = await loadIndex();
    const all = search.search(query);
    // Word-by-word matching finds something for almost any query: keep the ones near the best.
    const best = all[0]?.score ?? 0;
    const hits = all.filter((hit) => hit.score >= best * 0.2).slice(0, 6);
    if (hits.length === 0) {
      const item = document.createElement('li');
      item.textContent = empty;
      list.append(item);
      return;
    }
    for (const hit of hits) {
      const doc = docs[String(hit.id)];
      if (!doc) continue;
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `${siteRoot}${doc[2]}`;
      link.textContent = doc[0];
      const summary = document.createElement('p');
      summary.textContent = doc[1];
      item.append(link, summary);
      list.append(item);
    }
  };
  input.addEventListener('focus', () => void loadIndex().catch(() => undefined), { once: true });
  input.addEventListener('input', () => void show());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void show();
  });
}

function setUpFeedback(form: HTMLFormElement): void {
  const status = form.querySelector<HTMLElement>('.feedback-status');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    const data = new FormData(form);
    const body = {
      slug: String(data.get('slug') ?? ''),
      language: String(data.get('language') ?? ''),
      helpful: submitter?.value === 'yes',
      comment: String(data.get('comment') ?? '').trim() || undefined,
    };
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(String(response.status));
      form.classList.add('sent');
      if (status) status.textContent = form.dataset.thanks ?? '';
    } catch {
      if (status) status.textContent = form.dataset.failed ?? '';
    }
  });
}

for (const form of document.querySelectorAll<HTMLFormElement>('form.search')) setUpSearch(form);
for (const form of document.querySelectorAll<HTMLFormElement>('form.feedback')) setUpFeedback(form);
