import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAppDispatch, useAppSelector } from '../app/hooks';
import { goalRequested } from '../features/analytics/analyticsSlice';
import { GOALS } from '../features/analytics/goals';
import { selectIsAuthenticated, selectUser } from '../features/auth/authSlice';
import { OwnedBalance, PackageGrid } from '../features/packages/components/PackageGrid';
import { useGetPackagesQuery } from '../features/packages/packagesApi';
import { CheckoutDialog } from '../features/payments/components/CheckoutDialog';
import { usePurchase } from '../features/payments/usePurchase';
import { errorMessage } from '../shared/errors';
import { Alert } from '../shared/ui';

export default function PackagesPage() {
  const dispatch = useAppDispatch();
  const user = useAppSelector(selectUser);
  const authenticated = useAppSelector(selectIsAuthenticated);
  const { data: packages, isLoading, error } = useGetPackagesQuery();
  const purchase = usePurchase();
  const [params, setParams] = useSearchParams();
  const resumed = useRef(false);

  useEffect(() => {
    dispatch(goalRequested({ target: GOALS.viewPackages }));
  }, [dispatch]);

  // ?buy=<package_id> (a package picked on the home page, or back from login): open the
  // confirmation; a visitor is sent to log in first and comes back here with the same link.
  // `resume`, not `select`: coming back from login must not count the same click again
  const buyId = params.get('buy');
  useEffect(() => {
    if (resumed.current || !buyId || !packages || (authenticated && !user)) return;
    const pkg = packages.find((p) => p.package_id === buyId);
    resumed.current = true;
    setParams({}, { replace: true });
    if (pkg) purchase.resume(pkg);
  }, [buyId, packages, authenticated, user, purchase, setParams]);

  return (
    <div className="container page">
      <h1 className="page-title">Пакеты фотосессий</h1>
      <p className="page-lead" style={{ marginBottom: 24 }}>
        Одна фотосессия — один товар в выбранном стиле и несколько готовых снимков. Чем больше пакет, тем дешевле каждая.
      </p>
      {user && <OwnedBalance balance={user.balance} />}
      {error && <Alert>{errorMessage(error)}</Alert>}
      {isLoading && <div className="skeleton" style={{ height: 360 }} />}
      {packages && <PackageGrid headingLevel={2} packages={packages} onBuy={purchase.select} busyId={purchase.busy ? purchase.selected?.package_id : null} />}
      <p className="muted" style={{ marginTop: 20, fontSize: 14 }}>
        Цены в рублях, включая налоги. Фотосессии не сгорают. Оплата через ЮKassa — чек придёт на почту.
      </p>
      {purchase.selected && (
        <CheckoutDialog
          pkg={purchase.selected}
          needEmail={purchase.needEmail}
          busy={purchase.busy}
          redirecting={purchase.redirecting}
          error={purchase.error}
          emailError={purchase.emailError}
          defaultEmail={user?.email}
          onConfirm={purchase.confirm}
          onEmail={purchase.saveEmailAndPay}
          onClose={purchase.close}
        />
      )}
    </div>
  );
}
