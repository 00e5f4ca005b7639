import type { UtmParams } from '../../shared/types';
import { getClientId } from '../analytics/metrika';
import { readStoredUtm } from './utm';

export interface LoginExtras {
  utm?: UtmParams;
  metrika_client_id?: string;
}

/** What every login request carries besides its credentials: first-touch UTM and Metrika's ClientID. */
export async function collectLoginExtras(): Promise<LoginExtras> {
  const extras: LoginExtras = {};
  const utm = readStoredUtm();
  if (utm) extras.utm = utm;
  const clientId = await getClientId();
  if (clientId) extras.metrika_client_id = clientId;
  return extras;
}
