import { describe, expect, it } from 'vitest';
import { parsePastedRedirect } from '../../src/auth/paste-step.js';

describe('pasted redirect', () => {
  it.each([
    ['https://localhost/?code=abc&state=s1', 'abc'],
    ['  https://localhost/?code=abc&state=s1&session_state=x \n', 'abc'],
    ['https://localhost/#code=abc&state=s1', 'abc'],
  ])('%s → code', (pasted, code) => expect(parsePastedRedirect(pasted, 's1').code).toBe(code));
  it.each([
    ['not a url', /not an address/],
    ['https://localhost/?code=abc&state=other', /state mismatch/],
    ['https://localhost/?state=s1', /no code/],
  ])('%s is refused', (pasted, msg) => expect(() => parsePastedRedirect(pasted, 's1')).toThrow(msg));
  it('an error in the redirect carries the AADSTS text', () => {
    expect(() => parsePastedRedirect('https://localhost/?error=invalid_request&error_description=AADSTS50011%3A+redirect&state=s1', 's1')).toThrow(/AADSTS50011/);
  });
});
