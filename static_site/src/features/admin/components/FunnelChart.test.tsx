import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FunnelChart } from './FunnelChart';
import type { DayStats } from '../types';

const zero = { signup: 0, generation_start: 0, generation_complete: 0, payment_start: 0, payment_success: 0, payment_refund: 0, revenue_kopecks: 0, refunded_kopecks: 0, signup_paid: 0, signup_tracked: 0 };

describe('FunnelChart', () => {
  it('draws one revenue bar per day, the tallest for the best day, and both lines', () => {
    const days: DayStats[] = [
      { day: '2026-03-01', ...zero, signup: 3, revenue_kopecks: 49_000 },
      { day: '2026-03-02', ...zero, signup: 1, payment_success: 1, revenue_kopecks: 149_000 },
      { day: '2026-03-03', ...zero },
    ];
    render(<FunnelChart days={days} />);
    const chart = screen.getByRole('img', { name: /Выручка, регистрации и оплаты по дням, 3 дн\./ });
    const bars = screen.getAllByTestId('admin-chart-bar');
    expect(bars).toHaveLength(3);
    const heights = bars.map((b) => Number(b.getAttribute('height')));
    expect(heights[1]).toBeGreaterThan(heights[0]);
    expect(heights[2]).toBe(0);
    expect(bars[1]).toHaveAttribute('data-value', '149000');
    expect(screen.getByTestId('admin-chart-signup').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ L/);
    expect(screen.getByTestId('admin-chart-paid')).toBeInTheDocument();
    expect(chart.textContent).toContain('01.03');
  });

  it('renders an empty period without NaN', () => {
    const { container } = render(<FunnelChart days={[]} />);
    expect(container.innerHTML).not.toContain('NaN');
  });
});
