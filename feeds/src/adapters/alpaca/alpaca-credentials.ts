/*
 * The API key pair, kept out of every log: the secret lives in a private field, so JSON.stringify,
 * util.inspect and template strings of the credentials (or of an adapter holding them) show only
 * the key id's last four characters. The only place the secret leaves is the auth message itself.
 */

export class AlpacaCredentials {
  readonly #keyId: string;
  readonly #secretKey: string;

  constructor(keyId: string, secretKey: string) {
    if (keyId === '' || secretKey === '') throw new RangeError('Alpaca credentials need a key id and a secret key');
    this.#keyId = keyId;
    this.#secretKey = secretKey;
  }

  /** APCA_API_KEY_ID / APCA_API_SECRET_KEY from an environment (pass `process.env`), or undefined. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>): AlpacaCredentials | undefined {
    const keyId = env['APCA_API_KEY_ID'];
    const secretKey = env['APCA_API_SECRET_KEY'];
    if (keyId === undefined || keyId === '' || secretKey === undefined || secretKey === '') return undefined;
    return new AlpacaCredentials(keyId, secretKey);
  }

  /** The auth message: {"action":"auth","key":"...","secret":"..."}. */
  authMessage(): string {
    return JSON.stringify({ action: 'auth', key: this.#keyId, secret: this.#secretKey });
  }

  /** Key id with all but the last four characters hidden, for logs. */
  get redactedKeyId(): string {
    return `…${this.#keyId.slice(-4)}`;
  }

  toString(): string {
    return `AlpacaCredentials(${this.redactedKeyId})`;
  }

  toJSON(): { keyId: string } {
    return { keyId: this.redactedKeyId };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
