import { render, screen } from '@testing-library/react';
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
});
