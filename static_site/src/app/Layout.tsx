import { Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, NavLink, Outlet } from 'react-router-dom';
import { useAppSelector } from './hooks';
import { selectIsAuthenticated, selectUser } from '../features/auth/authSlice';
import { MiniAppLoginNotice } from '../features/auth/components/MiniAppLoginNotice';
import { useTelegramChrome } from '../features/telegram/useTelegramChrome';
import { ButtonLink, Spinner } from '../shared/ui';
import { plural, PHOTOSHOOT_FORMS } from '../shared/format';
import { useFocusPageOnNavigate } from './useFocusPageOnNavigate';
import { useScrollToTopOnNavigate } from './useScrollToTopOnNavigate';
import s from './Layout.module.css';

function BalancePill({ balance }: { balance: number }) {
  const [bump, setBump] = useState(false);
  const previous = useRef(balance);
  useEffect(() => {
    if (previous.current !== balance) {
      previous.current = balance;
      setBump(true);
      const t = setTimeout(() => setBump(false), 700);
      return () => clearTimeout(t);
    }
  }, [balance]);
  return (
    <Link
      to="/packages"
      className={`${s.balance} ${bump ? s.bump : ''}`}
      data-testid="header-balance"
      data-balance={balance}
      title="Баланс фотосессий"
    >
      <span className={s.balanceIcon} aria-hidden>
        ✦
      </span>
      <span data-testid="header-balance-value">{balance}</span>
      <span className={s.balanceLabel}>{plural(balance, PHOTOSHOOT_FORMS)}</span>
    </Link>
  );
}

const icons: Record<string, ReactNode> = {
  home: <path d="M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z" />,
  create: (
    <>
      <rect x="3" y="6" width="18" height="14" rx="3" />
      <circle cx="12" cy="13" r="3.5" />
      <path d="M8 6l1.5-2.5h5L16 6" />
    </>
  ),
  packages: (
    <>
      <path d="M3 8l9-5 9 5-9 5z" />
      <path d="M3 8v8l9 5 9-5V8" />
    </>
  ),
  profile: (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c1.5-4 4.5-6 8-6s6.5 2 8 6" />
    </>
  ),
  admin: (
    <>
      <path d="M4 20V10M10 20V4M16 20v-7M22 20H2" />
    </>
  ),
};

function TabIcon({ name }: { name: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" strokeLinecap="round">
      {icons[name]}
    </svg>
  );
}

interface NavItem {
  to: string;
  label: string;
  icon: string;
  end?: boolean;
}

const links: NavItem[] = [
  { to: '/', label: 'Главная', icon: 'home', end: true },
  { to: '/generate', label: 'Создать', icon: 'create' },
  { to: '/packages', label: 'Пакеты', icon: 'packages' },
  { to: '/profile', label: 'Профиль', icon: 'profile' },
];

export function Layout() {
  useScrollToTopOnNavigate();
  const main = useRef<HTMLElement>(null);
  useFocusPageOnNavigate(main);
  const telegram = useTelegramChrome();
  const authenticated = useAppSelector(selectIsAuthenticated);
  const user = useAppSelector(selectUser);
  const initial = (user?.first_name || user?.username || '•').slice(0, 1).toUpperCase();
  const isAdmin = authenticated && Boolean(user?.is_admin);
  const tabs: NavItem[] = isAdmin ? [...links, { to: '/admin', label: 'Админка', icon: 'admin' }] : links;

  return (
    <>
      <a
        href="#main"
        className="skip-link"
        onClick={(e) => {
          // focused in place: a #main in the address would be one more history entry
          e.preventDefault();
          main.current?.focus();
        }}
        data-testid="skip-link"
      >
        Перейти к содержанию
      </a>
      <header className={s.header} style={telegram.header}>
        <div className={`container ${s.bar}`}>
          <Link to="/" className={s.logo} aria-label="Photoshoot — на главную">
            <span className={s.logoMark} aria-hidden>
              <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="#fff" strokeWidth="2.4">
                <circle cx="12" cy="13" r="5" />
                <path d="M7 5h5" strokeLinecap="round" />
              </svg>
            </span>
            Photoshoot
          </Link>
          <nav className={s.nav} aria-label="Основное меню">
            {links.slice(1).map((l) => (
              <NavLink key={l.to} to={l.to} className={({ isActive }) => `${s.navLink} ${isActive ? s.navActive : ''}`}>
                {l.label}
              </NavLink>
            ))}
            {isAdmin && (
              <NavLink to="/admin" className={({ isActive }) => `${s.navLink} ${isActive ? s.navActive : ''}`} data-testid="header-admin">
                Админка
              </NavLink>
            )}
          </nav>
          <div className={s.spacer} />
          <div className={s.right}>
            {authenticated ? (
              <>
                {user && <BalancePill balance={user.balance} />}
                <Link to="/profile" className={s.avatar} data-testid="header-profile" aria-label="Профиль">
                  {user?.photo_url ? <img src={user.photo_url} alt="" /> : initial}
                </Link>
              </>
            ) : (
              <ButtonLink to="/login" size="small" data-testid="header-login">
                Войти
              </ButtonLink>
            )}
          </div>
        </div>
      </header>
      <main ref={main} id="main" tabIndex={-1} className={s.main}>
        <MiniAppLoginNotice />
        <Suspense
          fallback={
            <div className="container page" style={{ display: 'grid', placeItems: 'center', minHeight: '40vh' }}>
              <Spinner />
            </div>
          }
        >
          <Outlet />
        </Suspense>
      </main>
      <footer className={s.footer}>
        <div className={`container ${s.footerRow}`}>
          <span>© {new Date().getFullYear()} Photoshoot — AI-фотосессии для продавцов маркетплейсов</span>
          <span>
            <Link to="/packages">Тарифы</Link> · <Link to="/generate">Создать фотосессию</Link>
          </span>
        </div>
      </footer>
      <nav className={s.tabbar} aria-label="Навигация" style={telegram.tabbar}>
        {tabs.map((l) => (
          <NavLink
            key={l.to}
            to={l.to}
            end={l.end}
            className={({ isActive }) => `${s.tab} ${isActive ? s.tabActive : ''}`}
            data-testid={`tab-${l.icon}`}
          >
            <TabIcon name={l.icon} />
            {l.label}
          </NavLink>
        ))}
      </nav>
    </>
  );
}
