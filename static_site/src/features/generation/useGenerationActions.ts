import { leaveTo } from '../../shared/navigation';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAppDispatch } from '../../app/hooks';
import { errorMessage } from '../../shared/errors';
import type { GeneratedImage } from '../../shared/types';
import { goalRequested } from '../analytics/analyticsSlice';
import { GOALS } from '../analytics/goals';
import { formatChosen, styleChosen } from './draftSlice';
import { useCancelGenerationMutation, useGetArchiveLinkMutation } from './generationApi';
import type { LiveGeneration } from './liveGeneration';
import { choiceFromGeneration } from './regenerate';

export function useGenerationActions(generation: LiveGeneration | undefined) {
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const [cancel, cancelState] = useCancelGenerationMutation();
  const [archive, archiveState] = useGetArchiveLinkMutation();
  const [notice, setNotice] = useState<string | null>(null);
  const id = generation?.generation_id;

  return {
    cancelling: cancelState.isLoading,
    archiving: archiveState.isLoading,
    error: cancelState.isError ? errorMessage(cancelState.error) : archiveState.isError ? errorMessage(archiveState.error) : null,
    notice,
    cancel: () => id && cancel(id),
    async downloadAll() {
      if (!id) return;
      try {
        const { url } = await archive(id).unwrap();
        dispatch(goalRequested({ target: GOALS.downloadImage, params: { scope: 'all', generation_id: id } }));
        leaveTo(url);
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
    async share() {
      const image = generation?.images[0];
      if (!image) return;
      const data = { title: 'Фотосессия товара — Photoshoot', url: image.url };
      try {
        if (navigator.share) {
          await navigator.share(data);
        } else {
          await navigator.clipboard.writeText(image.url);
          setNotice('Ссылка на фото скопирована');
        }
        dispatch(goalRequested({ target: GOALS.share, params: { generation_id: id } }));
      } catch {
        /* the person closed the share sheet */
      }
    },
  };
}
