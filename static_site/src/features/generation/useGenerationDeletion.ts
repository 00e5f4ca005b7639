import type { Generation } from '../../shared/types';
import { useConfirmedAction } from '../../shared/ui';
import { useDeleteGenerationMutation } from './generationApi';

/** Deleting a photoshoot from the history: asked first, nothing is sent until confirmed. */
export function useGenerationDeletion() {
  const [remove] = useDeleteGenerationMutation();
  return useConfirmedAction((generation: Generation) => remove(generation.generation_id).unwrap());
}
