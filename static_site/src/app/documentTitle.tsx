import { useEffect, type ReactNode } from 'react';

/** The home page keeps the title index.html ships with (what search results and shares show). */
export const HOME_TITLE = 'Photoshoot — AI-фотосессии для товаров';

/** «Пакеты фотосессий — Photoshoot»: the page first, so tabs and history tell pages apart. */
export function pageTitle(page: string): string {
  return `${page} — Photoshoot`;
}

/** A route's page with its browser-tab title; the title is set on entering the route. */
export function Titled({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = title;
  }, [title]);
  return <>{children}</>;
}
