import { useGetStylesQuery } from '../stylesApi';
import { StyleCard } from './StyleCard';
import { Alert } from '../../../shared/ui';
import s from './styles.module.css';

/** The public style catalogue with previews (home page). */
export function StyleGallery({ limit }: { limit?: number }) {
  const { data: styles, isLoading, isError } = useGetStylesQuery();
  if (isError) return <Alert kind="warning">Не удалось загрузить каталог стилей. Обновите страницу чуть позже.</Alert>;
  if (isLoading || !styles) {
    return (
      <div className={`${s.grid} ${s.scroller}`} aria-busy>
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="skeleton" style={{ aspectRatio: '4 / 6' }} />
        ))}
      </div>
    );
  }
  return (
    // On a phone the row scrolls sideways and its cards have nothing to focus: the row itself
    // takes the focus (a named region), so the arrow keys can scroll it.
    <div className={`${s.grid} ${s.scroller}`} role="region" aria-label="Каталог стилей" tabIndex={0} data-testid="style-gallery">
      {(limit ? styles.slice(0, limit) : styles).map((style) => (
        <StyleCard key={style.style_id} style={style} />
      ))}
    </div>
  );
}
