import { ButtonLink } from '../shared/ui';

export default function NotFoundPage() {
  return (
    <div className="container page" style={{ textAlign: 'center', paddingTop: 80 }}>
      <p className="gradient-text" style={{ fontSize: 72, fontWeight: 800, letterSpacing: '-0.04em' }}>
        404
      </p>
      <h1 className="page-title">Такой страницы нет</h1>
      <p className="page-lead" style={{ margin: '0 auto 24px' }}>
        Возможно, ссылка устарела. Начните с главной или сразу создайте фотосессию.
      </p>
      <ButtonLink to="/" variant="primary">
        На главную
      </ButtonLink>
    </div>
  );
}
