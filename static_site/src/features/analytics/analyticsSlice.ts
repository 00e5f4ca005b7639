import { createAction } from '@reduxjs/toolkit';
import type { Goal, GoalParams } from './goals';

/** UI-originated goals (view_packages, click_buy, download_image, share) are dispatched as this action. */
export const goalRequested = createAction<{ target: Goal; params?: GoalParams }>('analytics/goalRequested');
