import { UserError } from '../errors.js';

/**
 * The questions the wizard asks, as an interface: @inquirer/prompts in a terminal, scripted answers
 * in tests. Every question has an id so a script (or a flag) can answer it.
 */
export interface Choice<T> {
  value: T;
  name: string;
  description?: string;
}

export interface Prompter {
  input(q: { id: string; message: string; default?: string; validate?: (v: string) => true | string }): Promise<string>;
  select<T>(q: { id: string; message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  checkbox<T>(q: { id: string; message: string; choices: Array<Choice<T> & { checked?: boolean }> }): Promise<T[]>;
  confirm(q: { id: string; message: string; default?: boolean }): Promise<boolean>;
}

/** An input's validate from one of our checks: true, or the check's UserError message shown under the field. */
export const valid = (check: (v: string) => unknown) => (v: string): true | string => {
  try {
    check(v.trim());
    return true;
  } catch (e) {
    return e instanceof UserError ? e.message : String(e);
  }
};

/** @inquirer/prompts on the given streams (stderr for output: stdout carries data only). */
export function inquirerPrompter(input: () => NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  const ctx = () => ({ input: input(), output });
  const lib = () => import('@inquirer/prompts');
  return {
    async input(q) {
      return (await lib()).input({ message: q.message, default: q.default, validate: q.validate }, ctx());
    },
    async select<T>(q: { message: string; choices: Choice<T>[]; default?: T }) {
      return (await lib()).select<T>({ message: q.message, choices: q.choices, default: q.default }, ctx());
    },
    async checkbox<T>(q: { message: string; choices: Array<Choice<T> & { checked?: boolean }> }) {
      return (await lib()).checkbox<T>({ message: q.message, choices: q.choices }, ctx());
    },
    async confirm(q) {
      return (await lib()).confirm({ message: q.message, default: q.default }, ctx());
    },
  };
}
