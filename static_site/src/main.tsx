import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { BrowserRouter } from 'react-router-dom';
import { App } from './app/App';
import { setupStore } from './app/store';
import { startTheme } from './app/theme';
import { captureFirstTouchUtm } from './features/auth/utm';
import './app/styles/global.css';

captureFirstTouchUtm(window.location.search);
// before the first render, so the page never shows in the other scheme
startTheme();

const store = setupStore();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Provider store={store}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </Provider>
  </StrictMode>,
);
