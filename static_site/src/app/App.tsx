import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { Layout } from './Layout';
import { HOME_TITLE, pageTitle, Titled } from './documentTitle';
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
        <Route
          index
          element={
            <Titled title={HOME_TITLE}>
              <HomePage />
            </Titled>
          }
        />
        <Route
          path="login"
          element={
            <Titled title={pageTitle('Вход')}>
              <LoginPage />
            </Titled>
          }
        />
        <Route
          path="packages"
          element={
            <Titled title={pageTitle('Пакеты фотосессий')}>
              <PackagesPage />
            </Titled>
          }
        />
        <Route
          path="generate"
          element={
            <Titled title={pageTitle('Новая фотосессия')}>
              <RequireAuth>
                <GeneratePage />
              </RequireAuth>
            </Titled>
          }
        />
        {/* the history lives in the profile; a trimmed /generations/<id> link lands there */}
        <Route path="generations" element={<Navigate to="/profile" replace />} />
        <Route
          path="generations/:id"
          element={
            <Titled title={pageTitle('Фотосессия')}>
              <RequireAuth>
                <GenerationPage />
              </RequireAuth>
            </Titled>
          }
        />
        <Route
          path="payment/result"
          element={
            <Titled title={pageTitle('Оплата')}>
              <RequireAuth>
                <PaymentResultPage />
              </RequireAuth>
            </Titled>
          }
        />
        <Route
          path="profile"
          element={
            <Titled title={pageTitle('Профиль')}>
              <RequireAuth>
                <ProfilePage />
              </RequireAuth>
            </Titled>
          }
        />
        <Route
          path="admin"
          element={
            <Titled title={pageTitle('Админка')}>
              <RequireAuth>
                <AdminPage />
              </RequireAuth>
            </Titled>
          }
        />
        <Route
          path="*"
          element={
            <Titled title={pageTitle('Страница не найдена')}>
              <NotFoundPage />
            </Titled>
          }
        />
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
