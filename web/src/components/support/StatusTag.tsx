// A consultation's status as a small coloured tag: Waiting, Active or Closed.
import type { ConsultationStatus } from '../../api/types';

export const STATUS_LABELS: Record<ConsultationStatus, string> = {
  waiting: 'Waiting',
  active: 'Active',
  closed: 'Closed',
};

export function StatusTag({ status }: { status: ConsultationStatus }) {
  return <span className={`status-tag status-${status}`}>{STATUS_LABELS[status]}</span>;
}
