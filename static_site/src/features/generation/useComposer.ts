import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { errorCode, errorMessage } from '../../shared/errors';
import { selectBalance } from '../auth/authSlice';
import { DEFAULT_FORMATS, useGetConfigQuery } from '../catalogue/configApi';
import {
  buildGenerationRequest,
  draftBlocker,
  formatChosen,
  photoCleared,
  styleChosen,
  uploadProductPhoto,
  type StyleChoice,
} from './draftSlice';
import { useCreateGenerationMutation } from './generationApi';

/** Everything the /generate page needs: the draft, its actions and the submit with its error states. */
export function useComposer() {
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const draft = useAppSelector((s) => s.draft);
  const { data: config } = useGetConfigQuery();
  const formats = config?.formats?.length ? config.formats : DEFAULT_FORMATS;
  const [create, createState] = useCreateGenerationMutation();

  // default format: the marketplace card (3:4) when offered, else the first one
  useEffect(() => {
    if (!draft.format || !formats.some((f) => f.format_id === draft.format)) {
      const preferred = formats.find((f) => f.width === 900 && f.height === 1200) ?? formats[0];
      if (preferred) dispatch(formatChosen(preferred.format_id));
    }
  }, [draft.format, formats, dispatch]);

  // The photo being sent: another pick or a clear stops its transfer. Leaving the page does
  // not — the draft lives on in the store, and the upload finishes for when the seller returns.
  const inFlight = useRef<{ abort: () => void } | null>(null);
  const stopUpload = useCallback(() => {
    inFlight.current?.abort();
    inFlight.current = null;
  }, []);

  const pickFile = useCallback(
    (file: File) => {
      stopUpload();
      inFlight.current = dispatch(
        uploadProductPhoto({
          file,
          deps: { createPreviewUrl: (f) => (typeof URL.createObjectURL === 'function' ? URL.createObjectURL(f) : '') },
        }),
      );
    },
    [dispatch, stopUpload],
  );

  // Counts refusals, so the page can bring each one into view — the same message twice
  // in a row (a second 429) is still news to the seller who tapped again.
  const [failures, setFailures] = useState(0);
  const submit = useCallback(async () => {
    const request = buildGenerationRequest(draft);
    if (!request) return;
    try {
      const created = await create(request).unwrap();
      navigate(`/generations/${encodeURIComponent(created.generation_id)}`);
    } catch {
      setFailures((n) => n + 1); // createState carries the error
    }
  }, [draft, create, navigate]);

  const code = errorCode(createState.error);
  const insufficientBalance =
    createState.isError && (code === 'insufficient_balance' || (createState.error as { status?: unknown })?.status === 402);

  // A 402 stands until the balance grows (a package bought in another tab, a refund pushed
  // over the socket): then «Сгенерировать» is back. Falling to 0 is the 402 confirmed.
  const balance = useAppSelector(selectBalance);
  const lastBalance = useRef(balance);
  const { reset } = createState;
  useEffect(() => {
    const before = lastBalance.current;
    lastBalance.current = balance;
    if (insufficientBalance && before !== null && balance !== null && balance > before) reset();
  }, [balance, insufficientBalance, reset]);

  return {
    draft,
    formats,
    blocker: draftBlocker(draft),
    pickFile,
    clearPhoto: () => {
      stopUpload();
      dispatch(photoCleared());
    },
    chooseStyle: (choice: StyleChoice | null) => dispatch(styleChosen(choice)),
    chooseFormat: (formatId: string) => dispatch(formatChosen(formatId)),
    submit,
    submitting: createState.isLoading,
    insufficientBalance,
    /** Nothing to spend: the header's balance says 0, or the server just refused for want of one. */
    noBalance: (balance !== null && balance <= 0) || insufficientBalance,
    /** Grows with every refused submit. */
    failures,
    rateLimited: createState.isError && (createState.error as { status?: unknown })?.status === 429,
    submitError: createState.isError ? errorMessage(createState.error) : null,
  };
}
