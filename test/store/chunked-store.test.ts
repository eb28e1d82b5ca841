import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/store/chunked-store.js';

describe('chunk header', () => {
  it.each([
    ['mailoauth-chunks:v1:abc123:3:0123456789abcdef', { gen: 'abc123', count: 3, sha: '0123456789abcdef' }],
    ['mailoauth-chunks:v1:abc:0:ff', undefined],
    ['mailoauth-chunks:v1:abc:999:ff', undefined],
    ['{"v":1}', undefined],
  ])('%s', (v, want) => expect(parseHeader(v)).toEqual(want));
});
