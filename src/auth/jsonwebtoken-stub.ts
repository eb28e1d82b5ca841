/** Stands in for `jsonwebtoken` inside dist/msal.cjs (see msal-bundle.ts): mailoauth is a public client and never signs. */
const sign = (): never => {
  throw new Error('mailoauth is a public client: it does not sign client assertions (jsonwebtoken is not bundled)');
};
export default { sign };
export { sign };
