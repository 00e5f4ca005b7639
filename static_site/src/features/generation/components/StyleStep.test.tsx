import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { CatalogueStyle, SavedStyle, StyleSuggestion } from '../../../shared/types';
import type { StyleChoice } from '../draftSlice';
import { StyleStep } from './StyleStep';

// the catalogue's size in production: twelve styles, each once a Tab stop of its own
const catalogue: CatalogueStyle[] = Array.from({ length: 12 }, (_, i) => ({
  style_id: `s${i}`, title: `Стиль ${i + 1}`, description: `Сцена ${i + 1}`, prompt: '', tags: [], preview_url: '',
}));
const saved: SavedStyle[] = [{ style_id: 'my1', title: 'Мой мрамор', prompt: 'мрамор и капли', base_style_id: 's1', created_at: '' }];
const suggestions: StyleSuggestion[] = [{ style_id: 's3', score: 0.9, reason: 'Подчеркнёт стекло' }];

function Harness({ initial = null, withSuggestions = true }: { initial?: StyleChoice | null; withSuggestions?: boolean }) {
  const [choice, setChoice] = useState<StyleChoice | null>(initial);
  return (
    <>
      <button type="button">До</button>
      <StyleStep
        styles={catalogue}
        saved={saved}
        suggestions={withSuggestions ? suggestions : []}
        choice={choice}
        onChoose={setChoice}
        analyzing={false}
      />
      <button type="button">После</button>
      <output data-testid="choice">{JSON.stringify(choice)}</output>
    </>
  );
}

const choice = () => JSON.parse(screen.getByTestId('choice').textContent || 'null');

