import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
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
    const chart = screen.getByRole('img', { name: /Оплачено и возвращено, регистрации и оплаты по дням, 3 дн\./ });
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

  it('labels the count axis with distinct whole numbers when the busiest day had one sign-up', () => {
    render(<FunnelChart days={[{ day: '2026-03-01', ...zero, signup: 1, payment_success: 1, revenue_kopecks: 100 }]} />);
    const counts = screen.getAllByTestId('admin-chart-tick-count').map((t) => t.textContent);
    expect(counts).toEqual(['0', '1']); // was 0, 1, 1
    const money = screen.getAllByTestId('admin-chart-tick-revenue').map((t) => t.textContent);
    expect(new Set(money).size).toBe(money.length);
  });

  it('draws a refund beside the paid bar of its day', () => {
    render(<FunnelChart days={[{ day: '2026-03-01', ...zero, payment_success: 1, revenue_kopecks: 29_900, refunded_kopecks: 10_000 }]} />);
    expect(screen.getByTestId('admin-chart-bar')).toHaveAttribute('data-value', '29900');
    expect(screen.getByTestId('admin-chart-refund')).toHaveAttribute('data-value', '10000');
    expect(screen.getByTestId('admin-chart')).toHaveTextContent('Оплачено (до возвратов)');
  });

  it('on a phone draws at the width it has, so labels keep their size and do not crowd', () => {
    // the figure measures 330 px, as in a card on a 390 px phone
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(330);
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        disconnect() {}
      },
    );
    const days = Array.from({ length: 30 }, (_, i) => ({ day: `2026-03-${String(i + 1).padStart(2, '0')}`, ...zero, signup: i % 3 }));
    try {
      render(<FunnelChart days={days} />);
      const svg = screen.getByRole('img');
      // one SVG unit is one CSS pixel: a 720-wide drawing scaled into 330 px shrank 11 px text to 5 px
      expect(svg.getAttribute('viewBox')).toBe('0 0 330 240');
      const labels = screen.getAllByTestId('admin-chart-day');
      expect(labels.length).toBeLessThanOrEqual(6);
      const xs = labels.map((l) => Number(l.getAttribute('x')));
      xs.slice(1).forEach((x, i) => expect(x - xs[i]).toBeGreaterThanOrEqual(40));
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('renders an empty period without NaN', () => {
    const { container } = render(<FunnelChart days={[]} />);
    expect(container.innerHTML).not.toContain('NaN');
  });
});
