import { describe, expect, it } from 'vitest';
import { fillTemplate, templatesDir } from '../../src/clients/templates.js';
import { account } from './support.js';

describe('templates', () => {
  it.each([
    ['the bundle (dist/cli.js)', 'file:///pkg/dist/cli.js'],
    ['a bundle chunk', 'file:///pkg/dist/chunk-ABC.js'],
    ['the sources', 'file:///pkg/src/clients/templates.ts'],
  ])('found from %s', (_, url) => {
    expect(templatesDir(url, (p) => p === '/pkg/templates/mbsync.rc')).toBe('/pkg/templates');
  });

  it('a missing install is a clear error', () => {
    expect(() => templatesDir('file:///pkg/dist/cli.js', () => false)).toThrow(/templates not found/);
  });

  it('the real templates directory exists next to src/', () => {
    expect(templatesDir()).toMatch(/\/templates$/);
  });

  it.each([
    ['fills placeholders', 'a {{x}} b', { x: '1' }, 'a 1 b'],
    ['drops a line that is only an empty placeholder', 'a\n{{x}}\nb', { x: '' }, 'a\nb'],
    ['keeps a line with an empty placeholder among text', 'a {{x}}!', { x: '' }, 'a !'],
    ['does not re-expand values', '{{x}}', { x: '{{y}}' }, '{{y}}'],
  ])('%s', (_, t, v, out) => {
    expect(fillTemplate(t, v)).toBe(out);
  });

  it.each([
    ['unknown placeholder', '{{nope}}', {}],
    ['unused value', 'x', { extra: '1' }],
  ])('%s is a bug, reported', (_, t, v) => {
    expect(() => fillTemplate(t, v)).toThrow();
  });
});
