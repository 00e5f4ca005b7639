import { describe, expect, it } from 'vitest';
import {
  editedFields,
  emptyPackageForm,
  emptyStyleForm,
  hasErrors,
  packageToForm,
  parsePackageForm,
  parseStyleForm,
  reapplyEdit,
  rublesToKopecks,
} from './catalogueForms';

describe('package form', () => {
  it('turns rubles into integer kopecks', () => {
    expect(rublesToKopecks('1490')).toBe(149_000);
    expect(rublesToKopecks('990,5')).toBe(99_050);
    expect(rublesToKopecks('1 490,00 ₽')).toBe(149_000);
    expect(rublesToKopecks('0')).toBeNull();
    expect(rublesToKopecks('-5')).toBeNull();
    expect(rublesToKopecks('9.999')).toBeNull();
  });

  it('round-trips a package and validates like the server', () => {
    const form = packageToForm({
      package_id: 'seller', title: 'Продавец', description: null, photoshoots: 10, price_kopecks: 99_000,
      price_per_photoshoot_kopecks: 9_900, images_per_photoshoot: 4, stars_price: null, popular: true, active: true, sort: 2, version: 3,
    });
    const parsed = parsePackageForm(form);
    expect(hasErrors(parsed.errors)).toBe(false);
    expect(parsed.changes).toMatchObject({ price_kopecks: 99_000, photoshoots: 10, stars_price: null, popular: true, sort: 2, description: null });

    const bad = parsePackageForm({ ...emptyPackageForm(), package_id: 'Bad Id', photoshoots: '0', price_rubles: 'abc' });
    expect(Object.keys(bad.errors).sort()).toEqual(['package_id', 'photoshoots', 'price_rubles', 'title']);
  });
});

describe('style form', () => {
  it('splits tags and refuses an unsafe preview link', () => {
    const parsed = parseStyleForm({ ...emptyStyleForm(), style_id: 'neon', title: 'Неон', prompt: 'neon', tags: 'свет, ночь, свет', preview_url: 'javascript:alert(1)' });
    expect(parsed.changes.tags).toEqual(['свет', 'ночь']);
    expect(Object.keys(parsed.errors)).toEqual(['preview_url']);
  });
});

describe('an edit refused for a conflict', () => {
  it('re-applies only the fields the admin changed, on top of the latest version', () => {
    const loaded = { ...emptyPackageForm(), package_id: 'start', title: 'Старт', price_rubles: '299,00', sort: '1' };
    const draft = { ...loaded, price_rubles: '590,50', popular: true };
    const latest = { ...loaded, title: 'Старт+', sort: '5' }; // what the other admin saved

    const edit = { fields: editedFields(loaded, draft), draft };

    expect(edit.fields.sort()).toEqual(['popular', 'price_rubles']);
    expect(reapplyEdit(latest, edit)).toEqual({ ...latest, price_rubles: '590,50', popular: true });
  });
});
