// Component test of the support inbox: the waiting queue loads for an agent, a new
// consultation arrives live through `consultation:updated` (no refetch), and one that gets
// assigned leaves the Waiting tab and shows in Active. A non-agent gets no queue request.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Organization } from '../../api/types';
import { alice } from '../../chat/fixtures';
import { consultation } from '../../support/fixtures';
import InboxPage from './InboxPage';

const mocks = vi.hoisted(() => ({
  handlers: new Map<string, (payload: unknown) => void>(),
  getOrg: vi.fn(),
  listQueue: vi.fn(),
  listAgents: vi.fn(),
}));

vi.mock('../../api/support', () => ({
  getOrg: mocks.getOrg,
  listQueue: mocks.listQueue,
  listAgents: mocks.listAgents,
  listFaqs: vi.fn(),
  getConsultation: vi.fn(),
  listMyConsultations: vi.fn(),
}));

vi.mock('../../session/SessionContext', () => ({
  useSession: () => ({ status: 'signed-in', me: { ...alice, email: 'a@example.com' } }),
}));

vi.mock('../../realtime/RealtimeContext', () => ({
  useSocket: () => null,
  useConnected: () => false,
  useReconnect: () => undefined,
  emitWithAck: vi.fn(),
  useSocketEvent: (event: string, handler: (payload: unknown) => void) => {
    mocks.handlers.set(event, handler);
  },
}));

function org(role: Organization['my_role']): Organization {
  return {
    id: 'o1',
    slug: 'acme',
    name: 'Acme',
    description: '',
    visibility: 'public',
    avatar_url: null,
    auto_assign: false,
    agent_capacity: null,
    created_at: '2024-01-01T00:00:00Z',
    my_role: role,
  };
}

function renderInbox() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={['/orgs/acme/inbox']} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path="/orgs/:slug/inbox" element={<InboxPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

function fire(event: string, payload: unknown) {
  const handler = mocks.handlers.get(event);
  if (!handler) throw new Error(`nothing subscribed to ${event}`);
  act(() => handler(payload));
}

const rows = () =>
  screen
    .getByRole('list', { name: 'Consultations' })
    .querySelectorAll('.chat-row-subject');

beforeEach(() => {
  mocks.handlers.clear();
  mocks.getOrg.mockReset();
  mocks.listQueue.mockReset();
  mocks.listAgents.mockReset();
});

describe('InboxPage', () => {
  it('merges consultation:updated into the queue tabs live', async () => {
    mocks.getOrg.mockResolvedValue(org('owner'));
    mocks.listAgents.mockResolvedValue({ items: [], next_cursor: null });
    const first = consultation('a', 1);
    mocks.listQueue.mockImplementation(async (_slug: string, filter: { status?: string }) =>
      filter.status === 'waiting' ? { items: [first], next_cursor: null } : { items: [], next_cursor: null },
    );
    renderInbox();

    expect(await screen.findByText('subject a')).toBeInTheDocument();
    expect(mocks.listQueue).toHaveBeenCalledWith('acme', { status: 'waiting', assignee: undefined }, null);

    // A new one: at the end of the waiting queue (oldest first), without a refetch.
    const calls = mocks.listQueue.mock.calls.length;
    fire('consultation:updated', { consultation: consultation('b', 5) });
    await waitFor(() => expect(Array.from(rows()).map((r) => r.textContent)).toEqual(['subject a', 'subject b']));
    expect(mocks.listQueue.mock.calls.length).toBe(calls);

    // Assigned: it leaves Waiting...
    const assigned = { ...first, status: 'active' as const, assignee: alice };
    fire('consultation:updated', { consultation: assigned });
    await waitFor(() => expect(Array.from(rows()).map((r) => r.textContent)).toEqual(['subject b']));

    // ...and the Active tab (fetched when opened) has it.
    mocks.listQueue.mockImplementation(async (_slug: string, filter: { status?: string }) =>
      filter.status === 'active' ? { items: [assigned], next_cursor: null } : { items: [], next_cursor: null },
    );
    fireEvent.click(screen.getByRole('tab', { name: 'Active' }));
    expect(await screen.findByText('subject a')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Active' })).toHaveAttribute('aria-selected', 'true');
  });

  it('asks nothing of the queue for someone who is not an agent', async () => {
    mocks.getOrg.mockResolvedValue(org(null));
    renderInbox();
    expect(await screen.findByText('This inbox is for agents')).toBeInTheDocument();
    expect(mocks.listQueue).not.toHaveBeenCalled();
    expect(mocks.listAgents).not.toHaveBeenCalled();
  });
});
