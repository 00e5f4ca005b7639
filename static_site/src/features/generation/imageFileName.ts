/** The name a saved or shared photo gets; the same as the server's `download_url` answers with. */
export function imageFileName(generationId: string, index: number): string {
  return `photoshoot-${generationId.slice(0, 8).toLowerCase()}-${index + 1}.jpg`;
}

/** The ZIP's name; the same as the server's archive link answers with. */
export function archiveFileName(generationId: string): string {
  return `photoshoot-${generationId.toLowerCase()}.zip`;
}
