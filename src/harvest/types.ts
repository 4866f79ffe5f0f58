/** The agents whose transcripts we harvest. */
export type SourceName = 'claude-code' | 'codex' | 'copilot-chat' | 'copilot-cli' | 'gemini-cli';

/** A feedback signal the user gave, with the line it came from. */
export interface FeedbackSignal {
  kind: 'correction' | 'praise' | 're-ask' | 'interrupt';
  /** The user's text that carried the signal (redacted). */
  text: string;
  /** Index into `prompts` of the prompt that carried it. */
  promptIndex: number;
}

/** A tool call that failed (an error result, a non-zero exit), with the prompt it served. */
export interface ToolError {
  tool: string;
  /** Index into `prompts` of the prompt being worked on. */
  promptIndex: number;
  /** The start of the error text (redacted). */
  text: string;
}

/** One user prompt as typed (redacted), in order. */
export interface UserPrompt {
  text: string;
  at?: string;
  /** Set when the prompt came from a slash command's arguments, e.g. `/review`. */
  command?: string;
  /**
   * The skill, custom command or prompt file this prompt invoked (`changelog-entry` for Claude Code's
   * `/changelog-entry …` or Codex's `$changelog-entry …`); it feeds per-skill grouping of the nightly run.
   */
  skill?: string;
}

/** The normalised digest of one session: what mining needs, nothing more. */
export interface SessionDigest {
  source: SourceName;
  /** The tool's own session id. */
  sessionId: string;
  project?: { cwd?: string; gitBranch?: string; gitRepo?: string };
  startedAt?: string;
  endedAt?: string;
  prompts: UserPrompt[];
  /** The assistant's final answer after each prompt (redacted), aligned with prompts where possible. */
  finalAnswers: string[];
  tools: string[];
  skills: string[];
  filesTouched: string[];
  feedback: FeedbackSignal[];
  /** Failed tool calls (outcome evidence for mining); absent in digests stored before it existed. */
  toolErrors?: ToolError[];
  models: string[];
  tokens: { input: number; output: number; cachedInput: number };
  /** Non-interactive run (claude -p, codex exec, copilot -p). */
  headless: boolean;
  /** Started by skillopt-sleep itself (a replay): never mined. */
  ownReplay: boolean;
  /** Which front end wrote the session: `cli` (interactive terminal), `exec`/`sdk` (headless), `ide`, `desktop`, ... */
  origin?: string;
  /** The agent versions that wrote this session (Claude Code `version`, Codex `cli_version`), first seen first. */
  agentVersions?: string[];
  /** Record types the parser did not know, with how often each appeared: format drift made visible. */
  unknownRecords?: Record<string, number>;
  /** Set when the session holds no prompt: why (a sub-agent thread, only housekeeping commands, ...). */
  emptyReason?: string;
  /** The session this one was forked from (Codex `forked_from_id`). */
  forkedFrom?: string;
}

/** Why a line or record was skipped; counted per reason. */
export type SkipReason =
  | 'invalid_json'
  | 'partial_line'
  | 'oversized_line'
  | 'binary'
  | 'unknown_record'
  | 'missing_field'
  | 'read_error'
  | 'permission_denied'
  | 'vanished'
  | 'symlink_loop'
  | 'not_a_session';

/** The outcome of feeding one line/record to a parser: parsers never throw. */
export type ParseOutcome = { ok: true } | { ok: false; reason: SkipReason; detail?: string };

/** A per-file parser that can resume from a checkpoint. */
export interface TranscriptParser {
  /** Feed one complete line (no trailing newline). Never throws. */
  feedLine(line: string): ParseOutcome;
  /** JSON-serialisable state, stored with the checkpoint so parsing resumes at its byte offset. */
  saveState(): unknown;
  /** The sessions this file contributes so far (may be partial while the session is live). */
  digests(): SessionDigest[];
}

/** A transcript source: detect, discover, parse, normalise. One folder per agent under sources/. */
export interface SourceAdapter {
  readonly name: SourceName;
  /** Default roots for this environment (they may not exist). */
  defaultRoots(environment: import('../core/paths.js').Environment): string[];
  /** Transcript files below the given roots, as absolute paths. Missing roots yield nothing. */
  discover(roots: readonly string[]): Promise<string[]>;
  /**
   * Longest line this source may legitimately write, in bytes (default 8 MiB). VS Code's chat log opens with
   * a snapshot of the whole session, which can be far larger than any line of the other tools.
   */
  readonly maxLineBytes?: number;
  /** 'jsonl' files are append-only and read incrementally; 'json' files are whole documents, re-read when changed. */
  fileKind(path: string): 'jsonl' | 'json';
  /** A parser for a 'jsonl' file, resumed from saved state when given. */
  openParser(path: string, saved?: unknown): TranscriptParser;
  /**
   * Optional cheap pre-filter for `--project`: false when the file cannot hold a session run in
   * `projectDir` or below (e.g. from a folder name). Files it admits are still judged by their cwd.
   */
  couldHoldProject?(path: string, projectDir: string): boolean;
  /** Parse a whole 'json' document. Never throws. */
  parseDocument(path: string, text: string): { digests: SessionDigest[]; skips: Array<{ reason: SkipReason; detail?: string }> };
}
