/**
 * Entry of `dist/msal.cjs` (tsup.config.ts): MSAL bundled on its own, with `jsonwebtoken` replaced by
 * jsonwebtoken-stub.ts. MSAL needs jsonwebtoken only to sign a confidential client's assertion, which
 * a public client never does, and loading it (with semver and lodash) was half of MSAL's load time.
 */
export * from '@azure/msal-node';
