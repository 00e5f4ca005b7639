import type { CSSProperties } from 'react';
import type { Package } from '../../../shared/types';
import { formatRubles, plural, PHOTOSHOOT_FORMS } from '../../../shared/format';
import { Badge, Button } from '../../../shared/ui';
import { pricePerPhotoshootKopecks, savingsPercent, sortPackages } from '../pricing';
import s from './packages.module.css';

interface PackageGridProps {
  packages: Package[];
  onBuy?: (pkg: Package) => void;
  busyId?: string | null;
  buyLabel?: string;
  /** The cards' titles: h2 on a page of their own, h3 inside a section of the home page. */
  headingLevel?: 2 | 3;
}

/** Cards on mobile; the same cards become columns of a comparison table on desktop. */
export function PackageGrid({ packages, onBuy, busyId, buyLabel = 'Купить', headingLevel = 3 }: PackageGridProps) {
  const sorted = sortPackages(packages);
  const Title = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className={s.compare} style={{ '--cols': sorted.length } as CSSProperties} data-testid="packages-list">
      <div className={s.labels} aria-hidden>
        <div />
        <div>Фотосессий</div>
        <div>Фото в каждой</div>
        <div>Цена за фотосессию</div>
        <div>Стоимость пакета</div>
        <div />
      </div>
      {sorted.map((pkg, i) => {
        const save = savingsPercent(pkg, sorted);
        return (
          <article
            key={pkg.package_id}
            className={`${s.card} ${pkg.popular ? s.popular : ''}`}
            style={{ animationDelay: `${i * 60}ms` }}
            data-testid={`package-card-${pkg.package_id}`}
            data-popular={pkg.popular ? 'true' : 'false'}
          >
            <div className={s.head}>
              <div className={s.titleRow}>
                <Title className={s.title}>{pkg.title}</Title>
                {pkg.popular && (
                  <Badge hot data-testid={`package-popular-${pkg.package_id}`}>
                    Популярный
                  </Badge>
                )}
              </div>
              {pkg.description && <p className={s.desc}>{pkg.description}</p>}
              <div className={s.price} data-testid={`package-price-${pkg.package_id}`}>
                {formatRubles(pkg.price_kopecks)}
              </div>
            </div>
            <div className={s.row}>
              <span className={s.rowLabel}>Фотосессий</span>
              <span className={s.value}>{pkg.photoshoots}</span>
            </div>
            <div className={s.row}>
              <span className={s.rowLabel}>Фото в каждой</span>
              <span className={s.value}>{pkg.images_per_photoshoot}</span>
            </div>
            <div className={s.row}>
              <span className={s.rowLabel}>Цена за фотосессию</span>
              <span className={s.value}>
                <span data-testid={`package-per-shoot-${pkg.package_id}`}>{formatRubles(pricePerPhotoshootKopecks(pkg))}</span>
                {save > 0 && <span className={s.save}>−{save}%</span>}
              </span>
            </div>
            <div className={s.row}>
              <span className={s.rowLabel}>Стоимость пакета</span>
              <span className={s.value}>{formatRubles(pkg.price_kopecks)}</span>
            </div>
            <div className={s.buy}>
              {onBuy && (
                <Button
                  variant={pkg.popular ? 'primary' : 'dark'}
                  block
                  loading={busyId === pkg.package_id}
                  onClick={() => onBuy(pkg)}
                  // four «Купить» in a screen reader's list of buttons: each says which package
                  aria-label={`${buyLabel} пакет «${pkg.title}»`}
                  data-testid={`package-buy-${pkg.package_id}`}
                >
                  {buyLabel}
                </Button>
              )}
            </div>
          </article>
        );
      })}
    </div>
  );
}

export function OwnedBalance({ balance }: { balance: number }) {
  return (
    <div className={s.owned} data-testid="packages-owned">
      <span className={s.ownedNumber}>{balance}</span>
      <span>
        {balance > 0 ? (
          <>
            {plural(balance, PHOTOSHOOT_FORMS)} на балансе. <span className="muted">Новые добавятся к ним и не сгорают.</span>
          </>
        ) : (
          <>фотосессий на балансе. Выберите пакет, чтобы продолжить.</>
        )}
      </span>
    </div>
  );
}
