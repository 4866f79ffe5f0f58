import { commandNameOf } from './argv.js';
import { holdYoungGenerationFromStart } from '../harvest/heap.js';

/**
 * Imported first by main.ts, so it runs before the other modules are loaded: a process started to harvest keeps V8's
 * young generation at its first size from its first allocation (see holdYoungGenerationFromStart).
 */
if (commandNameOf(process.argv) === 'harvest') holdYoungGenerationFromStart();
