/** How a person signs in: a code on any device, a browser sent back to a loopback listener, or the redirected address pasted back. */
export type Flow = 'device' | 'browser' | 'paste';

export const FLOWS: readonly Flow[] = ['device', 'browser', 'paste'];
