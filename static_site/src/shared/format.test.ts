import { describe, expect, it } from 'vitest';
import { formatEta, formatOrderAmount, formatRubles, plural, PHOTOSHOOT_FORMS, THIN_SPACE } from './format';
import { pricePerPhotoshootLabel, savingsPercent } from '../features/packages/pricing';
import { packages } from '../test/fixtures';

describe('formatRubles', () => {
  it('groups thousands with thin spaces and puts the ruble sign after a thin space', () => {
    expect(formatRubles(149000)).toBe(`1${THIN_SPACE}490${THIN_SPACE}₽`);
    expect(formatRubles(123456700)).toBe(`1${THIN_SPACE}234${THIN_SPACE}567${THIN_SPACE}₽`);
  });

  it('shows kopecks only when there are any', () => {
    expect(formatRubles(7450)).toBe(`74,50${THIN_SPACE}₽`);
    expect(formatRubles(9800)).toBe(`98${THIN_SPACE}₽`);
    expect(formatRubles(5)).toBe(`0,05${THIN_SPACE}₽`);
  });

  it('rounds fractional kopecks', () => {
    expect(formatRubles(2483.33)).toBe(`24,83${THIN_SPACE}₽`);
  });
});

describe('price per photoshoot', () => {
  it('uses the server price per photoshoot', () => {
    expect(pricePerPhotoshootLabel(packages[1])).toBe(`74,50${THIN_SPACE}₽ за фотосессию`);
  });

  it('computes it from the package when the server gave none', () => {
    expect(pricePerPhotoshootLabel({ price_kopecks: 100000, photoshoots: 3, price_per_photoshoot_kopecks: 0 })).toBe(
      `333,33${THIN_SPACE}₽ за фотосессию`,
    );
  });

  it('reports the saving against the most expensive package', () => {
    expect(savingsPercent(packages[1], packages)).toBe(24);
    expect(savingsPercent(packages[0], packages)).toBe(0);
  });
});

describe('plural', () => {
  it.each([
    [1, 'фотосессия'],
    [2, 'фотосессии'],
    [5, 'фотосессий'],
    [11, 'фотосессий'],
    [21, 'фотосессия'],
    [104, 'фотосессии'],
    [0, 'фотосессий'],
  ])('%i → %s', (n, word) => {
    expect(plural(n, PHOTOSHOOT_FORMS)).toBe(word);
  });
});

describe('formatEta', () => {
  it('shows seconds under a minute and minutes above', () => {
    expect(formatEta(25)).toBe(`≈${THIN_SPACE}25${THIN_SPACE}с`);
    expect(formatEta(125)).toBe(`≈${THIN_SPACE}3${THIN_SPACE}мин`);
    expect(formatEta(null)).toBe('');
  });
});

describe('formatOrderAmount', () => {
  it('shows roubles for YooKassa orders and stars for bot orders', () => {
    expect(formatOrderAmount({ amount_kopecks: 79900, currency: 'RUB' })).toBe(`799${THIN_SPACE}₽`);
    expect(formatOrderAmount({ amount_kopecks: 0, amount_stars: 1250, currency: 'XTR' })).toBe(
      `1${THIN_SPACE}250${THIN_SPACE}⭐`,
    );
  });
});
