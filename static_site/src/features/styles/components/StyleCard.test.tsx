import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { styles } from '../../../test/fixtures';
import { mockApi } from '../../../test/mockApi';
import { renderWithStore } from '../../../test/render';
import { StyleCard, StylePreview } from './StyleCard';
import { StyleGallery } from './StyleGallery';

describe('StyleCard', () => {
  it('a style to pick is named once: its example photo does not repeat the title printed under it', () => {
    render(<StyleCard style={styles[1]} compact selected={false} radio={{ role: 'radio', 'aria-checked': false }} />);
    expect(screen.getByRole('radio', { checked: false })).toHaveAccessibleName('Мрамор');
  });

  it('the example photo alone (no title beside it) is described by the style', () => {
    render(<StylePreview style={styles[1]} />);
    expect(screen.getByRole('img')).toHaveAccessibleName('Мрамор');
  });
});

describe('StyleGallery', () => {
  it('the sideways-scrolling row is a named region the keyboard can focus (and so scroll)', async () => {
    mockApi({ 'GET /api/styles': { body: { items: styles } } });
    renderWithStore(<StyleGallery />);
    const row = await screen.findByRole('region', { name: 'Каталог стилей' });
    expect(row).toHaveAttribute('tabindex', '0');
    expect(row).toBe(screen.getByTestId('style-gallery'));
  });
});
