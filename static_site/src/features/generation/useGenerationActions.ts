import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAppDispatch } from '../../app/hooks';
import { errorMessage } from '../../shared/errors';
import type { GeneratedImage } from '../../shared/types';
import { goalRequested } from '../analytics/analyticsSlice';
import { GOALS } from '../analytics/goals';
import { formatChosen, styleChosen } from './draftSlice';
import { useCancelGenerationMutation, useGetArchiveLinkMutation } from './generationApi';
import { isTerminal, type LiveGeneration } from './liveGeneration';
import { choiceFromGeneration } from './regenerate';
import { archiveFileName, imageFileName } from './imageFileName';
import { saveDownload } from './saveDownload';
import { loadShareFiles, shareFiles } from './shareImages';

export function useGenerationActions(generation: LiveGeneration | undefined) {
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const [cancel, cancelState] = useCancelGenerationMutation();
  const [archive, archiveState] = useGetArchiveLinkMutation();
  const [notice, setNotice] = useState<string | null>(null);
  const [sharing, setSharing] = useState(false);
  const [prepared, setPrepared] = useState<File[] | null>(null); // downloaded, waiting for a tap
  const [cancelAsked, setCancelAsked] = useState(false);
  const id = generation?.generation_id;
  // A run that ends while the question is open (the socket says succeeded or failed) leaves
  // nothing to cancel, so the question goes away by itself.
  const confirmingCancel = cancelAsked && Boolean(generation) && !isTerminal(generation?.status);
  const cancelError = cancelState.isError ? errorMessage(cancelState.error) : null;

  return {
    cancelling: cancelState.isLoading,
    archiving: archiveState.isLoading,
    // while the cancel question is open its failure is shown there, not behind the backdrop
    error: (confirmingCancel ? null : cancelError) ?? (archiveState.isError ? errorMessage(archiveState.error) : null),
    notice,
    confirmingCancel,
    cancelError,
    /** Cancel is asked first: a stray tap must not stop a run in progress. */
    askCancel() {
      cancelState.reset(); // a failure from an earlier try is not this question's answer
      setCancelAsked(true);
    },
    keepGoing() {
      // once the request is on its way, closing would not stop it: wait for the answer
      if (!cancelState.isLoading) setCancelAsked(false);
    },
    async confirmCancel() {
      if (!id || cancelState.isLoading) return;
      try {
        await cancel(id).unwrap();
        setCancelAsked(false);
      } catch {
        /* shown in the dialog */
      }
    },
    async downloadAll() {
      if (!id) return;
      try {
        const { url } = await archive(id).unwrap();
        dispatch(goalRequested({ target: GOALS.downloadImage, params: { scope: 'all', generation_id: id } }));
        saveDownload(url, archiveFileName(id));
      } catch {
        /* shown */
      }
    },
    downloaded(image: GeneratedImage) {
      dispatch(goalRequested({ target: GOALS.downloadImage, params: { scope: 'single', index: image.index } }));
    },
    generateAgain() {
      if (!generation) return;
      const choice = choiceFromGeneration(generation);
      if (choice) dispatch(styleChosen(choice));
      if (generation.format) dispatch(formatChosen(generation.format));
      navigate('/generate');
    },
    sharing,
    shareReady: prepared !== null,
    /** The photos go to the share sheet as files; where files cannot be shared, a link is copied. */
    async share() {
      const images = generation?.images ?? [];
      if (!id || images.length === 0 || sharing) return;
      setNotice(null);
      let files = prepared;
      if (!files) {
        setSharing(true);
        try {
          files = await loadShareFiles(images, (image) => imageFileName(id, image.index));
        } catch {
          files = null; // offline or the links expired: fall back to the link
        } finally {
          setSharing(false);
        }
      }
      const outcome = files ? await shareFiles(files) : 'unsupported';
      if (outcome === 'needs-tap') {
        setPrepared(files);
        setNotice('Фото готовы — нажмите «Отправить фото».');
        return;
      }
      setPrepared(null);
      if (outcome === 'unsupported') {
        try {
          await navigator.clipboard.writeText(images[0].download_url ?? images[0].url ?? '');
          setNotice('Ссылка на первое фото скопирована — она действует 15 минут. Все фото — в ZIP.');
        } catch {
          return;
        }
      }
      if (outcome !== 'cancelled') dispatch(goalRequested({ target: GOALS.share, params: { generation_id: id } }));
    },
  };
}
