// Edit forms of packages and styles: form strings ⇄ API fields, validated like the server.
import type { AdminPackage, AdminStyle } from './types';

/** As the server: ids ride in the bot's button data, which Telegram caps at 64 bytes. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,23}$/;

export interface PackageForm {
  package_id: string;
  title: string;
  description: string;
  photoshoots: string;
  price_rubles: string;
  images_per_photoshoot: string;
  stars_price: string;
  popular: boolean;
  active: boolean;
  sort: string;
}

export interface StyleForm {
  style_id: string;
  title: string;
  description: string;
  prompt: string;
  tags: string;
  preview_url: string;
  active: boolean;
  sort: string;
}

export type FormErrors<F> = Partial<Record<keyof F, string>>;

export interface Parsed<F, T> {
  changes: Partial<T>;
  errors: FormErrors<F>;
}

/** Field labels, shared by the forms and the notice of an unsaved edit after a conflict. */
export const PACKAGE_LABELS: Record<keyof PackageForm, string> = {
  package_id: 'Идентификатор (латиницей)',
  title: 'Название',
  description: 'Описание',
  photoshoots: 'Фотосессий',
  price_rubles: 'Цена, ₽',
  images_per_photoshoot: 'Кадров в фотосессии',
  stars_price: 'Цена в Telegram Stars',
  popular: 'Популярный',
  active: 'Продаётся',
  sort: 'Порядок',
};

export const STYLE_LABELS: Record<keyof StyleForm, string> = {
  style_id: 'Идентификатор (латиницей)',
  title: 'Название',
  description: 'Описание',
  prompt: 'Промпт сцены',
  tags: 'Теги через запятую',
  preview_url: 'Превью (/styles/… или https://…)',
  active: 'Показывать',
  sort: 'Порядок',
};

export function emptyPackageForm(): PackageForm {
  return {
    package_id: '',
    title: '',
    description: '',
    photoshoots: '',
    price_rubles: '',
    images_per_photoshoot: '4',
    stars_price: '',
    popular: false,
    active: true,
    sort: '0',
  };
}

export function packageToForm(p: AdminPackage): PackageForm {
  return {
    package_id: p.package_id,
    title: p.title,
    description: p.description ?? '',
    photoshoots: String(p.photoshoots),
    price_rubles: (p.price_kopecks / 100).toFixed(2).replace('.', ','),
    images_per_photoshoot: String(p.images_per_photoshoot),
    stars_price: p.stars_price === null ? '' : String(p.stars_price),
    popular: p.popular,
    active: p.active,
    sort: String(p.sort),
  };
}

function integer(raw: string, min: number, max: number): number | null {
  const text = raw.trim();
  if (!/^-?\d+$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

/** "1 490,50" / "1490.5" → 149050 kopecks; null if it is not a positive amount. */
export function rublesToKopecks(raw: string): number | null {
  const text = raw.replace(/[\s\u2009\u00a0₽]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
  const [whole, fraction = ''] = text.split('.');
  const kopecks = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return kopecks > 0 ? kopecks : null;
}

export function parsePackageForm(form: PackageForm): Parsed<PackageForm, AdminPackage> {
  const errors: FormErrors<PackageForm> = {};
  if (!ID_PATTERN.test(form.package_id)) errors.package_id = 'Латинские буквы в нижнем регистре, цифры, «-» и «_», до 24 символов.';
  const title = form.title.trim();
  if (!title) errors.title = 'Заполните название.';
  else if (title.length > 80) errors.title = 'Не длиннее 80 символов.';
  const photoshoots = integer(form.photoshoots, 1, 10_000);
  if (photoshoots === null) errors.photoshoots = 'Целое число больше нуля.';
  const price = rublesToKopecks(form.price_rubles);
  if (price === null) errors.price_rubles = 'Цена в рублях больше нуля, например 1490 или 990,50.';
  const images = integer(form.images_per_photoshoot, 1, 8);
  if (images === null) errors.images_per_photoshoot = 'От 1 до 8.';
  const stars = form.stars_price.trim() ? integer(form.stars_price, 1, 1_000_000) : null;
  if (form.stars_price.trim() && stars === null) errors.stars_price = 'Целое число больше нуля или пусто.';
  const sort = integer(form.sort || '0', -10_000, 10_000);
  if (sort === null) errors.sort = 'Целое число.';
  const changes: Partial<AdminPackage> = {
    title,
    description: form.description.trim() || null,
    photoshoots: photoshoots ?? undefined,
    price_kopecks: price ?? undefined,
    images_per_photoshoot: images ?? undefined,
    stars_price: stars,
    popular: form.popular,
    active: form.active,
    sort: sort ?? undefined,
  };
  return { changes, errors };
}

export function emptyStyleForm(): StyleForm {
  return { style_id: '', title: '', description: '', prompt: '', tags: '', preview_url: '', active: true, sort: '0' };
}

export function styleToForm(s: AdminStyle): StyleForm {
  return {
    style_id: s.style_id,
    title: s.title,
    description: s.description ?? '',
    prompt: s.prompt,
    tags: s.tags.join(', '),
    preview_url: s.preview_url ?? '',
    active: s.active,
    sort: String(s.sort),
  };
}

export function parseStyleForm(form: StyleForm): Parsed<StyleForm, AdminStyle> {
  const errors: FormErrors<StyleForm> = {};
  if (!ID_PATTERN.test(form.style_id)) errors.style_id = 'Латинские буквы в нижнем регистре, цифры, «-» и «_», до 24 символов.';
  const title = form.title.trim();
  if (!title) errors.title = 'Заполните название.';
  const prompt = form.prompt.trim();
  if (!prompt) errors.prompt = 'Опишите сцену для генерации.';
  const tags = Array.from(new Set(form.tags.split(',').map((t) => t.trim()).filter(Boolean)));
  if (tags.length > 20 || tags.some((t) => t.length > 40)) errors.tags = 'До 20 тегов, каждый до 40 символов.';
  const preview = form.preview_url.trim();
  if (preview && !(preview.startsWith('/') || preview.startsWith('https://'))) errors.preview_url = 'Ссылка начинается с / или https://.';
  const sort = integer(form.sort || '0', -10_000, 10_000);
  if (sort === null) errors.sort = 'Целое число.';
  const changes: Partial<AdminStyle> = {
    title,
    description: form.description.trim() || null,
    prompt,
    tags,
    preview_url: preview || null,
    active: form.active,
    sort: sort ?? undefined,
  };
  return { changes, errors };
}

export function hasErrors<F>(errors: FormErrors<F>): boolean {
  return Object.values(errors).some(Boolean);
}

/** What an admin typed into a form the server refused because someone saved the item first:
 * the fields they changed from the version they had loaded, and the values they typed. */
export interface UnsavedEdit<F> {
  fields: (keyof F)[];
  draft: F;
}

export function editedFields<F extends object>(loaded: F, draft: F): (keyof F)[] {
  return (Object.keys(draft) as (keyof F)[]).filter((key) => draft[key] !== loaded[key]);
}

/** The admin's own changes on top of the latest version: fields they did not touch keep what
 * the other admin saved, so re-applying does not quietly undo that edit either. */
export function reapplyEdit<F extends object>(latest: F, edit: UnsavedEdit<F>): F {
  const next = { ...latest };
  for (const key of edit.fields) next[key] = edit.draft[key];
  return next;
}

export function formValueText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  return typeof value === 'string' && value.trim() ? value : '—';
}
