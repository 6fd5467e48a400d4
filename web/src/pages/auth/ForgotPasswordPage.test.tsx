// Component test of "Forgot your password?": the same confirmation whether the request
// succeeds or fails, so the page never tells whether an account exists.
import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import ForgotPasswordPage, { RESET_SENT_MESSAGE } from './ForgotPasswordPage';

const mocks = vi.hoisted(() => ({ requestPasswordReset: vi.fn() }));

vi.mock('../../api/recovery', () => ({ requestPasswordReset: mocks.requestPasswordReset }));

function renderPage() {
  render(
    <MemoryRouter initialEntries={['/forgot-password']} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <ForgotPasswordPage />
    </MemoryRouter>,
  );
}

async function submit(login: string) {
  fireEvent.change(screen.getByLabelText('Username or email'), { target: { value: login } });
  fireEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
  return screen.findByRole('status');
}

beforeEach(() => {
  mocks.requestPasswordReset.mockReset();
});

describe('ForgotPasswordPage', () => {
  it('shows the confirmation after the request is accepted', async () => {
    mocks.requestPasswordReset.mockResolvedValue(undefined);
    renderPage();
    expect(await submit('  alice ')).toHaveTextContent(RESET_SENT_MESSAGE);
    expect(mocks.requestPasswordReset).toHaveBeenCalledWith('alice');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the same confirmation when the request fails', async () => {
    mocks.requestPasswordReset.mockRejectedValue(new ApiError(404, 'not_found', 'no such user'));
    renderPage();
    expect(await submit('nobody')).toHaveTextContent(RESET_SENT_MESSAGE);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('asks for a login before sending anything', () => {
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(screen.getByText('Enter your username or email.')).toBeInTheDocument();
    expect(mocks.requestPasswordReset).not.toHaveBeenCalled();
  });
});
