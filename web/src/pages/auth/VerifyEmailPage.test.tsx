// Component test of `/verify-email?token=…`: confirms once on load even under strict mode,
// refreshes `me` when signed in, and explains an invalid token.
import { render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { SessionStatus } from '../../session/SessionContext';
import VerifyEmailPage from './VerifyEmailPage';

const mocks = vi.hoisted(() => ({
  verifyEmail: vi.fn(),
  getSession: vi.fn(),
  setMe: vi.fn(),
  status: 'signed-out' as string,
}));

vi.mock('../../api/recovery', () => ({ verifyEmail: mocks.verifyEmail }));
vi.mock('../../api/auth', () => ({ getSession: mocks.getSession }));
vi.mock('../../session/SessionContext', () => ({
  useSession: () => ({ status: mocks.status, setMe: mocks.setMe }),
}));

function renderAt(path: string, status: SessionStatus = 'signed-out') {
  mocks.status = status;
  render(
    <StrictMode>
      <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <VerifyEmailPage />
      </MemoryRouter>
    </StrictMode>,
  );
}

beforeEach(() => {
  mocks.verifyEmail.mockReset();
  mocks.getSession.mockReset();
  mocks.setMe.mockReset();
});

describe('VerifyEmailPage', () => {
  it('confirms the address once, signed out', async () => {
    mocks.verifyEmail.mockResolvedValue(undefined);
    renderAt('/verify-email?token=v-1');
    expect(await screen.findByText('Your e-mail address is confirmed.')).toBeInTheDocument();
    expect(mocks.verifyEmail).toHaveBeenCalledTimes(1);
    expect(mocks.verifyEmail).toHaveBeenCalledWith('v-1');
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/signin');
    expect(mocks.getSession).not.toHaveBeenCalled();
  });

  it('refreshes me when signed in', async () => {
    mocks.verifyEmail.mockResolvedValue(undefined);
    const user = { username: 'alice', email_verified: true };
    mocks.getSession.mockResolvedValue({ user });
    renderAt('/verify-email?token=v-2', 'signed-in');
    expect(await screen.findByText('Your e-mail address is confirmed.')).toBeInTheDocument();
    await waitFor(() => expect(mocks.setMe).toHaveBeenCalledWith(user));
    expect(mocks.getSession).toHaveBeenCalledTimes(1);
  });

  it('explains an invalid token', async () => {
    mocks.verifyEmail.mockRejectedValue(new ApiError(400, 'invalid_token', 'invalid token'));
    renderAt('/verify-email?token=v-3');
    expect(await screen.findByRole('alert')).toHaveTextContent('This link is not valid any more');
    expect(mocks.verifyEmail).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('Your e-mail address is confirmed.')).not.toBeInTheDocument();
  });
});
