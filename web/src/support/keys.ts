// Query keys of the support desk. Every list of consultations lives under
// ['consultations', ...] with its filter in the key, so a `consultation:updated` can be
// merged into each cached list (support/consultationCache.ts).
export const orgsSearchKey = (q: string) => ['orgs', 'search', q] as const;
export const orgKey = (slug: string) => ['org', slug] as const;
export const agentsKey = (slug: string) => ['org', slug, 'agents'] as const;
export const faqsKey = (slug: string, q: string) => ['org', slug, 'faqs', q] as const;
/** Every FAQ list of an organization (any search), to invalidate after an edit. */
export const allFaqsKey = (slug: string) => ['org', slug, 'faqs'] as const;

export const consultationsKey = ['consultations'] as const;
/** My consultations as a customer; `status` null: every status. */
export const myConsultationsKey = (status: string | null) => ['consultations', 'mine', status] as const;
/** An organization's queue; `assignee` is a username, null: anyone. */
export const queueKey = (slug: string, status: string | null, assignee: string | null) =>
  ['consultations', 'queue', slug, status, assignee] as const;
export const consultationKey = (id: string) => ['consultation', id] as const;
