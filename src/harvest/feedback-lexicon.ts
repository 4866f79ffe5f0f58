/** A feedback signal read from one user message. */
export interface FeedbackMatch {
  kind: 'correction' | 'praise' | 'interrupt';
  /** The phrase that matched. */
  matched: string;
}

/**
 * Classify a user message as a correction, praise or interrupt, or null.
 * (Placeholder; the multilingual lexicon and its tests replace this.)
 */
export function classifyFeedback(text: string): FeedbackMatch | null {
  const t = text.toLowerCase();
  if (/^\s*(no|wrong|that's wrong|don't|stop)\b/.test(t)) return { kind: 'correction', matched: t.split(/\s+/)[0] ?? '' };
  if (/\b(thanks|thank you|perfect|great)\b/.test(t)) return { kind: 'praise', matched: 'thanks' };
  return null;
}
