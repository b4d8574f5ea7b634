/**
 * What Salesforce's Certificate and Key Management > Import from Keystore takes, in one place for
 * `keys generate --jks`, `keys jks` and `keys check`: a JKS with a private key entry whose alias it
 * can name the certificate after (a Unique Name begins with a letter, so keytool's default alias
 * `1`, which `keytool -importkeystore` gives the entry of a PKCS#12 without a friendly name, is
 * refused), an RSA key of 2048, 3072 or 4096 bits, and the key protected with the store password
 * itself (Salesforce asks for the store password only).
 */

/** The RSA key sizes the import takes. */
export const KEYSTORE_KEY_BITS: readonly number[] = [2048, 3072, 4096];

/** keytool refuses a store password under 6 characters, and so a keystore made with one is of no use to it. */
export const MIN_STORE_PASSWORD = 6;

/** The alias sfjwt gives a keystore entry unless told otherwise. */
export const DEFAULT_KEYSTORE_ALIAS = 'salesforcetest';

/** Why the import would refuse this alias (to follow `the alias "…"`), or undefined when it takes it. */
export function keystoreAliasProblem(alias: string): string | undefined {
  const trimmed = alias.trim();
  if (trimmed === '1') return "is keytool's default (after keytool -importkeystore from a PKCS#12 without a friendly name), which Salesforce refuses";
  if (!/^[a-z]/i.test(trimmed)) return 'does not begin with a letter, and Salesforce names the imported certificate after it (a Unique Name begins with a letter)';
  return undefined;
}

/** The fix for a refused alias in a keystore that is there. */
export function renameAliasFix(file: string, alias: string): string {
  return `Rename the entry: keytool -changealias -keystore ${file} -alias ${alias} -destalias ${DEFAULT_KEYSTORE_ALIAS}, or write a new keystore: npx sfjwt keys jks --key server.key --cert server.crt --alias ${DEFAULT_KEYSTORE_ALIAS}.`;
}
