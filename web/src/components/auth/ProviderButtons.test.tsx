// Component test of the provider sign-in links: one "Continue with …" link per configured
// provider pointing at the server's start URL with the return path encoded (and
// `remember`), and nothing at all, not even the divider, when none is configured.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ProviderButtons } from './ProviderButtons';

const mocks = vi.hoisted(() => ({ listProviders: vi.fn() }));

vi.mock('../../api/identities', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/identities')>()),
  listProviders: mocks.listProviders,
}));

function renderButtons(props: { returnTo: string; remember?: boolean }) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <ProviderButtons {...props} />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  mocks.listProviders.mockReset();
});

describe('ProviderButtons', () => {
  it('links each provider to its start URL with the return path encoded', async () => {
    mocks.listProviders.mockResolvedValue({
      items: [
        { name: 'github', display_name: 'GitHub' },
        { name: 'kakao', display_name: 'Kakao' },
      ],
      next_cursor: null,
    });
    renderButtons({ returnTo: '/posts/1?x=a&b=c' });
    const github = await screen.findByRole('link', { name: 'Continue with GitHub' });
    expect(github).toHaveAttribute('href', '/api/v1/auth/oauth/github?return_to=/posts/1%3Fx%3Da%26b%3Dc');
    expect(screen.getByRole('link', { name: 'Continue with Kakao' })).toHaveAttribute(
      'href',
      '/api/v1/auth/oauth/kakao?return_to=/posts/1%3Fx%3Da%26b%3Dc',
    );
    expect(screen.getByText('or')).toBeInTheDocument();
  });

  it('asks for a long session when "Remember me" is ticked', async () => {
    mocks.listProviders.mockResolvedValue({ items: [{ name: 'github', display_name: 'GitHub' }], next_cursor: null });
    renderButtons({ returnTo: '/', remember: true });
    expect(await screen.findByRole('link', { name: 'Continue with GitHub' })).toHaveAttribute(
      'href',
      '/api/v1/auth/oauth/github?return_to=/&remember=true',
    );
  });

  it('renders nothing when no provider is configured', async () => {
    mocks.listProviders.mockResolvedValue({ items: [], next_cursor: null });
    const { container } = renderButtons({ returnTo: '/' });
    await vi.waitFor(() => expect(mocks.listProviders).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 0));
    expect(container).toBeEmptyDOMElement();
    expect(screen.queryByText('or')).not.toBeInTheDocument();
  });
});
