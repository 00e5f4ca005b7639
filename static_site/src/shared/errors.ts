import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { SerializedError } from '@reduxjs/toolkit';

export const GENERIC_ERROR = 'Что-то пошло не так. Попробуйте ещё раз.';
export const NETWORK_ERROR = 'Нет связи с сервером. Проверьте интернет и попробуйте ещё раз.';

type AnyError = FetchBaseQueryError | SerializedError | undefined | null | unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The `code` of an `{"error": {"code", "message"}}` answer, if any. */
export function errorCode(error: AnyError): string | null {
  if (!isRecord(error)) return null;
  const data = error.data;
  if (isRecord(data) && isRecord(data.error) && typeof data.error.code === 'string') {
    return data.error.code;
  }
  return null;
}

export function errorStatus(error: AnyError): number | string | null {
  if (!isRecord(error)) return null;
  const status = error.status;
  return typeof status === 'number' || typeof status === 'string' ? status : null;
}

/** The Russian message to show a person for any API error. */
export function errorMessage(error: AnyError): string {
  if (!error) return GENERIC_ERROR;
  if (isRecord(error)) {
    const data = error.data;
    if (isRecord(data) && isRecord(data.error) && typeof data.error.message === 'string' && data.error.message) {
      return data.error.message;
    }
    if (error.status === 'FETCH_ERROR' || error.status === 'TIMEOUT_ERROR') return NETWORK_ERROR;
    if (error.status === 429) return 'Слишком много запросов. Подождите немного и попробуйте снова.';
  }
  return GENERIC_ERROR;
}
