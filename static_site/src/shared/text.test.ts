import { describe, expect, it } from 'vitest';
import { clip } from './text';

const hasLoneSurrogate = (text: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?:[^\ud800-\udbff]|^)[\udc00-\udfff]/.test(text);

describe('clip', () => {
  it('keeps short text as it is', () => {
    expect(clip('мрамор', 10)).toBe('мрамор');
  });

  it('cuts long text at the limit', () => {
    expect(clip('абвгд', 3)).toBe('абв');
  });

  it('never leaves half of an emoji at the end', () => {
    const text = 'ab📸cd'; // 📸 is two UTF-16 units: positions 2 and 3
    expect(clip(text, 3)).toBe('ab');
    expect(clip(text, 4)).toBe('ab📸');
    for (let max = 0; max <= text.length; max += 1) {
      expect(hasLoneSurrogate(clip(text, max))).toBe(false);
    }
    expect(hasLoneSurrogate(text.slice(0, 3))).toBe(true); // what slice alone did
  });
});
