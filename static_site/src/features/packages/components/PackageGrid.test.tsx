import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { packages } from '../../../test/fixtures';
import { PackageGrid } from './PackageGrid';

describe('PackageGrid', () => {
  it('each «Купить» says which package it buys (a screen reader lists buttons out of their cards)', () => {
    render(<PackageGrid packages={packages} onBuy={() => undefined} />);
    expect(screen.getByTestId('package-buy-start')).toHaveAccessibleName('Купить пакет «Старт»');
    expect(screen.getByTestId('package-buy-business')).toHaveAccessibleName('Купить пакет «Бизнес»');
    expect(screen.getByTestId('package-buy-start')).toHaveTextContent('Купить');
  });

  it('titles are h2 on a page of their own and h3 inside a section', () => {
    const { unmount } = render(<PackageGrid packages={packages} headingLevel={2} />);
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual(['Старт', 'Бизнес']);
    unmount();
    render(<PackageGrid packages={packages} />);
    expect(screen.getAllByRole('heading', { level: 3 })).toHaveLength(2);
  });
});
