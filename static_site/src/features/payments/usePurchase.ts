import { leaveTo } from '../../shared/navigation';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { errorCode, errorMessage } from '../../shared/errors';
import type { Package } from '../../shared/types';
import { goalRequested } from '../analytics/analyticsSlice';
import { GOALS } from '../analytics/goals';
import { useUpdateMeMutation } from '../auth/authApi';
import { selectIsAuthenticated, selectUser } from '../auth/authSlice';
import { useGetConfigQuery } from '../catalogue/configApi';
import { loginPathFor } from '../auth/safeRedirect';
import { useCreatePaymentMutation } from './paymentsApi';

/**
 * A click on «Купить» by a visitor is counted (click_buy) before the detour to log in; the way
 * back opens /packages?buy=<id> again. This note, per tab, tells that return from a fresh pick
 * (the home page links to the same address), so one click is counted once.
 */
const COUNTED_BUY_KEY = 'photoshoot.buy_counted';
/** A detour older than this was abandoned; a later pick of the same package is a new click. */
const COUNTED_BUY_TTL_MS = 30 * 60 * 1000;

function rememberCountedBuy(packageId: string): void {
  try {
    sessionStorage.setItem(COUNTED_BUY_KEY, JSON.stringify({ package_id: packageId, at: Date.now() }));
  } catch {
    /* private mode: at worst the return counts the click again */
  }
}

/** True (and forgotten) if the pick of this package was already counted before a login detour. */
function takeCountedBuy(packageId: string): boolean {
  try {
    const raw = sessionStorage.getItem(COUNTED_BUY_KEY);
    if (!raw) return false;
    sessionStorage.removeItem(COUNTED_BUY_KEY);
    const note = JSON.parse(raw) as { package_id?: string; at?: number };
    return note.package_id === packageId && typeof note.at === 'number' && Date.now() - note.at < COUNTED_BUY_TTL_MS;
  } catch {
    return false;
  }
}

export function isValidEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email.trim());
}

/** Buy flow: pick a package → confirm → (e-mail for the receipt if required) → checkout redirect. */
export function usePurchase(redirect: (url: string) => void = leaveTo) {
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const authenticated = useAppSelector(selectIsAuthenticated);
  const user = useAppSelector(selectUser);
  const { data: config } = useGetConfigQuery();
  // The receipt needs an e-mail and the profile has none: ask before posting, rather than
  // take the API's 400 first. The API's `email_required` stays the backstop (stale profile).
  const emailMissing = Boolean(config?.receipts_enabled && user && !user.email?.trim());
  const [selected, setSelected] = useState<Package | null>(null);
  const [needEmail, setNeedEmail] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [createPayment, paymentState] = useCreatePaymentMutation();
  const [updateMe, updateState] = useUpdateMeMutation();

  const pay = async (pkg: Package) => {
    setLocalError(null);
    try {
      const { confirmation_url } = await createPayment({ package_id: pkg.package_id }).unwrap();
      redirect(confirmation_url);
    } catch (error) {
      if (errorCode(error) === 'email_required') setNeedEmail(true);
    }
  };

  const open = (pkg: Package) => {
    if (!authenticated) {
      rememberCountedBuy(pkg.package_id);
      navigate(loginPathFor(`/packages?buy=${encodeURIComponent(pkg.package_id)}`));
      return;
    }
    paymentState.reset();
    setNeedEmail(false);
    setSelected(pkg);
  };
  const countClick = (pkg: Package) =>
    dispatch(goalRequested({ target: GOALS.clickBuy, params: { package_id: pkg.package_id, price: pkg.price_kopecks / 100 } }));

  const paymentError = paymentState.isError && errorCode(paymentState.error) !== 'email_required' ? errorMessage(paymentState.error) : null;

  return {
    selected,
    needEmail,
    busy: paymentState.isLoading || updateState.isLoading,
    redirecting: paymentState.isSuccess,
    /** What is wrong with the typed e-mail: shown at (and tied to) the e-mail field. */
    emailError: localError,
    /** A refusal of the save or the payment, not of the typed value. */
    error: localError ? null : updateState.isError ? errorMessage(updateState.error) : paymentError,
    /** A click on «Купить»: counted as click_buy, then the confirmation (or login first). */
    select(pkg: Package) {
      countClick(pkg);
      open(pkg);
    },
    /**
     * A /packages?buy=<id> link: a pick on the home page (a click not counted yet) or the way
     * back from the login detour, whose click `select` already counted.
     */
    resume(pkg: Package) {
      if (!takeCountedBuy(pkg.package_id)) countClick(pkg);
      open(pkg);
    },
    close() {
      setSelected(null);
      setNeedEmail(false);
      setLocalError(null);
    },
    confirm() {
      if (!selected) return;
      if (emailMissing) {
        setNeedEmail(true);
        return;
      }
      void pay(selected);
    },
    async saveEmailAndPay(email: string) {
      if (!selected) return;
      if (!isValidEmail(email)) {
        setLocalError('Проверьте адрес почты — на него придёт чек');
        return;
      }
      try {
        await updateMe({ email: email.trim() }).unwrap();
        setNeedEmail(false);
        await pay(selected);
      } catch {
        /* shown */
      }
    },
  };
}
