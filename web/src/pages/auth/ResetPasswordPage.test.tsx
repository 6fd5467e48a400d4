// Component test of `/reset-password?token=…`: success goes to `/signin?reset=1` (which
// says the password was changed), an invalid token shows the message with a link to ask
// again, and mismatched passwords are caught before any request.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import ResetPasswordPage from './ResetPasswordPage';
import SignInPage from './SignInPage';

const mocks = vi.hoisted(() => ({ confirmPasswordReset: vi.fn(), endSessionLocally: vi.fn() }));

vi.mock('../../api/recovery', () => ({ confirmPasswordReset: mocks.confirmPasswordReset }));
vi.mock('../../api/identities', () => ({
  listProviders: vi.fn().mockResolvedValue({ items: [], next_cursor: null }),
}));
vi.mock('../../session/SessionContext', () => ({
  useSession: () => ({
    status: 'signed-out',
    signIn: vi.fn(),
    expiredMessage: null,
    clearExpiredMessage: vi.fn(),
    endSessionLocally: mocks.endSessionLocally,
  }),
}));

function renderAt(path: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path="/reset-password" element={<ResetPasswordPage />} />
          <Route path="/signin" element={<SignInPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

function fill(password: string, confirm: string) {
  fireEvent.change(screen.getByLabelText('New password'), { target: { value: password } });
  fireEvent.change(screen.getByLabelText('Confirm new password'), { target: { value: confirm } });
  fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
}

beforeEach(() => {
  mocks.confirmPasswordReset.mockReset();
  mocks.endSessionLocally.mockReset();
});

describe('ResetPasswordPage', () => {
  it('sets the password and goes to sign in with the success message', async () => {
    mocks.confirmPasswordReset.mockResolvedValue(undefined);
    renderAt('/reset-password?token=tok-1');
    fill('Quiet-Lantern-4821', 'Quiet-Lantern-4821');
    expect(await screen.findByText('Your password was changed. Sign in with the new one.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(mocks.confirmPasswordReset).toHaveBeenCalledWith('tok-1', 'Quiet-Lantern-4821');
  });

  it('explains an invalid token and links to asking again', async () => {
    mocks.confirmPasswordReset.mockRejectedValue(new ApiError(400, 'invalid_token', 'invalid token'));
    renderAt('/reset-password?token=used');
    fill('Quiet-Lantern-4821', 'Quiet-Lantern-4821');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This link is not valid any more');
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/forgot-password');
    expect(screen.queryByLabelText('New password')).not.toBeInTheDocument();
  });

  it('shows the server message beside the new password on 422', async () => {
    mocks.confirmPasswordReset.mockRejectedValue(
      new ApiError(422, 'validation_failed', 'invalid', { new_password: 'This password is too common.' }),
    );
    renderAt('/reset-password?token=tok-2');
    fill('password1', 'password1');
    expect(await screen.findByText('This password is too common.')).toBeInTheDocument();
  });

  it('catches mismatched passwords before sending', async () => {
    renderAt('/reset-password?token=tok-3');
    fill('Quiet-Lantern-4821', 'Quiet-Lantern-4822');
    expect(screen.getByText('The passwords do not match.')).toBeInTheDocument();
    expect(mocks.confirmPasswordReset).not.toHaveBeenCalled();
  });

  it('treats a link without a token as invalid', async () => {
    renderAt('/reset-password');
    expect(screen.getByRole('alert')).toHaveTextContent('This link is not valid any more');
  });
});
