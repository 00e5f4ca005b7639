import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockApi } from '../../../test/mockApi';
import { renderWithStore } from '../../../test/render';
import { SaveStyleDialog } from './SaveStyleDialog';

describe('SaveStyleDialog', () => {
  it('«Сохранить» with a field missing says what is missing at that field and goes there', async () => {
    const { calls } = mockApi({ 'POST /api/me/styles': { body: { style_id: 's1', title: 'x', prompt: 'y', base_style_id: null, created_at: '' } } });
    renderWithStore(<SaveStyleDialog initial={{ title: '', prompt: 'мрамор' }} onClose={() => undefined} />);
    const submit = screen.getByTestId('save-style-submit');
    // a disabled button told a keyboard or screen-reader user nothing about why
    expect(submit).toBeEnabled();
    const title = screen.getByLabelText('Название');
    const prompt = screen.getByLabelText('Описание сцены');
    expect(prompt).toHaveAccessibleDescription(/от 10 символов/);

    await userEvent.click(submit);
    expect(title).toHaveFocus();
    expect(title).toHaveAttribute('aria-invalid', 'true');
    expect(title).toHaveAccessibleDescription('Назовите стиль');
    expect(prompt).toHaveAttribute('aria-invalid', 'true');
    expect(prompt).toHaveAccessibleDescription(/хотя бы 10 символов/);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await userEvent.type(title, 'Мой мрамор');
    expect(title).not.toHaveAttribute('aria-invalid');
    await userEvent.click(submit);
    expect(prompt).toHaveFocus();
    await userEvent.type(prompt, ' и мягкий свет');
    await userEvent.click(submit);
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { title: 'Мой мрамор', prompt: 'мрамор и мягкий свет', base_style_id: null },
    ]);
  });
});