describe('the style step with the keyboard and a screen reader', () => {
  it('is one Tab stop that lands on the chosen style; the next Tab goes to the description box', async () => {
    render(<Harness initial={{ kind: 'style', style_id: 's7' }} />);
    screen.getByRole('button', { name: 'До' }).focus();
    await userEvent.tab();
    expect(screen.getByTestId('style-option-s7')).toHaveFocus();
    await userEvent.tab();
    expect(screen.getByTestId('custom-prompt-input')).toHaveFocus();
    await userEvent.tab({ shift: true });
    expect(screen.getByTestId('style-option-s7')).toHaveFocus();
    await userEvent.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'До' })).toHaveFocus();
    const group = screen.getByRole('radiogroup', { name: 'Стиль' });
    const stops = within(group).getAllByRole('radio').filter((r) => r.getAttribute('tabindex') === '0');
    expect(stops).toEqual([screen.getByTestId('style-option-s7')]);
  });

  it('with nothing chosen the Tab stop is the first option', async () => {
    render(<Harness withSuggestions={false} />);
    screen.getByRole('button', { name: 'До' }).focus();
    await userEvent.tab();
    expect(screen.getByTestId('saved-style-option-my1')).toHaveFocus();
    expect(choice()).toBeNull();
    await userEvent.keyboard(' ');
    expect(choice()).toEqual({ kind: 'saved', saved_style_id: 'my1' });
  });

  it('names each option once and says which is chosen', () => {
    render(<Harness initial={{ kind: 'style', style_id: 's3' }} />);
    const group = screen.getByRole('radiogroup', { name: 'Стиль' });
    // the suggestion and its catalogue tile are the same style: both read as chosen
    const chosen = within(group).getAllByRole('radio', { checked: true });
    expect(chosen.map((r) => r.getAttribute('data-testid'))).toEqual(['style-suggestion-s3', 'style-option-s3']);
    expect(chosen[0]).toHaveAccessibleName('Стиль 4');
    expect(chosen[0]).toHaveAccessibleDescription('Подчеркнёт стекло 90% совпадение');
    expect(screen.getByTestId('style-option-s0')).toHaveAccessibleName('Стиль 1');
    expect(screen.getByTestId('style-option-s0')).toHaveAccessibleDescription('Сцена 1');
    expect(screen.getByTestId('saved-style-option-my1')).toHaveAccessibleName('Мой мрамор');
    expect(screen.getByTestId('saved-style-option-my1')).toHaveAccessibleDescription('мрамор и капли');
    expect(within(group).getByRole('radio', { name: 'Своими словами', checked: false })).toHaveAccessibleDescription(/хотя бы 10 символов/);
    expect(within(group).getAllByRole('radio')).toHaveLength(1 + 1 + 12 + 1);
  });

  it('the arrows move and choose, wrapping at the ends; Home and End go to the first and last', async () => {
    render(<Harness initial={{ kind: 'style', style_id: 's0' }} />);
    screen.getByTestId('style-option-s0').focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByTestId('style-option-s1')).toHaveFocus();
    expect(choice()).toEqual({ kind: 'style', style_id: 's1' });
    expect(screen.getByTestId('style-option-s1')).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByTestId('style-option-s0')).toHaveAttribute('aria-checked', 'false');
    await userEvent.keyboard('{ArrowUp}{ArrowLeft}');
    expect(screen.getByTestId('saved-style-option-my1')).toHaveFocus();
    expect(choice()).toEqual({ kind: 'saved', saved_style_id: 'my1' });
    await userEvent.keyboard('{Home}');
    expect(screen.getByTestId('style-suggestion-s3')).toHaveFocus();
    expect(choice()).toEqual({ kind: 'style', style_id: 's3' });
    await userEvent.keyboard('{ArrowLeft}');
    expect(screen.getByTestId('style-option-custom-radio')).toHaveFocus();
    expect(choice()).toEqual({ kind: 'custom', prompt: '' });
    await userEvent.keyboard('{ArrowDown}');
    expect(screen.getByTestId('style-suggestion-s3')).toHaveFocus();
    await userEvent.keyboard('{End}');
    expect(screen.getByTestId('style-option-custom-radio')).toHaveFocus();
    expect(screen.getByTestId('style-option-custom-radio')).toHaveAttribute('aria-checked', 'true');
  });

  it('Tab leaves from the copy of a suggested style the seller arrowed to, not back into the group', async () => {
    render(<Harness initial={{ kind: 'style', style_id: 's2' }} />);
    screen.getByTestId('style-option-s2').focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByTestId('style-option-s3')).toHaveFocus();
    await userEvent.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'До' })).toHaveFocus();
    await userEvent.tab();
    expect(screen.getByTestId('style-option-s3')).toHaveFocus();
  });

  it('a description written, then left for a style and come back to with the arrows, is still there', async () => {
    render(<Harness initial={{ kind: 'style', style_id: 's11' }} />);
    await userEvent.type(screen.getByTestId('custom-prompt-input'), 'мокрый чёрный камень');
    expect(choice()).toEqual({ kind: 'custom', prompt: 'мокрый чёрный камень' });
    screen.getByTestId('style-option-custom-radio').focus();
    await userEvent.keyboard('{ArrowLeft}');
    expect(choice()).toEqual({ kind: 'style', style_id: 's11' });
    expect(screen.getByTestId('custom-prompt-input')).toHaveValue('');
    await userEvent.keyboard('{ArrowRight}');
    expect(choice()).toEqual({ kind: 'custom', prompt: 'мокрый чёрный камень' });
    expect(screen.getByTestId('custom-prompt-input')).toHaveValue('мокрый чёрный камень');
  });

  it('«Своими словами» chosen on purpose stays chosen while its box is emptied to write anew', async () => {
    render(<Harness initial={{ kind: 'style', style_id: 's0' }} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Своими словами' }));
    const box = screen.getByTestId('custom-prompt-input');
    await userEvent.type(box, 'фон');
    await userEvent.clear(box);
    expect(choice()).toEqual({ kind: 'custom', prompt: '' });
    expect(screen.getByRole('radio', { name: 'Своими словами' })).toHaveAttribute('aria-checked', 'true');
  });

  it('a style suggested while the focus rests on another option opens no second Tab stop beside it', async () => {
    const step = (suggested: StyleSuggestion[], chosen: StyleChoice | null) => (
      <>
        <button type="button">До</button>
        <StyleStep styles={catalogue} saved={[]} suggestions={suggested} choice={chosen} onChoose={() => undefined} analyzing={false} />
      </>
    );
    const { rerender } = render(step([], null));
    screen.getByRole('button', { name: 'До' }).focus();
    await userEvent.tab();
    expect(screen.getByTestId('style-option-s0')).toHaveFocus();
    // the analysis ends: the best suggestion is chosen for the seller
    rerender(step(suggestions, { kind: 'style', style_id: 's3' }));
    const stops = screen.getAllByRole('radio').filter((r) => r.getAttribute('tabindex') === '0');
    expect(stops).toEqual([screen.getByTestId('style-option-s0')]);
    await userEvent.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'До' })).toHaveFocus();
    // gone from the group, its Tab stop is the chosen style again
    expect(screen.getByTestId('style-suggestion-s3')).toHaveAttribute('tabindex', '0');
  });

  it('a mouse or a finger picks a tile as before', async () => {
    render(<Harness />);
    await userEvent.click(screen.getByTestId('style-option-s5'));
    expect(choice()).toEqual({ kind: 'style', style_id: 's5' });
    expect(screen.getByTestId('style-option-s5')).toHaveAttribute('data-selected', 'true');
    expect(screen.getByTestId('style-option-s5')).toHaveAttribute('tabindex', '0');
  });

  it('Alt+← (the browser\'s Back) is left to the browser', async () => {
    render(<Harness initial={{ kind: 'style', style_id: 's1' }} />);
    screen.getByTestId('style-option-s1').focus();
    await userEvent.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    expect(choice()).toEqual({ kind: 'style', style_id: 's1' });
  });
});
