/** Secret detection and redaction shared by every reader and reporter: a password never reaches the model. */

export const REDACTED = '***';

const SECRET_NAME = /(pass(word|wd)?|secret|token|api[-_.]?key|private[-_.]?key|credential|auth)/i;

/** True when a key/variable name looks like it holds a secret (`DB_PASSWORD`, `spring.datasource.password`). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Redacts the value when the name is secret; also strips user:password@ from URLs. */
export function redactValue(name: string, value: string): string {
  if (isSecretName(name)) return REDACTED;
  return redactUrlCredentials(value);
}

/** `postgres://user:pw@host` → `postgres://user:***@host`. */
export function redactUrlCredentials(value: string): string {
  return value.replace(/(\/\/[^/:@\s]+:)[^@/\s]+@/g, `$1${REDACTED}@`);
}
