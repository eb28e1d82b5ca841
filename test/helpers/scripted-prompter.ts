import type { Prompter } from '../../src/ui/prompter.js';

/** Answers for a question asked more than once, in order (`plan: inTurn('app', 'accept')`). */
class InTurn {
  constructor(readonly values: unknown[]) {}
}
export const inTurn = (...values: unknown[]) => new InTurn(values);

/**
 * Answers the wizard's questions from a script keyed by question id, and records what was asked.
 * A question the script does not answer fails the test: every branch states which questions it asks.
 */
export function scriptedPrompter(answers: Record<string, unknown>): Prompter & { asked: string[]; seen: Record<string, unknown> } {
  const asked: string[] = [];
  const seen: Record<string, unknown> = {};
  const answer = (id: string, q: unknown) => {
    asked.push(id);
    seen[id] = q;
    if (!(id in answers)) throw new Error(`unexpected question "${id}"`);
    const a = answers[id];
    if (!(a instanceof InTurn)) return a;
    if (a.values.length === 0) throw new Error(`question "${id}" asked more often than scripted`);
    return a.values.shift();
  };
  return {
    asked,
    seen,
    async input(q) {
      const v = answer(q.id, q) as string;
      const ok = q.validate?.(v);
      if (ok !== undefined && ok !== true) throw new Error(`answer to ${q.id} rejected: ${ok}`);
      return v;
    },
    async select<T>(q: { id: string }) {
      return answer(q.id, q) as T;
    },
    async checkbox<T>(q: { id: string }) {
      return answer(q.id, q) as T[];
    },
    async confirm(q) {
      return answer(q.id, q) as boolean;
    },
  };
}
