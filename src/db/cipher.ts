import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { CoreError } from '../domain/errors.js';

/**
 * Terraform state (and plan files, which carry it) sealed at rest with AES-256-GCM. A sealed value is a
 * BLOB: magic, the key's id (the first 8 bytes of its SHA-256), a 12-byte nonce, the 16-byte tag, then the
 * ciphertext. Serial, lineage and checksum stay in their own clear columns for the guards. A value in
 * clear (written before a key was configured) is read as it is and sealed by `state rekey`.
 */
const MAGIC = Buffer.from('CES1');
const HEADER = MAGIC.length + 8 + 12 + 16;

export interface StoreKeys {
  /** Seals every new value; none: values are stored in clear. */
  current?: Buffer;
  /** Earlier keys, only to open what they sealed (rotation). */
  previous: Buffer[];
}

export const keyId = (key: Buffer) => createHash('sha256').update(key).digest().subarray(0, 8).toString('hex');

export class StoreCipher {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: StoreKeys) {
    this.byId = new Map([...keys.previous, ...(keys.current ? [keys.current] : [])].map((k) => [keyId(k), k]));
  }

  get currentKeyId(): string | null {
    return this.keys.current ? keyId(this.keys.current) : null;
  }

  /** The value sealed with the current key, or as it is when no key is configured. */
  seal(value: string | Buffer): string | Buffer {
    const key = this.keys.current;
    if (!key) return value;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const body = Buffer.concat([cipher.update(typeof value === 'string' ? Buffer.from(value, 'utf8') : value), cipher.final()]);
    return Buffer.concat([MAGIC, Buffer.from(keyId(key), 'hex'), nonce, cipher.getAuthTag(), body]);
  }

  /** A stored value opened: sealed ones with the key that sealed them, clear ones as they are. */
  open(stored: string | Buffer, what: string, clear: 'text' | 'bytes' = 'text'): Buffer {
    if (typeof stored === 'string') return Buffer.from(stored, 'utf8');
    if (stored.length < HEADER || !stored.subarray(0, MAGIC.length).equals(MAGIC)) {
      // A text column stored in clear holds text; bytes there without the envelope, while keys are configured, were altered.
      if (clear === 'text' && this.byId.size) throw new CoreError('storage', `${what} is stored as bytes that are not a sealed envelope: it was altered or damaged.`);
      return stored;
    }
    const id = stored.subarray(MAGIC.length, MAGIC.length + 8).toString('hex');
    const key = this.byId.get(id);
    if (!key) {
      throw new CoreError('storage', `${what} is encrypted with key ${id}, which is not configured: set STATE_ENCRYPTION_KEY (or STATE_ENCRYPTION_PREVIOUS_KEYS while rotating) to that key.`);
    }
    const at = MAGIC.length + 8;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(at, at + 12));
      decipher.setAuthTag(stored.subarray(at + 12, at + 28));
      return Buffer.concat([decipher.update(stored.subarray(HEADER)), decipher.final()]);
    } catch {
      throw new CoreError('storage', `${what} cannot be decrypted with key ${id}: it was altered or damaged.`);
    }
  }

  /** The key id a stored value is sealed with, or null in clear. */
  static sealedWith(stored: string | Buffer): string | null {
    return typeof stored !== 'string' && stored.length >= HEADER && stored.subarray(0, MAGIC.length).equals(MAGIC)
      ? stored.subarray(MAGIC.length, MAGIC.length + 8).toString('hex') : null;
  }
}

/** Values stored in clear: a store opened with no keys configured. */
export const NO_KEYS = new StoreCipher({ previous: [] });
