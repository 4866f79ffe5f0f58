import { SkillOptError } from '../../core/errors.js';
import type { ChatRequest, ChatResponse, ModelBackend } from '../types.js';

/**
 * Give each call at most timeoutMs. The inner backend gets a signal that aborts on the caller's cancel or on
 * the deadline; the race makes a backend that ignores its signal time out all the same.
 */
export function withTimeout(inner: ModelBackend, options: { timeoutMs: number }): ModelBackend {
  const { timeoutMs } = options;
  return {
    backend: inner.backend,
    model: inner.model,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const model = request.model ?? inner.model;
      const who = `${inner.backend} (${model})`;
      if (request.signal?.aborted) throw new SkillOptError('CANCELLED', `${who}: the call was cancelled`);
      const deadline = new AbortController();
      const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
      let timer: NodeJS.Timeout | undefined;
      let onCallerAbort: (() => void) | undefined;
      const guard = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new SkillOptError('TIMEOUT', `${who}: no reply within ${timeoutMs} ms`, {
            hint: 'raise the backend timeoutMs, or check that the provider or local server is responsive',
          });
          deadline.abort(error);
          reject(error);
        }, timeoutMs);
        onCallerAbort = () => reject(new SkillOptError('CANCELLED', `${who}: the call was cancelled`));
        request.signal?.addEventListener('abort', onCallerAbort, { once: true });
      });
      try {
        return await Promise.race([inner.complete({ ...request, signal }), guard]);
      } catch (error) {
        // The inner backend may report our abort in its own words; say what really happened.
        if (deadline.signal.aborted) throw deadline.signal.reason as SkillOptError;
        if (request.signal?.aborted && !(error instanceof SkillOptError && error.code === 'CANCELLED')) {
          throw new SkillOptError('CANCELLED', `${who}: the call was cancelled`, { cause: error });
        }
        throw error;
      } finally {
        clearTimeout(timer);
        if (onCallerAbort) request.signal?.removeEventListener('abort', onCallerAbort);
      }
    },
  };
}
