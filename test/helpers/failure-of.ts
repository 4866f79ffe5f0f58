/**
 * Await a call that must fail and return its error, checked to be an instance of `type`; a success or an
 * error of another class fails the test.
 */
export async function failureOf<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
