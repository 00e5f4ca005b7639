import type { User } from '../../../shared/types';
import { plural, PHOTOSHOOT_FORMS } from '../../../shared/format';
import { ButtonLink } from '../../../shared/ui';
import s from './profile.module.css';

export function ProfileSummary({ user }: { user: User }) {
  const name = user.first_name || user.username || 'Продавец';
  return (
    <div className={s.hero} data-testid="profile-summary">
      <div className={s.avatar}>{user.photo_url ? <img src={user.photo_url} alt="" /> : name.slice(0, 1).toUpperCase()}</div>
      <div className={s.heroText}>
        <div className={s.heroName}>{name}</div>
        {user.username && <div className={s.heroSub}>@{user.username}</div>}
      </div>
      <div>
        <div className={s.heroBalance} data-testid="profile-balance">
          {user.balance}
        </div>
        <div className={s.heroSub}>{plural(user.balance, PHOTOSHOOT_FORMS)} на балансе</div>
      </div>
      <ButtonLink to="/packages" variant="primary" data-testid="profile-buy-more">
        Купить ещё
      </ButtonLink>
    </div>
  );
}
