// Endpoint functions for reports and moderation: anyone signed in reports a post, comment,
// chat message or account; admins (me.role === 'admin') read the queue, resolve reports,
// suspend or unsuspend accounts and read the audit log (403 `not_admin` for others).
import { api } from './client';
import type {
  AuditEntry,
  ModeratedUser,
  Page,
  QueuedReport,
  Report,
  ReportReason,
  ReportStatus,
  ReportTargetKind,
} from './generated';

export type Resolution = 'dismiss' | 'remove_content' | 'suspend_account';

/** Files a report; my open report of the same target comes back instead of a second one. */
export function fileReport(
  target_kind: ReportTargetKind,
  target_id: string,
  reason: ReportReason,
  comment?: string,
): Promise<Report> {
  return api.post<Report>('/reports', { target_kind, target_id, reason, comment: comment || undefined });
}

/** One page of the moderation queue, newest first. */
export function reportQueue(status: ReportStatus, cursor?: string): Promise<Page<QueuedReport>> {
  return api.get<Page<QueuedReport>>('/admin/reports', { status, cursor });
}

/** Resolves a report (and every other open report of its target). */
export function resolveReport(id: string, action: Resolution, note?: string): Promise<QueuedReport> {
  return api.post<QueuedReport>(`/admin/reports/${encodeURIComponent(id)}/resolve`, {
    action,
    note: note || undefined,
  });
}

export function suspendAccount(username: string, note?: string): Promise<ModeratedUser> {
  return api.post<ModeratedUser>(`/admin/users/${encodeURIComponent(username)}/suspend`, {
    note: note || undefined,
  });
}

export function unsuspendAccount(username: string): Promise<ModeratedUser> {
  return api.post<ModeratedUser>(`/admin/users/${encodeURIComponent(username)}/unsuspend`, {});
}

/** One page of the audit log, newest first. */
export function auditLog(cursor?: string): Promise<Page<AuditEntry>> {
  return api.get<Page<AuditEntry>>('/admin/audit', { cursor });
}
