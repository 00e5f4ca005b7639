import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { Provider } from 'react-redux';
import { MemoryRouter, useNavigate } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupStore } from '../../app/store';
import { config } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { resetMetrikaForTests } from './metrika';
import { useAnalyticsBootstrap } from './useAnalyticsBootstrap';

const LANDING = '/?utm_source=yandex&utm_medium=cpc&utm_campaign=spring&yclid=123456';
const ORIGIN = window.location.origin;

const hits = () => (window.ym?.a ?? []).filter((call) => call[1] === 'hit').map((call) => call.slice(2));

function Shell() {
  useAnalyticsBootstrap();
  const navigate = useNavigate();
  return (
    <>
      <button data-testid="go-packages" onClick={() => navigate('/packages?buy=start')} />
      <button data-testid="tidy" onClick={() => navigate('/packages', { replace: true })} />
      <button data-testid="go-profile" onClick={() => navigate('/profile')} />
    </>
  );
}

// the app runs under StrictMode in development, which runs every effect twice
function renderShell(route: string) {
  return render(
    <StrictMode>
      <Provider store={setupStore()}>
        <MemoryRouter initialEntries={[route]}>
          <Shell />
        </MemoryRouter>
      </Provider>
    </StrictMode>,
  );
}

describe('analytics bootstrap', () => {
  beforeEach(() => {
    Object.defineProperty(document, 'referrer', { value: 'https://yandex.ru/search/?text=photo', configurable: true });
    mockApi({ 'GET /api/config': { body: { ...config, metrika_counter_id: '12345' } } });
  });
  afterEach(() => {
    resetMetrikaForTests();
    Reflect.deleteProperty(document, 'referrer');
  });

  it('sends exactly one page view for the landing, with its UTM and yclid and the external referrer', async () => {
    renderShell(LANDING);
    await waitFor(() => expect(window.ym?.a?.[0]?.[1]).toBe('init'));
    expect(hits()).toEqual([[`${ORIGIN}${LANDING}`, { referer: 'https://yandex.ru/search/?text=photo' }]]);
  });

  it('sends one page view per navigation with the previous URL as referer, none for a replace that tidies the query', async () => {
    renderShell(LANDING);
    await waitFor(() => expect(window.ym?.a?.[0]?.[1]).toBe('init'));
    act(() => screen.getByTestId('go-packages').click());
    act(() => screen.getByTestId('tidy').click());
    act(() => screen.getByTestId('go-profile').click());
    expect(hits()).toEqual([
      [`${ORIGIN}${LANDING}`, { referer: 'https://yandex.ru/search/?text=photo' }],
      [`${ORIGIN}/packages?buy=start`, { referer: `${ORIGIN}${LANDING}` }],
      [`${ORIGIN}/profile`, { referer: `${ORIGIN}/packages` }],
    ]);
  });
});
