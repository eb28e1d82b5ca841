import type { Configuration, ICachePlugin, PublicClientApplication } from '@azure/msal-node';
import { hasRefreshToken, trimMsalCache } from '../store/records.js';
import type { Tuning } from '../tuning.js';
import { httpClientFor, type RecordingHttpClient } from './http-client.js';
import { msalNode } from './msal-module.js';

export interface MsalOptions {
  clientId: string;
  authority: string;
  /** The serialized MSAL cache to start from (null at first sign-in). */
  cache: string | null;
  /**
   * Called with the new serialized cache whenever MSAL changes it, before MSAL hands the tokens back:
   * a rotated refresh token is stored before the access token is ever printed. Never called with a
   * cache that lacks a refresh token, so no failure path can erase the stored one.
   */
  persist?: (serialized: string) => Promise<void>;
  /** The OpenID document saved at sign-in: lets a refresh skip the discovery request. */
  authorityMetadata?: string;
  tuning: Pick<Tuning, 'http'>;
  log?: (line: string) => void;
}

export interface MsalSession {
  pca: PublicClientApplication;
  http: RecordingHttpClient;
  /** The newest serialized cache (what persist() last got, or the initial one). */
  cache(): string | null;
}

export function createMsal(o: MsalOptions): MsalSession {
  let serialized = o.cache;
  const plugin: ICachePlugin = {
    async beforeCacheAccess(ctx) {
      if (serialized) ctx.tokenCache.deserialize(serialized);
    },
    async afterCacheAccess(ctx) {
      if (!ctx.cacheHasChanged) return;
      const next = trimMsalCache(ctx.tokenCache.serialize());
      if (!hasRefreshToken(next)) return;
      serialized = next;
      await o.persist?.(next);
    },
  };
  const http = httpClientFor(o.tuning, o.log);
  const host = new URL(o.authority).host;
  const config: Configuration = {
    auth: {
      clientId: o.clientId,
      authority: o.authority,
      // Trust the configured authority as given: no instance-discovery round trip (sovereign clouds,
      // the local test platform, and one request fewer on every refresh).
      knownAuthorities: [host],
      ...(o.authorityMetadata ? { authorityMetadata: o.authorityMetadata } : {}),
    },
    cache: { cachePlugin: plugin },
    system: {
      networkClient: http,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: msalNode.LogLevel.Warning,
        loggerCallback: (_level, message) => o.log?.(`msal: ${message}`),
      },
    },
  };
  return { pca: new msalNode.PublicClientApplication(config), http, cache: () => serialized };
}

