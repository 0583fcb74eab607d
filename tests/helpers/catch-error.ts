/** What `fn` throws (undefined when it returns), for assertions on expected failures. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
