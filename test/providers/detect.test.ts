import { describe, expect, it } from 'vitest';
import type { DetectIo, OpenidDocument } from '../../src/providers/detect-io.js';
import { decideDetection, detectProvider, type MxAnswer, type OpenidAnswer } from '../../src/providers/detect.js';
import { DOC, T } from './openid-documents.js';

describe('detection from recorded DNS and OpenID answers', () => {
  const mx = (...hosts: string[]): MxAnswer => ({ kind: 'hosts', hosts });
  const tenant = (doc: OpenidDocument | undefined): OpenidAnswer => ({ kind: 'tenant', doc: doc! });
  const offlineMx: MxAnswer = { kind: 'failed', reason: 'ETIMEOUT' };
  const offlineDoc: OpenidAnswer = { kind: 'failed', reason: 'ECONNREFUSED' };
  it.each<[string, MxAnswer, OpenidAnswer, object, RegExp]>([
    ['commercial tenant', mx('contoso-com.mail.protection.outlook.com'), tenant(DOC.commercial), { provider: 'microsoft365', tenant: T, cloud: 'public', confident: true }, /MX contoso-com.* → microsoft365; Microsoft tenant 1111.* in microsoftonline\.com NA$/],
    ['GCC High tenant', mx('agency-us.mail.protection.office365.us'), tenant(DOC.gccHigh), { provider: 'microsoft365', tenant: T, cloud: 'usgov' }, /in microsoftonline\.us USGov DODCON; cloud: US Government GCC High$/],
    ['DoD tenant', mx('army-mil.mail.protection.office365.us'), tenant(DOC.dod), { provider: 'microsoft365', cloud: 'usgov-dod' }, /cloud: US Government DoD$/],
    ['21Vianet tenant', mx('x-cn.mail.protection.partner.outlook.cn'), tenant(DOC.china), { provider: 'microsoft365', cloud: 'china' }, /cloud: China \(operated by 21Vianet\)$/],
    ['GCC High MX, OpenID unreachable', mx('agency-us.mail.protection.office365.us'), offlineDoc, { provider: 'microsoft365', tenant: undefined, cloud: 'usgov' }, /could not look up a Microsoft tenant \(ECONNREFUSED\); cloud: US Government GCC High$/],
    ['Google Workspace (smtp.google.com)', mx('smtp.google.com'), { kind: 'no-tenant' }, { provider: 'google', tenant: undefined, cloud: undefined }, /MX smtp\.google\.com → google; no Microsoft tenant for this domain$/],
    ['Google Workspace (aspmx)', mx('aspmx.l.google.com', 'alt1.aspmx.l.google.com'), { kind: 'no-tenant' }, { provider: 'google' }, /→ google/],
    ['offline: both lookups failed', offlineMx, offlineDoc, { provider: 'microsoft365', tenant: undefined, cloud: undefined, confident: false }, /^could not look up MX \(ETIMEOUT\); could not look up a Microsoft tenant \(ECONNREFUSED\); offline\? nothing could be looked up$/],
    ['unknown MX, Microsoft tenant (MX behind a gateway)', mx('mx.proofpoint.example'), tenant(DOC.commercial), { provider: 'microsoft365', tenant: T, cloud: 'public' }, /not a known provider/],
  ])('%s', (_, m, doc, want, evidence) => {
    const d = decideDetection(m, doc);
    expect(d).toMatchObject(want);
    expect(d.evidence.join('; ')).toMatch(evidence);
  });

  it('consumer domains need no lookup', async () => {
    const io: DetectIo = { mx: () => Promise.reject(new Error('not asked')), openid: () => Promise.reject(new Error('not asked')) };
    expect(await detectProvider('x@hotmail.com', 'https://login.microsoftonline.com', io)).toMatchObject({ provider: 'outlook.com', tenant: 'consumers', cloud: 'public' });
  });
});
