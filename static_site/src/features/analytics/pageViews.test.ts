import { describe, expect, it } from 'vitest';
import { nextPageView, type ReportedPage } from './pageViews';

const ORIGIN = 'https://photoshoot.example';
const at = (key: string, path: string, hash = '') => {
  const [pathname, query] = path.split('?');
  return { key, pathname, search: query ? `?${query}` : '', hash };
};

describe('page views', () => {
  it('the landing is a view with its full URL and the external referrer', () => {
    const { view } = nextPageView(null, at('default', '/?utm_source=yandex&yclid=123456'), 'POP', ORIGIN, 'https://yandex.ru/');
    expect(view).toEqual({ url: `${ORIGIN}/?utm_source=yandex&yclid=123456`, referer: 'https://yandex.ru/' });
  });

  it('a navigation is one view with the previous URL as referer; the same location again is none', () => {
    const landing = nextPageView(null, at('default', '/'), 'POP', ORIGIN, '').reported;
    const next = nextPageView(landing, at('k1', '/packages'), 'PUSH', ORIGIN, '');
    expect(next.view).toEqual({ url: `${ORIGIN}/packages`, referer: `${ORIGIN}/` });
    expect(nextPageView(next.reported, at('k1', '/packages'), 'PUSH', ORIGIN, '').view).toBeNull();
  });

  it('a replace that only changes the query is not a new page, but later referers use the new address', () => {
    const back: ReportedPage = { key: 'k2', pathname: '/packages', search: '?buy=start', url: `${ORIGIN}/packages?buy=start` };
    const tidy = nextPageView(back, at('k3', '/packages'), 'REPLACE', ORIGIN, '');
    expect(tidy.view).toBeNull();
    expect(nextPageView(tidy.reported, at('k4', '/profile'), 'PUSH', ORIGIN, '').view).toEqual({
      url: `${ORIGIN}/profile`,
      referer: `${ORIGIN}/packages`,
    });
  });

  it('a redirect to another path (to log in) is a page view; a change of the hash alone is not', () => {
    const landing = nextPageView(null, at('default', '/generate'), 'POP', ORIGIN, '').reported;
    const login = nextPageView(landing, at('k1', '/login?next=%2Fgenerate'), 'REPLACE', ORIGIN, '');
    expect(login.view?.url).toBe(`${ORIGIN}/login?next=%2Fgenerate`);
    expect(nextPageView(login.reported, at('k2', '/login?next=%2Fgenerate', '#code'), 'PUSH', ORIGIN, '').view).toBeNull();
  });
});
