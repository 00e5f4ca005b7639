import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { Layout } from './Layout';
import { RequireAuth } from '../features/auth/components/RequireAuth';
import { useSessionBootstrap } from '../features/auth/useSessionBootstrap';
import { useAnalyticsBootstrap } from '../features/analytics/useAnalyticsBootstrap';
import { RealtimeProvider } from '../features/realtime/RealtimeProvider';

const HomePage = lazy(() => import('../pages/HomePage'));
const LoginPage = lazy(() => import('../pages/LoginPage'));
const GeneratePage = lazy(() => import('../pages/GeneratePage'));
const GenerationPage = lazy(() => import('../pages/GenerationPage'));
const PackagesPage = lazy(() => import('../pages/PackagesPage'));
const PaymentResultPage = lazy(() => import('../pages/PaymentResultPage'));
const ProfilePage = lazy(() => import('../pages/ProfilePage'));
const NotFoundPage = lazy(() => import('../pages/NotFoundPage'));
const AdminPage = lazy(() => import('../pages/AdminPage'));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="packages" element={<PackagesPage />} />
        <Route
          path="generate"
          element={
            <RequireAuth>
              <GeneratePage />
            </RequireAuth>
          }
        />
        {/* the history lives in the profile; a trimmed /generations/<id> link lands there */}
        <Route path="generations" element={<Navigate to="/profile" replace />} />
        <Route
          path="generations/:id"
          element={
            <RequireAuth>
              <GenerationPage />
            </RequireAuth>
          }
        />
        <Route
          path="payment/result"
          element={
            <RequireAuth>
              <PaymentResultPage />
            </RequireAuth>
          }
        />
        <Route
          path="profile"
          element={
            <RequireAuth>
              <ProfilePage />
            </RequireAuth>
          }
        />
        <Route
          path="admin"
          element={
            <RequireAuth>
              <AdminPage />
            </RequireAuth>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  useSessionBootstrap();
  useAnalyticsBootstrap();
  return (
    <RealtimeProvider>
      <AppRoutes />
    </RealtimeProvider>
  );
}
