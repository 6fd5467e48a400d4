// The app shell: skip link, navigation (sidebar on wide screens; top bar + bottom bar on
// phones), live unread badges for notifications and chat, and the <main> landmark.
import { useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { listConversations } from '../api/chat';
import { api } from '../api/client';
import type { Conversation, Page } from '../api/types';
import { useSocketEvent } from '../realtime/RealtimeContext';
import { useSession } from '../session/SessionContext';
import { NavIcon, type IconName } from './NavIcon';

interface NavItem {
  to: string;
  label: string;
  icon: IconName;
  badge?: number;
  end?: boolean;
}

type ConversationsData = Page<Conversation> | InfiniteData<Page<Conversation>>;

/** Sums unread counts whether ['conversations'] holds one page or infinite pages. */
export function totalUnread(data: ConversationsData | undefined): number {
  if (!data) return 0;
  const pages = 'pages' in data ? data.pages : [data];
  return pages.reduce((sum, p) => sum + (p?.items ?? []).reduce((s, c) => s + (c.unread_count ?? 0), 0), 0);
}

function useUnreadBadges(enabled: boolean, myId: string | null) {
  const queryClient = useQueryClient();
  const notifications = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: ({ signal }) => api.get<{ count: number }>('/notifications/unread_count', undefined, { signal }),
    enabled,
    staleTime: 60_000,
  });
  const conversations = useQuery<ConversationsData>({
    queryKey: ['conversations'],
    // The same fetch as the chat screen's, so the two never fight over the cache entry.
    queryFn: () => listConversations(),
    enabled,
    staleTime: 30_000,
  });

  useSocketEvent('notification', () => {
    queryClient.setQueryData<{ count: number }>(['notifications', 'unread'], (old) =>
      old ? { count: old.count + 1 } : old,
    );
    void queryClient.invalidateQueries({ queryKey: ['notifications'] });
  });
  useSocketEvent('message:new', () => {
    void queryClient.invalidateQueries({ queryKey: ['conversations'], exact: true });
  });
  useSocketEvent('read', (ev) => {
    // My own read marker moved (maybe on another device): unread counts changed.
    if (ev.user_id === myId) void queryClient.invalidateQueries({ queryKey: ['conversations'], exact: true });
  });

  return {
    notifications: notifications.data?.count ?? 0,
    chat: totalUnread(conversations.data),
  };
}

function Badge({ count, what }: { count: number; what: string }) {
  if (count <= 0) return null;
  return (
    <span className="badge" aria-label={`${count} unread ${what}`}>
      {count > 99 ? '99+' : count}
    </span>
  );
}

function NavItemLink({ item }: { item: NavItem }) {
  return (
    <NavLink to={item.to} end={item.end} className="nav-link">
      <NavIcon name={item.icon} />
      <span className="nav-label">{item.label}</span>
      {item.badge !== undefined ? <Badge count={item.badge} what={item.label.toLowerCase()} /> : null}
    </NavLink>
  );
}

export function Layout({ children }: { children?: ReactNode }) {
  const { status, me, signOut } = useSession();
  const navigate = useNavigate();
  const signedIn = status === 'signed-in' && me !== null;
  const badges = useUnreadBadges(signedIn, me?.id ?? null);

  const primary: NavItem[] = signedIn
    ? [
        { to: '/', label: 'Home', icon: 'home', end: true },
        { to: '/explore', label: 'Explore', icon: 'explore' },
        { to: '/search', label: 'Search', icon: 'search' },
        { to: '/notifications', label: 'Notifications', icon: 'bell', badge: badges.notifications },
        { to: '/chat', label: 'Chat', icon: 'chat', badge: badges.chat },
        { to: '/orgs', label: 'Support', icon: 'support' },
        { to: `/u/${me.username}`, label: 'Profile', icon: 'user' },
      ]
    : [
        { to: '/explore', label: 'Explore', icon: 'explore' },
        { to: '/orgs', label: 'Support', icon: 'support' },
      ];

  const handleSignOut = async () => {
    await signOut();
    navigate('/signin', { replace: true });
  };

  // Shown in the sidebar on wide screens and in the top bar on phones (only one is
  // visible at a time, so each accessible name appears once).
  const secondary = (
    <>
      {signedIn ? (
        <>
          <li>
            <NavItemLink item={{ to: '/settings', label: 'Settings', icon: 'settings' }} />
          </li>
          <li>
            <button type="button" className="nav-link" onClick={() => void handleSignOut()}>
              <NavIcon name="signout" />
              <span>Sign out</span>
            </button>
          </li>
        </>
      ) : status === 'signed-out' ? (
        <>
          <li>
            <NavItemLink item={{ to: '/signin', label: 'Sign in', icon: 'signin' }} />
          </li>
          <li>
            <NavItemLink item={{ to: '/signup', label: 'Sign up', icon: 'signup' }} />
          </li>
        </>
      ) : null}
    </>
  );

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to={signedIn ? '/' : '/explore'} className="brand">
          Parley
        </NavLink>
        <nav aria-label="Account">
          <ul className="row topbar-list">{secondary}</ul>
        </nav>
      </header>
      <nav className="sidenav" aria-label="Main">
        <NavLink to={signedIn ? '/' : '/explore'} className="brand">
          Parley
        </NavLink>
        <ul className="nav-list">
          {primary.map((item) => (
            <li key={item.to}>
              <NavItemLink item={item} />
            </li>
          ))}
        </ul>
        <ul className="nav-list nav-secondary">{secondary}</ul>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <div className="main-inner">{children ?? <Outlet />}</div>
      </main>
    </div>
  );
}

export default Layout;
