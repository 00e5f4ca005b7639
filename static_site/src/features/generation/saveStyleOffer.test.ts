import { describe, expect, it } from 'vitest';
import { isStyleSaved, suggestedStyleTitle } from './saveStyleOffer';

describe('the name «Сохранить стиль» suggests', () => {
  it('reads right whatever the gender of the style title', () => {
    expect(suggestedStyleTitle({ styleTitle: 'Вода' })).toBe('Мой стиль «Вода»');
    expect(suggestedStyleTitle({ styleTitle: 'Кухня' })).toBe('Мой стиль «Кухня»');
    expect(suggestedStyleTitle({ styleTitle: 'Дерево' })).toBe('Мой стиль «Дерево»');
    expect(suggestedStyleTitle({ styleTitle: 'Мрамор' })).toBe('Мой стиль «Мрамор»');
  });

  it('names a description of ones own by its first words, not «Свой стиль — мой»', () => {
    expect(suggestedStyleTitle({ styleTitle: 'Свой стиль', customPrompt: '  розовый фон с цветами ' })).toBe('Розовый фон с цветами');
    const long = suggestedStyleTitle({ customPrompt: 'флакон на мокром чёрном камне, капли воды, мягкий контровой свет' });
    expect(long).toBe('Флакон на мокром чёрном камне…');
    expect(long.length).toBeLessThanOrEqual(33);
    expect(suggestedStyleTitle({ styleTitle: null, customPrompt: null })).toBe('Мой стиль');
  });

  it('fits the 60-character title field', () => {
    expect(suggestedStyleTitle({ styleTitle: 'Ж'.repeat(80) }).length).toBeLessThanOrEqual(60);
  });
});

describe('a style already kept', () => {
  const saved = [{ style_id: 's1', title: 'Мой стиль «Вода»', prompt: 'Вода и блики  подчеркнут свежесть', base_style_id: 'water', created_at: '' }];

  it('is the same description on the same base style', () => {
    expect(isStyleSaved(saved, ' Вода и блики подчеркнут свежесть', 'water')).toBe(true);
    expect(isStyleSaved(saved, 'Вода и блики подчеркнут свежесть', 'marble')).toBe(false);
    expect(isStyleSaved(saved, 'Другая сцена', 'water')).toBe(false);
    expect(isStyleSaved([{ ...saved[0], base_style_id: null, prompt: 'розовый фон с цветами' }], 'розовый фон с цветами', null)).toBe(true);
  });
});
