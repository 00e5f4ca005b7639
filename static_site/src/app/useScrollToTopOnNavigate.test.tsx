import { act, render } from '@testing-library/react';
import { MemoryRouter, useNavigate, type NavigateFunction } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { useScrollToTopOnNavigate } from './useScrollToTopOnNavigate';

let navigate: NavigateFunction;

function Probe() {
  useScrollToTopOnNavigate();
  navigate = useNavigate();
  return null;
}

describe('useScrollToTopOnNavigate', () => {
  let scrollTo: MockInstance;

  beforeEach(() => {
    scrollTo = vi.spyOn(window, 'scrollTo').mockImplementation(() => {});
    render(
      <MemoryRouter initialEntries={['/generate']}>
        <Probe />
      </MemoryRouter>,
    );
    scrollTo.mockClear();
  });

  afterEach(() => scrollTo.mockRestore());

  it('opens a new page at its top', () => {
    act(() => navigate('/generations/01J0000000000000000000000'));
    expect(scrollTo).toHaveBeenCalledWith(0, 0);
  });

  it('also when a page replaces the current entry', () => {
    act(() => navigate('/profile', { replace: true }));
    expect(scrollTo).toHaveBeenCalledWith(0, 0);
  });

  it('leaves back and forward to the browser', () => {
    act(() => navigate('/packages'));
    scrollTo.mockClear();
    act(() => navigate(-1));
    expect(scrollTo).not.toHaveBeenCalled();
  });

  it('keeps the position when only the query changes', () => {
    act(() => navigate('/generate?style=marble'));
    expect(scrollTo).not.toHaveBeenCalled();
  });
});
