import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Dialog, Field } from './index';

describe('Field', () => {
  it('ties its hint to the control, so a screen reader reads it on the field', () => {
    render(
      <Field label="Почта" htmlFor="mail" hint="Для чеков">
        <input id="mail" />
      </Field>,
    );
    const input = screen.getByLabelText('Почта');
    expect(input).toHaveAccessibleDescription('Для чеков');
    expect(input).not.toHaveAttribute('aria-invalid');
  });

  it('an error marks the control invalid and is read with it, before the hint', () => {
    render(
      <Field label="Почта" htmlFor="mail" hint="Для чеков" error="Проверьте адрес почты" errorTestId="mail-error">
        <input id="mail" aria-describedby="extra" />
      </Field>,
    );
    const input = screen.getByLabelText('Почта');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.getAttribute('aria-describedby')!.split(' ')).toEqual(['mail-error', 'mail-hint', 'extra']);
    expect(input).toHaveAccessibleDescription('Проверьте адрес почты Для чеков');
    expect(screen.getByTestId('mail-error')).toHaveAttribute('role', 'alert');
  });
});

describe('Dialog', () => {
  it('its title is a level-2 heading: over a page whose top is the h1, an h3 skipped a level', () => {
    render(
      <Dialog title="Подтверждение заказа" onClose={() => undefined}>
        <p>…</p>
      </Dialog>,
    );
    expect(screen.getByRole('dialog', { name: 'Подтверждение заказа' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Подтверждение заказа' })).toBeInTheDocument();
  });
});
