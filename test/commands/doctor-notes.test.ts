import { describe, expect, it } from 'vitest';
import { providerNotes } from '../../src/commands/doctor.js';
import { THUNDERBIRD_GOOGLE_CLIENT_ID } from '../../src/providers/table.js';

const OWN_ID = '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com';

describe('doctor: provider notes', () => {
  it('an own client gets the 7-day "Testing" warning; Thunderbird\'s does not', () => {
    expect(providerNotes({ provider: 'google', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID })).toEqual([]);
    expect(providerNotes({ provider: 'microsoft365', clientId: OWN_ID })).toEqual([]);
    const [f] = providerNotes({ provider: 'google', clientId: OWN_ID });
    expect(f).toMatchObject({ level: 'warn', check: 'own client' });
    expect(f!.detail).toMatch(/"Testing" publishing status, Google expires its refresh tokens after 7 days/);
  });
});
