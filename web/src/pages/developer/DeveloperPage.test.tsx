// Component test of the developer page: registering a host shows its secret once (with
// Copy, and a by-hand fallback without the Clipboard API) and adds it to the list; rotate
// and delete each wait for an inline confirmation; a host with a scheme is refused before
// any request; domain_taken sits beside the host; the examples use the page's origin.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { Domain, NewSecret } from '../../api/types';
import DeveloperPage from './DeveloperPage';

const mocks = vi.hoisted(() => ({
  listDomains: vi.fn(),
  registerDomain: vi.fn(),
  rotateSecret: vi.fn(),
  deleteDomain: vi.fn(),
}));

vi.mock('../../api/developer', () => mocks);

const domain: Domain = {
  id: 'd1',
  host: 'localhost:3000',
  tier: 'free',
  created_at: new Date().toISOString(),
  last_used_at: null,
};

function secret(client_secret: string): NewSecret {
  return { ...domain, client_secret };
}

function renderPage() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <DeveloperPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const secretField = () => screen.getByLabelText('Client secret') as HTMLInputElement;

async function register(host: string) {
  fireEvent.change(screen.getByLabelText('Host'), { target: { value: host } });
  fireEvent.click(screen.getByRole('button', { name: 'Register site' }));
}

beforeEach(() => {
  Object.values(mocks).forEach((m) => m.mockReset());
  mocks.listDomains.mockResolvedValue({ items: [], next_cursor: null });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('DeveloperPage', () => {
  it('registers a site, shows its secret once, rotates and deletes it after confirming', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    mocks.registerDomain.mockResolvedValue(secret('pcs_first'));
    renderPage();
    expect(await screen.findByText('No sites yet')).toBeInTheDocument();

    await register(' localhost:3000 ');
    expect(await screen.findByRole('heading', { name: 'Client secret for localhost:3000' })).toHaveFocus();
    expect(mocks.registerDomain).toHaveBeenCalledWith('localhost:3000', 'free');
    expect(secretField().value).toBe('pcs_first');
    expect(screen.getByText('it will not be shown again.')).toBeInTheDocument();
    const row = screen.getByRole('listitem', { name: 'localhost:3000' });
    expect(within(row).getByText('Free')).toBeInTheDocument();
    expect(within(row).getByText(/Last used/)).toHaveTextContent('Last used never');

    fireEvent.click(screen.getByRole('button', { name: 'Copy secret' }));
    expect(await screen.findByText('Copied to the clipboard.')).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith('pcs_first');

    // Rotate: nothing happens until confirmed.
    mocks.rotateSecret.mockResolvedValue(secret('pcs_second'));
    fireEvent.click(within(row).getByRole('button', { name: 'Rotate secret' }));
    expect(mocks.rotateSecret).not.toHaveBeenCalled();
    const confirmRotate = within(row).getByRole('group', { name: 'Confirm rotation' });
    fireEvent.click(within(confirmRotate).getByRole('button', { name: 'Yes, rotate' }));
    await waitFor(() => expect(secretField().value).toBe('pcs_second'));
    expect(mocks.rotateSecret).toHaveBeenCalledWith('d1');
    expect(screen.queryByRole('group', { name: 'Confirm rotation' })).not.toBeInTheDocument();

    // Delete: cancel first, then confirm; the list empties and the secret box goes.
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Cancel' }));
    expect(mocks.deleteDomain).not.toHaveBeenCalled();
    mocks.deleteDomain.mockResolvedValue(undefined);
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, delete' }));
    expect(await screen.findByText('No sites yet')).toBeInTheDocument();
    expect(mocks.deleteDomain).toHaveBeenCalledWith('d1');
    expect(screen.queryByLabelText('Client secret')).not.toBeInTheDocument();
    expect(mocks.listDomains).toHaveBeenCalledTimes(1);
  });

  it('selects the secret for copying by hand when there is no Clipboard API', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined });
    mocks.registerDomain.mockResolvedValue(secret('pcs_first'));
    renderPage();
    await screen.findByText('No sites yet');
    await register('localhost:3000');
    fireEvent.click(await screen.findByRole('button', { name: 'Copy secret' }));
    expect(await screen.findByText(/the secret is selected/)).toBeInTheDocument();
    expect(secretField().selectionEnd).toBe('pcs_first'.length);
  });

  it('refuses a scheme before sending and shows domain_taken beside the host', async () => {
    mocks.listDomains.mockResolvedValue({ items: [domain], next_cursor: null });
    renderPage();
    await screen.findByRole('listitem', { name: 'localhost:3000' });

    await register('https://shop.example.com');
    expect(await screen.findByText(/no http:\/\/, https:\/\/ or path/)).toBeInTheDocument();
    expect(mocks.registerDomain).not.toHaveBeenCalled();

    mocks.registerDomain.mockRejectedValue(new ApiError(409, 'domain_taken', 'taken'));
    fireEvent.change(screen.getByLabelText('Tier'), { target: { value: 'premium' } });
    await register('localhost:3000');
    expect(await screen.findByText('You have registered this host already.')).toBeInTheDocument();
    expect(mocks.registerDomain).toHaveBeenCalledWith('localhost:3000', 'premium');
    expect(screen.getByLabelText('Host')).toHaveAttribute('aria-invalid', 'true');
  });

  it("builds the examples from the page's origin", async () => {
    renderPage();
    await screen.findByText('No sites yet');
    const origin = window.location.origin;
    expect(screen.getByRole('figure', { name: 'The requests' })).toHaveTextContent(`POST ${origin}/open/v1/token`);
    expect(screen.getByRole('figure', { name: 'The requests' })).toHaveTextContent(`GET ${origin}/open/v1/tags/{tag}/posts`);
    expect(screen.getByRole('figure', { name: 'The requests' })).toHaveTextContent(`GET ${origin}/open/v1/posts/mine`);
    expect(screen.getByRole('figure', { name: 'The same in JavaScript' })).toHaveTextContent('client_secret');
    expect(screen.getByText(/30 minutes/)).toBeInTheDocument();
  });
});
