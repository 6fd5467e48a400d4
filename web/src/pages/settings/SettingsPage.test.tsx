// Component test of the settings page's sign-in parts: the linked accounts (provider,
// e-mail or "No e-mail", Unlink with `last_sign_in_method` explained, Link for a provider
// not linked yet, a failed link's `?error=`), "Set a password" without the current
// password for an account made through a provider, and deleting such an account by
// signing in again and then confirming without a password.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { Identity, Me } from '../../api/types';
import SettingsPage from './SettingsPage';

const mocks = vi.hoisted(() => ({
  listProviders: vi.fn(),
  listIdentities: vi.fn(),
  startLink: vi.fn(),
  unlinkIdentity: vi.fn(),
  setPassword: vi.fn(),
  changePassword: vi.fn(),
  deleteAccount: vi.fn(),
  leaveFor: vi.fn(),
  setMe: vi.fn(),
  endSessionLocally: vi.fn(),
  me: null as Me | null,
}));

vi.mock('../../api/identities', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/identities')>()),
  listProviders: mocks.listProviders,
  listIdentities: mocks.listIdentities,
  startLink: mocks.startLink,
  unlinkIdentity: mocks.unlinkIdentity,
}));
vi.mock('../../api/me', () => ({
  updateMe: vi.fn(),
  uploadAvatar: vi.fn(),
  setPassword: mocks.setPassword,
  changePassword: mocks.changePassword,
  deleteAccount: mocks.deleteAccount,
}));
vi.mock('../../api/sessions', () => ({
  listSessions: vi.fn().mockResolvedValue({ items: [], next_cursor: null }),
  endSession: vi.fn(),
  endOtherSessions: vi.fn(),
}));
vi.mock('../../api/users', () => ({
  listBlocks: vi.fn().mockResolvedValue({ items: [], next_cursor: null }),
  listMutes: vi.fn().mockResolvedValue({ items: [], next_cursor: null }),
  blockUser: vi.fn(),
  unblockUser: vi.fn(),
  muteUser: vi.fn(),
  unmuteUser: vi.fn(),
}));
vi.mock('../../identities/leave', () => ({ leaveFor: mocks.leaveFor }));
vi.mock('../../session/SessionContext', () => ({
  useSession: () => ({ me: mocks.me, setMe: mocks.setMe, endSessionLocally: mocks.endSessionLocally }),
}));

const when = new Date().toISOString();

function makeMe(overrides: Partial<Me> = {}): Me {
  return {
    id: 'u1',
    username: 'octo_e2e',
    display_name: 'Octo',
    bio: '',
    status_message: '',
    avatar_url: null,
    created_at: when,
    followers_count: 0,
    following_count: 0,
    posts_count: 0,
    online: true,
    last_seen_at: null,
    email: null,
    has_password: false,
    email_verified: false,
    role: 'user',
    ...overrides,
  };
}

const github: Identity = {
  provider: 'github',
  display_name: 'GitHub',
  email: 'octo@example.test',
  created_at: when,
  last_used_at: when,
};

