import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { Provider } from 'react-redux';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { setupStore, type AppStore, type RootState } from '../app/store';

export function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.pathname + location.search}</div>;
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
