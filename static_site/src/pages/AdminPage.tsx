import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useAppSelector } from '../app/hooks';
import { selectUser } from '../features/auth/authSlice';
import { FlaggedOrders } from '../features/admin/components/FlaggedOrders';
import { PackagesEditor } from '../features/admin/components/PackagesEditor';
import { StatsPanel } from '../features/admin/components/StatsPanel';
import { StylesEditor } from '../features/admin/components/StylesEditor';
import s from '../features/admin/components/admin.module.css';
import { Alert, Button } from '../shared/ui';

const TABS = [
  { id: 'stats', label: 'Статистика' },
  { id: 'packages', label: 'Пакеты' },
  { id: 'styles', label: 'Стили' },
  { id: 'orders', label: 'Заказы на проверке' },
] as const;

type Tab = (typeof TABS)[number]['id'];

export default function AdminPage() {
  const user = useAppSelector(selectUser);
  const [tab, setTab] = useState<Tab>('stats');
  const ids = useId();
  const tablist = useRef<HTMLDivElement>(null);
  if (!user) return null;
  if (!user.is_admin) {
    return (
      <div className="container page">
        <Alert testId="admin-forbidden">Этот раздел доступен только администраторам.</Alert>
      </div>
    );
  }
  const moveTab = (e: KeyboardEvent, index: number) => {
    const keys: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    if (!(e.key in keys)) return;
    e.preventDefault();
    const next = TABS[(keys[e.key] + TABS.length) % TABS.length];
    setTab(next.id);
    tablist.current?.querySelector<HTMLElement>(`[data-testid="admin-tab-${next.id}"]`)?.focus();
  };
  return (
    <div className="container page" data-testid="admin-page">
      <h1>Админка</h1>
      {/* WAI-ARIA tabs: one Tab stop for the row, the arrows (and Home/End) move between tabs */}
      <div className={s.tabs} role="tablist" aria-label="Разделы админки" ref={tablist}>
        {TABS.map((t, index) => (
          <Button
            key={t.id}
            id={`${ids}-tab-${t.id}`}
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`${ids}-panel`}
            tabIndex={tab === t.id ? 0 : -1}
            size="small"
            variant={tab === t.id ? 'dark' : 'ghost'}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => moveTab(e, index)}
            data-testid={`admin-tab-${t.id}`}
          >
            {t.label}
          </Button>
        ))}
      </div>
      <div role="tabpanel" id={`${ids}-panel`} aria-labelledby={`${ids}-tab-${tab}`}>
        {tab === 'stats' && <StatsPanel />}
        {tab === 'packages' && <PackagesEditor />}
        {tab === 'styles' && <StylesEditor />}
        {tab === 'orders' && <FlaggedOrders />}
      </div>
    </div>
  );
}
