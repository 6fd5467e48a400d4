// Component test of the settings' Sessions section: the list (this device marked, how each
// signed in, no "Sign out" on the current one), signing one out after the inline
// confirmation (DELETE, then a fresh list; one already ended elsewhere only refreshes it),
// and signing out all the others with how many ended.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { SignedInSession } from '../../api/types';
import { SessionsSection } from './SessionsSection';

const mocks = vi.hoisted(() => ({
  listSessions: vi.fn(),
  endSession: vi.fn(),
  endOtherSessions: vi.fn(),
  listProviders: vi.fn(),
  endSessionLocally: vi.fn(),
}));

vi.mock('../../api/sessions', () => ({
  listSessions: mocks.listSessions,
  endSession: mocks.endSession,
  endOtherSessions: mocks.endOtherSessions,
}));
vi.mock('../../api/identities', () => ({ listProviders: mocks.listProviders, listIdentities: vi.fn() }));
vi.mock('../../session/SessionContext', () => ({
  useSession: () => ({ endSessionLocally: mocks.endSessionLocally }),
}));

const when = new Date().toISOString();

function makeSession(overrides: Partial<SignedInSession>): SignedInSession {
  return {
    id: 's1',
    current: false,
    device: 'Firefox on Linux',
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    ip: '203.0.113.7',
    signed_in_with: 'password',
    created_at: when,
    last_active_at: when,
    ...overrides,
  };
}

const here = makeSession({ id: 'here', current: true });
const phone = makeSession({ id: 'phone', device: 'Safari on iOS', ip: '198.51.100.4', signed_in_with: 'github' });
const tablet = makeSession({ id: 'tablet', device: 'Chrome on Android', ip: null, signed_in_with: 'gitlab' });

const page = (items: SignedInSession[]) => ({ items, next_cursor: null });

function renderSection() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <SessionsSection />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const sessionList = () => screen.findByRole('list', { name: 'Sessions' });

beforeEach(() => {
  for (const m of Object.values(mocks)) m.mockReset();
  mocks.listProviders.mockResolvedValue({ items: [{ name: 'github', display_name: 'GitHub' }], next_cursor: null });
  mocks.listSessions.mockResolvedValue(page([here, phone, tablet]));
});

describe('SessionsSection', () => {
  it('lists the sessions with this device marked and how each signed in', async () => {
    renderSection();
    const list = await sessionList();
    const current = within(list).getByRole('listitem', { name: 'Firefox on Linux, this device' });
    expect(within(current).getByText('This device')).toBeInTheDocument();
    expect(within(current).getByText('Firefox on Linux').tagName).toBe('STRONG');
    expect(within(current).getByText('203.0.113.7 · Signed in with Password')).toBeInTheDocument();
    expect(within(current).getByText(/Last active/)).toHaveTextContent('Signed in just now · Last active just now');
    expect(within(current).queryByRole('button')).not.toBeInTheDocument();

    const other = within(list).getByRole('listitem', { name: 'Safari on iOS' });
    expect(within(other).queryByText('This device')).not.toBeInTheDocument();
    expect(await within(other).findByText('198.51.100.4 · Signed in with GitHub')).toBeInTheDocument();
    expect(within(other).getByRole('button', { name: 'Sign out Safari on iOS' })).toBeInTheDocument();
    // A provider not in the providers list keeps its raw name; no address is said so.
    const unknown = within(list).getByRole('listitem', { name: 'Chrome on Android' });
    expect(within(unknown).getByText('Unknown address · Signed in with gitlab')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign out all other sessions' })).toBeInTheDocument();
  });

  it('signs one out after confirming, then shows the refreshed list', async () => {
    mocks.endSession.mockResolvedValue(undefined);
    renderSection();
    const row = within(await sessionList()).getByRole('listitem', { name: 'Safari on iOS' });
    fireEvent.click(within(row).getByRole('button', { name: 'Sign out Safari on iOS' }));
    const confirm = within(row).getByRole('group', { name: 'Confirm signing out' });
    expect(mocks.endSession).not.toHaveBeenCalled();
    mocks.listSessions.mockResolvedValue(page([here, tablet]));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, sign out' }));
    await expect.poll(() => screen.queryByRole('listitem', { name: 'Safari on iOS' })).toBeNull();
    expect(mocks.endSession).toHaveBeenCalledWith('phone');
    expect(mocks.listSessions).toHaveBeenCalledTimes(2);
    expect(mocks.endSessionLocally).not.toHaveBeenCalled();
  });

  it('only refreshes the list when the session had already ended elsewhere', async () => {
    mocks.endSession.mockRejectedValue(new ApiError(404, 'not_found', 'x'));
    renderSection();
    const row = within(await sessionList()).getByRole('listitem', { name: 'Safari on iOS' });
    fireEvent.click(within(row).getByRole('button', { name: 'Sign out Safari on iOS' }));
    mocks.listSessions.mockResolvedValue(page([here]));
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, sign out' }));
    await expect.poll(() => screen.queryByRole('listitem', { name: 'Safari on iOS' })).toBeNull();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // Only this device is left: nothing else to sign out.
    expect(screen.queryByRole('button', { name: 'Sign out all other sessions' })).not.toBeInTheDocument();
  });

  it('keeps the row and cancels without signing out', async () => {
    renderSection();
    const row = within(await sessionList()).getByRole('listitem', { name: 'Safari on iOS' });
    fireEvent.click(within(row).getByRole('button', { name: 'Sign out Safari on iOS' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Cancel' }));
    expect(within(row).queryByRole('group')).not.toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Sign out Safari on iOS' })).toBeInTheDocument();
    expect(mocks.endSession).not.toHaveBeenCalled();
  });

  it('signs out all the others after confirming and says how many', async () => {
    mocks.endOtherSessions.mockResolvedValue({ ended: 2 });
    renderSection();
    await sessionList();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out all other sessions' }));
    const confirm = screen.getByRole('group', { name: 'Confirm signing out all other sessions' });
    mocks.listSessions.mockResolvedValue(page([here]));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, sign out all others' }));
    expect(await screen.findByText('Signed out 2 other sessions.')).toBeInTheDocument();
    expect(mocks.endOtherSessions).toHaveBeenCalledTimes(1);
    await expect.poll(() => screen.queryByRole('listitem', { name: 'Safari on iOS' })).toBeNull();
    expect(screen.getByRole('listitem', { name: 'Firefox on Linux, this device' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign out all other sessions' })).not.toBeInTheDocument();
    expect(screen.queryByRole('group')).not.toBeInTheDocument();
  });
});
