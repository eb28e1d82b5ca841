/**
 * `work`, or the error `onExpiry` makes once `ms` have passed, whichever comes first (the keychain's
 * calls, verify's logins). `onExpiry` is also where the caller cleans up (closes a socket). The timer
 * never outlives the race; `unref` lets the process exit while it runs.
 */
export async function raceDeadline<T>(work: Promise<T>, ms: number, onExpiry: () => Error, o: { unref?: boolean } = {}): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onExpiry()), ms);
    if (o.unref) timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