function renderAt(path: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/explore" element={<p>explore page</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const linkedList = () => screen.findByRole('list', { name: 'Linked accounts' });

beforeEach(() => {
  for (const m of Object.values(mocks)) if (typeof m === 'function') m.mockReset();
  mocks.me = makeMe();
  mocks.listProviders.mockResolvedValue({
    items: [
      { name: 'github', display_name: 'GitHub' },
      { name: 'google', display_name: 'Google' },
    ],
    next_cursor: null,
  });
  mocks.listIdentities.mockResolvedValue({ items: [github], next_cursor: null });
});

describe('SettingsPage linked accounts', () => {
  it('lists linked accounts with their e-mail and times, and "No e-mail" without one', async () => {
    mocks.listIdentities.mockResolvedValue({
      items: [github, { ...github, provider: 'google', display_name: 'Google', email: null }],
      next_cursor: null,
    });
    renderAt('/settings');
    const list = await linkedList();
    const row = within(list).getByRole('listitem', { name: 'GitHub' });
    expect(within(row).getByText('octo@example.test')).toBeInTheDocument();
    expect(within(row).getByText(/Linked/)).toHaveTextContent('Linked just now · Last used just now');
    expect(within(within(list).getByRole('listitem', { name: 'Google' })).getByText('No e-mail')).toBeInTheDocument();
    // Both configured providers are linked: nothing left to link. The account has no e-mail.
    expect(screen.queryByRole('button', { name: /^Link / })).not.toBeInTheDocument();
    expect(screen.getByText('Signed in as @octo_e2e · No e-mail')).toBeInTheDocument();
  });

  it('explains why the only way to sign in cannot be unlinked', async () => {
    mocks.unlinkIdentity.mockRejectedValue(new ApiError(409, 'last_sign_in_method', 'x'));
    renderAt('/settings');
    const row = within(await linkedList()).getByRole('listitem', { name: 'GitHub' });
    fireEvent.click(within(row).getByRole('button', { name: 'Unlink GitHub' }));
    expect(await within(row).findByRole('alert')).toHaveTextContent(/only way to sign in/);
    expect(mocks.unlinkIdentity).toHaveBeenCalledWith('github');
    expect(within(row).getByText('octo@example.test')).toBeInTheDocument();
  });

  it('unlinks an account', async () => {
    mocks.me = makeMe({ has_password: true, email: 'octo@example.test' });
    mocks.unlinkIdentity.mockResolvedValue(undefined);
    renderAt('/settings');
    const list = await linkedList();
    fireEvent.click(within(list).getByRole('button', { name: 'Unlink GitHub' }));
    expect(await screen.findByText('No linked accounts. Link one to sign in with it.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Link GitHub' })).toBeInTheDocument();
  });

  it('links a provider not linked yet by going to the URL the server gives', async () => {
    mocks.startLink.mockResolvedValue({ authorize_url: 'https://provider.example/authorize?state=s' });
    renderAt('/settings');
    await linkedList();
    fireEvent.click(screen.getByRole('button', { name: 'Link Google' }));
    await waitFor(() => expect(mocks.leaveFor).toHaveBeenCalledWith('https://provider.example/authorize?state=s'));
    expect(mocks.startLink).toHaveBeenCalledWith('google');
  });

  it('shows why a link failed after the redirect back', async () => {
    renderAt('/settings?error=identity_taken');
    expect(await screen.findByText(/linked to a Parley account already/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/linked to a Parley account already/)).not.toBeInTheDocument();
  });

  it('says so after a failed link', async () => {
    renderAt('/settings?error=oauth_failed');
    expect(await screen.findByText('Linking the account failed. Please try again.')).toBeInTheDocument();
  });
});

describe('SettingsPage password', () => {
  it('sets a first password without asking for a current one', async () => {
    mocks.setPassword.mockResolvedValue(undefined);
    renderAt('/settings');
    expect(screen.getByRole('heading', { name: 'Set a password' })).toBeInTheDocument();
    expect(screen.queryByLabelText('Current password')).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'Quiet-Lantern-4821' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByText('Password set. You can now sign in with it too.')).toBeInTheDocument();
    expect(mocks.setPassword).toHaveBeenCalledWith('Quiet-Lantern-4821');
    expect(mocks.changePassword).not.toHaveBeenCalled();
    expect(mocks.setMe).toHaveBeenCalledWith(expect.objectContaining({ has_password: true }));
  });

  it('asks for the current password when the account has one', () => {
    mocks.me = makeMe({ has_password: true });
    renderAt('/settings');
    expect(screen.getByRole('heading', { name: 'Password' })).toBeInTheDocument();
    expect(screen.getByLabelText('Current password')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Change password' })).toBeInTheDocument();
  });
});

describe('SettingsPage account deletion without a password', () => {
  it('offers a confirming sign-in that comes back to the final step', async () => {
    renderAt('/settings');
    const link = await screen.findByRole('link', { name: 'Confirm by signing in with GitHub again' });
    expect(link).toHaveAttribute('href', '/api/v1/auth/oauth/github?return_to=/settings%3Fconfirm_delete%3D1');
    expect(screen.queryByRole('button', { name: 'Delete account' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Password to confirm')).not.toBeInTheDocument();
  });

  it('deletes with no password right after signing in again', async () => {
    mocks.deleteAccount.mockResolvedValue(undefined);
    renderAt('/settings?confirm_delete=1');
    const button = screen.getByRole('button', { name: 'Delete account' });
    expect(button).toBeDisabled();
    fireEvent.click(screen.getByRole('checkbox', { name: 'I understand that this deletes my account for good' }));
    fireEvent.click(button);
    expect(await screen.findByText('explore page')).toBeInTheDocument();
    expect(mocks.deleteAccount).toHaveBeenCalledWith(undefined);
    expect(mocks.endSessionLocally).toHaveBeenCalled();
  });

  it('offers the sign-in again when the confirming one is too old', async () => {
    mocks.deleteAccount.mockRejectedValue(new ApiError(403, 'fresh_sign_in_required', 'x'));
    renderAt('/settings?confirm_delete=1');
    fireEvent.click(screen.getByRole('checkbox', { name: 'I understand that this deletes my account for good' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete account' }));
    expect(await screen.findByText(/sign in with your provider again/)).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Confirm by signing in with GitHub again' })).toBeInTheDocument();
  });
});
