/**
 * Microsoft's ids (client ids, tenant ids) are GUIDs. One pattern for all of them: `isGuid` for a whole
 * value (a flag, a stored tenant), `guidIn` for the one inside a URL (an OpenID issuer
 * `https://login.microsoftonline.com/<tenant>/v2.0`), lower-cased as the platform's `tid` claims are.
 */
const PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const WHOLE = new RegExp(`^${PATTERN}$`, 'i');
const INSIDE = new RegExp(PATTERN, 'i');

export const isGuid = (s: string): boolean => WHOLE.test(s);

export const guidIn = (s: string): string | undefined => INSIDE.exec(s)?.[0]?.toLowerCase();
