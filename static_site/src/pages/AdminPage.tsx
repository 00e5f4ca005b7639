import { useState } from 'react';
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
  if (!user) return null;
  if (!user.is_admin) {
    return (
      <div className="container page">
        <Alert testId="admin-forbidden">Этот раздел доступен только администраторам.</Alert>
      </div>
    );
  }
  return (
    <div className="container page" data-testid="admin-page">
      <h1>Админка</h1>
      <div className={s.tabs} role="tablist">
        {TABS.map((t) => (
          <Button
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            size="small"
            variant={tab === t.id ? 'dark' : 'ghost'}
            onClick={() => setTab(t.id)}
            data-testid={`admin-tab-${t.id}`}
          >
            {t.label}
          </Button>
        ))}
      </div>
      {tab === 'stats' && <StatsPanel />}
      {tab === 'packages' && <PackagesEditor />}
      {tab === 'styles' && <StylesEditor />}
      {tab === 'orders' && <FlaggedOrders />}
    </div>
  );
}
