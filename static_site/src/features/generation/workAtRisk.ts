import type { DraftState, UploadPhase } from './draftSlice';

/** The product photo is being checked, sent or read by the studio: closing now loses it. */
const PHOTO_ON_ITS_WAY: ReadonlySet<UploadPhase> = new Set(['validating', 'uploading', 'analyzing']);

interface StateWithWork {
  draft: Pick<DraftState, 'phase'>;
  api: { mutations: Record<string, { endpointName?: string; status?: string } | undefined> };
}

/**
 * Work the seller would lose by closing the app now: a photo on its way, or a photoshoot
 * being created (POST /api/generations not answered yet: whether it was charged is unknown
 * until it answers). A running photoshoot is not at risk: it lives on the server.
 */
export function selectWorkAtRisk(state: StateWithWork): boolean {
  if (PHOTO_ON_ITS_WAY.has(state.draft.phase)) return true;
  return Object.values(state.api.mutations).some((m) => m?.endpointName === 'createGeneration' && m.status === 'pending');
}
