import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { StepView, stepStates } from './StepView';

const running = {
  generation_id: 'g1',
  status: 'running' as const,
  step: 'prompt' as const,
  progress: 42.4,
  message: 'Составляем сцену под стиль',
  eta_s: 25,
  images: [],
};

describe('StepView', () => {
  it('shows the percentage on an accessible progress bar, the message and the ETA', () => {
    render(<StepView generation={running} onCancel={() => undefined} />);
    const bar = screen.getByTestId('generation-progress');
    expect(bar).toHaveAttribute('role', 'progressbar');
    expect(bar).toHaveAttribute('aria-valuenow', '42');
    expect(screen.getByTestId('generation-percent')).toHaveTextContent('42%');
    expect(screen.getByTestId('generation-message')).toHaveTextContent('Составляем сцену под стиль');
    expect(screen.getByTestId('generation-eta')).toHaveTextContent('25');
  });

  it('marks earlier steps done, the current one animated and later ones pending', () => {
    render(<StepView generation={running} />);
    expect(screen.getByTestId('generation-step-upload')).toHaveAttribute('data-state', 'done');
    expect(screen.getByTestId('generation-step-analyze')).toHaveAttribute('data-state', 'done');
    expect(screen.getByTestId('generation-step-prompt')).toHaveAttribute('data-state', 'current');
    expect(screen.getByTestId('generation-step-generate')).toHaveAttribute('data-state', 'pending');
    expect(screen.getByTestId('generation-steps')).toHaveAttribute('data-step', 'prompt');
  });

  it('offers Cancel while running and calls it', async () => {
    const onCancel = vi.fn();
    render(<StepView generation={running} onCancel={onCancel} />);
    await userEvent.click(screen.getByTestId('generation-cancel'));
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it('when finished: every step done, 100%, no ETA and no Cancel', () => {
    render(<StepView generation={{ ...running, status: 'succeeded', step: 'done', progress: 100, eta_s: null }} onCancel={() => undefined} />);
    expect(screen.getByTestId('generation-step-done')).toHaveAttribute('data-state', 'done');
    expect(screen.getByTestId('generation-progress')).toHaveAttribute('aria-valuenow', '100');
    expect(screen.queryByTestId('generation-eta')).toBeNull();
    expect(screen.queryByTestId('generation-cancel')).toBeNull();
  });

  it('a failed generation marks the step where it stopped', () => {
    expect(stepStates({ status: 'failed', step: 'generate' })).toEqual(['done', 'done', 'done', 'failed', 'pending']);
  });

  it('counts the ETA down a second at a time, says «ещё немного…» past it, and starts again from each new state', () => {
    vi.useFakeTimers();
    const late = { ...running, step: 'generate' as const, progress: 22, eta_s: 3 };
    const { rerender } = render(<StepView generation={late} />);
    const eta = () => screen.getByTestId('generation-eta').textContent;
    expect(eta()).toMatch(/осталось ≈\s3\sс/);
    act(() => void vi.advanceTimersByTime(1000));
    expect(eta()).toMatch(/≈\s2\sс/);
    act(() => void vi.advanceTimersByTime(2000));
    expect(eta()).toBe('ещё немного…');
    // the render runs long: the server is silent for 9 s and no number comes back
    act(() => void vi.advanceTimersByTime(9000));
    expect(eta()).toBe('ещё немного…');
    // the same state read again (a late HTTP answer) is no news: the count goes on
    rerender(<StepView generation={{ ...late }} />);
    expect(eta()).toBe('ещё немного…');
    rerender(<StepView generation={{ ...late, progress: 40, eta_s: 5 }} />);
    expect(eta()).toMatch(/≈\s5\sс/);
    act(() => void vi.advanceTimersByTime(1000));
    expect(eta()).toMatch(/≈\s4\sс/);
  });

  it('names the current step in words, for a phone where the circles have no labels', () => {
    const { rerender } = render(<StepView generation={running} />);
    expect(screen.getByTestId('generation-step-title')).toHaveTextContent('Шаг 3 из 5 · Сцена');
    rerender(<StepView generation={{ ...running, status: 'failed', step: 'generate' }} />);
    expect(screen.getByTestId('generation-step-title')).toHaveTextContent('Шаг 4 из 5 · Генерация');
    rerender(<StepView generation={{ ...running, status: 'succeeded', step: 'done', progress: 100 }} />);
    expect(screen.getByTestId('generation-step-title')).toHaveTextContent('Шаг 5 из 5 · Готово');
  });
});
