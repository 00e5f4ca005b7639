import { useAppSelector } from '../app/hooks';
import { selectUser } from '../features/auth/authSlice';
import { GenerationHistory } from '../features/generation/components/GenerationHistory';
import { OrderHistory } from '../features/payments/components/OrderHistory';
import { ProfileSummary } from '../features/profile/components/ProfileSummary';
import { Settings } from '../features/profile/components/Settings';
import s from '../features/profile/components/profile.module.css';
import { SavedStylesManager } from '../features/styles/components/SavedStylesManager';
import { useGetStylesQuery } from '../features/styles/stylesApi';
import { Card, Spinner } from '../shared/ui';

export default function ProfilePage() {
  const user = useAppSelector(selectUser);
  const { data: styles = [] } = useGetStylesQuery();

  if (!user) {
    return (
      <div className="container page" style={{ display: 'grid', placeItems: 'center', minHeight: 240 }}>
        <Spinner />
      </div>
    );
  }

  return (
    <div className="container page">
      <h1 className="page-title" style={{ marginBottom: 20 }}>
        Профиль
      </h1>
      <div className={s.col}>
        <ProfileSummary user={user} />
        <div className={s.grid}>
          <div className={s.col}>
            <Card>
              <div className={s.sectionHead}>
                <h2 className={s.sectionTitle}>Мои фотосессии</h2>
              </div>
              <GenerationHistory styles={styles} />
            </Card>
            <Card>
              <div className={s.sectionHead}>
                <h2 className={s.sectionTitle}>Покупки</h2>
              </div>
              <OrderHistory />
            </Card>
          </div>
          <div className={s.col}>
            <Card>
              <div className={s.sectionHead}>
                <h2 className={s.sectionTitle}>Мои стили</h2>
              </div>
              <SavedStylesManager />
            </Card>
            <Card>
              <div className={s.sectionHead}>
                <h2 className={s.sectionTitle}>Настройки</h2>
              </div>
              <Settings user={user} />
            </Card>
          </div>
        </div>
      </div>
    </div>
  );
}
