/** Leaves the SPA for another page (checkout, ZIP download). One place so tests can replace it. */
export function leaveTo(url: string): void {
  window.location.assign(url);
}
