import type { Prompter } from '../../src/ui/prompter.js';

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
    return answers[id];
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
