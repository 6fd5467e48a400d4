// The route table (docs/web-client.md), inside the app shell. Pages are lazy-loaded so
// each area ships as its own chunk.
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { Layout } from './components/Layout';
import { Spinner } from './components/Spinner';
import { RequireAuth } from './session/SessionContext';

const SignInPage = lazy(() => import('./pages/auth/SignInPage'));
const SignUpPage = lazy(() => import('./pages/auth/SignUpPage'));
const ForgotPasswordPage = lazy(() => import('./pages/auth/ForgotPasswordPage'));
const ResetPasswordPage = lazy(() => import('./pages/auth/ResetPasswordPage'));
const VerifyEmailPage = lazy(() => import('./pages/auth/VerifyEmailPage'));
const HomePage = lazy(() => import('./pages/feed/HomePage'));
const ExplorePage = lazy(() => import('./pages/feed/ExplorePage'));
const TagPage = lazy(() => import('./pages/feed/TagPage'));
const PostPage = lazy(() => import('./pages/post/PostPage'));
const ProfilePage = lazy(() => import('./pages/profile/ProfilePage'));
const FollowListPage = lazy(() => import('./pages/profile/FollowListPage'));
const SearchPage = lazy(() => import('./pages/search/SearchPage'));
const NotificationsPage = lazy(() => import('./pages/notifications/NotificationsPage'));
const ChatPage = lazy(() => import('./pages/chat/ChatPage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));
const DeveloperPage = lazy(() => import('./pages/developer/DeveloperPage'));
const OrgDirectoryPage = lazy(() => import('./pages/support/OrgDirectoryPage'));
const OrgPage = lazy(() => import('./pages/support/OrgPage'));
const OrgSettingsPage = lazy(() => import('./pages/support/OrgSettingsPage'));
const MyConsultationsPage = lazy(() => import('./pages/support/MyConsultationsPage'));
const InboxPage = lazy(() => import('./pages/support/InboxPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

export default function App() {
  return (
    <Suspense fallback={<Spinner label="Loading page" />}>
      <Routes>
        <Route element={<Layout />}>
          <Route path="/signin" element={<SignInPage />} />
          <Route path="/signup" element={<SignUpPage />} />
          <Route path="/forgot-password" element={<ForgotPasswordPage />} />
          <Route path="/reset-password" element={<ResetPasswordPage />} />
          <Route path="/verify-email" element={<VerifyEmailPage />} />
          <Route path="/explore" element={<ExplorePage />} />
          <Route path="/posts/:id" element={<PostPage />} />
          <Route path="/u/:username" element={<ProfilePage />} />
          <Route path="/u/:username/followers" element={<FollowListPage kind="followers" />} />
          <Route path="/u/:username/following" element={<FollowListPage kind="following" />} />
          <Route path="/tags/:tag" element={<TagPage />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/orgs" element={<OrgDirectoryPage />} />
          <Route path="/orgs/:slug" element={<OrgPage />} />
          <Route element={<RequireAuth />}>
            <Route path="/" element={<HomePage />} />
            <Route path="/notifications" element={<NotificationsPage />} />
            <Route path="/chat" element={<ChatPage />} />
            <Route path="/chat/:id" element={<ChatPage />} />
            <Route path="/settings" element={<SettingsPage />} />
            <Route path="/developer" element={<DeveloperPage />} />
            <Route path="/orgs/:slug/settings" element={<OrgSettingsPage />} />
            <Route path="/orgs/:slug/inbox" element={<InboxPage />} />
            <Route path="/orgs/:slug/inbox/:id" element={<InboxPage />} />
            <Route path="/consultations" element={<MyConsultationsPage />} />
            <Route path="/consultations/:slug/:id" element={<MyConsultationsPage />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
