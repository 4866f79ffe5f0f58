/** Why a model call is made; used for token accounting per stage. */
export type CallPurpose = 'rollout' | 'reflect' | 'merge' | 'rank' | 'judge' | 'slow_update' | 'meta' | 'mine' | 'doctor';

/** JSON schema for structured output, when the backend supports it. */
export interface JsonSchemaSpec {
  name: string;
  schema: Record<string, unknown>;
}

/** One chat completion: a system text and a user text, plus options. */
export interface ChatRequest {
  system: string;
  user: string;
  /** Overrides the backend's configured model. */
  model?: string;
  temperature?: number;
  maxTokens?: number;
  jsonSchema?: JsonSchemaSpec;
  /** Which repeated sample this is (0-based); part of the replay-cache key. */
  sampleIndex?: number;
  /**
   * A per-(task, sample) seed, the same for every skill scored on that pair (common random numbers), so a
   * paired comparison cancels the noise both skills share. Honoured by the simulator and OpenAI chat
   * (`seed`); other backends ignore it.
   */
  seed?: number;
  purpose?: CallPurpose;
  /**
   * The skill under test, for target calls. API backends see it inside `system`;
   * harness backends (claude -p, codex exec) install it where the agent loads skills.
   */
  skill?: { name: string; text: string };
  signal?: AbortSignal;
}

/** Token usage of one call; `estimated` when the provider gave no usage fields. */
export interface TokenUsage {
  input: number;
  output: number;
  cachedInput?: number;
  estimated?: boolean;
}

/** The reply of one call. */
export interface ChatResponse {
  text: string;
  usage: TokenUsage;
  backend: string;
  model: string;
  /** Tools the target called, when the backend can observe them. */
  toolCalls?: string[];
  /** True when served from the replay cache (no provider call was made). */
  cached?: boolean;
  /** Cost in USD when the model is in the price table. */
  costUsd?: number;
}

/** Every backend implements this; decorators (retry, limit, budget, cache) wrap it with the same shape. */
export interface ModelBackend {
  /** Backend kind, e.g. `openai`, `simulated`. */
  readonly backend: string;
  /** Default model id. */
  readonly model: string;
  complete(request: ChatRequest): Promise<ChatResponse>;
}

/** A rough token estimate (4 characters a token) for providers that report no usage. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Usage for a reply whose provider reported none: both sides estimated, and marked so. */
export function estimatedUsage(prompt: string, reply: string): TokenUsage {
  return { input: estimateTokens(prompt), output: estimateTokens(reply), estimated: true };
}
