import { useGetConfigQuery } from '../features/catalogue/configApi';
import { PackageGrid } from '../features/packages/components/PackageGrid';
import { useGetPackagesQuery } from '../features/packages/packagesApi';
import { StylePreview } from '../features/styles/components/StyleCard';
import { StyleGallery } from '../features/styles/components/StyleGallery';
import { useGetStylesQuery } from '../features/styles/stylesApi';
import { countPhotoshoots, plural } from '../shared/format';
import type { Package } from '../shared/types';
import { ButtonLink } from '../shared/ui';
import { useNavigate } from 'react-router-dom';
import { useAppSelector } from '../app/hooks';
import { selectBalance, selectIsAuthenticated } from '../features/auth/authSlice';
import s from './HomePage.module.css';

const HOW_IT_WORKS = [
  { title: 'Загрузите фото', text: 'Подойдёт снимок на телефон: товар на столе, на полу, в руке.' },
  { title: 'Выберите стиль', text: 'AI подскажет подходящие сцены для вашего товара, или опишите свою.' },
  { title: 'Выберите формат', text: 'Карточка 3:4 для маркетплейса, квадрат, лента или баннер 16:9.' },
  { title: 'Скачайте фотосессию', text: 'Через минуту — готовые снимки в высоком разрешении, по одному или архивом.' },
];

/** The closing call for a visitor: log in (and take the sign-up gift, if there is one). */
function VisitorBand({ bonus }: { bonus: number }) {
  return (
    <div className={s.band} data-testid="home-band">
      <h2>{bonus > 0 ? 'Первая фотосессия — за наш счёт' : 'Попробуйте на своём товаре'}</h2>
      <p>
        {bonus > 0
          ? 'Войдите через Telegram и попробуйте на своём товаре. Карта не нужна.'
          : 'Войдите через Telegram в один клик и загрузите первое фото.'}
      </p>
      <ButtonLink to="/generate" variant="primary">
        Создать фотосессию
      </ButtonLink>
    </div>
  );
}

/** The closing call for a logged-in seller: the next photoshoot, or a package when none are left. */
function SellerBand({ balance }: { balance: number | null }) {
  if (balance === 0) {
    return (
      <div className={s.band} data-testid="home-band">
        <h2>Фотосессии закончились</h2>
        <p>Выберите пакет — фотосессии в нём не сгорают, а каждая следующая дешевле.</p>
        <ButtonLink to="/packages" variant="primary">
          Выбрать пакет
        </ButtonLink>
      </div>
    );
  }
  return (
    <div className={s.band} data-testid="home-band">
      <h2>Следующий товар — за минуту</h2>
      <p>
        {balance === null
          ? 'Загрузите фото товара и выберите стиль.'
          : `На балансе ${countPhotoshoots(balance)}. Загрузите фото товара и выберите стиль.`}
      </p>
      <ButtonLink to="/generate" variant="primary">
        Создать фотосессию
      </ButtonLink>
    </div>
  );
}

export default function HomePage() {
  const { data: config } = useGetConfigQuery();
  const { data: styles } = useGetStylesQuery();
  const { data: packages } = useGetPackagesQuery();
  const navigate = useNavigate();
  const authenticated = useAppSelector(selectIsAuthenticated);
  const balance = useAppSelector(selectBalance);
  // the sign-up gift is a pitch to visitors; a logged-in seller already has it (or spent it)
  const bonus = authenticated ? 0 : (config?.signup_bonus ?? 0);
  // the packages page opens the checkout for ?buy=<id> (and sends a visitor to log in first)
  const choose = (pkg: Package) => navigate(`/packages?buy=${encodeURIComponent(pkg.package_id)}`);
  const collage = (styles ?? []).slice(0, 3);
  const formatCount = config?.formats?.length || 4;

  return (
    <div>
      <section className={s.hero}>
        <div className={`container ${s.heroGrid}`}>
          <div className={s.heroText}>
            <span className={s.kicker}>
              <span className={s.kickerDot}>AI</span> Для продавцов Wildberries, Ozon и Яндекс Маркета
            </span>
            <h1>
              Студийные фото товара <span className="gradient-text">за минуту</span>
            </h1>
            <p className={s.lead}>
              Загрузите обычный снимок — получите фотосессию в нужном стиле и формате карточки. Без фотографа, студии
              и ретуши.
            </p>
            <div className={s.ctaRow}>
              <ButtonLink to="/generate" variant="primary" data-testid="home-cta">
                Создать фотосессию
              </ButtonLink>
              <ButtonLink to="/packages" variant="secondary">
                Тарифы
              </ButtonLink>
            </div>
            <div className={s.proof}>
              {bonus > 0 && (
                <span data-testid="home-signup-bonus">
                  <b>{countPhotoshoots(bonus)}</b> в подарок при входе
                </span>
              )}
              {authenticated && balance !== null && (
                <span data-testid="home-balance">
                  <b>{countPhotoshoots(balance)}</b> на балансе
                </span>
              )}
              <span>
                <b>~1 минута</b> на фотосессию
              </span>
              <span>
                <b>
                  {formatCount} {plural(formatCount, ['формат', 'формата', 'форматов'])}
                </b>{' '}
                для маркетплейсов
              </span>
            </div>
          </div>
          <div className={s.collage} aria-hidden>
            {collage.length
              ? collage.map((style) => (
                  <div key={style.style_id} className={s.shot}>
                    <StylePreview style={style} />
                  </div>
                ))
              : [0, 1, 2].map((i) => <div key={i} className={`${s.shot} skeleton`} />)}
          </div>
        </div>
      </section>

      <section className={s.section}>
        <div className="container">
          <div className={s.sectionHead}>
            <h2>Как это работает</h2>
            <p>Четыре шага — и у вашего товара готовая фотосессия.</p>
          </div>
          <ol className={s.steps} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {HOW_IT_WORKS.map((step, i) => (
              <li key={step.title} className={s.step}>
                <span className={s.stepNo}>{i + 1}</span>
                <h3>{step.title}</h3>
                <p>{step.text}</p>
              </li>
            ))}
          </ol>
        </div>
      </section>

      <section className={s.section} id="styles">
        <div className="container">
          <div className={s.sectionHead}>
            <h2>Стили фотосессий</h2>
            <p>От чистого белого фона для карточки до lifestyle-сцен. Или опишите свою — словами.</p>
          </div>
          <StyleGallery />
        </div>
      </section>

      {packages && packages.length > 0 && (
        <section className={s.section} id="packages">
          <div className="container">
            <div className={s.sectionHead}>
              <h2>Пакеты</h2>
              <p>Чем больше пакет, тем дешевле каждая фотосессия. Фотосессии не сгорают.</p>
            </div>
            <PackageGrid packages={packages} onBuy={choose} buyLabel="Выбрать" />
          </div>
        </section>
      )}

      <section className="container">
        {authenticated ? <SellerBand balance={balance} /> : <VisitorBand bonus={bonus} />}
      </section>
    </div>
  );
}
