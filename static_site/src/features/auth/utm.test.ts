import { describe, expect, it } from 'vitest';
import { captureFirstTouchUtm, parseUtm, readStoredUtm, UTM_STORAGE_KEY } from './utm';

describe('first-touch UTM capture', () => {
  it('stores utm tags and yclid from the first visit that has them', () => {
    captureFirstTouchUtm('?utm_source=yandex&utm_medium=cpc&utm_campaign=spring&yclid=123&foo=bar');
    expect(readStoredUtm()).toEqual({ utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'spring', yclid: '123' });
  });

  it('never overwrites the first touch with a later visit', () => {
    captureFirstTouchUtm('?utm_source=telegram&utm_content=post1');
    captureFirstTouchUtm('?utm_source=vk&utm_campaign=retarget');
    expect(readStoredUtm()).toEqual({ utm_source: 'telegram', utm_content: 'post1' });
  });

  it('a visit without tags stores nothing and does not block a later tagged one', () => {
    expect(captureFirstTouchUtm('?page=2')).toBeNull();
    expect(localStorage.getItem(UTM_STORAGE_KEY)).toBeNull();
    captureFirstTouchUtm('?utm_term=photo');
    expect(readStoredUtm()).toEqual({ utm_term: 'photo' });
  });

  it('ignores empty values', () => {
    expect(parseUtm('?utm_source=&utm_medium=email')).toEqual({ utm_medium: 'email' });
  });
});
