// Some tests run the built app (serve mode's real entry point); build it once, before any test starts.
export default async function setup(): Promise<void> {
  // @ts-expect-error: plain JavaScript module without types
  const { ensureBuild } = (await import('../../scripts/ensure-build.mjs')) as { ensureBuild: () => void };
  ensureBuild();
}
