/**
 * Where systems keep the CA bundle, for programs that verify a server only against a file they are
 * given (getmail). The first that exists is the system's; programs that find the store themselves
 * (offlineimap's OS-DEFAULT, msmtp's `system`, Go, OpenSSL defaults) never need this.
 */
export const SYSTEM_CA_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Arch, Gentoo, Alpine (ca-certificates)
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL, CentOS
  '/etc/ssl/ca-bundle.pem', // openSUSE, SLES
  '/opt/homebrew/etc/ca-certificates/cert.pem', // Homebrew on Apple Silicon
  '/usr/local/etc/ca-certificates/cert.pem', // Homebrew on Intel
  '/etc/ssl/cert.pem', // macOS, the BSDs, Alpine
];

export function systemCaFile(exists: (path: string) => boolean): string | undefined {
  return SYSTEM_CA_BUNDLES.find((p) => exists(p));
}
