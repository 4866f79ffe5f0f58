import { holdYoungGenerationFromStart } from '../harvest/heap.js';

/** A harvest child starts as the CLI's `harvest` does (src/cli/early.ts); the floor runs on V8's defaults. */
if (process.argv[2]?.startsWith('harvest')) holdYoungGenerationFromStart();
