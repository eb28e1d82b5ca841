import { describe, expect, it } from 'vitest';
import { guidIn, isGuid } from '../src/guid.js';

describe('GUIDs: one pattern for client and tenant ids', () => {
  it.each([
    ['9e5f94bc-e8a4-4e73-b8be-63364c29d753', true],
    ['9E5F94BC-E8A4-4E73-B8BE-63364C29D753', true],
    [' 9e5f94bc-e8a4-4e73-b8be-63364c29d753', false],
    ['9e5f94bc-e8a4-4e73-b8be-63364c29d7531', false],
    ['9e5f94bce8a44e73b8be63364c29d753', false],
    ['contoso.onmicrosoft.com', false],
  ])('isGuid(%j) = %s', (s, want) => expect(isGuid(s)).toBe(want));
  it.each([
    ['https://login.microsoftonline.com/72F988BF-86F1-41AF-91AB-2D7CD011DB47/v2.0', '72f988bf-86f1-41af-91ab-2d7cd011db47'],
    ['https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0', '9188040d-6c67-4c5b-b112-36a304b66dad'],
    ['https://login.microsoftonline.com/{tenantid}/v2.0', undefined],
  ])('guidIn(%j) = %s', (s, want) => expect(guidIn(s)).toBe(want));
});
