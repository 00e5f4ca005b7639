export const GOALS = {
  signup: 'signup',
  generationStart: 'generation_start',
  generationComplete: 'generation_complete',
  viewPackages: 'view_packages',
  clickBuy: 'click_buy',
  paymentStart: 'payment_start',
  paymentSuccess: 'payment_success',
  downloadImage: 'download_image',
  saveStyle: 'save_style',
  share: 'share',
} as const;

export type Goal = (typeof GOALS)[keyof typeof GOALS];
export type GoalParams = Record<string, string | number | boolean | null | undefined>;
