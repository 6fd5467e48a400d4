// Component test of the settings e-mail badge: "Verified" without a button, or "Not
// verified" with "Send confirmation mail", which posts and then says it was sent.
import { fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/types';
import { EmailVerification } from './EmailVerification';

const mocks = vi.hoisted(() => ({ requestEmailVerification: vi.fn() }));

vi.mock('../../api/recovery', () => ({ requestEmailVerification: mocks.requestEmailVerification }));

function me(email_verified: boolean): Me {
  return {
    id: 'u1',
    username: 'alice',
    display_name: 'Alice',
    bio: '',
    status_message: '',
    avatar_url: null,
    created_at: new Date().toISOString(),
    followers_count: 0,
    following_count: 0,
    posts_count: 0,
    online: true,
    last_seen_at: null,
    email: 'alice@example.com',
    has_password: true,
    email_verified,
    role: 'user',
  };
}

beforeEach(() => {
  mocks.requestEmailVerification.mockReset();
});

describe('EmailVerification', () => {
  it('shows "Verified" and no button once verified', () => {
    render(<EmailVerification me={me(true)} />);
    expect(screen.getByText('Verified')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send confirmation mail' })).not.toBeInTheDocument();
  });

  it('sends the confirmation mail when not verified', async () => {
    mocks.requestEmailVerification.mockResolvedValue(undefined);
    render(<EmailVerification me={me(false)} />);
    expect(screen.getByText('Not verified')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Send confirmation mail' }));
    expect(await screen.findByText('Sent — check your inbox.')).toBeInTheDocument();
    expect(mocks.requestEmailVerification).toHaveBeenCalledTimes(1);
  });
});
