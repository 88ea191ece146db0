// Buckets a live count into coarse steps, so a picture of the count (the link-preview card) is
// redrawn only when the number a reader would notice has moved: every 10 up to 100, every 100
// up to 1,000, every 1,000 up to 10,000, then every 10,000.

/** The size of the step a count falls in. */
export function countStepSize(count: number): number {
  if (count < 100) return 10;
  if (count < 1_000) return 100;
  if (count < 10_000) return 1_000;
  return 10_000;
}

/** The count rounded down to its step: the same for every count within one step. */
export function countStep(count: number): number {
  const n = Math.max(0, Math.floor(count));
  const size = countStepSize(n);
  return n - (n % size);
}
