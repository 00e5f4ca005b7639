import type { Package } from '../../shared/types';
import { formatRubles } from '../../shared/format';

/** Price per photoshoot as shown to people, e.g. "298 ₽ за фотосессию". */
export function pricePerPhotoshootLabel(pkg: Pick<Package, 'price_per_photoshoot_kopecks' | 'price_kopecks' | 'photoshoots'>): string {
  return `${formatRubles(pricePerPhotoshootKopecks(pkg))} за фотосессию`;
}

export function pricePerPhotoshootKopecks(pkg: Pick<Package, 'price_per_photoshoot_kopecks' | 'price_kopecks' | 'photoshoots'>): number {
  if (Number.isFinite(pkg.price_per_photoshoot_kopecks) && pkg.price_per_photoshoot_kopecks > 0) {
    return Math.round(pkg.price_per_photoshoot_kopecks);
  }
  return pkg.photoshoots > 0 ? Math.round(pkg.price_kopecks / pkg.photoshoots) : pkg.price_kopecks;
}

/** Savings in percent compared with the most expensive per-photoshoot price among the packages. */
export function savingsPercent(pkg: Package, all: Package[]): number {
  const max = Math.max(...all.map(pricePerPhotoshootKopecks));
  if (!Number.isFinite(max) || max <= 0) return 0;
  const own = pricePerPhotoshootKopecks(pkg);
  return Math.max(0, Math.round((1 - own / max) * 100));
}

export function sortPackages(packages: Package[]): Package[] {
  return [...packages].sort((a, b) => a.photoshoots - b.photoshoots || a.price_kopecks - b.price_kopecks);
}
