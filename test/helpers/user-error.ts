import { UserError } from '../../src/errors.js';

/** The UserError `fn` throws; fails the test when it throws nothing or something else. */
export function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}
