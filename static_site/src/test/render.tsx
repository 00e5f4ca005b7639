import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { Provider } from 'react-redux';
import { MemoryRouter, Route, Routes, useLocation, useNavigationType } from 'react-router-dom';
import { setupStore, type AppStore, type RootState } from '../app/store';

export function LocationProbe() {
  const location = useLocation();
  // PUSH or REPLACE: whether Back would return to the page that moved away
  const navigation = useNavigationType();
  return (
    <div data-testid="location" data-navigation={navigation}>
      {location.pathname + location.search}
    </div>
  );
}

export function renderWithStore(
  ui: ReactElement,
  { route = '/', path = '*', preloadedState, store }: { route?: string; path?: string; preloadedState?: Partial<RootState>; store?: AppStore } = {},
) {
  const appStore = store ?? setupStore(preloadedState);
  const result = render(
    <Provider store={appStore}>
      <MemoryRouter initialEntries={[route]}>
        <Routes>
          <Route path={path} element={ui} />
          <Route path="*" element={null} />
        </Routes>
        <LocationProbe />
      </MemoryRouter>
    </Provider>,
  );
  return { store: appStore, ...result };
}

export function renderApp(route: string, preloadedState?: Partial<RootState>, AppComponent?: () => ReactElement) {
  const store = setupStore(preloadedState);
  const App = AppComponent!;
  const result = render(
    <Provider store={store}>
      <MemoryRouter initialEntries={[route]}>
        <App />
        <LocationProbe />
      </MemoryRouter>
    </Provider>,
  );
  return { store, ...result };
}
