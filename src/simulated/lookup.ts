import type { SimulationSpec, Task } from '../tasks/types.js';
import { redactSecrets } from '../core/redact.js';
import { renderTaskUser } from '../train/render.js';

/**
 * What the simulated target "knows" about each task, found by the user text it receives. Keys are
 * redacted the same way requests are, since redaction runs before any backend sees a request.
 */
export function simulationLookupFor(tasks: readonly Task[]): (userText: string) => SimulationSpec | undefined {
  const specs = new Map<string, SimulationSpec>();
  for (const t of tasks) if (t.simulation) specs.set(redactSecrets(renderTaskUser(t)).text, t.simulation);
  return (user) => specs.get(user);
}
