// Where the support desk's screens live: a customer's consultation, an agent's inbox.
export function consultationPath(c: { id: string; organization: { slug: string } }): string {
  return `/consultations/${encodeURIComponent(c.organization.slug)}/${encodeURIComponent(c.id)}`;
}

export function inboxPath(slug: string, id?: string | null): string {
  const base = `/orgs/${encodeURIComponent(slug)}/inbox`;
  return id ? `${base}/${encodeURIComponent(id)}` : base;
}
