// Component test of the sign-in page's provider parts: the banner after a failed provider
// sign-in (`?error=oauth_failed`), and the provider link keeping `?next=` and "Remember me".
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import SignInPage from './SignInPage';

const mocks = vi.hoisted(() => ({ listProviders: vi.fn() }));

vi.mock('../../api/identities', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/identities')>()),
  listProviders: mocks.listProviders,
}));
vi.mock('../../session/SessionContext', () => ({
  useSession: () => ({
    status: 'signed-out',
    signIn: vi.fn(),
    expiredMessage: null,
    clearExpiredMessage: vi.fn(),
  }),
}));

function renderAt(path: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <SignInPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  mocks.listProviders.mockReset();
  mocks.listProviders.mockResolvedValue({ items: [{ name: 'github', display_name: 'GitHub' }], next_cursor: null });
});

describe('SignInPage with providers', () => {
  it('says so when signing in with the provider failed', async () => {
    renderAt('/signin?error=oauth_failed');
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Signing in with the provider failed. Try again, or use your password.',
    );
    expect(await screen.findByRole('link', { name: 'Continue with GitHub' })).toBeInTheDocument();
  });

  it('shows no banner without the error', async () => {
    renderAt('/signin');
    await screen.findByRole('link', { name: 'Continue with GitHub' });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('keeps the page to return to and "Remember me" in the provider link', async () => {
    renderAt('/signin?next=%2Fsettings');
    const link = await screen.findByRole('link', { name: 'Continue with GitHub' });
    expect(link).toHaveAttribute('href', '/api/v1/auth/oauth/github?return_to=/settings');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Remember me' }));
    expect(link).toHaveAttribute('href', '/api/v1/auth/oauth/github?return_to=/settings&remember=true');
  });
});
