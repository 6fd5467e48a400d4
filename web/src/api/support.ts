// Endpoint functions for the support desk (docs/api.md "Support desk"): organizations and
// their directory, agents, the FAQ, and consultations (opening, the agents' queue, a
// customer's list, assignment, FAQ answers, closing and reopening). A consultation's
// messages go through the chat endpoints and events on its `conversation_id` (chat.ts).
import { api, type UploadOptions } from './client';
import type {
  Agent,
  AgentRole,
  Consultation,
  ConsultationStatus,
  Faq,
  FaqExchange,
  Organization,
  OrgVisibility,
  Page,
} from './types';

/** Lists of FAQ entries and agents are short: one page of the maximum size. */
export const SUPPORT_LIST_LIMIT = 100;
/** Consultations and directory entries per page. */
export const SUPPORT_PAGE = 20;

const org = (slug: string) => `/orgs/${encodeURIComponent(slug)}`;
const consultation = (slug: string, id: string) => `${org(slug)}/consultations/${encodeURIComponent(id)}`;

// ---- Organizations ----

export interface NewOrg {
  slug: string;
  name: string;
  description?: string;
  visibility?: OrgVisibility;
}

export interface OrgPatch {
  name?: string;
  description?: string;
  visibility?: OrgVisibility;
  auto_assign?: boolean;
  /** ≥ 1, or null for no limit. */
  agent_capacity?: number | null;
}

/** Creates an organization; I become its owner. 409 `slug_taken`. */
export function createOrg(body: NewOrg): Promise<Organization> {
  return api.post<Organization>('/orgs', body);
}

/** The directory: public organizations whose name or slug contains `q` (any script). */
export function searchOrgs(q: string, cursor?: string | null): Promise<Page<Organization>> {
  return api.get<Page<Organization>>('/orgs', { q: q.trim(), cursor, limit: SUPPORT_PAGE });
}

/** An organization by slug (hidden ones too), with `my_role` for me. */
export function getOrg(slug: string): Promise<Organization> {
  return api.get<Organization>(org(slug));
}

/** Owners only (403 `not_org_owner`). */
export function updateOrg(slug: string, patch: OrgPatch): Promise<Organization> {
  return api.patch<Organization>(org(slug), patch);
}

/** Owners only: multipart `file`. */
export function uploadOrgAvatar(
  slug: string,
  file: File | Blob,
  opts: Omit<UploadOptions, 'method'> = {},
): Promise<Organization> {
  return api.upload<Organization>(`${org(slug)}/avatar`, file, { ...opts, method: 'PUT' });
}

/** Owners only: back to the initials. */
export function removeOrgAvatar(slug: string): Promise<Organization> {
  return api.del<Organization>(`${org(slug)}/avatar`);
}

// ---- Agents ----

/** Agents only (owners first); never paged in practice. */
export function listAgents(slug: string): Promise<Page<Agent>> {
  return api.get<Page<Agent>>(`${org(slug)}/agents`, { limit: SUPPORT_LIST_LIMIT });
}

/** Owners only. 409 `already_agent`; 422 for an unknown username. */
export function addAgent(slug: string, username: string, role: AgentRole): Promise<Agent> {
  return api.post<Agent>(`${org(slug)}/agents`, { username, role });
}

/** Owners remove anyone, an agent themselves; 409 `last_owner` for the last owner. */
export function removeAgent(slug: string, username: string): Promise<void> {
  return api.del<void>(`${org(slug)}/agents/${encodeURIComponent(username)}`);
}

// ---- FAQ ----

export interface FaqDraft {
  question: string;
  answer: string;
  /** 1-based sort key; default: after the last entry. */
  position?: number;
}

/** The FAQ in position order; `q` searches question and answer (any script). */
export function listFaqs(slug: string, q?: string, cursor?: string | null): Promise<Page<Faq>> {
  return api.get<Page<Faq>>(`${org(slug)}/faqs`, { q: q?.trim(), cursor, limit: SUPPORT_LIST_LIMIT });
}

/** Agents only. */
export function createFaq(slug: string, draft: FaqDraft): Promise<Faq> {
  return api.post<Faq>(`${org(slug)}/faqs`, draft);
}

/** Agents only. */
export function updateFaq(slug: string, id: string, patch: Partial<FaqDraft>): Promise<Faq> {
  return api.patch<Faq>(`${org(slug)}/faqs/${encodeURIComponent(id)}`, patch);
}

/** Agents only. */
export function deleteFaq(slug: string, id: string): Promise<void> {
  return api.del<void>(`${org(slug)}/faqs/${encodeURIComponent(id)}`);
}

// ---- Consultations ----

/** Opens a consultation as a customer: `text` becomes its first message. */
export function openConsultation(slug: string, subject: string, text: string): Promise<Consultation> {
  return api.post<Consultation>(`${org(slug)}/consultations`, { subject, text });
}

export interface QueueFilter {
  status?: ConsultationStatus;
  /** An agent's username: only theirs. */
  assignee?: string;
}

/** Agents only: `waiting` oldest first, the others most recently active first. */
export function listQueue(slug: string, filter: QueueFilter, cursor?: string | null): Promise<Page<Consultation>> {
  return api.get<Page<Consultation>>(`${org(slug)}/consultations`, {
    status: filter.status,
    assignee: filter.assignee,
    cursor,
    limit: SUPPORT_PAGE,
  });
}

/** My consultations as a customer, every organization. */
export function listMyConsultations(
  status?: ConsultationStatus | null,
  cursor?: string | null,
): Promise<Page<Consultation>> {
  return api.get<Page<Consultation>>('/consultations', { status, cursor, limit: SUPPORT_PAGE });
}

/** Agents or its customer (anyone else: 404). */
export function getConsultation(slug: string, id: string): Promise<Consultation> {
  return api.get<Consultation>(consultation(slug, id));
}

/** Agents only: to `username` (an agent), or to me without one; it becomes `active`. */
export function assignConsultation(slug: string, id: string, username?: string): Promise<Consultation> {
  return api.post<Consultation>(`${consultation(slug, id)}/assign`, username ? { username } : {});
}

/**
 * Its customer: the question and the organization's answer (`kind: "auto"`) are added to
 * the conversation (they arrive as `message:new`).
 */
export function pickFaq(slug: string, id: string, faqId: string): Promise<FaqExchange> {
  return api.post<FaqExchange>(`${consultation(slug, id)}/faq`, { faq_id: faqId });
}

/** Agents or its customer; further messages are 409 `consultation_closed`. */
export function closeConsultation(slug: string, id: string): Promise<Consultation> {
  return api.post<Consultation>(`${consultation(slug, id)}/close`);
}

/** Its customer: `waiting` again (or `active` with its assignee). */
export function reopenConsultation(slug: string, id: string): Promise<Consultation> {
  return api.post<Consultation>(`${consultation(slug, id)}/reopen`);
}
